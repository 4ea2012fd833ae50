package httpapi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// apqBody is a request body with Apollo's persistedQuery extension; query
// may be empty to send the hash alone.
func apqBody(t testing.TB, query, hash string) string {
	body := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
	if query != "" {
		body["query"] = query
	}
	return jsonBody(t, body)
}

func postBody(t testing.TB, srv *graphtest.Server, accept, body string) *graphtest.Response {
	t.Helper()
	return srv.Send(t, request(t, srv, http.MethodPost, mediaJSON, accept, body))
}

func TestAutomaticPersistedQueries(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	query := `{ company(slug: "citic-group") { name } }`
	hash := sha(query)

	t.Run("HashUnknown", func(t *testing.T) {
		before := srv.Store.Statements()
		assertRequestError(t, postBody(t, srv, mediaResponse, apqBody(t, "", hash)), http.StatusBadRequest, httpapi.CodePersistedQueryNotFound)
		// Apollo clients read the code from a 200 response as well.
		assertRequestError(t, postBody(t, srv, mediaJSON, apqBody(t, "", hash)), http.StatusOK, httpapi.CodePersistedQueryNotFound)
		if srv.Store.Statements() != before {
			t.Error("SQL ran for an unknown persisted query")
		}
	})
	t.Run("Register", func(t *testing.T) {
		resp := postBody(t, srv, mediaResponse, apqBody(t, query, hash))
		if resp.Status != http.StatusOK || !strings.Contains(string(resp.Data), "CITIC Group") {
			t.Fatalf("status %d: %s", resp.Status, resp.Raw)
		}
	})
	t.Run("HashAlone", func(t *testing.T) {
		resp := postBody(t, srv, mediaResponse, apqBody(t, "", hash))
		if resp.Status != http.StatusOK || !strings.Contains(string(resp.Data), "CITIC Group") {
			t.Fatalf("status %d: %s", resp.Status, resp.Raw)
		}
	})
	t.Run("HashAloneOverGET", func(t *testing.T) {
		resp := srv.Send(t, getRequest(t, srv, "", url.Values{
			"extensions": {`{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}`},
		}))
		if resp.Status != http.StatusOK || !strings.Contains(string(resp.Data), "CITIC Group") {
			t.Fatalf("status %d: %s", resp.Status, resp.Raw)
		}
	})
	t.Run("ErrHashMismatch", func(t *testing.T) {
		resp := postBody(t, srv, mediaResponse, apqBody(t, `{ __typename }`, hash))
		assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodeBadRequest)
	})
	t.Run("ErrBadExtension", func(t *testing.T) {
		for _, ext := range []string{`{"persistedQuery":"x"}`, `{"persistedQuery":{"version":2,"sha256Hash":"` + hash + `"}}`, `{"persistedQuery":{"version":1,"sha256Hash":"abc"}}`} {
			resp := postBody(t, srv, mediaResponse, `{"query":"{ __typename }","extensions":`+ext+`}`)
			assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodeBadRequest)
		}
	})
	t.Run("InvalidQueriesNotStored", func(t *testing.T) {
		bad := `{ noSuchField }`
		assertRequestError(t, postBody(t, srv, mediaResponse, apqBody(t, bad, sha(bad))), http.StatusBadRequest, httpapi.CodeValidationFailed)
		assertRequestError(t, postBody(t, srv, mediaResponse, apqBody(t, "", sha(bad))), http.StatusBadRequest, httpapi.CodePersistedQueryNotFound)
	})
	t.Run("CacheMetrics", func(t *testing.T) {
		metrics := srv.Fetch(t, "/metrics")
		for _, want := range []string{`investgraph_cache_lookups_total{cache="apq",result="hit"} 2`, `investgraph_cache_lookups_total{cache="apq",result="miss"} 3`} {
			if !strings.Contains(metrics, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
	})
}

func TestAPQOff(t *testing.T) {
	srv := quietServer(t, httpapi.Options{APQCacheSize: -1})
	query := `{ __typename }`
	postBody(t, srv, mediaResponse, apqBody(t, query, sha(query)))
	assertRequestError(t, postBody(t, srv, mediaResponse, apqBody(t, "", sha(query))), http.StatusBadRequest, httpapi.CodePersistedQueryNotFound)
}

const manifest = `{
  "format": "apollo-persisted-query-manifest",
  "version": 1,
  "operations": [
    {"id": "company-card", "name": "CompanyCard", "type": "query",
     "body": "query CompanyCard($slug: String!) { company(slug: $slug) { name } }"}
  ]
}`

func TestAllowList(t *testing.T) {
	ops, err := httpapi.ParsePersistedOperations([]byte(manifest))
	if err != nil {
		t.Fatal(err)
	}
	srv := quietServer(t, httpapi.Options{PersistedOperations: ops, AllowList: true})
	body := "query CompanyCard($slug: String!) { company(slug: $slug) { name } }"
	vars := map[string]any{"slug": "citic-group"}

	for _, tc := range []struct{ name, req string }{
		{"ByDocumentID", jsonBody(t, map[string]any{"documentId": "company-card", "variables": vars})},
		{"ByDocumentIDHash", jsonBody(t, map[string]any{"documentId": "sha256:" + sha(body), "variables": vars})},
		{"ByAPQHash", jsonBody(t, map[string]any{"variables": vars,
			"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": sha(body)}}})},
		{"ByFullText", jsonBody(t, map[string]any{"query": body, "variables": vars})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := postBody(t, srv, mediaResponse, tc.req)
			if resp.Status != http.StatusOK || !strings.Contains(string(resp.Data), "CITIC Group") {
				t.Errorf("status %d: %s", resp.Status, resp.Raw)
			}
		})
	}
	t.Run("ByDocumentIDOverGET", func(t *testing.T) {
		resp := srv.Send(t, getRequest(t, srv, "", url.Values{"documentId": {"company-card"}, "variables": {`{"slug":"citic-group"}`}}))
		if resp.Status != http.StatusOK || !strings.Contains(string(resp.Data), "CITIC Group") {
			t.Errorf("status %d: %s", resp.Status, resp.Raw)
		}
	})
	t.Run("ErrOtherQuery", func(t *testing.T) {
		before := srv.Store.Statements()
		for _, accept := range []string{mediaResponse, mediaJSON} {
			resp := postBody(t, srv, accept, jsonBody(t, map[string]any{"query": `{ companies { totalCount } }`}))
			assertRequestError(t, resp, http.StatusForbidden, httpapi.CodeOperationNotAllowed)
		}
		if srv.Store.Statements() != before {
			t.Error("SQL ran for an operation outside the allow-list")
		}
	})
	t.Run("ErrUnknownDocument", func(t *testing.T) {
		resp := postBody(t, srv, mediaResponse, jsonBody(t, map[string]any{"documentId": "nope"}))
		assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodePersistedQueryNotFound)
	})
	t.Run("ErrNoAPQRegistration", func(t *testing.T) {
		q := `{ __typename }`
		assertRequestError(t, postBody(t, srv, mediaResponse, apqBody(t, q, sha(q))), http.StatusForbidden, httpapi.CodeOperationNotAllowed)
		assertRequestError(t, postBody(t, srv, mediaResponse, apqBody(t, "", sha(q))), http.StatusBadRequest, httpapi.CodePersistedQueryNotFound)
	})
}

