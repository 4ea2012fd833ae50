package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// token runs investgraph token ARGS... on the database at path and returns
// what it printed.
func token(t *testing.T, path string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	argv := append([]string{"token", args[0], "-db", path}, args[1:]...)
	err := run(context.Background(), argv, &out, &out, nil)
	return out.String(), err
}

func TestTokenCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "investgraph.db")
	out, err := token(t, path, "create", "-name", "alice", "-role", "editor")
	if err != nil {
		t.Fatal(err)
	}
	secret := strings.TrimSpace(out)
	if !regexp.MustCompile(`^igt_[A-Za-z0-9_-]{43}$`).MatchString(secret) {
		t.Fatalf("create printed %q, want one token", out)
	}
	if _, err := token(t, path, "create", "-name", "bob", "-role", "READER"); err != nil {
		t.Fatal(err)
	}

	t.Run("TheTokenAuthenticates", func(t *testing.T) {
		s, err := db.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		tok, err := s.Authenticate(t.Context(), secret)
		if err != nil || tok.Name != "alice" || tok.Role != db.RoleEditor {
			t.Errorf("Authenticate = %+v, %v", tok, err)
		}
	})
	t.Run("List", func(t *testing.T) {
		out, err := token(t, path, "list")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") ||
			!regexp.MustCompile(`^alice +EDITOR +\S+ +-$`).MatchString(lines[1]) ||
			!regexp.MustCompile(`^bob +READER +\S+ +-$`).MatchString(lines[2]) {
			t.Errorf("list printed:\n%s", out)
		}
		if strings.Contains(out, secret) || strings.Contains(out, secret[4:]) {
			t.Error("list printed a secret")
		}
	})
	t.Run("Revoke", func(t *testing.T) {
		if out, err := token(t, path, "revoke", "bob"); err != nil || out != "revoked bob\n" {
			t.Fatalf("revoke: %q, %v", out, err)
		}
		out, _ := token(t, path, "list")
		if !regexp.MustCompile(`(?m)^bob +READER +\S+ +\d{4}-\S+$`).MatchString(out) {
			t.Errorf("list after revoke:\n%s", out)
		}
		if _, err := token(t, path, "revoke", "bob"); err == nil || !strings.Contains(err.Error(), "no token named") {
			t.Errorf("second revoke: %v", err)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"create", "-role", "editor"}, "-name is required"},
			{[]string{"create", "-name", "carol", "-role", "owner"}, "want reader, editor or admin"},
			{[]string{"create", "-name", "alice", "-role", "admin"}, "exists or existed"},
			{[]string{"create", "-name", "a b"}, "token name"},
			{[]string{"revoke"}, "give the name of one token"},
			{[]string{"list", "extra"}, "unexpected arguments"},
			{[]string{"rename", "x"}, "unknown subcommand"},
			{[]string{"create", "-nme", "x"}, "flag provided but not defined"},
		} {
			if _, err := token(t, path, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("token %v: %v, want an error containing %q", tc.args, err, tc.want)
			}
		}
	})
	t.Run("Help", func(t *testing.T) {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"token", "-h"}, &out, &out, nil); err != nil || !strings.Contains(out.String(), "investgraph token create") {
			t.Errorf("token -h: %v\n%s", err, out.String())
		}
	})
}

func TestServeSubcommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"serve", "-h"}, &out, &out, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "Usage: investgraph [serve] [flags]") || !strings.Contains(out.String(), "-require-token") {
		t.Errorf("serve -h printed:\n%s", out.String())
	}
}
