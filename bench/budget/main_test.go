package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

func TestRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seed.db")
	store, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.Load(t.Context(), store); err != nil {
		t.Fatal(err)
	}
	store.Close()

	var out strings.Builder
	if err := run(t.Context(), []string{"-db", path, "-hub", "citic-group"}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if got, want := len(lines), 1+len(settings)*3; got != want {
		t.Fatalf("%d lines, want %d:\n%s", got, want, out.String())
	}
	// On the seed every query is within every limit: each row is answered
	// 200, with no error code.
	for _, line := range lines[1:] {
		if !strings.Contains(line, " 200 ") || strings.Contains(line, "EXCEEDED") || strings.Contains(line, "TIMEOUT") ||
			strings.Contains(line, "no answer") {
			t.Errorf("row %q: want status 200 and no error", line)
		}
	}

}

func TestRunErrNoDB(t *testing.T) {
	if err := run(t.Context(), nil, &strings.Builder{}); err == nil {
		t.Error("run without -db succeeded")
	}
}
