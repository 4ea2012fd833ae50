package db_test

import (
	"database/sql"
	"net/url"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestStore_LoadNew(t *testing.T) {
	t.Run("OKSameRowsAsReplace", func(t *testing.T) {
		s, path := newStore(t)
		if err := s.LoadNew(t.Context(), seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		r, rpath := newStore(t)
		if err := r.Replace(t.Context(), seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		if diff := diffDumps(dump(t, rpath), dump(t, path)); diff != "" {
			t.Errorf("LoadNew and Replace wrote different rows: %s", diff)
		}
		if got, want := journalMode(t, path), "wal"; got != want {
			t.Errorf("journal mode after LoadNew = %s, want %s", got, want)
		}
		if _, err := s.FindCompanyBySlug(t.Context(), "citic-group"); err != nil {
			t.Errorf("read after LoadNew: %v", err)
		}
	})

	t.Run("ErrHoldsData", func(t *testing.T) {
		s, path := newStore(t)
		if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		before := dump(t, path)
		wantCode(t, s.LoadNew(t.Context(), seedDataset(t)), db.EINVALID)
		if diff := diffDumps(before, dump(t, path)); diff != "" {
			t.Errorf("a refused LoadNew changed the database: %s", diff)
		}
	})

	t.Run("ErrDanglingReference", func(t *testing.T) {
		s, _ := newStore(t)
		bad := seedDataset(t)
		bad.Positions[0].PersonID = 9999
		wantCode(t, s.LoadNew(t.Context(), bad), db.EINVALID)
		empty, err := s.IsEmpty(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !empty {
			t.Error("a failed LoadNew left data")
		}
	})
}

// journalMode returns the journal mode of the database file at path.
func journalMode(t *testing.T, path string) string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var mode string
	if err := conn.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	return mode
}
