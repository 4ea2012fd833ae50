package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/graphtest/querygen"
	"github.com/investgraph/investgraph/httpapi"
)

// compiledQueries is how many generated queries TestCompiledMatchesGqlgen
// sends to each executor.
const compiledQueries = 10_000

// TestCompiledMatchesGqlgen sends the same generated queries (see
// graphtest/querygen: aliases, fragments, @skip and @include, variables,
// asOf, bad arguments) to two handlers over one store, one with the
// compiled executor and one with gqlgen's, and requires the same status
// and the same body byte for byte, data, errors with their paths,
// locations and codes, and extensions. The one liberty: gqlgen's executor
// resolves sibling root fields and list elements on goroutines of their
// own, so the order of its errors varies from run to run; both lists are
// sorted before comparing, and the count of SQL statements is left out
// (see sortedErrors). It also requires that most queries ran on the
// compiled executor, so that a regression to gqlgen's cannot pass unseen.
func TestCompiledMatchesGqlgen(t *testing.T) {
	fast, slow, logs := compiledPair(t)
	gen := querygen.New(graph.Schema(), querygen.SamplesFrom(t, fast))
	base := uint64(0)
	if s := os.Getenv("QUERYGEN_SEED"); s != "" {
		var err error
		if base, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("QUERYGEN_SEED=%q: %v", s, err)
		}
	}
	failures := 0
	for seed := base; seed < base+compiledQueries; seed++ {
		q := gen.Generate(seed)
		if problem := compareExecutors(fast.Handler, slow, q); problem != "" {
			failures++
			t.Errorf("%s\n\n%s\n\nrerun from this query with QUERYGEN_SEED=%d", problem, q, seed)
			if failures == 5 {
				t.Fatalf("stopping after %d failures", failures)
			}
		}
	}
	if logs.String() != "" {
		t.Errorf("the servers logged errors:\n%s", truncated(logs.String()))
	}
	ran := executorCounts(t, fast.Handler)
	t.Logf("%d queries from seed %d: %d on the compiled executor, %d handed to gqlgen's",
		compiledQueries, base, ran["fast"], ran["gqlgen"])
	if ran["fast"] < compiledQueries/3 {
		t.Errorf("only %d of %d queries ran on the compiled executor", ran["fast"], compiledQueries)
	}
}

// compiledPair returns a server on the compiled executor and a handler on
// gqlgen's, over two stores of the same data: the store caches money
// summaries between requests, so over one store the second executor to
// answer would run fewer statements than the first.
func compiledPair(t *testing.T) (*graphtest.Server, http.Handler, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelError}))
	fast := graphtest.New(t, graphtest.WithOptions(httpapi.Options{Logger: logger, Executor: "fast"}))
	slow := graphtest.New(t, graphtest.WithOptions(httpapi.Options{Logger: logger, Executor: "gqlgen"}))
	attachSomeTexts(t, fast.Store)
	attachSomeTexts(t, slow.Store)
	return fast, slow.Handler, logs
}

// attachSomeTexts gives every other source of the store a text written
// for the test, so that Citation.text is a string for some citations and
// null for others.
func attachSomeTexts(t *testing.T, s *db.Store) {
	t.Helper()
	d, err := s.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string][]string{}
	for i, src := range d.Sources {
		if i%2 == 0 {
			for p := range src.Paragraphs {
				texts[src.Slug] = append(texts[src.Slug], fmt.Sprintf("Test paragraph %d of %s, with \"quotes\" and a tab\there.", p+1, src.Slug))
			}
		}
	}
	if err := s.AttachTexts(t.Context(), texts); err != nil {
		t.Fatal(err)
	}
}

// compareExecutors posts q to both handlers and describes how their
// answers differ, or returns "".
func compareExecutors(fast, slow http.Handler, q querygen.Query) string {
	a, b := post(fast, q), post(slow, q)
	if a.Code != b.Code {
		return fmt.Sprintf("status %d on the compiled executor, %d on gqlgen's\ncompiled: %s\ngqlgen:   %s",
			a.Code, b.Code, truncated(a.Body.String()), truncated(b.Body.String()))
	}
	ab, bb := sortedErrors(a.Body.Bytes()), sortedErrors(b.Body.Bytes())
	if !bytes.Equal(ab, bb) {
		i := 0
		for i < len(ab) && i < len(bb) && ab[i] == bb[i] {
			i++
		}
		from := max(0, i-300)
		return fmt.Sprintf("bodies differ at byte %d\ncompiled: ...%s\ngqlgen:   ...%s", i,
			truncated(string(ab[from:])), truncated(string(bb[from:])))
	}
	return ""
}

func post(h http.Handler, q querygen.Query) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(q.Body()))
	req.Header.Set("Content-Type", mediaJSON)
	req.Header.Set("Accept", mediaResponse)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// sortedErrors returns body with its errors in a fixed order, without the
// count of SQL statements among its extensions, and the rest as it was:
// the fields in the order the server wrote them. gqlgen's executor runs
// sibling root fields at once, and how many statements their prefetch
// walks and shared money summaries take then depends on which goes first
// (the same query's count varies from run to run on gqlgen's executor
// alone); the tests of statement counts (nplus1_test.go, the prefetch
// coverage tests) hold the compiled executor to its counts.
func sortedErrors(body []byte) []byte {
	var fields []struct {
		key   string
		value json.RawMessage
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return body
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return body
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return body
		}
		key, _ := tok.(string)
		if key == "extensions" {
			var ext map[string]json.RawMessage
			if json.Unmarshal(v, &ext) == nil {
				delete(ext, "sqlStatements")
				v, _ = json.Marshal(ext)
			}
		}
		if key == "errors" {
			var errs []json.RawMessage
			if json.Unmarshal(v, &errs) == nil {
				slices.SortFunc(errs, func(a, b json.RawMessage) int { return bytes.Compare(a, b) })
				v, _ = json.Marshal(errs)
			}
		}
		fields = append(fields, struct {
			key   string
			value json.RawMessage
		}{key, v})
	}
	var out bytes.Buffer
	out.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			out.WriteByte(',')
		}
		k, _ := json.Marshal(f.key)
		out.Write(k)
		out.WriteByte(':')
		out.Write(f.value)
	}
	out.WriteByte('}')
	return out.Bytes()
}

// executorCounts reads investgraph_graphql_executor_total from h's metrics.
func executorCounts(t *testing.T, h http.Handler) map[string]int {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	counts := map[string]int{}
	for _, line := range bytes.Split(rec.Body.Bytes(), []byte("\n")) {
		var executor string
		var n float64
		if _, err := fmt.Sscanf(string(line), "investgraph_graphql_executor_total{executor=%q} %g", &executor, &n); err == nil {
			counts[executor] = int(n)
		}
	}
	return counts
}
