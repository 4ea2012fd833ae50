package respcache_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/httpapi/respcache"
	"github.com/investgraph/investgraph/seed"
)

const designCard = `{"query":"{ company(name: \"CITIC\") { name projects { role project { name capacityHistory { value asOf } } } } }"}`

// fixture is a gateway over a seeded store behind a response cache.
type fixture struct {
	srv   *graphtest.Server
	cache *respcache.Cache
	h     http.Handler
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := graphtest.New(t)
	cache := respcache.New(srv.Store.DataVersion, 10)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &fixture{srv: srv, cache: cache, h: cache.Middleware(httpapi.NewHandler(srv.Store, httpapi.Options{Logger: quiet}))}
}

// post sends a GraphQL request body and returns the status and body.
func (f *fixture) post(t *testing.T, body string, header ...string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	out, _ := io.ReadAll(rec.Body)
	return rec.Code, string(out)
}

var statementsPattern = regexp.MustCompile(`"sqlStatements":(\d+)`)

// statements returns the statement count a response reports.
func statements(body string) string {
	if m := statementsPattern.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

func withoutStatements(body string) string { return statementsPattern.ReplaceAllString(body, "") }

func TestCache(t *testing.T) {
	t.Run("OKRepeatIsCached", func(t *testing.T) {
		f := newFixture(t)
		_, first := f.post(t, designCard)
		before := f.srv.Store.Statements()
		status, second := f.post(t, designCard)
		if status != http.StatusOK {
			t.Fatalf("status %d: %s", status, second)
		}
		if got := f.srv.Store.Statements() - before; got != 0 {
			t.Errorf("the repeated request ran %d statements, want 0", got)
		}
		if statements(first) == "0" || statements(second) != "0" {
			t.Errorf("statements reported: %s by the first request, %s by the repeat, want some and 0",
				statements(first), statements(second))
		}
		if a, b := withoutStatements(first), withoutStatements(second); a != b {
			t.Errorf("the cached response differs:\n%s\n%s", a, b)
		}
		if hits, misses := f.cache.Stats(); hits != 1 || misses != 1 {
			t.Errorf("hits, misses = %d, %d; want 1, 1", hits, misses)
		}
	})

	t.Run("OKReplaceInvalidates", func(t *testing.T) {
		f := newFixture(t)
		f.post(t, designCard)
		tiny, err := seed.Parse(seed.Files())
		if err != nil {
			t.Fatal(err)
		}
		tiny.Companies[0].Name = "Renamed"
		if err := f.srv.Store.Replace(context.Background(), tiny); err != nil {
			t.Fatal(err)
		}
		before := f.srv.Store.Statements()
		f.post(t, designCard)
		if f.srv.Store.Statements() == before {
			t.Error("after a Replace the request was answered from the cache")
		}
	})

	t.Run("OKErrorsNotCached", func(t *testing.T) {
		f := newFixture(t)
		bad := `{"query":"{ company(name: \"CITIC\") { nosuchfield } }"}`
		f.post(t, bad)
		_, body := f.post(t, bad)
		if !strings.Contains(body, `"errors"`) {
			t.Fatalf("want an error: %s", body)
		}
		if hits, _ := f.cache.Stats(); hits != 0 {
			t.Errorf("an error response was served from the cache (%d hits)", hits)
		}
	})

	t.Run("OKHeadersAreKeys", func(t *testing.T) {
		f := newFixture(t)
		f.post(t, designCard, "Accept", "application/json")
		_, body := f.post(t, designCard, "Accept", "application/graphql-response+json")
		if statements(body) == "0" {
			t.Errorf("a request with another Accept header was answered from the cache: %s", body)
		}
	})

	t.Run("OKBodyPassedOn", func(t *testing.T) {
		f := newFixture(t)
		var buf bytes.Buffer
		buf.WriteString(designCard)
		if status, body := f.post(t, buf.String()); status != http.StatusOK || !strings.Contains(body, "Caspi Bitum") {
			t.Errorf("status %d, body %s: the handler did not get the request body", status, body)
		}
	})
}

// BenchmarkHit serves a repeated request from the cache: the cost of a hit,
// with its look at the data version.
func BenchmarkHit(b *testing.B) {
	srv := graphtest.New(b)
	cache := respcache.New(srv.Store.DataVersion, 10)
	h := cache.Middleware(httpapi.NewHandler(srv.Store, httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	serve := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(designCard))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	serve()
	b.ReportAllocs()
	for b.Loop() {
		if rec := serve(); statements(rec.Body.String()) != "0" {
			b.Fatalf("not served from the cache: %s", rec.Body.String())
		}
	}
}
