package graph_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
)

// The fuzz targets run their seeds (f.Add and testdata/fuzz) as plain
// tests; .ci/fuzz runs each with -fuzz for a few seconds.

func FuzzParsePartialDate(f *testing.F) {
	for _, s := range []string{"2025", "2024-H2", "2024-Q4", "2025-03", "2025-03-15", "2024-02-29", "2023-02-29",
		"0000", "2025-13", "2025-00", "2025-Q0", "2025-H3", "2025-03-1", "+025", "2025-", "2025-03-15T00:00", "２０２５", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := db.ParsePartialDate(s)
		if err != nil {
			if db.ErrorCode(err) != db.EINVALID {
				t.Fatalf("ParsePartialDate(%q) error %v is not EINVALID", s, err)
			}
			return
		}
		if got := d.String(); got != s {
			t.Fatalf("ParsePartialDate(%q).String() = %q", s, got)
		}
		again, err := db.ParsePartialDate(d.String())
		if err != nil || again != d {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", s, again, err, d)
		}
		if d.Start() > d.End() {
			t.Fatalf("%q starts %s after it ends %s", s, d.Start(), d.End())
		}
	})
}

func FuzzParseGlobalID(f *testing.F) {
	f.Add("Company", "citic-group", graph.GlobalID("Company", "citic-group"))
	f.Add("Person", "zhu-hexin", "not-an-id!")
	f.Add("", "x", "Og")
	f.Add("A:B", "c", "QTpC")
	f.Add("Project", "ü:ñ", "====")
	f.Fuzz(func(t *testing.T, typ, slug, id string) {
		if gotTyp, gotSlug, err := graph.ParseGlobalID(id); err != nil {
			if db.ErrorCode(err) != db.EINVALID {
				t.Fatalf("ParseGlobalID(%q) error %v is not EINVALID", id, err)
			}
		} else if gotTyp == "" || gotSlug == "" || strings.Contains(gotTyp, ":") {
			t.Fatalf("ParseGlobalID(%q) = %q, %q", id, gotTyp, gotSlug)
		}
		if typ == "" || slug == "" || strings.Contains(typ, ":") {
			return
		}
		gotTyp, gotSlug, err := graph.ParseGlobalID(graph.GlobalID(typ, slug))
		if err != nil || gotTyp != typ || gotSlug != slug {
			t.Fatalf("round trip of (%q, %q) = (%q, %q), %v", typ, slug, gotTyp, gotSlug, err)
		}
	})
}

func FuzzParseCursor(f *testing.F) {
	f.Add("2024-07-01", "meeting-a", db.Cursor{Key: "k", Slug: "s"}.String())
	f.Add("", "x", "garbage")
	f.Add("a\"b", "c\\d", "WyJhIl0")
	f.Add("k", "s", "WyJrIiwiIl0")
	f.Fuzz(func(t *testing.T, key, slug, s string) {
		if c, err := db.ParseCursor(s); err != nil {
			if db.ErrorCode(err) != db.EINVALID {
				t.Fatalf("ParseCursor(%q) error %v is not EINVALID", s, err)
			}
		} else if c.Slug == "" {
			t.Fatalf("ParseCursor(%q) gave an empty slug", s)
		}
		// Keys and slugs come from the database, which holds UTF-8.
		if slug == "" || !utf8.ValidString(key) || !utf8.ValidString(slug) {
			return
		}
		c := db.Cursor{Key: key, Slug: slug}
		if got, err := db.ParseCursor(c.String()); err != nil || got != c {
			t.Fatalf("round trip of %+v = %+v, %v", c, got, err)
		}
	})
}
