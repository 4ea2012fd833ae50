package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMigrate_BadFlags(t *testing.T) {
	file := seededFile(t)
	const to = "postgres://u:pw@127.0.0.1:1/investgraph"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrNoFrom", []string{"-to", to}, "-from is required"},
		{"ErrNoTo", []string{"-from", file}, "-to is required"},
		{"ErrToNotPostgres", []string{"-from", file, "-to", "other.db"}, `-to "other.db" is not a PostgreSQL URL`},
		{"ErrFromPostgres", []string{"-from", to, "-to", to}, "the PostgreSQL database goes in -to"},
		{"ErrFromMissing", []string{"-from", filepath.Join(t.TempDir(), "none.db"), "-to", to}, "no such file"},
		{"ErrFromDirectory", []string{"-from", t.TempDir(), "-to", to}, "is a directory"},
		{"ErrExtraArgument", []string{"-from", file, "-to", to, "more"}, "unexpected arguments"},
		{"ErrUnknownFlag", []string{"-form", file}, "flag provided but not defined: -form"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(t.Context(), append([]string{"migrate"}, tc.args...), &bytes.Buffer{}, &bytes.Buffer{}, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), ":pw@") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
	t.Run("ErrMissingFromNotCreated", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "none.db")
		run(t.Context(), []string{"migrate", "-from", missing, "-to", to}, &bytes.Buffer{}, &bytes.Buffer{}, nil)
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Errorf("migrate created the missing -from file (stat: %v)", err)
		}
	})
	t.Run("Help", func(t *testing.T) {
		var out bytes.Buffer
		if err := run(t.Context(), []string{"migrate", "-h"}, &out, &bytes.Buffer{}, nil); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"investgraph migrate -from", "-force", "row count"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("help lacks %q:\n%s", want, out.String())
			}
		}
	})
}
