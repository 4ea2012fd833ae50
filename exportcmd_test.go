package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/seed"
)

func TestRun_Export(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "test.db")
	t.Run("ToFile", func(t *testing.T) {
		out := filepath.Join(dir, "projects.csv")
		if err := run(context.Background(), []string{"export", "-format", "csv", "-db", dbPath, "-asof", "2023-12-31", "-o", out}, io.Discard, io.Discard, nil); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); !strings.HasPrefix(s, "id,slug,name,") || !strings.Contains(s, "caspi-bitum-expansion") || strings.Contains(s, "(2024-08)") {
			t.Errorf("projects.csv as of 2023-12-31:\n%.300s", s)
		}
	})
	t.Run("ToStdout", func(t *testing.T) {
		var stdout bytes.Buffer
		if err := run(context.Background(), []string{"export", "-format", "graphml", "-db", dbPath}, &stdout, io.Discard, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stdout.String(), "<graphml") || !strings.Contains(stdout.String(), "Caspi Bitum plant expansion") {
			t.Errorf("stdout: %.200s", stdout.String())
		}
	})
	t.Run("Help", func(t *testing.T) {
		var stdout bytes.Buffer
		if err := run(context.Background(), []string{"export", "-h"}, &stdout, io.Discard, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stdout.String(), "-format") || !strings.Contains(stdout.String(), "-asof") {
			t.Errorf("help: %s", stdout.String())
		}
	})
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrNoFormat", []string{"export", "-db", dbPath}, "-format is required"},
		{"ErrUnknownFormat", []string{"export", "-format", "xlsx", "-db", dbPath}, `unknown export format "xlsx"`},
		{"ErrBadAsOf", []string{"export", "-format", "ftm", "-db", dbPath, "-asof", "2023-13"}, `-asof: invalid date "2023-13"`},
		{"ErrExtraArgument", []string{"export", "-format", "ftm", "-db", dbPath, "more"}, "unexpected arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.name+".out")
			err := run(context.Background(), append(tc.args, "-o", out), io.Discard, io.Discard, nil)
			if tc.name == "ErrExtraArgument" {
				err = run(context.Background(), tc.args, io.Discard, io.Discard, nil)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
			if _, statErr := os.Stat(out); statErr == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}

// TestRun_ExportSeed writes a database back as seed files with
// `investgraph export -format seed -out DIR` and loads them into another
// database: both hold the same rows. A directory that is not empty, or
// flags of the other formats, are refused before anything is written.
func TestRun_ExportSeed(t *testing.T) {
	dbPath := seededFile(t)
	out := filepath.Join(t.TempDir(), "seed")
	var stderr bytes.Buffer
	if err := run(t.Context(), []string{"export", "-format", "seed", "-db", dbPath, "-out", out}, io.Discard, &stderr, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "wrote 5 seed files to "+out) {
		t.Errorf("stderr: %s", stderr.String())
	}
	reloaded := filepath.Join(t.TempDir(), "reloaded.db")
	s, err := db.Open(t.Context(), reloaded)
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.LoadFS(t.Context(), s, os.DirFS(out)); err != nil {
		t.Fatalf("load the exported files: %v", err)
	}
	s.Close()
	want, got := graphtest.DumpTables(t, dbPath), graphtest.DumpTables(t, reloaded)
	for table, rows := range want {
		if !slices.Equal(rows, got[table]) {
			t.Errorf("table %s differs after export and reseed", table)
		}
	}

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrNotEmpty", []string{"-out", out}, "is not empty"},
		{"ErrNoOut", nil, "needs -out DIR"},
		{"ErrFile", []string{"-out", t.TempDir() + "/x", "-o", "x.yaml"}, "give -out DIR instead of -o"},
		{"ErrAsOf", []string{"-out", t.TempDir() + "/x", "-asof", "2024"}, "-asof does not apply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(t.Context(), append([]string{"export", "-format", "seed", "-db", dbPath}, tc.args...), io.Discard, io.Discard, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
	if err := run(t.Context(), []string{"export", "-format", "csv", "-db", dbPath, "-out", out}, io.Discard, io.Discard, nil); err == nil ||
		!strings.Contains(err.Error(), "-out is for -format seed") {
		t.Errorf("-out with csv: %v", err)
	}
}

// seededFile returns the path of a closed database holding the built-in
// seed.
func seededFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "investgraph.db")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
