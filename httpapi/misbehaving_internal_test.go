package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graph/exec"
	"github.com/investgraph/investgraph/graph/model"
	"github.com/investgraph/investgraph/seed"
)

// misbehaving is a resolver root whose Query.node misbehaves as its test
// needs; every other field resolves normally.
type misbehaving struct {
	*graph.Resolver
	node func(ctx context.Context, r *graph.Resolver) (model.Node, error)
}

func (m misbehaving) Query() exec.QueryResolver { return misbehavingQuery{m.Resolver.Query(), m} }

type misbehavingQuery struct {
	exec.QueryResolver
	m misbehaving
}

func (q misbehavingQuery) Node(ctx context.Context, _ string) (model.Node, error) {
	return q.m.node(ctx, q.m.Resolver)
}

// testStore opens a seeded database in a temporary directory.
func testStore(t *testing.T) *db.Store {
	t.Helper()
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := seed.LoadFS(ctx, store, seed.Files()); err != nil {
		t.Fatal(err)
	}
	return store
}

// syncBuffer is a log destination safe for concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// misbehavingGateway serves a schema whose Query.node runs node.
func misbehavingGateway(t *testing.T, opts Options, node func(context.Context, *graph.Resolver) (model.Node, error)) (http.Handler, *syncBuffer) {
	t.Helper()
	store := testStore(t)
	logs := &syncBuffer{}
	opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	es := exec.NewExecutableSchema(exec.Config{Resolvers: misbehaving{&graph.Resolver{Store: store}, node}})
	g, err := newGateway(store, es, opts)
	if err != nil {
		t.Fatal(err)
	}
	return g, logs
}

// gqlResponse is a decoded response.
type gqlResponse struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

func post(t *testing.T, h http.Handler, query string) (int, gqlResponse) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":`+strconvQuote(query)+`}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", mediaGraphQLResponse)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp gqlResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("response is not JSON: %s", rec.Body)
	}
	return rec.Code, resp
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestResolverPanic(t *testing.T) {
	h, logs := misbehavingGateway(t, Options{}, func(context.Context, *graph.Resolver) (model.Node, error) {
		panic("resolver bug")
	})
	status, resp := post(t, h, `{ node(id: "x") { id } company(slug: "citic-group") { name } }`)
	if status != http.StatusOK {
		t.Errorf("status = %d, want 200: the rest of the query ran", status)
	}
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != CodeInternal || resp.Errors[0].Message != "internal error" {
		t.Errorf("errors = %+v, want one INTERNAL \"internal error\"", resp.Errors)
	}
	if !strings.Contains(string(resp.Data), `"name":"CITIC Group"`) {
		t.Errorf("the other field of the request was lost: %s", resp.Data)
	}
	log := logs.String()
	if !strings.Contains(log, "panic in resolver") || !strings.Contains(log, "resolver bug") || !strings.Contains(log, "goroutine") {
		t.Errorf("panic not logged with its stack:\n%s", log)
	}
	// The next request is served normally.
	if status, resp := post(t, h, `{ company(slug: "citic-group") { name } }`); status != http.StatusOK || len(resp.Errors) > 0 {
		t.Errorf("after the panic: status %d, errors %+v", status, resp.Errors)
	}
}

