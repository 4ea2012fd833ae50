package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/graphtest/querygen"
	"github.com/investgraph/investgraph/httpapi"
)

// generatedQueries is how many generated queries TestGeneratedQueries
// sends.
const generatedQueries = 10_000

// TestGeneratedQueries sends random valid queries (see graphtest/querygen)
// to the whole handler, in process. Whatever their arguments, each must get
// a JSON GraphQL response with data or errors and a status below 500; every
// error must have a message and a code, none INTERNAL nor a parse or
// validation error; no null may stand where the schema says non-null; and
// the server must log no error. Limit errors are fine: the generator goes
// past the default limits now and then.
//
// The queries are those of seeds QUERYGEN_SEED (0 unless set) onwards; a
// failure names the seed to start from to see it again first.
func TestGeneratedQueries(t *testing.T) {
	srv, logs := generatedServer(t)
	gen := newGenerator(t, srv)
	base := uint64(0)
	if s := os.Getenv("QUERYGEN_SEED"); s != "" {
		var err error
		if base, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("QUERYGEN_SEED=%q: %v", s, err)
		}
	}
	start := time.Now()
	outcomes := map[string]int{}
	failures := 0
	for seed := base; seed < base+generatedQueries; seed++ {
		q := gen.Generate(seed)
		outcome, problem := sendGenerated(srv, logs, q)
		outcomes[outcome]++
		if problem != "" {
			failures++
			t.Errorf("%s\n\n%s\n\nrerun from this query with QUERYGEN_SEED=%d", problem, q, seed)
			if failures == 5 {
				t.Fatalf("stopping after %d failures", failures)
			}
		}
	}
	t.Logf("%d queries from seed %d in %v; outcomes: %s", generatedQueries, base,
		time.Since(start).Round(time.Millisecond), formatOutcomes(outcomes))
}

// FuzzGeneratedQuery sends the generated query of each seed the fuzzer
// tries, with TestGeneratedQueries's checks.
func FuzzGeneratedQuery(f *testing.F) {
	for _, seed := range []uint64{0, 1, 2, 3, 42, 1 << 32, 1<<64 - 1} {
		f.Add(seed)
	}
	srv, logs := generatedServer(f)
	gen := newGenerator(f, srv)
	f.Fuzz(func(t *testing.T, seed uint64) {
		q := gen.Generate(seed)
		if _, problem := sendGenerated(srv, logs, q); problem != "" {
			t.Fatalf("%s\n\n%s", problem, q)
		}
	})
}

// newGenerator returns a generator of queries for srv, @defer included:
// deferred fragments run in line (inlineDefer), so nullAtNonNull would find
// a deferred fragment left out of the response.
func newGenerator(t testing.TB, srv *graphtest.Server) *querygen.Generator {
	t.Helper()
	return querygen.New(graph.Schema(), querygen.SamplesFrom(t, srv))
}

// generatedServer starts a server whose error log is kept in a buffer, so
// each query's logged errors can be shown with it.
func generatedServer(t testing.TB) (*graphtest.Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelError}))
	return graphtest.New(t, graphtest.WithOptions(httpapi.Options{Logger: logger})), logs
}

// sendGenerated posts q to srv's handler and checks the response. It
// returns the outcome (the error codes, or "data") and what is wrong, if
// anything, with what the server logged.
func sendGenerated(srv *graphtest.Server, logs *syncBuffer, q querygen.Query) (outcome, problem string) {
	logs.Reset()
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(q.Body()))
	req.Header.Set("Content-Type", mediaJSON)
	req.Header.Set("Accept", mediaResponse)
	rec := httptest.NewRecorder()
	srv.Handler.ServeHTTP(rec, req)
	outcome, problem = checkGenerated(rec)
	if problem == "" {
		problem = nullAtNonNull(q, rec.Body.Bytes())
	}
	if logged := logs.String(); logged != "" && problem == "" {
		problem = "the server logged an error"
	}
	if problem != "" {
		problem = fmt.Sprintf("%s\nstatus %d: %s\nlog:\n%s", problem, rec.Code, truncated(rec.Body.String()), logs.String())
	}
	return outcome, problem
}

