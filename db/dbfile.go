package db

import (
	"bytes"
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
	case sqlite3.SQLITE_FULL:
		return Errorf(EINVALID, "database %q: the disk is full", path)
	}
	return err
}
