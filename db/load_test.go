package db_test

import (
	"database/sql"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
)

func TestLoadNew(t *testing.T) {
	t.Run("OKSameRowsAsReplace", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.db")
		if err := db.LoadNew(t.Context(), path, seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		_, rpath := seededStoreAt(t)
		if diff := diffDumps(dump(t, rpath), dump(t, path)); diff != "" {
			t.Errorf("LoadNew and Replace wrote different rows: %s", diff)
		}
		if got, want := journalMode(t, path), "wal"; got != want {
			t.Errorf("journal mode after LoadNew = %s, want %s", got, want)
		}
		s := openStore(t, path)
		if _, err := s.FindCompanyBySlug(t.Context(), "citic-group"); err != nil {
			t.Errorf("read after LoadNew: %v", err)
		}
		wantOnlyFiles(t, filepath.Dir(path), "x.db", "x.db.lock", "x.db-wal", "x.db-shm")
	})

	t.Run("OKReplacesOldFile", func(t *testing.T) {
		_, path := seededStoreAt(t)
		if err := db.LoadNew(t.Context(), path, tinyDataset()); err != nil {
			t.Fatal(err)
		}
		got := dump(t, path)
		if n := len(got["companies"]); n != 1 {
			t.Errorf("%d companies after loading a dataset of 1", n)
		}
		wantOnlyFiles(t, filepath.Dir(path), "x.db", "x.db.lock")
	})

	t.Run("OKReplacesCorruptFile", func(t *testing.T) {
		_, path := seededStoreAt(t)
		corruptFile(t, path)
		if err := db.LoadNew(t.Context(), path, seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		if s := openStore(t, path); s == nil {
			t.Fatal("no store")
		}
	})

	t.Run("OKRemovesLeftovers", func(t *testing.T) {
		_, path := seededStoreAt(t)
		left := filepath.Join(filepath.Dir(path), ".x.db.new-123456")
		if err := os.WriteFile(left, []byte("half a database"), 0o644); err != nil {
			t.Fatal(err)
		}
		// Whoever opens the database meanwhile ignores the leftover.
		openStore(t, path).Close()
		if err := db.LoadNew(t.Context(), path, seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(left); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the leftover of a killed run is still there (%v)", err)
		}
	})

	t.Run("ErrFailsMidwayLeavesOld", func(t *testing.T) {
		_, path := seededStoreAt(t)
		before := dump(t, path)
		bad := seedDataset(t)
		// A duplicate key fails the insert of the companies, after the
		// sources have been written into the new file.
		bad.Companies = append(bad.Companies, bad.Companies[0])
		if err := db.LoadNew(t.Context(), path, bad); err == nil {
			t.Fatal("LoadNew of a dataset with a duplicate key succeeded")
		}
		if diff := diffDumps(before, dump(t, path)); diff != "" {
			t.Errorf("a failed LoadNew changed the database: %s", diff)
		}
		wantOnlyFiles(t, filepath.Dir(path), "x.db", "x.db.lock")
	})

	t.Run("ErrDanglingReference", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.db")
		bad := seedDataset(t)
		bad.Positions[0].PersonID = 9999
		wantCode(t, db.LoadNew(t.Context(), path, bad), db.EINVALID)
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a failed LoadNew created the file (%v)", err)
		}
	})

	t.Run("ErrOpenElsewhere", func(t *testing.T) {
		_, path := seededStoreAt(t)
		s := openStore(t, path)
		before := dump(t, path)
		err := db.LoadNew(t.Context(), path, tinyDataset())
		if !errors.Is(err, db.ErrOpenElsewhere) {
			t.Fatalf("LoadNew over an open database: %v, want ErrOpenElsewhere", err)
		}
		if diff := diffDumps(before, dump(t, path)); diff != "" {
			t.Errorf("a refused LoadNew changed the database: %s", diff)
		}
		if _, err := s.FindCompanyBySlug(t.Context(), "citic-group"); err != nil {
			t.Errorf("the open store cannot read after a refused LoadNew: %v", err)
		}
	})

	t.Run("ErrNotADatabase", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "notes.txt")
		if err := os.WriteFile(path, []byte("my notes, not a database\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.LoadNew(t.Context(), path, seedDataset(t)), db.EINVALID)
		if b, _ := os.ReadFile(path); string(b) != "my notes, not a database\n" {
			t.Error("LoadNew replaced a file that is not a database")
		}
	})

	// A process killed at any moment of LoadNew leaves the old data or the
	// new, in a file that opens and passes SQLite's integrity check.
	t.Run("OKKilledAtAnyMoment", func(t *testing.T) {
		_, path := seededStoreAt(t)
		oldCount, newCount := 0, 0
		for i := range 12 {
			child := helperProcess(t, "loadnew", path)
			if err := child.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(i) * 40 * time.Millisecond)
			child.Process.Signal(syscall.SIGKILL)
			child.Wait()
			switch n := companyCount(t, path); n {
			case 1:
				newCount++
			case len(seedDataset(t).Companies):
				oldCount++
			default:
				t.Fatalf("kill %d: %d companies, neither the old count nor the new", i, n)
			}
			// Back to the old data for the next kill.
			if err := db.LoadNew(t.Context(), path, seedDataset(t)); err != nil {
				t.Fatalf("kill %d: reload: %v", i, err)
			}
		}
		t.Logf("12 kills: %d left the old data, %d the new", oldCount, newCount)
	})
}

