package db_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// synthText is a text of n paragraphs for a test, in our own words.
func synthText(slug string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("Paragraph %d of %s: a line written for a test.", i+1, slug)
	}
	return out
}

// paragraphText is the text FindParagraphTexts gives a citation, "" for
// none.
func paragraphText(t *testing.T, s *db.Store, c db.Citation) string {
	t.Helper()
	got, err := s.FindParagraphTexts(t.Context(), []db.Citation{c})
	if err != nil {
		t.Fatal(err)
	}
	if p := got[c]; p != nil {
		return *p
	}
	return ""
}

// TestOpen_UpgradeAddsSourceTexts opens a loaded database that predates
// migration 0010: the migration adds the empty table of article texts,
// the data is as a fresh load writes it, and texts can then be attached.
func TestOpen_UpgradeAddsSourceTexts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	d := seedDataset(t)
	if err := s.Replace(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want := dump(t, path)
	if _, ok := want["source_texts"]; !ok {
		t.Fatal("a new database has no source_texts table")
	}
	rollBack(t, path, `DROP TABLE source_texts`, `DELETE FROM schema_migrations WHERE version = 10`)
	wantUpgraded(t, path, want)

	s, err = db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	src := d.Sources[0]
	if err := s.AttachTexts(t.Context(), map[string][]string{src.Slug: synthText(src.Slug, src.Paragraphs)}); err != nil {
		t.Fatalf("attach a text to the upgraded database: %v", err)
	}
	if got, want := paragraphText(t, s, db.Citation{SourceID: src.ID, Paragraph: 2}), synthText(src.Slug, src.Paragraphs)[1]; got != want {
		t.Errorf("paragraph 2: %q, want %q", got, want)
	}
}

// TestAttachTexts stores article texts by source slug: a text whose
// paragraph count is not its source's, or a slug of no source, is refused
// and nothing is stored; an attached text outlives a replace of the graph
// that keeps its source with the same paragraphs, and goes with a source
// that is gone.
func TestAttachTexts(t *testing.T) {
	s, d := seededStore(t)
	first, second := d.Sources[0], d.Sources[1]
	good := synthText(first.Slug, first.Paragraphs)

	t.Run("ErrParagraphCount", func(t *testing.T) {
		err := s.AttachTexts(t.Context(), map[string][]string{
			first.Slug: good, second.Slug: synthText(second.Slug, second.Paragraphs-1)})
		wantCode(t, err, db.EINVALID)
		if got := paragraphText(t, s, db.Citation{SourceID: first.ID, Paragraph: 1}); got != "" {
			t.Errorf("a refused attach stored %q", got)
		}
	})
	t.Run("ErrUnknownSource", func(t *testing.T) {
		wantCode(t, s.AttachTexts(t.Context(), map[string][]string{"no-such-source": {"x"}}), db.ENOTFOUND)
	})
	t.Run("OK", func(t *testing.T) {
		if err := s.AttachTexts(t.Context(), map[string][]string{first.Slug: good}); err != nil {
			t.Fatal(err)
		}
		last := db.Citation{SourceID: first.ID, Paragraph: first.Paragraphs}
		if got, want := paragraphText(t, s, last), good[len(good)-1]; got != want {
			t.Errorf("last paragraph: %q, want %q", got, want)
		}
		if got := paragraphText(t, s, db.Citation{SourceID: second.ID, Paragraph: 1}); got != "" {
			t.Errorf("a source without text gave %q", got)
		}
		if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		if got := paragraphText(t, s, last); got != good[len(good)-1] {
			t.Errorf("after a replace the last paragraph is %q", got)
		}
		longer := seedDataset(t)
		longer.Sources[0].Paragraphs++
		if err := s.Replace(t.Context(), longer); err != nil {
			t.Fatal(err)
		}
		if got := paragraphText(t, s, last); got != "" {
			t.Errorf("a text that no longer fits its source still gives %q", got)
		}
	})
}