// checkGenerated checks a response to a generated query.
func checkGenerated(rec *httptest.ResponseRecorder) (outcome, problem string) {
	if rec.Code >= 500 {
		return "status " + strconv.Itoa(rec.Code), "status 5xx"
	}
	var resp struct {
		Data   json.RawMessage
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		return "not JSON", "body is not a JSON object: " + err.Error()
	}
	if len(resp.Data) == 0 && len(resp.Errors) == 0 {
		return "empty", "neither data nor errors"
	}
	var codes []string
	for _, e := range resp.Errors {
		switch {
		case e.Message == "" || e.Extensions.Code == "":
			return "uncoded", "an error without a message or a code"
		case e.Extensions.Code == httpapi.CodeInternal:
			return httpapi.CodeInternal, "an INTERNAL error"
		case e.Extensions.Code == httpapi.CodeParseFailed || e.Extensions.Code == httpapi.CodeValidationFailed:
			// The generator's documents are valid; their variables' values
			// may not be, but those are BAD_USER_INPUT.
			return e.Extensions.Code, "a valid document refused as invalid: " + e.Message
		}
		if !slices.Contains(codes, e.Extensions.Code) {
			codes = append(codes, e.Extensions.Code)
		}
	}
	if len(codes) == 0 {
		return "data", ""
	}
	slices.Sort(codes)
	return strings.Join(codes, "+"), ""
}

// nullAtNonNull describes where the response data has a null for a field
// or list item the schema says is non-null, or returns "". The GraphQL
// specification never allows one: the error that made it null nulls its
// parent instead.
func nullAtNonNull(q querygen.Query, body []byte) string {
	var resp struct{ Data map[string]any }
	if !bytes.Contains(body, []byte("null")) || json.Unmarshal(body, &resp) != nil || resp.Data == nil {
		return ""
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: q.Query})
	if err != nil {
		return ""
	}
	if errs := validator.Validate(graph.Schema(), doc); len(errs) > 0 {
		return ""
	}
	op := doc.Operations.ForName(q.OperationName)
	if op == nil {
		return ""
	}
	if path := nullIn(doc, op.SelectionSet, resp.Data, "data"); path != "" {
		return "a null at non-null " + path
	}
	return ""
}

// nullIn finds a null at a non-null position in obj, the value of a
// selection set, or returns "".
func nullIn(doc *ast.QueryDocument, set ast.SelectionSet, obj map[string]any, path string) string {
	fields := map[string][]*ast.Field{}
	collectFields(doc, set, fields)
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		fs := fields[key]
		if len(fs) == 0 || fs[0].Definition == nil {
			continue
		}
		if p := nullInValue(doc, fs, fs[0].Definition.Type, obj[key], path+"."+key); p != "" {
			return p
		}
	}
	return ""
}

func nullInValue(doc *ast.QueryDocument, fields []*ast.Field, t *ast.Type, v any, path string) string {
	switch v := v.(type) {
	case nil:
		if t.NonNull {
			return path
		}
	case []any:
		for i, item := range v {
			if p := nullInValue(doc, fields, t.Elem, item, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case map[string]any:
		var set ast.SelectionSet
		for _, f := range fields {
			set = append(set, f.SelectionSet...)
		}
		return nullIn(doc, set, v, path)
	}
	return ""
}

// collectFields gathers the fields of set by response name, through its
// fragments.
func collectFields(doc *ast.QueryDocument, set ast.SelectionSet, into map[string][]*ast.Field) {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			into[sel.Alias] = append(into[sel.Alias], sel)
		case *ast.InlineFragment:
			collectFields(doc, sel.SelectionSet, into)
		case *ast.FragmentSpread:
			if f := doc.Fragments.ForName(sel.Name); f != nil {
				collectFields(doc, f.SelectionSet, into)
			}
		}
	}
}

func formatOutcomes(outcomes map[string]int) string {
	keys := slices.SortedFunc(maps.Keys(outcomes), func(a, b string) int { return outcomes[b] - outcomes[a] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, outcomes[k])
	}
	return strings.Join(parts, ", ")
}

func truncated(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}
