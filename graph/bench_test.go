package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/investgraph/investgraph/bench"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// benchHandler returns the gateway's handler over a freshly seeded database.
func benchHandler(b testing.TB) (http.Handler, *graphtest.Server) {
	b.Helper()
	srv := graphtest.New(b)
	opts := httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return httpapi.NewHandler(srv.Store, opts), srv
}

// post runs one request through h in-process and returns the response body,
// failing on a non-200 status or a GraphQL error.
func post(b testing.TB, h http.Handler, body []byte) []byte {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
		b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

func requestBody(b testing.TB, q bench.Query) []byte {
	body, err := json.Marshal(map[string]string{"query": q.Text})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkQuery runs each benchmark query in turn, one request at a time,
// through the whole HTTP handler. statements/op is the SQL statements each
// request ran.
func BenchmarkQuery(b *testing.B) {
	h, srv := benchHandler(b)
	for _, q := range bench.Available(graph.Schema()) {
		body := requestBody(b, q)
		b.Run(q.Name, func(b *testing.B) {
			b.ReportAllocs()
			before := srv.Store.Statements()
			for b.Loop() {
				post(b, h, body)
			}
			b.ReportMetric(float64(srv.Store.Statements()-before)/float64(b.N), "statements/op")
		})
	}
}

// BenchmarkQueryParallel runs each benchmark query from GOMAXPROCS
// goroutines at once: throughput rather than latency.
func BenchmarkQueryParallel(b *testing.B) {
	h, srv := benchHandler(b)
	for _, q := range bench.Available(graph.Schema()) {
		body := requestBody(b, q)
		b.Run(q.Name, func(b *testing.B) {
			b.ReportAllocs()
			before, cpu := srv.Store.Statements(), cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					post(b, h, body)
				}
			})
			b.ReportMetric(float64(srv.Store.Statements()-before)/float64(b.N), "statements/op")
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime returns the CPU time the process has used: under a shared machine
// it varies less than the elapsed time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestStatementsWithinDepth checks the no-N+1 budget of the traversal
// queries: no more SQL statements than the query's depth + 1. The loaders
// wait long for stragglers here, so that other tests running at the same
// time cannot split a batch; the load harness reports the statements under
// load with the default wait.
func TestStatementsWithinDepth(t *testing.T) {
	srv := graphtest.New(t)
	// Each query's response must hold the part named here, so that an empty
	// result cannot pass the budget.
	wants := map[string]string{"wide": `"participants":[{`, "design-card": `"capacityHistory":[{`}
	for name, want := range wants {
		t.Run(name, func(t *testing.T) {
			q, ok := bench.Find(name)
			if !ok {
				t.Fatalf("no benchmark query %q", name)
			}
			depth, err := bench.Depth(q.Text)
			if err != nil {
				t.Fatal(err)
			}
			resp := srv.MustQuery(t, q.Text, nil, nil)
			if got, limit := resp.Statements(), depth+1; got == 0 || got > limit {
				t.Errorf("statements = %d, want 1..%d (depth %d + 1)", got, limit, depth)
			}
			if !strings.Contains(string(resp.Data), want) {
				t.Errorf("response has no %s: %s", want, resp.Data)
			}
		})
	}
}

// BenchmarkExecutor runs Q1, Q2 and the other benchmark queries through
// each executor, one request at a time, for a side-by-side comparison:
//
//	go test ./graph -run '^$' -bench 'Executor' -count 6 | benchstat -col /executor -
func BenchmarkExecutor(b *testing.B) {
	srv := graphtest.New(b)
	for _, executor := range []string{graph.ExecutorGqlgen, graph.ExecutorCompiled} {
		h := httpapi.NewHandler(srv.Store, httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Executor: executor})
		for _, q := range bench.Available(graph.Schema()) {
			body := requestBody(b, q)
			b.Run("executor="+executor+"/"+q.Name, func(b *testing.B) {
				b.ReportAllocs()
				before := srv.Store.Statements()
				for b.Loop() {
					post(b, h, body)
				}
				b.ReportMetric(float64(srv.Store.Statements()-before)/float64(b.N), "statements/op")
			})
		}
	}
}
