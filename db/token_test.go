package db_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestTokens(t *testing.T) {
	s, path := newStore(t)
	ctx := t.Context()
	alice, err := s.CreateToken(ctx, "alice", db.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	bob, err := s.CreateToken(ctx, "bob", db.RoleReader)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		tok, err := s.Authenticate(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tok.Name+" "+string(tok.Role), "alice EDITOR"; got != want {
			t.Errorf("token = %s, want %s", got, want)
		}
		if tok, err := s.Authenticate(ctx, bob); err != nil || tok.Name != "bob" {
			t.Errorf("bob: %v, %v", tok, err)
		}
	})
	t.Run("SecretsDiffer", func(t *testing.T) {
		if alice == bob || !strings.HasPrefix(alice, "igt_") || len(alice) < 40 {
			t.Errorf("secrets %q and %q", alice, bob)
		}
	})
	t.Run("OnlyTheHashIsStored", func(t *testing.T) {
		conn, err := db.OpenSQL(path)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		rows, err := conn.Query(`SELECT name, role, hex(hash), created_at FROM tokens`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var name, role, hash, created string
			if err := rows.Scan(&name, &role, &hash, &created); err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{alice, bob, alice[4:], bob[4:]} {
				if strings.Contains(name+role+hash+created, secret) {
					t.Errorf("row of %s holds a secret", name)
				}
			}
			if len(hash) != 64 {
				t.Errorf("hash of %s has %d hex digits, want 64", name, len(hash))
			}
			n++
		}
		if n != 2 {
			t.Errorf("%d token rows, want 2", n)
		}
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		for _, secret := range []string{"", "igt_", "alice", alice + "x", alice[:len(alice)-1], "Bearer " + alice} {
			if _, err := s.Authenticate(ctx, secret); !errors.Is(err, db.ErrBadToken) {
				t.Errorf("Authenticate(%q) = %v, want ErrBadToken", secret, err)
			}
		}
	})
	t.Run("Revoke", func(t *testing.T) {
		carol, err := s.CreateToken(ctx, "carol", db.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, "carol"); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, carol)
		if !errors.Is(err, db.ErrBadToken) {
			t.Fatalf("revoked token: %v, want ErrBadToken", err)
		}
		// A revoked token is refused exactly as an unknown one is.
		_, unknown := s.Authenticate(ctx, "igt_"+strings.Repeat("A", 43))
		if err.Error() != unknown.Error() || db.ErrorCode(err) != db.ErrorCode(unknown) {
			t.Errorf("revoked %q, unknown %q: want the same error", err, unknown)
		}
		wantCode(t, s.RevokeToken(ctx, "carol"), db.ENOTFOUND)
		wantCode(t, s.RevokeToken(ctx, "nobody"), db.ENOTFOUND)
		// Its name stays taken, as revisions name their author by it.
		_, err = s.CreateToken(ctx, "carol", db.RoleReader)
		wantCode(t, err, db.ECONFLICT)
		tokens, err := s.FindTokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tok := range tokens {
			n := tok.Name
			if tok.RevokedAt != nil {
				n += "(revoked)"
			}
			names = append(names, n)
		}
		if got, want := strings.Join(names, " "), "alice bob carol(revoked)"; got != want {
			t.Errorf("tokens = %s, want %s", got, want)
		}
	})
	t.Run("ErrNameTaken", func(t *testing.T) {
		_, err := s.CreateToken(ctx, "alice", db.RoleAdmin)
		wantCode(t, err, db.ECONFLICT)
	})
	t.Run("ErrBadName", func(t *testing.T) {
		for _, name := range []string{"", "-x", "a b", strings.Repeat("a", 65), "é"} {
			_, err := s.CreateToken(ctx, name, db.RoleReader)
			wantCode(t, err, db.EINVALID)
		}
	})
	t.Run("ErrBadRole", func(t *testing.T) {
		_, err := s.CreateToken(ctx, "dave", db.Role("ROOT"))
		wantCode(t, err, db.EINVALID)
	})
}

func TestRoles(t *testing.T) {
	for _, tc := range []struct {
		have, need db.Role
		want       bool
	}{
		{db.RoleReader, db.RoleReader, true}, {db.RoleReader, db.RoleEditor, false}, {db.RoleReader, db.RoleAdmin, false},
		{db.RoleEditor, db.RoleReader, true}, {db.RoleEditor, db.RoleEditor, true}, {db.RoleEditor, db.RoleAdmin, false},
		{db.RoleAdmin, db.RoleReader, true}, {db.RoleAdmin, db.RoleEditor, true}, {db.RoleAdmin, db.RoleAdmin, true},
		{db.Role("ROOT"), db.RoleReader, false}, {db.RoleAdmin, db.Role(""), false},
	} {
		if got := tc.have.Allows(tc.need); got != tc.want {
			t.Errorf("%s.Allows(%s) = %v, want %v", tc.have, tc.need, got, tc.want)
		}
	}
	for in, want := range map[string]db.Role{"reader": db.RoleReader, "Editor": db.RoleEditor, " ADMIN ": db.RoleAdmin} {
		if got, err := db.ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := db.ParseRole("owner"); db.ErrorCode(err) != db.EINVALID {
		t.Errorf("ParseRole(owner): %v", err)
	}
}
