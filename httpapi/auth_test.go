package httpapi_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

const readQuery = `{ companies(first: 2) { totalCount } }`

func TestRequireToken(t *testing.T) {
	srv := quietServer(t, httpapi.Options{RequireToken: true, ResponseCache: 100})
	reader := srv.NewToken(t, "reader", db.RoleReader)
	revoked := srv.NewToken(t, "gone", db.RoleEditor)
	if err := srv.Store.RevokeToken(t.Context(), "gone"); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		for range 2 { // the second from the response cache
			resp := postAs(t, srv, reader, readQuery)
			if resp.Status != http.StatusOK || len(resp.Errors) > 0 || !strings.Contains(string(resp.Data), "totalCount") {
				t.Fatalf("status %d: %s", resp.Status, resp.Raw)
			}
		}
	})
	t.Run("GET", func(t *testing.T) {
		req := getRequest(t, srv, mediaResponse, url.Values{"query": {readQuery}})
		req.Header.Set("Authorization", "bearer "+reader)
		if resp := srv.Send(t, req); resp.Status != http.StatusOK || len(resp.Errors) > 0 {
			t.Errorf("status %d: %s", resp.Status, resp.Raw)
		}
	})
	var refusals []string
	for _, tc := range []struct{ name, token string }{
		{"ErrNoToken", ""},
		{"ErrUnknownToken", "igt_" + strings.Repeat("x", 43)},
		{"ErrNotOurs", "alice"},
		{"ErrRevokedToken", revoked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.Store.Statements()
			resp := postAs(t, srv, tc.token, readQuery)
			assertRequestError(t, resp, http.StatusUnauthorized, httpapi.CodeUnauthenticated)
			if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("WWW-Authenticate = %q", got)
			}
			if tc.token == "" && srv.Store.Statements() != before {
				t.Error("SQL ran for a request without a token")
			}
			refusals = append(refusals, string(resp.Raw))
		})
	}
	t.Run("RefusalsTellNothing", func(t *testing.T) {
		for i, r := range refusals {
			if r != refusals[0] {
				t.Errorf("refusal %d differs from the first:\n%s\n%s", i, r, refusals[0])
			}
		}
	})
}

func TestOpenReads(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	for _, token := range []string{"", "alice", "igt_" + strings.Repeat("x", 43), srv.NewToken(t, "r", db.RoleReader)} {
		if resp := postAs(t, srv, token, readQuery); resp.Status != http.StatusOK || len(resp.Errors) > 0 {
			t.Errorf("token %q: status %d: %s", token, resp.Status, resp.Raw)
		}
	}
}

// TestRateByTokenName keys the budget of a token of the server's by its
// name, as the request log shows.
func TestRateByTokenName(t *testing.T) {
	var (
		mu  sync.Mutex
		buf bytes.Buffer
	)
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	srv := graphtest.New(t, graphtest.WithOptions(httpapi.Options{
		Logger:    logger,
		RateLimit: httpapi.RateLimit{PerSecond: 0.001, Burst: 30, ByToken: true},
		Limits:    httpapi.Limits{MaxCost: 30},
	}))
	alice := srv.NewToken(t, "alice", db.RoleReader)
	for i := range 2 {
		if resp := postAs(t, srv, alice, costs11); resp.Status != http.StatusOK {
			t.Fatalf("request %d: %d", i, resp.Status)
		}
	}
	assertRequestError(t, postAs(t, srv, alice, costs11), http.StatusTooManyRequests, httpapi.CodeRateLimited)
	if resp := postAs(t, srv, srv.NewToken(t, "bob", db.RoleReader), costs11); resp.Status != http.StatusOK {
		t.Errorf("bob: %d", resp.Status)
	}
	mu.Lock()
	defer mu.Unlock()
	if log := buf.String(); !strings.Contains(log, "client=token:alice") || !strings.Contains(log, "client=token:bob") || strings.Contains(log, alice[4:]) {
		t.Errorf("log:\n%s", log)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
