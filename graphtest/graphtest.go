// Package graphtest starts the whole investgraph gateway over a fresh,
// seeded SQLite database in a temporary directory, for integration tests:
//
//	srv := graphtest.New(t)
//	var got struct{ Company struct{ Name string } }
//	srv.MustQuery(t, `{ company(name: "CITIC") { name } }`, nil, &got)
package graphtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/db/dbtest"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/seed"
)

// Server is a running gateway listening on 127.0.0.1.
type Server struct {
	// URL is the GraphQL endpoint, e.g. http://127.0.0.1:41234/graphql.
	URL string
	// Store is the database behind the server.
	Store *db.Store
	// Client posts to the same handler in-process with gqlgen's test client.
	Client *client.Client
	// Handler is the gateway's whole HTTP handler, for in-process requests.
	Handler http.Handler

	http  *httptest.Server
	token string // sent as a bearer token by Do, Post, Get and Send (As)
}

// Option configures New.
type Option func(*settings)

type settings struct {
	seed    fs.FS
	options httpapi.Options
	path    string
}

// WithDatabase keeps the database in the file at path (which must not
// exist yet) instead of a temporary one, for a test that reads the file.
func WithDatabase(path string) Option { return func(s *settings) { s.path = path } }

// WithSeed loads the seed files of fsys instead of the built-in seed.
func WithSeed(fsys fs.FS) Option { return func(s *settings) { s.seed = fsys } }

// WithOptions sets the handler's options.
func WithOptions(o httpapi.Options) Option { return func(s *settings) { s.options = o } }

