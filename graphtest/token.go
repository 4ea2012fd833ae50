package graphtest

import (
	"context"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// NewToken creates an API token of the role in the server's database, as
// investgraph token create does, and returns its secret.
func (s *Server) NewToken(t testing.TB, name string, role db.Role) string {
	t.Helper()
	secret, err := s.Store.CreateToken(context.Background(), name, role)
	if err != nil {
		t.Fatalf("graphtest: create token %s: %v", name, err)
	}
	return secret
}

// As returns the server seen by a client that sends token as its bearer
// token with every request of Do, Post, Get, Send and the changeset and
// subscription helpers; "" sends none.
func (s *Server) As(token string) *Server {
	c := *s
	c.token = token
	return &c
}

// Editor creates a token with the EDITOR role named name and returns the
// server as that token's client sees it.
func (s *Server) Editor(t testing.TB, name string) *Server {
	t.Helper()
	return s.As(s.NewToken(t, name, db.RoleEditor))
}
