package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Role is what a token may do. Each role may do what the roles before it
// may: a reader reads, an editor also applies changesets, an admin also
// administers.
type Role string

// The roles, from least to most allowed.
const (
	RoleReader Role = "READER"
	RoleEditor Role = "EDITOR"
	RoleAdmin  Role = "ADMIN"
)

var roleRank = map[Role]int{RoleReader: 1, RoleEditor: 2, RoleAdmin: 3}

// ParseRole reads a role in any case: reader, editor or admin.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToUpper(strings.TrimSpace(s)))
	if _, ok := roleRank[r]; !ok {
		return "", Errorf(EINVALID, "role %s: want reader, editor or admin", Quote(s))
	}
	return r, nil
}

// Allows reports whether a token of role r may do what need requires.
func (r Role) Allows(need Role) bool { return roleRank[r] >= roleRank[need] && roleRank[need] > 0 }

// Token is an API token as stored: its name and role, never its secret.
type Token struct {
	Name      string
	Role      Role
	CreatedAt time.Time
	RevokedAt *time.Time
}

// tokenPrefix starts every secret, so that a leaked one is recognizable in
// logs and by secret scanners.
const tokenPrefix = "igt_"

var tokenName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// CreateToken stores a new token of the role under name and returns its
// secret, which is not kept: only its SHA-256 hash is. A name is taken for
// good, even once its token is revoked, because revisions record it as
// their author.
func (s *Store) CreateToken(ctx context.Context, name string, role Role) (secret string, err error) {
	if !tokenName.MatchString(name) {
		return "", Errorf(EINVALID, "token name %s: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", Quote(name))
	}
	if _, ok := roleRank[role]; !ok {
		return "", Errorf(EINVALID, "role %s: want reader, editor or admin", Quote(string(role)))
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	secret = tokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	hash := tokenHash(secret)
	var n int
	if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM tokens WHERE name = ?`, name).Scan(&n); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	} else if n > 0 {
		return "", Errorf(ECONFLICT, "a token named %s exists or existed: choose another name", Quote(name))
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)`,
		name, string(role), hash[:], time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	return secret, nil
}

// FindTokens lists every token, revoked ones too, by name.
func (s *Store) FindTokens(ctx context.Context) ([]*Token, error) {
	return queryAll(ctx, s, func(r rowScanner) (*Token, error) { return scanToken(r) }, `SELECT name, role, created_at, revoked_at FROM tokens ORDER BY name`)
}

// RevokeToken revokes the token of that name: from then on it
// authenticates nothing. Revoking it again is an error, as is an unknown
// name.
func (s *Store) RevokeToken(ctx context.Context, name string) error {
	res, err := s.write.ExecContext(ctx, `UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL`,
		time.Now().UTC().Format(time.RFC3339Nano), name)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("revoke token: %w", err)
	} else if n == 0 {
		return Errorf(ENOTFOUND, "no token named %s is active (investgraph token list shows them)", Quote(name))
	}
	return nil
}

// ErrBadToken is returned by Authenticate for a secret that is not the
// secret of an active token. It says neither whether such a token ever
// existed nor why it is refused.
var ErrBadToken = &Error{Code: EUNAUTHORIZED, Message: "the bearer token is not valid"}

// Authenticate returns the active token whose secret this is, or
// ErrBadToken.
func (s *Store) Authenticate(ctx context.Context, secret string) (*Token, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, ErrBadToken
	}
	hash := tokenHash(secret)
	var stored []byte
	t, err := scanToken(s.queryRow(ctx, `SELECT name, role, created_at, revoked_at, hash FROM tokens WHERE hash = ?`, hash[:]), &stored)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, ErrBadToken
	case err != nil:
		return nil, fmt.Errorf("authenticate: %w", err)
	case subtle.ConstantTimeCompare(stored, hash[:]) != 1, t.RevokedAt != nil:
		return nil, ErrBadToken
	}
	return t, nil
}

func tokenHash(secret string) [sha256.Size]byte { return sha256.Sum256([]byte(secret)) }

func scanToken(r rowScanner, extra ...any) (*Token, error) {
	var (
		t                Token
		role, created    string
		revoked          sql.NullString
		createdT, revokT time.Time
		err              error
	)
	if err := r.Scan(append([]any{&t.Name, &role, &created, &revoked}, extra...)...); err != nil {
		return nil, err
	}
	t.Role = Role(role)
	if createdT, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return nil, fmt.Errorf("token %s: created_at: %w", t.Name, err)
	}
	t.CreatedAt = createdT
	if revoked.Valid {
		if revokT, err = time.Parse(time.RFC3339Nano, revoked.String); err != nil {
			return nil, fmt.Errorf("token %s: revoked_at: %w", t.Name, err)
		}
		t.RevokedAt = &revokT
	}
	return &t, nil
}
