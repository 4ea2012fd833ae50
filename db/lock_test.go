package db_test

import (
	"bufio"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestLockWriter(t *testing.T) {
	t.Run("ErrSecondWriterRefused", func(t *testing.T) {
		_, path := seededStoreAt(t)
		s := openStore(t, path)
		before := dump(t, path)
		child := lockedByOtherProcess(t, path)

		holder := fmt.Sprintf("pid %d (", child.Process.Pid)
		for name, err := range map[string]error{
			"Replace": s.Replace(t.Context(), tinyDataset()),
			"LoadNew": db.LoadNew(t.Context(), path, tinyDataset()),
			"Open":    openErr(t, path),
		} {
			wantCode(t, err, db.ECONFLICT)
			if msg := db.ErrorMessage(err); !strings.Contains(msg, holder) || !strings.Contains(msg, "TestHelperProcess") ||
				!strings.Contains(msg, path+".lock") {
				t.Errorf("%s: message %q does not name the holder (%s...) and the lock file", name, msg, holder)
			}
		}
		if diff := diffDumps(before, dump(t, path)); diff != "" {
			t.Errorf("a refused writer changed the database: %s", diff)
		}

		// The kernel drops the lock of a killed holder.
		child.Process.Kill()
		child.Wait()
		if err := s.Replace(t.Context(), tinyDataset()); err != nil {
			t.Errorf("Replace once the holder is gone: %v", err)
		}
	})

	t.Run("OKSameProcess", func(t *testing.T) {
		s, path := newSQLiteStore(t)
		lock, err := db.LockWriter(path)
		if err != nil {
			t.Fatal(err)
		}
		defer lock.Release()
		if err := s.Replace(t.Context(), tinyDataset()); err != nil {
			t.Errorf("Replace under this process's own lock: %v", err)
		}
		again, err := db.Open(t.Context(), path)
		if err != nil {
			t.Fatalf("Open under this process's own lock: %v", err)
		}
		again.Close()
	})

	t.Run("OKReadersShareTheFile", func(t *testing.T) {
		_, path := seededStoreAt(t)
		a, b := openStore(t, path), openStore(t, path)
		if err := a.Replace(t.Context(), tinyDataset()); err != nil {
			t.Fatal(err)
		}
		c, err := b.FindCompanyBySlug(t.Context(), "acme")
		if err != nil {
			t.Fatalf("the other store does not see the replaced data: %v", err)
		}
		if got, want := c.Name, "Acme"; got != want {
			t.Errorf("name = %q, want %q", got, want)
		}
	})
}

// lockedByOtherProcess starts a process that holds the write lock of the
// database at path until the test ends.
func lockedByOtherProcess(t *testing.T, path string) *exec.Cmd {
	t.Helper()
	cmd := helperProcess(t, "lock", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("helper process: %q, %v", line, err)
	}
	return cmd
}

// openErr returns the error of opening the database at path.
func openErr(t *testing.T, path string) error {
	t.Helper()
	s, err := db.Open(t.Context(), path)
	if err == nil {
		s.Close()
		return errors.New("opened")
	}
	return err
}
