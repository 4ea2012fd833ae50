package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/graphtest/querygen"
	"github.com/investgraph/investgraph/httpapi"
)

// TestExecutorsAgree sends generated queries (graphtest/querygen) to the
// compiled executor and to gqlgen's, over stores of the same data, and
// requires the same status and body, errors compared as a set and the
// count of SQL statements left out. httpapi's TestCompiledMatchesGqlgen
// sends many more; these few keep the two executors together in this
// package's own tests, and record which of the queries the compiled
// executor runs itself.
func TestExecutorsAgree(t *testing.T) {
	fast := graphtest.New(t, graphtest.WithOptions(httpapi.Options{Executor: graph.ExecutorCompiled}))
	slow := graphtest.New(t, graphtest.WithOptions(httpapi.Options{Executor: graph.ExecutorGqlgen}))
	gen := querygen.New(graph.Schema(), querygen.SamplesFrom(t, fast))
	failures := 0
	var ran strings.Builder
	for seed := range uint64(300) {
		q := gen.Generate(seed)
		before := compiledRuns(t, fast)
		a, b := postQuery(fast.Handler, q), postQuery(slow.Handler, q)
		if compiledRuns(t, fast) > before {
			ran.WriteByte('C')
		} else {
			ran.WriteByte('g')
		}
		if seed%60 == 59 {
			ran.WriteByte('\n')
		}
		if a.Code != b.Code || !bytes.Equal(normalized(a.Body.Bytes()), normalized(b.Body.Bytes())) {
			failures++
			t.Errorf("%s\ncompiled: %d %s\ngqlgen:   %d %s", q, a.Code, cut(a.Body.String()), b.Code, cut(b.Body.String()))
			if failures == 3 {
				t.Fatal("stopping after 3 failures")
			}
		}
	}
	// Which queries the compiled executor runs itself (C) and which it
	// hands to gqlgen's (g), as reviewed: a change in what it supports
	// shows in the diff. Rewrite with -update.
	const path = "testdata/executors.txt"
	if *update {
		if err := os.WriteFile(path, []byte(ran.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run go test ./graph -run TestExecutorsAgree -update", err)
	}
	if got := ran.String(); got != string(want) {
		t.Errorf("the compiled executor ran other queries than %s says (C compiled, g handed to gqlgen; rerun with -update if meant):\n got:\n%s\nwant:\n%s", path, got, want)
	}
	if n := strings.Count(ran.String(), "C"); n < 100 {
		t.Errorf("only %d of 300 queries ran on the compiled executor", n)
	}
}

// compiledRuns reads how many operations the compiled executor has run
// itself from the server's metrics.
func compiledRuns(t *testing.T, srv *graphtest.Server) int {
	t.Helper()
	for _, line := range strings.Split(srv.Fetch(t, "/metrics"), "\n") {
		var n float64
		if _, err := fmt.Sscanf(line, `investgraph_graphql_executor_total{executor="fast"} %g`, &n); err == nil {
			return int(n)
		}
	}
	return 0
}

func postQuery(h http.Handler, q querygen.Query) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(q.Body()))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// normalized is a response with its errors sorted and without the count of
// SQL statements, which depends on the order gqlgen's goroutines run in.
func normalized(body []byte) []byte {
	var resp map[string]json.RawMessage
	if json.Unmarshal(body, &resp) != nil {
		return body
	}
	if raw, ok := resp["extensions"]; ok {
		var ext map[string]json.RawMessage
		if json.Unmarshal(raw, &ext) == nil {
			delete(ext, "sqlStatements")
			resp["extensions"], _ = json.Marshal(ext)
		}
	}
	if raw, ok := resp["errors"]; ok {
		var errs []json.RawMessage
		if json.Unmarshal(raw, &errs) == nil {
			slices.SortFunc(errs, func(a, b json.RawMessage) int { return bytes.Compare(a, b) })
			resp["errors"], _ = json.Marshal(errs)
		}
	}
	out, _ := json.Marshal(resp)
	return out
}

func cut(s string) string {
	if len(s) > 1500 {
		return fmt.Sprintf("%s… (%d bytes)", s[:1500], len(s))
	}
	return s
}
