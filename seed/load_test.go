package seed_test

import (
	"database/sql"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// seededStore opens a store on a new file and loads the built-in seed into
// it; it returns the store and the file's path.
func seededStore(t *testing.T) (*db.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatalf("load the built-in seed: %v", err)
	}
	return s, path
}

// rows reads every row of the graph's main tables from the database file,
// each table's rows as sorted text, through a connection of its own.
func rows(t *testing.T, path string) map[string][]string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	out := map[string][]string{}
	for table, cols := range map[string]string{
		"sources":              "id, slug, title, published_on, paragraphs",
		"companies":            "id, slug, name, kind, country, parent_id, founded, headquarters, description",
		"people":               "id, slug, name, description",
		"projects":             "id, slug, name, sector, status, region, description",
		"meetings":             "id, slug, date, location, occasion, summary",
		"agreements":           "id, slug, title, kind, signed_on, document_count, meeting_id, summary",
		"positions":            "id, person_id, organization_id, title, reported_on",
		"project_participants": "id, project_id, company_id, role",
		"measurements":         "id, company_id, project_id, metric, value, unit, approximation, as_of, status, source_id, paragraph",
		"milestones":           "id, project_id, name, date, status, source_id, paragraph",
		"amounts":              "id, project_id, agreement_id, amount, currency, approximation, source_id, paragraph",
		"names":                "subject, subject_id, name, alias",
		"citations":            "subject, subject_id, source_id, paragraph",
		"meeting_participants": "meeting_id, person_id",
		"agreement_parties":    "agreement_id, company_id",
		"meeting_topics":       "meeting_id, position, topic",
	} {
		q := `SELECT json_array(` + cols + `) AS r FROM ` + table + ` ORDER BY r`
		rs, err := conn.QueryContext(t.Context(), q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rs.Next() {
			var r string
			if err := rs.Scan(&r); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], r)
		}
		if err := rs.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// sameRows fails the test at the first table whose rows differ.
func sameRows(t *testing.T, before, after map[string][]string) {
	t.Helper()
	for table, want := range before {
		got := after[table]
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s changed: %d rows before, %d after", table, len(want), len(got))
		}
	}
}

func TestLoad(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s, path := seededStore(t)
		d, err := seed.Parse(seed.Files())
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(rows(t, path)["companies"]), len(d.Companies); got != want {
			t.Errorf("%d companies stored, want %d", got, want)
		}
		c, err := s.FindCompanyByName(t.Context(), "CITIC")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.Slug, "citic-group"; got != want {
			t.Errorf("CITIC = %s, want %s", got, want)
		}
	})

	t.Run("OKTwice", func(t *testing.T) {
		s, path := seededStore(t)
		before := rows(t, path)
		if err := seed.LoadFS(t.Context(), s, seed.Files()); err != nil {
			t.Fatalf("second load: %v", err)
		}
		sameRows(t, before, rows(t, path))
	})

	t.Run("ErrBrokenSeedChangesNothing", func(t *testing.T) {
		s, path := seededStore(t)
		before := rows(t, path)
		broken := mapFS(map[string]string{"000_a.yaml": source + acme + `projects:
  - slug: plant
    name: "Plant"
    sector: REFINING
    status: PROPOSED
    cite: [2]
    participants:
      - company: nope
        role: OPERATOR
        cite: [2]
`})
		err := seed.LoadFS(t.Context(), s, broken)
		if err == nil {
			t.Fatal("LoadFS of a broken seed succeeded")
		}
		if !strings.Contains(err.Error(), `"nope"`) {
			t.Errorf("error does not name the bad reference: %v", err)
		}
		after := rows(t, path)
		sameRows(t, before, after)
		if got, want := len(after["companies"]), 23; got != want {
			t.Errorf("%d companies after the failed load, want %d", got, want)
		}
		c, err := s.FindCompanyByName(t.Context(), "KMG")
		if err != nil {
			t.Fatalf("lookup after the failed load: %v", err)
		}
		if got, want := c.Slug, "kazmunaygas"; got != want {
			t.Errorf("KMG = %s, want %s", got, want)
		}
	})

	t.Run("ErrEmptySeedChangesNothing", func(t *testing.T) {
		s, path := seededStore(t)
		before := rows(t, path)
		if err := seed.LoadFS(t.Context(), s, mapFS(map[string]string{})); err == nil {
			t.Fatal("LoadFS of an empty directory succeeded")
		}
		sameRows(t, before, rows(t, path))
	})

	t.Run("OKOtherSeedReplaces", func(t *testing.T) {
		s, path := seededStore(t)
		if err := seed.LoadFS(t.Context(), s, mapFS(map[string]string{"000_a.yaml": source + acme + plant})); err != nil {
			t.Fatal(err)
		}
		after := rows(t, path)
		if got, want := len(after["companies"]), 1; got != want {
			t.Errorf("%d companies, want %d: a load replaces, it does not add", got, want)
		}
		if _, err := s.FindCompanyByName(t.Context(), "KMG"); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("KMG after loading another seed: err = %v, want ENOTFOUND", err)
		}
	})
}