// TestHelperProcess is the other process of the tests that need one; it
// does nothing unless DB_TEST_HELPER names what to do.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv("DB_TEST_PATH")
	switch os.Getenv("DB_TEST_HELPER") {
	case "":
		return
	case "loadnew":
		err := db.LoadNew(t.Context(), path, tinyDataset())
		if err != nil {
			t.Fatal(err)
		}
	case "lock":
		lock, err := db.LockWriter(path)
		if err != nil {
			t.Fatal(err)
		}
		defer lock.Release()
		os.Stdout.WriteString("locked\n")
		time.Sleep(time.Minute)
	case "fsize":
		// The file size limit makes writes past it fail as a full disk
		// does (Go ignores SIGXFSZ, so the write returns an error).
		lim := syscall.Rlimit{Cur: 100_000, Max: 100_000}
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			t.Fatal(err)
		}
		s, err := db.Open(t.Context(), path)
		if err == nil {
			err = s.Replace(t.Context(), seedDataset(t))
		}
		os.Stdout.WriteString(db.ErrorMessage(err) + "\n")
	}
	os.Exit(0)
}

// helperProcess returns the command that runs TestHelperProcess as what on
// the database at path.
func helperProcess(t *testing.T, what, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "DB_TEST_HELPER="+what, "DB_TEST_PATH="+path)
	cmd.Stderr = os.Stderr
	return cmd
}

// seededStoreAt returns the path of a database holding the built-in seed,
// closed.
func seededStoreAt(t *testing.T) (*db.Dataset, string) {
	t.Helper()
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
	return d, path
}

// openStore opens the database at path, closed when the test ends.
func openStore(t *testing.T, path string) *db.Store {
	t.Helper()
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// tinyDataset is a valid dataset of one source and one company.
func tinyDataset() *db.Dataset {
	return &db.Dataset{
		Sources:   []*db.Source{{ID: 1, Slug: "only", Title: "Only source", PublishedOn: db.MustParsePartialDate("2020"), Paragraphs: 1}},
		Companies: []*db.Company{{ID: 1, Slug: "acme", Name: "Acme", Kind: "COMPANY"}},
		Names:     []db.Name{{Subject: db.SubjectCompany, SubjectID: 1, Name: "Acme"}},
		Citations: []db.SubjectCitation{{SubjectKey: db.SubjectKey{Subject: db.SubjectCompany, ID: 1}, Citation: db.Citation{SourceID: 1, Paragraph: 1}}},
	}
}

// companyCount checks the database at path with SQLite's integrity check
// and returns its number of companies.
func companyCount(t *testing.T, path string) int {
	t.Helper()
	conn := rawConn(t, path)
	defer conn.Close()
	var check string
	if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil {
		t.Fatalf("integrity check: %v", err)
	} else if check != "ok" {
		t.Fatalf("integrity check: %s", check)
	}
	var n int
	if err := conn.QueryRow(`SELECT count(*) FROM companies`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// corruptFile overwrites the middle of the database file at path.
func corruptFile(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 4096))
	for off := int64(4096); off < st.Size(); off += 3 * int64(len(junk)) {
		if _, err := f.WriteAt(junk, off); err != nil {
			t.Fatal(err)
		}
	}
}

// wantOnlyFiles fails unless dir holds only files of the names given (not
// necessarily all of them).
func wantOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !slices.Contains(names, e.Name()) {
			t.Errorf("unexpected file %s in %s", e.Name(), dir)
		}
	}
}

// rawConn opens the database at path with no store around it; the caller
// closes it.
func rawConn(t *testing.T, path string) *sql.DB {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// journalMode returns the journal mode of the database file at path.
func journalMode(t *testing.T, path string) string {
	t.Helper()
	conn := rawConn(t, path)
	defer conn.Close()
	var mode string
	if err := conn.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	return mode
}
