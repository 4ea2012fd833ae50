package db_test

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/db/dbtest"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/seed"
)

// newStore opens a store on a new database of the engine under test (see
// dbtest) and returns it with the database's address: a file path on
// SQLite, a DSN on PostgreSQL. The store is closed when the test ends.
func newStore(t testing.TB) (*db.Store, string) {
	t.Helper()
	return dbtest.Open(t)
}

// newSQLiteStore opens a store on a new SQLite database file in a
// temporary directory and returns it with the file's path, for the tests
// of what only SQLite has: its file, locks and write-ahead log.
func newSQLiteStore(t testing.TB) (*db.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return s, path
}

// seedDataset parses the built-in seed. Every call returns a fresh dataset
// that the caller may modify.
func seedDataset(t testing.TB) *db.Dataset {
	t.Helper()
	d, err := seed.Parse(seed.Files())
	if err != nil {
		t.Fatalf("parse built-in seed: %v", err)
	}
	return d
}

// seededStore returns a store holding the built-in seed, and the dataset it
// was loaded from.
func seededStore(t *testing.T) (*db.Store, *db.Dataset) {
	t.Helper()
	s, _ := newStore(t)
	d := seedDataset(t)
	if err := s.Replace(t.Context(), d); err != nil {
		t.Fatalf("replace with the built-in seed: %v", err)
	}
	return s, d
}

// companyID returns the id of the company with the slug.
func companyID(t *testing.T, s *db.Store, slug string) int64 {
	t.Helper()
	c, err := s.FindCompanyBySlug(t.Context(), slug)
	if err != nil {
		t.Fatalf("find company %q: %v", slug, err)
	}
	return c.ID
}

// projectID returns the id of the project with the slug.
func projectID(t *testing.T, s *db.Store, slug string) int64 {
	t.Helper()
	p, err := s.FindProjectBySlug(t.Context(), slug)
	if err != nil {
		t.Fatalf("find project %q: %v", slug, err)
	}
	return p.ID
}

// wantCode fails the test unless err is a *db.Error with the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *db.Error
	if err == nil {
		t.Fatalf("err = nil, want a %s error", code)
	} else if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want a *db.Error with code %s", err, err, code)
	} else if got := e.Code; got != code {
		t.Fatalf("code = %q (%v), want %q", got, err, code)
	}
}

// dump reads every row of every table of the database file at path (see
// graphtest.DumpTables), failing the test if it holds no companies table.
func dump(t *testing.T, path string) map[string][]string {
	t.Helper()
	out := graphtest.DumpTables(t, path)
	if _, ok := out["companies"]; !ok {
		t.Fatalf("dump of %s found no companies table", path)
	}
	return out
}

// column runs a query whose single column is text and returns its values.
func column(conn *sql.DB, query string, args ...any) ([]string, error) {
	rows, err := conn.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// diffDumps describes the first difference between two dumps, or returns "".
func diffDumps(a, b map[string][]string) string {
	for table, rows := range a {
		other, ok := b[table]
		if !ok {
			return fmt.Sprintf("table %s is missing from the second dump", table)
		}
		if len(rows) != len(other) {
			return fmt.Sprintf("%s: %d rows, then %d", table, len(rows), len(other))
		}
		for i := range rows {
			if rows[i] != other[i] {
				return fmt.Sprintf("%s: row %s became %s", table, rows[i], other[i])
			}
		}
	}
	for table := range b {
		if _, ok := a[table]; !ok {
			return fmt.Sprintf("table %s is missing from the first dump", table)
		}
	}
	return ""
}

// projectSlug returns the slug of the project with the id.
func projectSlug(t *testing.T, s *db.Store, id int64) string {
	t.Helper()
	ps, err := s.FindProjectsByIDs(t.Context(), []int64{id})
	if err != nil {
		t.Fatal(err)
	}
	p, ok := ps[id]
	if !ok {
		t.Fatalf("no project %d", id)
	}
	return p.Slug
}

func personIDs(ps []*db.Position) []int64 {
	var ids []int64
	for _, p := range ps {
		ids = append(ids, p.PersonID)
	}
	return ids
}

// keys returns a map's keys in increasing order.
func keys[V any](m map[int64]V) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return sorted(out)
}

func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func ptrValue[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func fmtAmount(a *db.Amount) string {
	return fmt.Sprintf("%g %s %s", a.Amount, a.Currency, a.Approximation)
}

// datasetCitations returns the citations d gives the subject.
func datasetCitations(d *db.Dataset, k db.SubjectKey) []*db.Citation {
	var out []*db.Citation
	for _, c := range d.Citations {
		if c.SubjectKey == k {
			out = append(out, &db.Citation{SourceID: c.SourceID, Paragraph: c.Paragraph})
		}
	}
	return out
}

func citationStrings(cs []*db.Citation) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%d:%d", c.SourceID, c.Paragraph))
	}
	return out
}

// sameSet reports whether a and b hold the same strings, in any order, and
// neither holds one twice.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b) && len(slices.Compact(a)) == len(b)
}

// rollBack runs stmts on the database at path, outside the store: tests use
// it to take a database back to before a migration.
func rollBack(t *testing.T, path string, stmts ...string) {
	t.Helper()
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range stmts {
		if _, err := conn.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
}

// wantUpgraded opens the database at path, which applies the migrations it
// lacks, and fails unless its rows are then want's.
func wantUpgraded(t *testing.T, path string, want map[string][]string) {
	t.Helper()
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("open after the upgrade: %v", err)
	}
	defer s.Close()
	if diff := diffDumps(want, dump(t, path)); diff != "" {
		t.Errorf("the upgraded database differs from a fresh load: %s", diff)
	}
}
