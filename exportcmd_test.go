package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
