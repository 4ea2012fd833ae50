//go:build !unix

package db

import (
	"errors"
	"os"
)

// errLocked is what tryLockFile returns when another holder has the lock.
var errLocked = errors.New("locked by another process")

// On systems without flock the lock file names the last writer but does
// not keep other processes out: SQLite's own locking still serializes their
// transactions.
func tryLockFile(f *os.File, exclusive bool) error { return nil }

func unlockFile(f *os.File) {}

func processRuns(pid int) bool { return false }
