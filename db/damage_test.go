package db_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestOpen_Damaged(t *testing.T) {
	t.Run("ErrCorrupt", func(t *testing.T) {
		_, path := seededStoreAt(t)
		corruptFile(t, path)
		err := openErr(t, path)
		wantCode(t, err, db.EINVALID)
		if !errors.Is(err, db.ErrCorrupt) {
			t.Errorf("error %v is not ErrCorrupt", err)
		}
		msg := db.ErrorMessage(err)
		for _, want := range []string{"is corrupt", "restore it from a backup", "-reseed -db " + path} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q does not say %q", msg, want)
			}
		}
		t.Log(msg)
	})

	t.Run("ErrDiskFull", func(t *testing.T) {
		// The other process writes under a file size limit, which fails
		// the write as a full disk would.
		path := filepath.Join(t.TempDir(), "x.db")
		out, err := helperProcess(t, "fsize", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		msg := strings.TrimSpace(string(out))
		if !strings.Contains(msg, "the disk may be full") || !strings.Contains(msg, "the data is unchanged") {
			t.Errorf("message %q does not say the disk may be full and the data is unchanged", msg)
		}
		t.Log(msg)
	})
}