func TestHandlerPanic(t *testing.T) {
	var logs syncBuffer
	h := recoverHTTP(slog.New(slog.NewTextHandler(&logs, nil)), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("handler bug")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/graphql", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `"code":"INTERNAL"`) {
		t.Errorf("status %d, body %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "handler bug") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("panic not logged with its stack:\n%s", logs.String())
	}
}

func TestDeadlineCancelsSQL(t *testing.T) {
	// The resolver waits out the request's deadline, then queries the
	// database: the store must refuse rather than run the statement, and
	// the client learns the request timed out, with no data: a response
	// whose resolvers were stopped has holes that would look like nulls.
	// The deadline passes when the test says, once the resolver is
	// waiting, so no clock decides what the request reaches first.
	var sqlErr error
	var left time.Duration
	var hasDeadline bool
	waiting := make(chan struct{})
	h, _ := misbehavingGateway(t, Options{Limits: Limits{Timeout: time.Hour}},
		func(ctx context.Context, r *graph.Resolver) (model.Node, error) {
			var d time.Time
			d, hasDeadline = ctx.Deadline()
			left = time.Until(d)
			close(waiting)
			<-ctx.Done()
			sqlErr = r.Store.Ping(ctx)
			return nil, sqlErr
		})
	ctx := newDeadline()
	go func() {
		<-waiting
		ctx.expire()
	}()
	status, resp := postContext(t, ctx, h, `{ node(id: "x") { id } }`)
	// -timeout itself puts the deadline on the request: an hour from its
	// start, of which a minute is far more than the request took.
	if !hasDeadline || left > time.Hour || left < time.Hour-time.Minute {
		t.Errorf("the resolver ran with deadline %v (%v left), want one an hour after the request began", hasDeadline, left)
	}
	if !errors.Is(sqlErr, context.DeadlineExceeded) {
		t.Errorf("SQL after the deadline returned %v, want context.DeadlineExceeded", sqlErr)
	}
	if status != http.StatusGatewayTimeout || len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != CodeTimeout ||
		!strings.Contains(resp.Errors[0].Message, "limit 1h0m0s") || resp.Data != nil {
		t.Errorf("status %d, errors %+v, data %s; want 504, one TIMEOUT error naming the limit, no data",
			status, resp.Errors, resp.Data)
	}
}

// deadline is a context whose deadline passes when expire is called: the
// contexts derived from it end with context.DeadlineExceeded then, as they
// would when a clock ran out.
type deadline struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newDeadline() *deadline {
	return &deadline{Context: context.Background(), done: make(chan struct{})}
}

func (d *deadline) expire() { d.once.Do(func() { close(d.done) }) }

func (d *deadline) Done() <-chan struct{} { return d.done }

func (d *deadline) Err() error {
	select {
	case <-d.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// postContext is post with the request's context.
func postContext(t *testing.T, ctx context.Context, h http.Handler, query string) (int, gqlResponse) {
	t.Helper()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(`{"query":`+strconvQuote(query)+`}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", mediaGraphQLResponse)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp gqlResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("response is not JSON: %s", rec.Body)
	}
	return rec.Code, resp
}

// TestResolverErrorHidden checks that an unexpected error reaches the
// client only as "internal error": its text (SQL, a Go type) is logged for
// the operator, never sent.
func TestResolverErrorHidden(t *testing.T) {
	raw := errors.New(`SQL logic error: no such column: x.secret in "SELECT x.secret FROM companies x" (*sqlite.Error)`)
	h, logs := misbehavingGateway(t, Options{}, func(context.Context, *graph.Resolver) (model.Node, error) {
		return nil, fmt.Errorf("find node: %w", raw)
	})
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ node(id: \"x\") { id } company(slug: \"citic-group\") { name } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", mediaGraphQLResponse)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body := rec.Body.String()
	var resp gqlResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("response is not JSON: %s", body)
	}
	if len(resp.Errors) != 1 || resp.Errors[0].Message != "internal error" || resp.Errors[0].Extensions["code"] != CodeInternal {
		t.Errorf("errors = %+v, want one INTERNAL \"internal error\"", resp.Errors)
	}
	for _, leak := range []string{"SQL", "SELECT", "secret", "sqlite", "find node"} {
		if strings.Contains(body, leak) {
			t.Errorf("the response names %q: %s", leak, body)
		}
	}
	if !strings.Contains(string(resp.Data), `"name":"CITIC Group"`) {
		t.Errorf("the other field of the request was lost: %s", resp.Data)
	}
	if log := logs.String(); !strings.Contains(log, "no such column: x.secret") {
		t.Errorf("the error is not logged:\n%s", log)
	}
}
