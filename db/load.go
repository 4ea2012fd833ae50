package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrOpenElsewhere is in the chain of LoadNew's error when another process
// has the database open, so that the file cannot be replaced by rename:
// Replace it in place instead.
var ErrOpenElsewhere = errors.New("the database is open in another process")

// LoadNew writes d into a new database file beside path and, once it is
// complete and on disk, renames it to path, replacing what was there. It is
// the fast way to build a large database, such as a synthetic graph: the new
// file has no readers, so it is written without a write-ahead log (the
// rollback journal in memory) and without waiting for the disk until the
// end, about twice as fast as Replace.
//
// Killed at any moment, it leaves the file at path as it was, or complete
// with d; never a mix or a corrupt file. The new file is written as
// .NAME.new-*, fsynced, renamed over path, and the directory fsynced. A
// killed run leaves its temporary file behind, which no one opens and the
// next LoadNew on path deletes.
//
// SQLite finds a database's write-ahead log and shared memory by name
// (PATH-wal, PATH-shm), so a file must never be renamed over a database
// that a process has open: the process would go on reading and logging the
// old file under the new one's names. LoadNew therefore holds the write
// lock (every other writer and every Open of path is refused meanwhile),
// folds any write-ahead log of the old file into it, and fails with
// ErrOpenElsewhere, leaving path untouched, if another process has it open
// (an open Store keeps a connection for its whole life). It refuses a file
// that is not an SQLite database; a corrupt one is replaced. Within one
// process, run one LoadNew per path at a time: the write lock keeps out
// other processes only.
func LoadNew(ctx context.Context, path string, d *Dataset) error {
	if IsPostgresDSN(path) {
		return Errorf(EINVALID, "database %s: a new file is built only for SQLite; load a PostgreSQL database with Open and Replace", RedactDSN(path))
	}
	if path == "" || path == ":memory:" {
		return Errorf(EINVALID, "database path %q: a file path is required", path)
	}
	if err := checkFile(path); err != nil {
		return err
	}
	lock, err := LockWriter(path)
	if err != nil {
		return err
	}
	defer lock.Release()
	if err := checkReferences(d); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	removeTemporaries(path)
	tmp, err := buildFile(ctx, path, d)
	if err != nil {
		return writeError(path, err)
	}
	defer removeFile(tmp)
	if err := releaseOld(ctx, path); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	return nil
}

// temporaryPattern is the name of LoadNew's temporary files beside path.
func temporaryPattern(path string) string {
	return "." + filepath.Base(path) + ".new-*"
}

// removeTemporaries deletes what killed LoadNew runs left beside path. The
// caller holds the write lock, so no other run is writing one.
func removeTemporaries(path string) {
	dir := filepath.Dir(path)
	entries, _ := os.ReadDir(dir)
	prefix := strings.TrimSuffix(temporaryPattern(path), "*")
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// removeFile deletes a database file and whatever SQLite kept beside it.
func removeFile(path string) {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

// buildFile writes d into a new temporary database beside path and returns
// its name once it is complete and synced to disk.
func buildFile(ctx context.Context, path string, d *Dataset) (name string, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), temporaryPattern(path))
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	f.Close()
	defer func() {
		if err != nil {
			removeFile(tmp)
		}
	}()
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: tmp}).EscapedPath()+
		"?_pragma=journal_mode(memory)&_pragma=synchronous(off)&_txlock=immediate")
	if err != nil {
		return "", err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	s := &Store{path: tmp, write: conn}
	if err := s.migrate(ctx); err != nil {
		return "", fmt.Errorf("load: %w", err)
	}
	if err := s.replaceWith(ctx, d, loadSettings); err != nil {
		return "", err
	}
	// Left in WAL mode, the file opens like any other; closing the last
	// connection folds the log into it and deletes it.
	if _, err := conn.ExecContext(ctx, `PRAGMA journal_mode = WAL`); err != nil {
		return "", fmt.Errorf("load: %w", err)
	}
	if err := conn.Close(); err != nil {
		return "", fmt.Errorf("load: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return "", fmt.Errorf("load: %w", err)
	}
	return tmp, nil
}

// releaseOld makes the database at path ready to be renamed over: it fails
// with ErrOpenElsewhere if another process has it open, and otherwise
// folds its write-ahead log or rolls back its hot journal into it and
// removes them, so that no file beside path belongs to the old database.
func releaseOld(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		removeFile(path)
		return nil
	}
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	defer conn.Close()
	var mode string
	// Leaving WAL mode needs the database to itself: with another
	// connection open the mode stays "wal", or SQLite says it is busy.
	err = conn.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode)
	switch {
	case err == nil && mode == "wal", isBusy(err):
		return fmt.Errorf("load: database %q cannot be replaced by rename: %w (a server?); stop it, or replace its data in place", path, ErrOpenElsewhere)
	case err == nil:
	case isCorrupt(err):
		// A corrupt file is what LoadNew is there to replace; whatever
		// SQLite kept beside it goes with it.
	default:
		return writeError(path, err)
	}
	conn.Close()
	for _, suffix := range []string{"-journal", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	return nil
}

// syncFile flushes the file at name to disk.
func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir flushes a directory's entries to disk, so that a rename in it
// survives a power cut.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	// Some file systems cannot sync a directory, and say so.
	if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}
