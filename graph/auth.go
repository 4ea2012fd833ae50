package graph

import (
	"context"

	"github.com/investgraph/investgraph/db"
)

type tokenKey struct{}

// WithToken returns a context carrying the token a request authenticated
// with; nil for an anonymous request.
func WithToken(ctx context.Context, t *db.Token) context.Context {
	return context.WithValue(ctx, tokenKey{}, t)
}

// TokenFrom returns the token ctx's request authenticated with, or nil.
func TokenFrom(ctx context.Context) *db.Token {
	t, _ := ctx.Value(tokenKey{}).(*db.Token)
	return t
}

// requireRole returns the request's token if its role allows what need
// requires: EUNAUTHORIZED without a token, EFORBIDDEN with too small a role.
func requireRole(ctx context.Context, need db.Role) (*db.Token, error) {
	t := TokenFrom(ctx)
	if t == nil {
		return nil, db.Errorf(db.EUNAUTHORIZED, "this operation needs a bearer token with the %s role: send Authorization: Bearer TOKEN (investgraph token create makes one)", need)
	}
	if !t.Role.Allows(need) {
		return nil, db.Errorf(db.EFORBIDDEN, "this operation needs the %s role; the token %s has %s", need, db.Quote(t.Name), t.Role)
	}
	return t, nil
}