// New starts a gateway over a new database seeded from the built-in seed
// (or WithSeed's): an SQLite file, or a PostgreSQL database when
// INVESTGRAPH_TEST_POSTGRES names a server (see dbtest). Everything is torn down when the test ends. Unless
// WithOptions gives a Logger, the gateway logs through t.Log, so its request
// lines show only for failing tests or with -v.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := settings{seed: seed.Files()}
	for _, o := range opts {
		o(&cfg)
	}
	ctx := context.Background()
	if cfg.path == "" {
		// A new database of the engine under test (see dbtest).
		cfg.path = dbtest.NewDatabase(t)
	}
	store, err := db.Open(ctx, cfg.path)
	if err != nil {
		t.Fatalf("graphtest: open database: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	if err := seed.LoadFS(ctx, store, cfg.seed); err != nil {
		t.Fatalf("graphtest: load seed: %v", err)
	}
	if cfg.options.Seed == nil {
		cfg.options.Seed = cfg.seed // changesets are applied over it
	}
	if cfg.options.Logger == nil {
		cfg.options.Logger = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	h := httpapi.NewHandler(store, cfg.options)
	hs := httptest.NewServer(h) // listens on 127.0.0.1 only
	t.Cleanup(hs.Close)
	return &Server{URL: hs.URL + "/graphql", Store: store, Client: client.New(h, client.Path("/graphql")), Handler: h, http: hs}
}

// BaseURL is the server's root, where GraphiQL is served.
func (s *Server) BaseURL() string { return s.http.URL }

// HTTPClient is a client for the server, for tests that build their own
// requests.
func (s *Server) HTTPClient() *http.Client { return s.http.Client() }

// Fetch GETs a path of the server, such as "/metrics" or
// "/schema.graphql", and returns its body, failing the test unless the
// status is 200.
func (s *Server) Fetch(t testing.TB, path string) string {
	t.Helper()
	resp, err := s.HTTPClient().Get(s.BaseURL() + path)
	if err != nil {
		t.Fatalf("graphtest: GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("graphtest: GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("graphtest: GET %s: status %d: %s", path, resp.StatusCode, truncate(b))
	}
	return string(b)
}

// Response is a GraphQL response with its HTTP status and headers.
type Response struct {
	Status     int
	Header     http.Header
	Data       json.RawMessage
	Errors     []Error
	Extensions map[string]any
	// Raw is the response body as received.
	Raw []byte
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code returns the error's extensions.code.
func (e Error) Code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

// Statements returns how many SQL statements the request ran.
func (r *Response) Statements() int {
	n, _ := r.Extensions["sqlStatements"].(float64)
	return int(n)
}

// Cost returns the query's computed cost (extensions.cost), or -1 when the
// request was rejected before it was priced.
func (r *Response) Cost() int {
	n, ok := r.Extensions["cost"].(float64)
	if !ok {
		return -1
	}
	return int(n)
}

// HasData reports whether the response has a data entry, as every response
// to an operation that ran has and no request error has.
func (r *Response) HasData() bool { return len(r.Data) > 0 }

// Decode unmarshals the response's data into v.
func (r *Response) Decode(v any) error {
	if len(r.Data) == 0 || string(r.Data) == "null" {
		return fmt.Errorf("graphtest: response has no data (errors: %v)", r.Errors)
	}
	return json.Unmarshal(r.Data, v)
}

// Do posts a query with variables over HTTP and returns the response,
// whatever its status. It fails the test only if no GraphQL response came.
func (s *Server) Do(t testing.TB, query string, vars map[string]any) *Response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatalf("graphtest: encode request: %v", err)
	}
	return s.Post(t, "application/json", body)
}

// Post sends a raw body with a content type, for tests of the transport.
func (s *Server) Post(t testing.TB, contentType string, body []byte) *Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("graphtest: %v", err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	return s.send(t, req)
}

// Get sends a query with variables as a GET request.
func (s *Server) Get(t testing.TB, query string, vars map[string]any) *Response {
	t.Helper()
	q := url.Values{"query": {query}}
	if vars != nil {
		b, err := json.Marshal(vars)
		if err != nil {
			t.Fatalf("graphtest: encode variables: %v", err)
		}
		q.Set("variables", string(b))
	}
	req, err := http.NewRequest(http.MethodGet, s.URL+"?"+q.Encode(), nil)
	if err != nil {
		t.Fatalf("graphtest: %v", err)
	}
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	return s.send(t, req)
}

// Send sends a request built by the test to the server and returns its
// response, which must be a JSON GraphQL response.
func (s *Server) Send(t testing.TB, req *http.Request) *Response {
	t.Helper()
	return s.send(t, req)
}

func (s *Server) send(t testing.TB, req *http.Request) *Response {
	t.Helper()
	if s.token != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := s.http.Client().Do(req)
	if err != nil {
		t.Fatalf("graphtest: %s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("graphtest: read response: %v", err)
	}
	out := &Response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("graphtest: response is not JSON (status %d): %s", resp.StatusCode, truncate(raw))
	}
	return out
}

// MustQuery runs a query that must succeed and decodes its data into out
// (when out is not nil). Any GraphQL error fails the test.
func (s *Server) MustQuery(t testing.TB, query string, vars map[string]any, out any) *Response {
	t.Helper()
	resp := s.Do(t, query, vars)
	if len(resp.Errors) > 0 {
		t.Fatalf("graphtest: query failed: %s", formatErrors(resp.Errors))
	}
	if out != nil {
		if err := resp.Decode(out); err != nil {
			t.Fatalf("graphtest: %v", err)
		}
	}
	return resp
}

// MustFail runs a query that must fail and returns its first error.
func (s *Server) MustFail(t testing.TB, query string, vars map[string]any) Error {
	t.Helper()
	resp := s.Do(t, query, vars)
	if len(resp.Errors) == 0 {
		t.Fatalf("graphtest: query succeeded, want an error: %s", truncate(resp.Data))
	}
	return resp.Errors[0]
}

func formatErrors(errs []Error) string {
	var b strings.Builder
	for i, e := range errs {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s (code %s, path %v)", e.Message, e.Code(), e.Path)
	}
	return b.String()
}

func truncate(b []byte) string {
	if len(b) > 500 {
		return string(b[:500]) + "..."
	}
	return string(b)
}

// testWriter sends the gateway's log lines to t.Log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
