package httpapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// FuzzHandler runs its seeds (f.Add and testdata/fuzz) as a plain test;
// .ci/fuzz runs it with -fuzz for a few seconds.

// fuzzMethods are the methods FuzzHandler picks from.
var fuzzMethods = []string{http.MethodPost, http.MethodGet, http.MethodOptions, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodPatch, "PROPFIND"}

// FuzzHandler sends random requests to /graphql: whatever comes in, the
// answer is a GraphQL response in JSON with coded errors and never a 5xx.
func FuzzHandler(f *testing.F) {
	for _, seed := range []struct {
		method                  uint8
		rawQuery, ctype, accept string
		body                    string
	}{
		{0, "", mediaJSON, "", `{"query":"{ company(name: \"CITIC\") { name projects { role } } }"}`},
		{0, "", mediaJSON, mediaResponse, `{"query":"query($n: Int) { companies(first: $n) { edges { cursor node { id name } } } }","variables":{"n":3}}`},
		{0, "", mediaJSON, "*/*", `{"query":"{ node(id: \"Q29tcGFueTpjaXRpYy1ncm91cA\") { id } }","operationName":null}`},
		{0, "", mediaJSON, "", `{"query":"{ companies(after: \"WyJrIiwicyJd\") { totalCount } }"}`},
		{0, "", mediaJSON, "", `{"query":"{","variables":[]}`},
		{0, "", mediaJSON, "", `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"}}}`},
		{0, "", "text/plain", "", `{"query":"{ __typename }"}`},
		{0, "", mediaJSON, "text/html", `{"query":"{ __typename }"}`},
		{0, "", mediaJSON + "; charset=utf-16", "", `{"query":"{ __typename }"}`},
		{0, "", mediaJSON, "", `[{"query":"{ __typename }"}]`},
		{0, "", mediaJSON, "", `{"query":"{ a: __typename b: __typename }","documentId":"x"}`},
		{0, "", mediaJSON, "", "{\"query\":\"{ company(slug: \\\"\xff\xfe\\\") { name } }\"}"},
		{1, "query=%7B__typename%7D", "", "", ""},
		{1, "query=mutation%7B__typename%7D", "", mediaResponse, ""},
		{1, "query=%7Bcompany(slug:%22citic-group%22)%7Bname%7D%7D&variables=%7B%7D&extensions=null", "", "", ""},
		{1, "query=%zz", "", "", ""},
		{1, "documentId=sha256:00", "", "", ""},
		{2, "", "", "", ""},
		{3, "query=%7B__typename%7D", "", "", ""},
		{4, "", mediaJSON, "", `{"query":"{ __typename }"}`},
	} {
		f.Add(seed.method, seed.rawQuery, seed.ctype, seed.accept, []byte(seed.body))
	}
	srv := graphtest.New(f, graphtest.WithOptions(httpapi.Options{
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		RateLimit: httpapi.RateLimit{PerSecond: 1e9, Burst: 1e9},
	}))
	f.Fuzz(func(t *testing.T, method uint8, rawQuery, ctype, accept string, body []byte) {
		req := httptest.NewRequest(fuzzMethods[int(method)%len(fuzzMethods)], "/graphql", strings.NewReader(string(body)))
		req.URL.RawQuery = rawQuery
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		rec := httptest.NewRecorder()
		srv.Handler.ServeHTTP(rec, req)
		checkGraphQLResponse(t, rec)
	})
}

// checkGraphQLResponse fails unless rec holds a non-5xx response that is a
// GraphQL response in JSON whose errors all have a code, or an empty 204.
func checkGraphQLResponse(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if rec.Code == http.StatusNoContent {
		if rec.Body.Len() != 0 {
			t.Fatalf("204 with a body: %s", rec.Body)
		}
		return
	}
	if ct := rec.Header().Get("Content-Type"); ct != mediaJSON+"; charset=utf-8" && ct != mediaResponse+"; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	var resp struct {
		Data   *json.RawMessage
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if !json.Valid(rec.Body.Bytes()) || json.Unmarshal(rec.Body.Bytes(), &resp) != nil {
		t.Fatalf("status %d, body is not a JSON object: %q", rec.Code, rec.Body)
	}
	if resp.Data == nil && len(resp.Errors) == 0 {
		t.Fatalf("status %d, neither data nor errors: %s", rec.Code, rec.Body)
	}
	for _, e := range resp.Errors {
		if e.Message == "" || e.Extensions.Code == "" {
			t.Fatalf("error without message or code: %s", rec.Body)
		}
		if e.Extensions.Code == httpapi.CodeInternal {
			t.Fatalf("internal error: %s", rec.Body)
		}
	}
}
