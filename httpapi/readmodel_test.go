package httpapi_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/graphtest/querygen"
	"github.com/investgraph/investgraph/httpapi"
)

// readModelQueries is how many generated queries TestReadModelMatchesStore
// sends, each twice to the servers with a read model.
const readModelQueries = 5_000

// TestReadModelMatchesStore sends the same generated queries (aliases,
// fragments, variables, asOf views) to a server that reads every row from
// the store and to servers whose read model keeps what earlier requests of
// the same data version read, and requires byte-identical answers apart
// from the statement counts: one model large enough to keep everything,
// and one so small that it starts afresh every few requests, each on both
// executors. Each query goes to the model servers twice, so the second
// answer comes from what the first left, and the model must have spared
// statements, or it was never used.
func TestReadModelMatchesStore(t *testing.T) {
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelError}))
	store := graphtest.New(t, graphtest.WithOptions(httpapi.Options{Logger: logger}))
	models := []struct {
		name string
		srv  *graphtest.Server
	}{
		{"large model, compiled", graphtest.New(t, graphtest.WithOptions(httpapi.Options{Logger: logger, ReadModel: httpapi.DefaultReadModel}))},
		{"small model, compiled", graphtest.New(t, graphtest.WithOptions(httpapi.Options{Logger: logger, ReadModel: 64}))},
		{"large model, gqlgen", graphtest.New(t, graphtest.WithOptions(httpapi.Options{Logger: logger, ReadModel: httpapi.DefaultReadModel, Executor: graph.ExecutorGqlgen}))},
	}
	gen := querygen.New(graph.Schema(), querygen.SamplesFrom(t, store))
	base := uint64(0)
	if s := os.Getenv("QUERYGEN_SEED"); s != "" {
		var err error
		if base, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("QUERYGEN_SEED=%q: %v", s, err)
		}
	}
	var fromStore int
	fromModel := make([]int, len(models))
	failures := 0
	for seed := base; seed < base+readModelQueries; seed++ {
		q := gen.Generate(seed)
		want := post(store.Handler, q)
		fromStore += statementsOf(want.Body.Bytes())
		for i, m := range models {
			for pass := range 2 {
				got := post(m.srv.Handler, q)
				if pass == 1 {
					fromModel[i] += statementsOf(got.Body.Bytes())
				}
				if problem := compareAnswers(got, want); problem != "" {
					failures++
					t.Errorf("%s, pass %d: %s\n\n%s\n\nrerun from this query with QUERYGEN_SEED=%d", m.name, pass+1, problem, q, seed)
					if failures == 5 {
						t.Fatalf("stopping after %d failures", failures)
					}
				}
			}
		}
	}
	if logs.String() != "" {
		t.Errorf("the servers logged errors:\n%s", truncated(logs.String()))
	}
	for i, m := range models {
		t.Logf("%s: %d statements on the second pass, %d reading everything from the store", m.name, fromModel[i], fromStore)
	}
	// The large models keep every row: their second passes run only the
	// root fields' statements.
	for _, i := range []int{0, 2} {
		if fromModel[i] >= fromStore*3/4 {
			t.Errorf("%s: %d statements on the second pass, want well under the store's %d", models[i].name, fromModel[i], fromStore)
		}
	}
}

// compareAnswers describes how a read model's answer differs from the
// store's, or returns "".
func compareAnswers(got, want *httptest.ResponseRecorder) string {
	if got.Code != want.Code {
		return fmt.Sprintf("status %d with the read model, %d without\nmodel: %s\nstore: %s",
			got.Code, want.Code, truncated(got.Body.String()), truncated(want.Body.String()))
	}
	a, b := sortedErrors(got.Body.Bytes()), sortedErrors(want.Body.Bytes())
	if !bytes.Equal(a, b) {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		from := max(0, i-300)
		return fmt.Sprintf("bodies differ at byte %d\nmodel: ...%s\nstore: ...%s", i,
			truncated(string(a[from:])), truncated(string(b[from:])))
	}
	return ""
}

// statementsOf returns the sqlStatements extension of a response body.
func statementsOf(body []byte) int {
	key := []byte(`"sqlStatements":`)
	i := bytes.LastIndex(body, key)
	if i < 0 {
		return 0
	}
	n := 0
	for _, c := range body[i+len(key):] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// TestReadModelFollowsCommits reads through a server with a read model,
// commits changesets, and reads again: each answer must be the one a
// server without the model gives over the same commits, though the model
// held the rows the commits changed.
func TestReadModelFollowsCommits(t *testing.T) {
	withModel := quietServer(t, httpapi.Options{ReadModel: httpapi.DefaultReadModel})
	without := quietServer(t, httpapi.Options{})
	const q = `{ companies(first: 100) { edges { node { name aliases citations { paragraph source { title } }
		projects { role project { name participants { role company { name citations { source { title } } } } } } } } } }`
	editors := []*graphtest.Server{withModel.Editor(t, "alice"), without.Editor(t, "alice")}
	for n := range 3 {
		for range 2 {
			got, want := withModel.Do(t, q, nil), without.Do(t, q, nil)
			if !bytes.Equal(got.Data, want.Data) {
				t.Fatalf("after %d changesets, with the read model:\n%s\nwithout:\n%s", n, truncated(string(got.Data)), truncated(string(want.Data)))
			}
			if n > 0 && !bytes.Contains(got.Data, fmt.Appendf(nil, "Example source %d", n-1)) {
				t.Fatalf("after %d changesets the answer misses the last one's source:\n%s", n, truncated(string(got.Data)))
			}
		}
		for _, e := range editors {
			e.ApplyChangeset(t, smallChangeset(n))
		}
	}
}

// TestReadModelConcurrent sends generated queries from several goroutines
// at once, each in its own order, to servers whose read model the requests
// share, and requires every answer to be the store's. Run under -race it
// also checks that nothing writes to the values the requests share.
func TestReadModelConcurrent(t *testing.T) {
	store := quietServer(t, httpapi.Options{})
	gen := querygen.New(graph.Schema(), querygen.SamplesFrom(t, store))
	const n, workers = 200, 6
	queries := make([]querygen.Query, n)
	want := make([][]byte, n)
	for i := range queries {
		queries[i] = gen.Generate(uint64(i))
		rec := post(store.Handler, queries[i])
		want[i] = sortedErrors(rec.Body.Bytes())
	}
	for _, size := range []int64{httpapi.DefaultReadModel, 64} {
		t.Run(fmt.Sprintf("%d values", size), func(t *testing.T) {
			srv := quietServer(t, httpapi.Options{ReadModel: size})
			errs := make(chan string, workers)
			for w := range workers {
				go func() {
					for k := range n {
						i := (k*(2*w+1) + w) % n
						if got := sortedErrors(post(srv.Handler, queries[i]).Body.Bytes()); !bytes.Equal(got, want[i]) {
							errs <- fmt.Sprintf("query %d differs from the store's answer:\n%s\n\nmodel: %s\nstore: %s",
								i, queries[i], truncated(string(got)), truncated(string(want[i])))
							return
						}
					}
					errs <- ""
				}()
			}
			for range workers {
				if e := <-errs; e != "" {
					t.Error(e)
				}
			}
		})
	}
}
