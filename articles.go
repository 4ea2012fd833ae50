package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/investgraph/investgraph/db"
)

// articleName is the name of an article's file: the source's slug, after
// the file order prefix the seed files share (000_81c1630493b7e74f.txt).
var articleName = regexp.MustCompile(`^(?:[0-9]+_)?([a-z0-9]+(?:-[a-z0-9]+)*)\.txt$`)

// attachArticles reads the articles of dir (-articles), one .txt file per
// source named as its seed file, and stores their paragraphs, the files'
// non-empty lines, for Citation.text. A file that names no source, or whose
// paragraph count differs from its source's, is refused before anything is
// stored. It returns how many articles it attached.
func attachArticles(ctx context.Context, store *db.Store, dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("-articles: %w", err)
	}
	texts := map[string][]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		m := articleName.FindStringSubmatch(e.Name())
		if m == nil {
			return 0, fmt.Errorf("-articles: %s: name it after its source, as NNN_SLUG.txt or SLUG.txt", path)
		}
		src, err := store.FindSourceBySlug(ctx, m[1])
		if db.ErrorCode(err) == db.ENOTFOUND {
			return 0, fmt.Errorf("-articles: %s: the database holds no source %q (its seed file would be named %s)",
				path, m[1], strings.TrimSuffix(e.Name(), ".txt")+".yaml")
		} else if err != nil {
			return 0, fmt.Errorf("-articles: %w", err)
		}
		if _, dup := texts[src.Slug]; dup {
			return 0, fmt.Errorf("-articles: %s: a second file for source %q", path, src.Slug)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return 0, fmt.Errorf("-articles: %w", err)
		}
		paragraphs := splitParagraphs(string(data))
		if len(paragraphs) != src.Paragraphs {
			return 0, fmt.Errorf("-articles: %s has %d paragraphs (non-empty lines), but source %q has %d: it is not the article the seed cites",
				path, len(paragraphs), src.Slug, src.Paragraphs)
		}
		texts[src.Slug] = paragraphs
	}
	if len(texts) == 0 {
		return 0, fmt.Errorf("-articles: %s holds no .txt file", dir)
	}
	if err := store.AttachTexts(ctx, texts); err != nil {
		return 0, fmt.Errorf("-articles: %w", err)
	}
	return len(texts), nil
}

// splitParagraphs returns the non-empty lines of an article, trimmed: its
// paragraphs as the seed numbers them (seed/README.md).
func splitParagraphs(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}
