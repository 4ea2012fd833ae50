package db

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The write lock keeps one writer per database file across processes. It is
// an advisory lock (flock) on a file beside the database, PATH.lock, which
// is never deleted: deleting it could let two processes lock two different
// files of the same name. The kernel releases the lock when its holder exits,
// however it exits, so a killed writer never leaves the database locked.
//
// A writer (Replace, LoadNew, a caller of LockWriter) holds the lock
// exclusively for as long as it writes, and writes its process id, command
// line and start time into the file, which is how a refused writer can name
// it. Opening a store holds the lock shared while it migrates, so that no
// database file is renamed into place under an opening connection; once
// open, a store holds nothing, and readers never wait for writers.

// Lock is a write lock held on a database.
type Lock struct {
	key  string
	once sync.Once
}

// lockFile is the lock file of one database as this process holds it.
type lockFile struct {
	f    *os.File
	refs int
}

var (
	locksMu sync.Mutex
	// writeLocks are the write locks this process holds, by lock file path.
	// A process that holds one may write and open the database again (Open,
	// Replace and LoadNew under a LockWriter): only other processes are
	// refused.
	writeLocks = map[string]*lockFile{}
)

// lockWait is how long a lock waits for stores being opened, which hold it
// shared for the moment of their migrations and name no holder. A lock
// held by a writer, which names itself, is refused at once.
const lockWait = 3 * time.Second

// lockFilePath returns the lock file of the database at path.
func lockFilePath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("database %q: %w", path, err)
	}
	return abs + ".lock", nil
}

// LockWriter takes the write lock of the database at path, refusing at once,
// with an ECONFLICT error naming the holder, when another process holds it.
// While it is held, this process's Replace and LoadNew on path proceed and
// every other process's are refused. Release it with Release.
func LockWriter(path string) (*Lock, error) {
	key, err := lockFilePath(path)
	if err != nil {
		return nil, err
	}
	locksMu.Lock()
	defer locksMu.Unlock()
	if l, ok := writeLocks[key]; ok {
		l.refs++
		return &Lock{key: key}, nil
	}
	f, err := openLockFile(path, key, true)
	if err != nil {
		return nil, err
	}
	// Who holds the lock, for the message another writer gets. Failing
	// to write it (a full disk) leaves the lock held and anonymous.
	if err := f.Truncate(0); err == nil {
		fmt.Fprintf(f, "pid %d (%s) since %s\n", os.Getpid(), commandLine(), time.Now().UTC().Format(time.RFC3339))
	}
	writeLocks[key] = &lockFile{f: f, refs: 1}
	return &Lock{key: key}, nil
}

// lockWriter takes the store's write lock (LockWriter). On PostgreSQL
// there is no file to lock: every write transaction takes an advisory
// lock of the server instead (see writeLockKey), which keeps out the
// writers of every process for as long as it lasts.
func (s *Store) lockWriter() (*Lock, error) {
	if s.pg != nil {
		// A lock already released: its Release does nothing.
		l := &Lock{}
		l.once.Do(func() {})
		return l, nil
	}
	return LockWriter(s.path)
}

// Release releases the lock; releasing it again does nothing.
func (l *Lock) Release() {
	l.once.Do(func() {
		locksMu.Lock()
		defer locksMu.Unlock()
		lf := writeLocks[l.key]
		if lf == nil {
			return
		}
		if lf.refs--; lf.refs > 0 {
			return
		}
		delete(writeLocks, l.key)
		lf.f.Truncate(0)
		unlockFile(lf.f)
		lf.f.Close()
	})
}

// lockForOpening holds the lock of the database at path shared while a
// store is opened (nothing, if this process holds the write lock), and
// returns its release.
func lockForOpening(path string) (release func(), err error) {
	key, err := lockFilePath(path)
	if err != nil {
		return nil, err
	}
	locksMu.Lock()
	_, held := writeLocks[key]
	locksMu.Unlock()
	if held {
		return func() {}, nil
	}
	f, err := openLockFile(path, key, false)
	if err != nil {
		return nil, err
	}
	return func() {
		unlockFile(f)
		f.Close()
	}, nil
}

// openLockFile opens the lock file key of the database at path and locks it,
// exclusively or shared. A lock held by a writer refuses at once, naming
// it; one held only by stores being opened, which name no holder, is waited
// for up to lockWait.
func openLockFile(path, key string, exclusive bool) (*os.File, error) {
	f, err := os.OpenFile(key, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		if cerr := checkFile(path); cerr != nil {
			return nil, cerr // says what is wrong with the directory
		}
		return nil, fmt.Errorf("database %q: lock file: %w", path, err)
	}
	deadline := time.Now().Add(lockWait)
	for {
		err := tryLockFile(f, exclusive)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, errLocked) {
			f.Close()
			return nil, fmt.Errorf("database %q: lock %s: %w", path, key, err)
		}
		holder := lockHolder(f)
		if holder != "" || time.Now().After(deadline) {
			f.Close()
			if holder == "" {
				return nil, Errorf(ECONFLICT, "database %q is locked by another process that is opening it (lock file %s); try again", path, key)
			}
			return nil, Errorf(ECONFLICT, "database %q is being written by another process: %s (lock file %s); wait for it to finish or stop it", path, holder, key)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lockHolder returns the holder a writer wrote into the lock file, or ""
// when there is none or it names a process that no longer runs (a killed
// writer leaves its line behind).
func lockHolder(f *os.File) string {
	buf := make([]byte, 512)
	n, _ := f.ReadAt(buf, 0)
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	var pid int
	if _, err := fmt.Sscanf(line, "pid %d", &pid); err != nil || !processRuns(pid) {
		return ""
	}
	return line
}

// commandLine returns the process's command line, shortened.
func commandLine() string {
	args := append([]string{filepath.Base(os.Args[0])}, os.Args[1:]...)
	s := strings.Join(args, " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
