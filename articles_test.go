package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// writeArticles writes an article of the given paragraph counts for each
// source of the built-in seed, named as its seed file, into a new
// directory, with blank and space-only lines between paragraphs as press
// texts have them. The lines are written for the test.
func writeArticles(t *testing.T, counts func(src *db.Source) int) string {
	t.Helper()
	d, err := seed.Parse(seed.Files())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i, src := range d.Sources {
		var b strings.Builder
		for p := range counts(src) {
			fmt.Fprintf(&b, "  Line %d of test article %s.\n\n \t\n", p+1, src.Slug)
		}
		name := fmt.Sprintf("%03d_%s.txt", i, src.Slug)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRun_Articles starts the server with -articles: the texts are
// attached and Citation.text gives the cited paragraph over HTTP, trimmed,
// blank lines not counted.
func TestRun_Articles(t *testing.T) {
	path := seededFile(t)
	dir := writeArticles(t, func(src *db.Source) int { return src.Paragraphs })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	addrc, errc := make(chan string, 1), make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"-addr", "127.0.0.1:0", "-db", path, "-articles", dir}, io.Discard, io.Discard,
			func(addr string) { addrc <- addr })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-errc:
		t.Fatalf("run: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	body := `{"query":"{ company(slug: \"citic-group\") { citations { paragraph text source { id } } } }"}`
	resp, err := http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("run: %v", err)
	}
	if want := `{"paragraph":2,"text":"Line 2 of test article 81c1630493b7e74f."`; !strings.Contains(string(got), want) {
		t.Errorf("response %s, want it to contain %s", got, want)
	}
	if strings.Contains(string(got), `"text":null`) {
		t.Errorf("a citation without text: %s", got)
	}
}

// TestRun_ArticlesRefused starts the server with article files that do not
// fit the seed: each is refused at start, naming the file and what is
// wrong, and no text is stored.
func TestRun_ArticlesRefused(t *testing.T) {
	path := seededFile(t)
	short := writeArticles(t, func(src *db.Source) int {
		if src.Slug == "9c0d6d39aeed9ba5" {
			return src.Paragraphs - 1
		}
		return src.Paragraphs
	})
	unknown := writeArticles(t, func(src *db.Source) int { return src.Paragraphs })
	if err := os.WriteFile(filepath.Join(unknown, "005_0123456789abcdef.txt"), []byte("one line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir string
		want      []string
	}{
		{"ErrParagraphCount", short, []string{"002_9c0d6d39aeed9ba5.txt has 17 paragraphs", `source "9c0d6d39aeed9ba5" has 18`}},
		{"ErrUnknownSource", unknown, []string{"005_0123456789abcdef.txt", `no source "0123456789abcdef"`}},
		{"ErrMissingDir", filepath.Join(short, "nope"), []string{"-articles:", "nope"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(t.Context(), []string{"-addr", "127.0.0.1:0", "-db", path, "-articles", tc.dir}, io.Discard, io.Discard, nil)
			if err == nil {
				t.Fatal("the server started")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := s.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range d.Sources {
		if src.Text != nil {
			t.Errorf("source %s got a text from a refused start", src.Slug)
		}
	}
}
