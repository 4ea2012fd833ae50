package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// sourceTextStatements keep the article texts in step with the sources a
// replace wrote: text is whole or absent, so the rows of a source that is
// gone, or whose paragraph count is no longer the text's, are deleted.
// Texts are keyed by slug, so those attached at start-up (AttachTexts)
// outlive a changeset's rebuild of the graph.
var sourceTextStatements = []string{
	`DELETE FROM source_texts WHERE source_slug NOT IN (SELECT slug FROM sources)`,
	`DELETE FROM source_texts WHERE source_slug IN (
		SELECT s.slug FROM sources s
		WHERE s.paragraphs <> (SELECT count(*) FROM source_texts t WHERE t.source_slug = s.slug))`,
}

// writeTexts replaces the texts of the sources of d that carry one, and
// drops those that no longer fit their sources.
func writeTexts(ctx context.Context, tx *sql.Tx, d *Dataset) error {
	for _, src := range d.Sources {
		if src.Text == nil {
			continue
		}
		if err := replaceText(ctx, tx, src.Slug, src.Text); err != nil {
			return err
		}
	}
	for _, q := range sourceTextStatements {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("source texts: %w", err)
		}
	}
	return nil
}

func replaceText(ctx context.Context, tx *sql.Tx, slug string, text []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM source_texts WHERE source_slug = ?`, slug); err != nil {
		return fmt.Errorf("source texts of %s: %w", slug, err)
	}
	for i, p := range text {
		if _, err := tx.ExecContext(ctx, `INSERT INTO source_texts (source_slug, paragraph, text) VALUES (?, ?, ?)`,
			slug, i+1, p); err != nil {
			return fmt.Errorf("source texts of %s: %w", slug, err)
		}
	}
	return nil
}

// AttachTexts stores the texts of articles, by source slug, each a list of
// the article's paragraphs, in one transaction: a slug the database holds
// no source for (ENOTFOUND) or a text whose paragraph count differs from
// its source's (EINVALID) changes nothing.
func (s *Store) AttachTexts(ctx context.Context, texts map[string][]string) error {
	lock, err := s.lockWriter()
	if err != nil {
		return err
	}
	defer lock.Release()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("attach texts: %w", err)
	}
	defer tx.Rollback()
	slugs := slices.Sorted(maps.Keys(texts))
	for _, slug := range slugs {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT paragraphs FROM sources WHERE slug = ?`, slug).Scan(&n)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return Errorf(ENOTFOUND, "no source %s: the database holds no source of that slug", Quote(slug))
		case err != nil:
			return fmt.Errorf("attach texts: %w", err)
		case len(texts[slug]) != n:
			return Errorf(EINVALID, "source %s has %d paragraphs, but its text has %d non-empty lines", Quote(slug), n, len(texts[slug]))
		}
		if err := replaceText(ctx, tx, slug, texts[slug]); err != nil {
			return err
		}
	}
	if err := s.published(ctx, tx, 0, false); err != nil {
		return fmt.Errorf("attach texts: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return writeError(s.path, fmt.Errorf("attach texts: commit: %w", err))
	}
	s.version.Add(1)
	return nil
}

// FindParagraphTexts returns the text of each cited paragraph whose
// article's text is known, keyed by citation.
func (s *Store) FindParagraphTexts(ctx context.Context, cites []Citation) (map[Citation]*string, error) {
	ids := make([]int64, 0, len(cites))
	for _, c := range cites {
		ids = append(ids, c.SourceID)
	}
	slices.Sort(ids)
	rows, err := queryAll(ctx, s, func(r rowScanner) (sourceText, error) {
		var t sourceText
		return t, r.Scan(&t.cite.SourceID, &t.cite.Paragraph, &t.text)
	}, `SELECT s.id, t.paragraph, t.text FROM source_texts t JOIN sources s ON s.slug = t.source_slug
		WHERE s.id IN (SELECT value FROM json_each(?))`, idList(slices.Compact(ids)))
	if err != nil {
		return nil, fmt.Errorf("find paragraph texts: %w", err)
	}
	want := map[Citation]bool{}
	for _, c := range cites {
		want[c] = true
	}
	out := make(map[Citation]*string, len(cites))
	for _, t := range rows {
		if want[t.cite] {
			out[t.cite] = &t.text
		}
	}
	return out, nil
}

type sourceText struct {
	cite Citation
	text string
}

// readTexts sets the Text of each source of d whose text is known.
func (s *Store) readTexts(ctx context.Context, d *Dataset) error {
	rows, err := queryAll(ctx, s, func(r rowScanner) (sourceText, error) {
		var t sourceText
		return t, r.Scan(&t.cite.SourceID, &t.cite.Paragraph, &t.text)
	}, `SELECT s.id, t.paragraph, t.text FROM source_texts t JOIN sources s ON s.slug = t.source_slug
		ORDER BY s.id, t.paragraph`)
	if err != nil {
		return err
	}
	byID := map[int64]*Source{}
	for _, src := range d.Sources {
		byID[src.ID] = src
	}
	for _, t := range rows {
		if src := byID[t.cite.SourceID]; src != nil {
			src.Text = append(src.Text, t.text)
		}
	}
	return nil
}
