package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/investgraph/investgraph/httpapi"
)

// lockedBuffer collects log output from concurrent handlers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the JSON log records written so far.
func (b *lockedBuffer) lines(t testing.TB) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		out = append(out, rec)
	}
	return out
}

// serve runs one request in-process, so that its log line and metrics are
// written when it returns.
func serve(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if method == http.MethodPost {
		req.Header.Set("Content-Type", mediaJSON)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRequestLog(t *testing.T) {
	var logs lockedBuffer
	srv := quietServer(t, httpapi.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	rec := serve(srv.Handler, http.MethodPost, "/graphql",
		`{"query":"query CompanyCard { company(slug: \"citic-group\") { name } }"}`)
	serve(srv.Handler, http.MethodPost, "/graphql", `{"query":"{ company("}`)

	lines := logs.lines(t)
	if len(lines) != 2 {
		t.Fatalf("%d log lines for 2 requests: %v", len(lines), lines)
	}
	ok, failed := lines[0], lines[1]
	for key, want := range map[string]any{
		"msg": "graphql request", "request_id": rec.Header().Get("X-Request-Id"), "operation": "CompanyCard",
		"status": float64(200), "outcome": "ok", "cost": float64(1), "client": "ip:192.0.2.1", "method": "POST",
	} {
		if ok[key] != want {
			t.Errorf("log %s = %v, want %v", key, ok[key], want)
		}
	}
	if sql, _ := ok["sql"].(float64); sql < 1 {
		t.Errorf("log sql = %v, want the statements the query ran", ok["sql"])
	}
	if d, _ := ok["duration"].(float64); d <= 0 {
		t.Errorf("log duration = %v", ok["duration"])
	}
	if failed["outcome"] != httpapi.CodeParseFailed || failed["status"] != float64(200) || failed["sql"] != float64(0) {
		t.Errorf("failed request logged as %v", failed)
	}
	if _, priced := failed["cost"]; priced {
		t.Errorf("an unparsed request logged a cost: %v", failed)
	}
}

func TestMetrics(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	q := `{"query":"query CompanyCard { company(slug: \"citic-group\") { name projects { role } } }"}`
	for range 3 {
		if rec := serve(srv.Handler, http.MethodPost, "/graphql", q); rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
	}
	serve(srv.Handler, http.MethodPost, "/graphql", `{"query":"{ nope }"}`)
	rec := serve(srv.Handler, http.MethodGet, "/metrics", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`investgraph_graphql_requests_total{operation="CompanyCard",outcome="ok"} 3`,
		`investgraph_graphql_requests_total{operation="anonymous",outcome="GRAPHQL_VALIDATION_FAILED"} 1`,
		`investgraph_graphql_request_duration_seconds_count{operation="CompanyCard"} 3`,
		`investgraph_cache_lookups_total{cache="query",result="hit"} 2`,
		`investgraph_cache_lookups_total{cache="query",result="miss"} 2`,
		`investgraph_graphql_request_cost_count 3`,
		`investgraph_graphql_requests_in_flight 0`,
		`investgraph_rate_limited_total 0`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if got := metricValue(t, srv, "investgraph_sql_statements_total"); got < 6 {
		t.Errorf("investgraph_sql_statements_total = %v, want at least 2 per query", got)
	}
}

func TestMetricsBoundOperationNames(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	for i := range 205 {
		serve(srv.Handler, http.MethodPost, "/graphql", fmt.Sprintf(`{"query":"query Op%d { __typename }"}`, i))
	}
	body := serve(srv.Handler, http.MethodGet, "/metrics", "").Body.String()
	if got := strings.Count(body, "investgraph_graphql_requests_total{"); got != 201 {
		t.Errorf("%d operation series, want 200 names and other", got)
	}
	if !strings.Contains(body, `investgraph_graphql_requests_total{operation="other",outcome="ok"} 5`) {
		t.Error("names past the bound are not counted as other")
	}
}

func TestHideMetrics(t *testing.T) {
	g, err := httpapi.New(quietServer(t, httpapi.Options{}).Store, httpapi.Options{HideMetrics: true})
	if err != nil {
		t.Fatal(err)
	}
	if rec := serve(g, http.MethodGet, "/metrics", ""); rec.Code != http.StatusNotFound {
		t.Errorf("/metrics on the API handler: %d", rec.Code)
	}
	if rec := serve(g.MetricsHandler(), http.MethodGet, "/metrics", ""); rec.Code != http.StatusOK {
		t.Errorf("MetricsHandler: %d", rec.Code)
	}
}

func TestHealth(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	for _, path := range []string{"/healthz", "/readyz"} {
		rec := serve(srv.Handler, http.MethodGet, path, "")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"ok"`) {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
	// With the database gone the process is alive but not ready.
	if err := srv.Store.Close(); err != nil {
		t.Fatal(err)
	}
	if rec := serve(srv.Handler, http.MethodGet, "/healthz", ""); rec.Code != http.StatusOK {
		t.Errorf("/healthz with the database closed: %d", rec.Code)
	}
	if rec := serve(srv.Handler, http.MethodGet, "/readyz", ""); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database closed: %d %s", rec.Code, rec.Body)
	}
}

func TestCORS(t *testing.T) {
	preflight := func(h http.Handler, origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type") // as browsers send it
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	post := func(h http.Handler, origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
		req.Header.Set("Content-Type", mediaJSON)
		req.Header.Set("Origin", origin)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	const dash = "https://dash.example.org"
	srv := quietServer(t, httpapi.Options{CORSOrigins: []string{dash, "https://*.internal.example"}})
	t.Run("Preflight", func(t *testing.T) {
		rec := preflight(srv.Handler, dash)
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != dash {
			t.Errorf("Allow-Origin = %q", got)
		}
		if got := strings.ToLower(rec.Header().Get("Access-Control-Allow-Headers")); !strings.Contains(got, "authorization") {
			t.Errorf("Allow-Headers = %q", got)
		}
	})
	t.Run("Wildcard", func(t *testing.T) {
		if got := preflight(srv.Handler, "https://ops.internal.example").Header().Get("Access-Control-Allow-Origin"); got == "" {
			t.Error("a matching wildcard origin is refused")
		}
	})
	t.Run("Request", func(t *testing.T) {
		rec := post(srv.Handler, dash)
		if rec.Header().Get("Access-Control-Allow-Origin") != dash || !strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "X-Request-Id") {
			t.Errorf("headers %v", rec.Header())
		}
	})
	t.Run("ErrOtherOrigin", func(t *testing.T) {
		if got := preflight(srv.Handler, "https://evil.example").Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("Allow-Origin = %q for an unlisted origin", got)
		}
		if got := post(srv.Handler, "https://evil.example").Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("Allow-Origin = %q for an unlisted origin", got)
		}
	})
	t.Run("OffByDefault", func(t *testing.T) {
		plain := quietServer(t, httpapi.Options{})
		if got := post(plain.Handler, dash).Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("Allow-Origin = %q with no origins configured", got)
		}
	})
}
