//go:build unix

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// TestRun_ReseedLocked starts -reseed while another writer holds the
// database's lock: it is refused at once, naming the holder, and the file
// is not changed.
func TestRun_ReseedLocked(t *testing.T) {
	path := seededFile(t)
	before := fileSum(t, path)

	// Another process's lock, as a writer leaves it: flock held, holder
	// line written.
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	holder := fmt.Sprintf("pid %d (synth -entities 100000 -db %s) since 2026-01-02T03:04:05Z", os.Getpid(), path)
	if _, err := fmt.Fprintln(f, holder); err != nil {
		t.Fatal(err)
	}

	// A server that went on to serve would stop at the deadline.
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	err = run(ctx, []string{"-addr", "127.0.0.1:0", "-db", path, "-reseed"}, io.Discard, io.Discard, nil)
	if err == nil {
		t.Fatal("-reseed succeeded while another writer held the lock")
	}
	if want := "is being written by another process: " + holder; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want it to contain %q", err, want)
	}
	if fileSum(t, path) != before {
		t.Error("the refused -reseed changed the database file")
	}
}

// TestRun_CorruptDatabase starts the server on a corrupt file: without
// -reseed it says what to do; with -reseed it rebuilds the file.
func TestRun_CorruptDatabase(t *testing.T) {
	path := seededFile(t)
	corrupt(t, path)

	err := run(t.Context(), []string{"-addr", "127.0.0.1:0", "-db", path}, io.Discard, io.Discard, nil)
	if err == nil {
		t.Fatal("the server started on a corrupt file")
	}
	for _, want := range []string{"is corrupt", "restore it from a backup", "investgraph -reseed -db " + path} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}

	startAndStop(t, "-db", path, "-reseed")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("open the rebuilt file: %v", err)
	}
	defer s.Close()
	if _, err := s.FindCompanyByName(t.Context(), "CITIC"); err != nil {
		t.Errorf("the rebuilt file does not hold the seed: %v", err)
	}
}

// corrupt overwrites pages in the middle of the database file at path.
func corrupt(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 4096))
	for off := int64(4096); off < st.Size(); off += 3 * int64(len(junk)) {
		if _, err := f.WriteAt(junk, off); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRun_ReseedKeepsRevisions starts -reseed on a database that holds
// revisions made through the API: it is refused, saying how many it would
// drop and how to go ahead, and the file is not changed; with
// -reseed-drop-revisions it reseeds and the revisions are gone.
func TestRun_ReseedKeepsRevisions(t *testing.T) {
	path := seededFile(t)
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		yaml := fmt.Sprintf("source: {slug: reseed-%d, title: A note, publishedOn: \"2025-01-0%d\", paragraphs: 2}\n"+
			"companies:\n  - {slug: reseed-co-%d, name: Reseed Company %d, kind: COMPANY, cite: [2]}\n", i, i+1, i, i)
		if _, _, err := seed.Apply(t.Context(), s, seed.Files(), seed.Changeset{YAML: yaml, Message: "add", Author: "alice"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := fileSum(t, path)

	err = run(t.Context(), []string{"-addr", "127.0.0.1:0", "-db", path, "-reseed"}, io.Discard, io.Discard, nil)
	if err == nil {
		t.Fatal("-reseed dropped revisions without -reseed-drop-revisions")
	}
	for _, want := range []string{"holds 2 revision(s)", "-reseed-drop-revisions", "export -format seed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if fileSum(t, path) != before {
		t.Error("the refused -reseed changed the database file")
	}

	startAndStop(t, "-db", path, "-reseed", "-reseed-drop-revisions")
	s, err = db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.LatestRevisionID(t.Context()); err != nil || n != 0 {
		t.Errorf("after -reseed-drop-revisions the latest revision is %d (%v), want none", n, err)
	}
	// What the revisions changed goes with them: no history is left.
	if h, err := s.FindNodeHistories(t.Context(), []db.SlugRef{{Type: "Company", Slug: "reseed-co-0"}, {Type: "Source", Slug: "reseed-0"}}); err != nil || len(h) != 0 {
		t.Errorf("after -reseed-drop-revisions the histories are %v (%v), want none", h, err)
	}
	if _, err := s.FindCompanyByName(t.Context(), "Reseed Company 0"); db.ErrorCode(err) != db.ENOTFOUND {
		t.Errorf("a changeset's company after reseeding: %v, want not found", err)
	}
	if _, err := s.FindCompanyByName(t.Context(), "CITIC"); err != nil {
		t.Errorf("the reseeded file does not hold the seed: %v", err)
	}
}
