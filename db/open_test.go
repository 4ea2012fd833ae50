package db_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestOpen(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s, path := newStore(t)
		if err := s.Ping(t.Context()); err != nil {
			t.Fatalf("ping: %v", err)
		}
		empty, err := s.IsEmpty(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !empty {
			t.Error("IsEmpty = false for a new database")
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("database file not created: %v", err)
		}
		if got, want := len(dump(t, path)["schema_migrations"]), migrationCount(t); got != want {
			t.Errorf("schema_migrations has %d rows, want one per migration file (%d)", got, want)
		}
	})

	t.Run("OKReopen", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.db")
		s, err := db.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		before := dump(t, path)

		s, err = db.Open(t.Context(), path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		defer s.Close()
		if diff := diffDumps(before, dump(t, path)); diff != "" {
			t.Errorf("reopening changed the database: %s", diff)
		}
		if got, want := len(dump(t, path)["schema_migrations"]), migrationCount(t); got != want {
			t.Errorf("schema_migrations has %d rows after reopening, want %d", got, want)
		}
		empty, err := s.IsEmpty(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if empty {
			t.Error("IsEmpty = true after reopening a seeded database")
		}
		c, err := s.FindCompanyByName(t.Context(), "CITIC")
		if err != nil {
			t.Fatalf("find CITIC after reopening: %v", err)
		}
		if got, want := c.Slug, "citic-group"; got != want {
			t.Errorf("slug = %q, want %q", got, want)
		}
	})

	t.Run("OKPathNeedsEscaping", func(t *testing.T) {
		// The path goes into a file: URI; characters that mean something
		// there must still name the file they spell.
		path := filepath.Join(t.TempDir(), "my data #1?x=%41.db")
		s, err := db.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("database not at the path given: %v", err)
		}
		if got, want := len(dump(t, path)["companies"]), len(seedDataset(t).Companies); got != want {
			t.Errorf("%d companies in the file at the path given, want %d", got, want)
		}
	})

	t.Run("ErrPathRequired", func(t *testing.T) {
		_, err := db.Open(t.Context(), "")
		wantCode(t, err, db.EINVALID)
	})

	t.Run("ErrMemory", func(t *testing.T) {
		_, err := db.Open(t.Context(), ":memory:")
		wantCode(t, err, db.EINVALID)
	})

	t.Run("ErrNotADatabase", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.db")
		if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 100)), 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := db.Open(t.Context(), path)
		if err == nil {
			s.Close()
			t.Fatal("Open of a file that is not a database succeeded")
		}
	})

	t.Run("ErrNoDirectory", func(t *testing.T) {
		s, err := db.Open(t.Context(), filepath.Join(t.TempDir(), "missing", "x.db"))
		if err == nil {
			s.Close()
			t.Fatal("Open in a directory that does not exist succeeded")
		}
	})
}

// migrationCount counts the migration files the store embeds.
func migrationCount(t *testing.T) int {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no migrations found in db/migrations")
	}
	return len(names)
}

// TestOpen_UpgradeDerivesDealFacts opens a loaded database that predates
// migration 0003: the migration derives the deal facts of the data it
// finds, the same rows Replace writes.
func TestOpen_UpgradeDerivesDealFacts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want := dump(t, path)
	if len(want["deal_facts"]) == 0 {
		t.Fatal("the seed has no deal facts: the test shows nothing")
	}
	// Take the database back to before migration 0003.
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE deal_facts`, `DELETE FROM schema_migrations WHERE version = 3`} {
		if _, err := conn.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = db.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("open after the upgrade: %v", err)
	}
	defer s.Close()
	if diff := diffDumps(want, dump(t, path)); diff != "" {
		t.Errorf("the upgraded database differs from a fresh load: %s", diff)
	}
}
