package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/httpapi"
)

// exploreOps reads the explorer's operations from the committed build, by
// name.
func exploreOps(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("assets/explore/operations.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Operations []struct{ ID, Name, Body string }
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, o := range m.Operations {
		ids[o.Name] = o.ID
		if got := sha(o.Body); got != o.ID {
			t.Errorf("%s: id %s is not the body's sha256 %s", o.Name, o.ID, got)
		}
	}
	return ids
}

func TestExplorePage(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	rec := get(srv.Handler, "/explore")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /explore = %d", rec.Code)
	}
	csp := rec.Header().Get("Content-Security-Policy")
	m := regexp.MustCompile(`'nonce-([A-Za-z0-9_-]+)'`).FindStringSubmatch(csp)
	if m == nil || !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'self';") {
		t.Fatalf("Content-Security-Policy %q", csp)
	}
	body := rec.Body.String()
	if n := strings.Count(body, `nonce="`+m[1]+`"`); n != 2 || strings.Contains(body, "CSP_NONCE") {
		t.Errorf("the page carries the policy's nonce %d times (want on the script and the style), placeholder left: %v", n, strings.Contains(body, "CSP_NONCE"))
	}
	if again := get(srv.Handler, "/explore").Header().Get("Content-Security-Policy"); again == csp {
		t.Error("two responses share a nonce")
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}
	for _, re := range []*regexp.Regexp{scriptSrc, styleHref} {
		src := re.FindStringSubmatch(body)
		if src == nil || !strings.HasPrefix(src[1], "/explore/explore-") {
			t.Fatalf("no bundle file in the page: %v", src)
		}
		a := get(srv.Handler, src[1], "Accept-Encoding", "gzip")
		if a.Code != http.StatusOK || a.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(a.Header().Get("Cache-Control"), "immutable") {
			t.Errorf("GET %s = %d, %v", src[1], a.Code, a.Header())
		}
	}
	if rec := get(srv.Handler, "/explore/operations.json"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /explore/operations.json = %d, want 404 (the page needs only the hashes)", rec.Code)
	}
	if rec := get(srv.Handler, "/explore/nope.js"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /explore/nope.js = %d", rec.Code)
	}
	off := quietServer(t, httpapi.Options{DisableExplore: true})
	if rec := get(off.Handler, "/explore"); rec.Code != http.StatusNotFound {
		t.Errorf("with the explorer off, GET /explore = %d", rec.Code)
	}
}

// TestExploreOperations runs each operation the page runs, as written and
// as of a date, by hash, as the page sends them; and checks that the
// allow-list lets them through while the explorer is served.
func TestExploreOperations(t *testing.T) {
	ids := exploreOps(t)
	if got, want := httpapi.ExploreOperations().Len(), len(ids); got != want || want < 14 {
		t.Errorf("%d operations loaded, the manifest has %d", got, want)
	}
	srv := quietServer(t, httpapi.Options{})
	var search struct {
		Search struct {
			Edges []struct{ Node struct{ ID, Name string } }
		}
	}
	post := func(name string, vars map[string]any) (json.RawMessage, []string) {
		resp := postBody(t, srv, mediaResponse, jsonBody(t, map[string]any{"documentId": "sha256:" + ids[name], "variables": vars}))
		var codes []string
		for _, e := range resp.Errors {
			codes = append(codes, e.Code()+": "+e.Message)
		}
		return resp.Data, codes
	}
	data, errs := post("Search", map[string]any{"query": "bitu*", "types": []string{"PROJECT"}})
	if err := json.Unmarshal(data, &search); err != nil || len(errs) > 0 || len(search.Search.Edges) == 0 {
		t.Fatalf("Search: %s %v", data, errs)
	}
	caspi := search.Search.Edges[0].Node.ID
	for _, tc := range []struct {
		name string
		vars map[string]any
		want string
	}{
		{"Counts", nil, `"projects"`},
		{"Entity", map[string]any{"id": caspi}, "Caspi Bitum plant expansion"},
		{"Entity", map[string]any{"id": caspi, "basis": []string{"STATED"}}, `"basis":"STATED"`},
		{"About", map[string]any{"id": caspi}, `"statements"`},
		{"Neighborhood", map[string]any{"id": caspi}, "CITIC Group"},
		{"Neighborhood", map[string]any{"id": caspi, "basis": []string{"STATED"}}, `"basis":"STATED"`},
		{"Paths", map[string]any{"from": caspi, "to": caspi}, "paths"},
		{"Money", map[string]any{"groupBy": "YEAR"}, "excluded"},
		{"Money", map[string]any{"groupBy": "YEAR", "undatedByReportYear": true, "basis": []string{"STATED"}}, `"byReportYear":true`},
		{"Timeline", map[string]any{"subject": caspi}, "MEASUREMENT"},
		{"Timeline", nil, `"kind":"STATEMENT"`},
	} {
		for _, name := range []string{tc.name, tc.name + "AsOf"} {
			vars := map[string]any{}
			for k, v := range tc.vars {
				vars[k] = v
			}
			if name != tc.name {
				vars["asOf"] = "2024-12-31"
			}
			data, errs := post(name, vars)
			if len(errs) > 0 || !strings.Contains(string(data), tc.want) {
				t.Errorf("%s: %v %.300s", name, errs, data)
			}
			if name != tc.name && !strings.HasPrefix(string(data), `{"asOf":`) {
				t.Errorf("%s does not read under asOf: %.100s", name, data)
			}
		}
	}

	t.Run("AllowList", func(t *testing.T) {
		ops, err := httpapi.ParsePersistedOperations([]byte(manifest))
		if err != nil {
			t.Fatal(err)
		}
		body := jsonBody(t, map[string]any{"documentId": "sha256:" + ids["Counts"]})
		on := quietServer(t, httpapi.Options{PersistedOperations: ops, AllowList: true})
		if resp := postBody(t, on, mediaResponse, body); resp.Status != http.StatusOK || len(resp.Errors) > 0 {
			t.Errorf("allow-list with the explorer: %d %s", resp.Status, resp.Raw)
		}
		if resp := postBody(t, on, mediaResponse, jsonBody(t, map[string]any{"documentId": "company-card", "variables": map[string]any{"slug": "citic-group"}})); resp.Status != http.StatusOK {
			t.Errorf("the operator's operation: %d %s", resp.Status, resp.Raw)
		}
		off := quietServer(t, httpapi.Options{PersistedOperations: ops, AllowList: true, DisableExplore: true})
		assertRequestError(t, postBody(t, off, mediaResponse, body), http.StatusBadRequest, httpapi.CodePersistedQueryNotFound)
	})
}