func TestParsePersistedOperations(t *testing.T) {
	t.Run("ApolloManifest", func(t *testing.T) {
		ops, err := httpapi.ParsePersistedOperations([]byte(manifest))
		if err != nil || ops.Len() != 1 {
			t.Errorf("ops %d, err %v", ops.Len(), err)
		}
	})
	t.Run("IDMap", func(t *testing.T) {
		ops, err := httpapi.ParsePersistedOperations([]byte(`{"a": "{ __typename }", "b": "query B { companies { totalCount } }"}`))
		if err != nil || ops.Len() != 2 {
			t.Errorf("ops %d, err %v", ops.Len(), err)
		}
	})
	for _, tc := range []struct{ name, data string }{
		{"ErrNotJSON", `nope`},
		{"ErrEmpty", `{}`},
		{"ErrSyntax", `{"a": "{ company( }"}`},
		{"ErrInvalidAgainstSchema", `{"a": "{ noSuchField }"}`},
		{"ErrUnknownFormat", `{"format": "other", "operations": [{"id": "a", "body": "{ __typename }"}]}`},
		{"ErrMissingBody", `{"operations": [{"id": "a"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := httpapi.ParsePersistedOperations([]byte(tc.data)); err == nil {
				t.Error("no error")
			}
		})
	}
	t.Run("ErrAllowListWithoutOperations", func(t *testing.T) {
		if _, err := httpapi.New(graphtest.New(t).Store, httpapi.Options{AllowList: true}); err == nil {
			t.Error("allow-list mode without operations accepted")
		}
	})
}
