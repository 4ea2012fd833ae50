package db_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestOpen(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s, path := newSQLiteStore(t)
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

	t.Run("OKEmptyFile", func(t *testing.T) {
		// SQLite makes an empty file a database, as touch-then-open expects.
		path := filepath.Join(t.TempDir(), "x.db")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := db.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	})
}

// TestOpen_BadPath gives Open paths it cannot use: each is refused with an
// EINVALID error that names the file and says what is wrong, and leaves
// nothing behind.
func TestOpen_BadPath(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the path to open
		root  bool                                  // whether the case holds for root too
		want  string                                // in the message: %[1]q is the path, %[2]q its directory
	}{
		{"ErrNoDirectory", func(t *testing.T, dir string) string {
			return filepath.Join(dir, "missing", "x.db")
		}, true, `database %[1]q: directory %[2]q does not exist`},
		{"ErrDirectoryIsAFile", func(t *testing.T, dir string) string {
			writeFile(t, filepath.Join(dir, "file"), "x", 0o600)
			return filepath.Join(dir, "file", "x.db")
		}, true, `is not a directory`},
		{"ErrIsADirectory", func(t *testing.T, dir string) string {
			return dir
		}, true, `database %[1]q is a directory; give a file path, e.g. `},
		{"ErrNotADatabase", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "notes.txt")
			writeFile(t, path, strings.Repeat("not a database ", 100), 0o600)
			return path
		}, true, `database %[1]q is not an SQLite database`},
		{"ErrShortNotADatabase", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "x.db")
			writeFile(t, path, "SQLite", 0o600)
			return path
		}, true, `database %[1]q is not an SQLite database`},
		{"ErrPermissionDenied", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "x.db")
			writeFile(t, path, "", 0o000)
			return path
		}, false, `database %[1]q: permission denied`},
		{"ErrDirectoryNotWritable", func(t *testing.T, dir string) string {
			sub := filepath.Join(dir, "ro")
			if err := os.Mkdir(sub, 0o500); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(sub, 0o700) })
			return filepath.Join(sub, "x.db")
		}, false, `is not writable`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.root && os.Geteuid() == 0 {
				t.Skip("root may read and write any file")
			}
			dir := t.TempDir()
			path := tc.setup(t, dir)
			before := listTree(t, dir)
			s, err := db.Open(t.Context(), path)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", path)
			}
			wantCode(t, err, db.EINVALID)
			want := tc.want
			if strings.Contains(want, "%[") {
				want = fmt.Sprintf(want, path, filepath.Dir(path))
			}
			if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q, want it to name %q and contain %q", err, path, want)
			}
			if after := listTree(t, dir); after != before {
				t.Errorf("Open changed the directory: before %s, after %s", before, after)
			}
		})
	}
}

// writeFile writes a file for a test.
func writeFile(t *testing.T, path, content string, perm os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
}

// listTree lists the files under dir with their sizes.
func listTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable: listed by name only
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s:%d ", p, info.Size())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
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
	rollBack(t, path, `DROP TABLE deal_facts`, `DELETE FROM schema_migrations WHERE version = 3`)
	wantUpgraded(t, path, want)
}
