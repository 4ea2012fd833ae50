package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// checkFile says what is wrong with path as a database file before SQLite
// tries it, since SQLite says only "unable to open database file": its
// directory is missing or not writable (WAL mode writes files beside the
// database even to read it), it is a directory, it cannot be read and
// written, or it is not an SQLite database. A missing file is fine: Open
// creates it.
func checkFile(path string) error {
	dir := filepath.Dir(path)
	switch st, err := os.Stat(dir); {
	case errors.Is(err, fs.ErrNotExist):
		return Errorf(EINVALID, "database %q: directory %q does not exist", path, dir)
	case errors.Is(err, fs.ErrPermission):
		return Errorf(EINVALID, "database %q: permission denied to look in directory %q", path, dir)
	case err != nil:
		return fmt.Errorf("database %q: %w", path, err)
	case !st.IsDir():
		return Errorf(EINVALID, "database %q: %q is not a directory", path, dir)
	}

	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case errors.Is(err, fs.ErrPermission):
		return Errorf(EINVALID, "database %q: permission denied", path)
	case err != nil:
		return fmt.Errorf("database %q: %w", path, err)
	case st.IsDir():
		return Errorf(EINVALID, "database %q is a directory; give a file path, e.g. %s", path, filepath.Join(path, "investgraph.db"))
	case !st.Mode().IsRegular():
		return Errorf(EINVALID, "database %q is not a regular file", path)
	default:
		if err := checkHeader(path); err != nil {
			return err
		}
	}

	probe, err := os.CreateTemp(dir, ".investgraph-write-probe-*")
	if err != nil {
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, fs.ErrExist) {
			return Errorf(EINVALID, "database %q: directory %q is not writable (SQLite writes its journal beside the database)", path, dir)
		}
		return fmt.Errorf("database %q: write in directory %q: %w", path, dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// checkHeader checks that the file at path can be read and written and is
// an SQLite database, or empty (SQLite makes an empty file a database).
func checkHeader(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrPermission) {
		return Errorf(EINVALID, "database %q: permission denied (it must be readable and writable)", path)
	} else if err != nil {
		return fmt.Errorf("database %q: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	switch {
	case n == 0 && errors.Is(err, io.EOF):
		return nil
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("database %q: %w", path, err)
	case !bytes.Equal(head[:n], sqliteHeader):
		return Errorf(EINVALID, "database %q is not an SQLite database", path)
	}
	return nil
}

// openError explains an error SQLite gave while opening or first writing
// the database at path, for what checkFile cannot see coming (a file
// replaced meanwhile, a read-only file system, a full disk).
func openError(path string, err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_CANTOPEN:
		return Errorf(EINVALID, "database %q cannot be opened: check that its directory exists and is writable", path)
	case sqlite3.SQLITE_NOTADB:
		return Errorf(EINVALID, "database %q is not an SQLite database", path)
	case sqlite3.SQLITE_READONLY:
		return Errorf(EINVALID, "database %q is read-only: it and its directory must be writable", path)
	case sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
		return Errorf(EINVALID, "database %q: permission denied", path)
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR:
		return writeError(path, err)
	case sqlite3.SQLITE_CORRUPT:
		return corruptError(path, e.Error())
	}
	return err
}

// isCorrupt reports whether err is SQLite finding a database corrupt or not
// a database at all.
func isCorrupt(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	code := e.Code() & 0xff
	return code == sqlite3.SQLITE_CORRUPT || code == sqlite3.SQLITE_NOTADB
}

// isBusy reports whether err is SQLite finding the database locked by
// another connection.
func isBusy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && (e.Code()&0xff == sqlite3.SQLITE_BUSY || e.Code()&0xff == sqlite3.SQLITE_LOCKED)
}

// writeError explains an error of a write to the database at path that
// the person running the command can act on: a full disk, or a write the
// system refused (a failing disk, a file size limit). The write was rolled
// back, so the data is as it was.
func writeError(path string, err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_FULL:
		return Errorf(EINVALID, "database %q: the disk is full; the data is unchanged: free space on it and try again", path)
	case sqlite3.SQLITE_IOERR:
		return Errorf(EINVALID, "database %q: a write failed (%v): the disk may be full or failing; the data is unchanged: "+
			"free space on it or check it, and try again", path, e)
	}
	return err
}

// ErrCorrupt is in the chain of the error Open returns for a database file
// that SQLite finds corrupt.
var ErrCorrupt = errors.New("database is corrupt")

// corrupt is the EINVALID error of a corrupt database file, with ErrCorrupt
// in its chain.
type corrupt struct{ err *Error }

func (c corrupt) Error() string   { return c.err.Message }
func (c corrupt) Unwrap() []error { return []error{c.err, ErrCorrupt} }

func corruptError(path, detail string) error {
	return corrupt{Errorf(EINVALID, "database %q is corrupt (%s): restore it from a backup, or rebuild it: "+
		"investgraph -reseed -db %s replaces it with the built-in seed", path, detail, path)}
}

// quickCheckMaxBytes bounds the files checkIntegrity reads whole: SQLite's
// quick check reads every page, a few milliseconds for the built-in seed's
// 0.4 MB but about 0.25 s for 23 MB, so larger files are checked only as
// far as opening them reads.
const quickCheckMaxBytes = 16 << 20

// checkIntegrity runs SQLite's quick check over the database at path, when
// it is small enough to be cheap, and returns a corruptError for what it
// finds.
func checkIntegrity(ctx context.Context, conn *sql.DB, path string) error {
	if st, err := os.Stat(path); err != nil || st.Size() > quickCheckMaxBytes {
		return nil
	}
	var result string
	if err := conn.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&result); err != nil {
		return err
	}
	if result != "ok" {
		return corruptError(path, result)
	}
	return nil
}
