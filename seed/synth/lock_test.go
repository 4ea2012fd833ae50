//go:build unix

package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRun_SecondWriter runs synth while another writer holds the
// database's lock: it is refused before it generates anything, naming the
// holder, and creates no database.
func TestRun_SecondWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	holder := fmt.Sprintf("pid %d (investgraph -reseed -db %s) since 2026-01-02T03:04:05Z", os.Getpid(), path)
	fmt.Fprintln(f, holder)

	err = run(t.Context(), []string{"-entities", "3000", "-db", path}, io.Discard)
	if err == nil {
		t.Fatal("synth ran while another writer held the lock")
	}
	if !strings.Contains(err.Error(), "is being written by another process: "+holder) {
		t.Errorf("error %q does not name the holder %q", err, holder)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the refused run created the database (%v)", err)
	}
}
