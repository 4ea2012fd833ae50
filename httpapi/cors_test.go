package httpapi_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/httpapi"
)

func TestParseOrigins(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		got, err := httpapi.ParseOrigins(" https://dash.example.org, http://localhost:3000,,https://*.internal.example , http://[::1]:8080")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"https://dash.example.org", "http://localhost:3000", "https://*.internal.example", "http://[::1]:8080"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("ParseOrigins = %q, want %q", got, want)
		}
	})
	t.Run("OKAll", func(t *testing.T) {
		if got, err := httpapi.ParseOrigins("*"); err != nil || len(got) != 1 || got[0] != "*" {
			t.Errorf("ParseOrigins(*) = %q, %v", got, err)
		}
	})
	t.Run("OKNone", func(t *testing.T) {
		if got, err := httpapi.ParseOrigins(""); err != nil || len(got) != 0 {
			t.Errorf(`ParseOrigins("") = %q, %v`, got, err)
		}
	})
	for _, tc := range []struct {
		name, origins, want string
	}{
		{"ErrNoScheme", "127.0.0.1:19250",
			`"127.0.0.1:19250" is not an origin: it has no scheme; want scheme://host[:port], e.g. http://127.0.0.1:19250`},
		{"ErrNoSchemeHostName", "https://ok.example,app.example.com",
			`"app.example.com" is not an origin: it has no scheme; want scheme://host[:port], e.g. https://app.example.com`},
		{"ErrTrailingSlash", "http://localhost:3000/",
			`"http://localhost:3000/" is not an origin: it ends in /; want scheme://host[:port], e.g. http://localhost:3000`},
		{"ErrPath", "https://app.example.com/graphql",
			`"https://app.example.com/graphql" is not an origin: it has a path; want scheme://host[:port], e.g. https://app.example.com`},
		{"ErrQuery", "https://app.example.com?x=1", `it has a query; want scheme://host[:port], e.g. https://app.example.com`},
		{"ErrScheme", "ftp://files.example.com", `its scheme is not http or https; want scheme://host[:port], e.g. https://files.example.com`},
		{"ErrNoHost", "https://", "it has no host"},
		{"ErrTwoWildcards", "https://*.*.example.com", "it has more than one *"},
		{"ErrWildcardInPath", "https://example.com/*", "a * may only stand for part of the host"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := httpapi.ParseOrigins(tc.origins)
			if err == nil {
				t.Fatalf("ParseOrigins(%q) accepted", tc.origins)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
	t.Run("ErrNew", func(t *testing.T) {
		store := quietServer(t, httpapi.Options{}).Store
		if _, err := httpapi.New(store, httpapi.Options{CORSOrigins: []string{"localhost:3000"}}); err == nil ||
			!strings.Contains(err.Error(), `"localhost:3000" is not an origin`) {
			t.Errorf("New with a malformed origin: %v", err)
		}
	})
}

// TestCORSRefusedLog checks that a request from an origin the API does not
// allow, which the browser will not let its page read, is logged as refused
// with the flag that would allow it, exactly once, preflight or not.
func TestCORSRefusedLog(t *testing.T) {
	const dash, evil = "https://dash.example.org", "https://evil.example"
	send := func(h http.Handler, method, path, origin string) {
		var req *http.Request
		if method == http.MethodPost {
			req = httptest.NewRequest(method, path, strings.NewReader(`{"query":"{ __typename }"}`))
			req.Header.Set("Content-Type", mediaJSON)
		} else {
			req = httptest.NewRequest(method, path, nil)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if method == http.MethodOptions {
			req.Header.Set("Access-Control-Request-Method", "POST")
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	logged := func(t *testing.T, origins []string, method, path, origin string) []map[string]any {
		t.Helper()
		var logs lockedBuffer
		srv := quietServer(t, httpapi.Options{CORSOrigins: origins, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
		send(srv.Handler, method, path, origin)
		return logs.lines(t)
	}
	for _, tc := range []struct {
		name         string
		origins      []string
		method, path string
		origin       string
		want         map[string]any // of the one log line; "hint" absent when nil
	}{
		{"Refused", []string{dash}, http.MethodPost, "/graphql", evil, map[string]any{
			"msg": "graphql request", "outcome": "cors_refused", "origin": evil,
			"hint": "allow it with -cors-origins " + dash + "," + evil}},
		{"RefusedPreflight", []string{dash}, http.MethodOptions, "/graphql", evil, map[string]any{
			"msg": "cross-origin request refused", "preflight": true, "origin": evil, "level": "WARN",
			"hint": "allow it with -cors-origins " + dash + "," + evil}},
		{"RefusedWithoutCORS", nil, http.MethodPost, "/graphql", evil, map[string]any{
			"msg": "graphql request", "outcome": "cors_refused", "origin": evil, "hint": "allow it with -cors-origins " + evil}},
		{"RefusedPreflightWithoutCORS", nil, http.MethodOptions, "/graphql", evil, map[string]any{
			"msg": "graphql request", "outcome": "cors_refused", "method": "OPTIONS", "hint": "allow it with -cors-origins " + evil}},
		{"RefusedOtherPath", []string{dash}, http.MethodGet, "/schema.graphql", evil, map[string]any{
			"msg": "cross-origin request refused", "preflight": false, "path": "/schema.graphql", "hint": "allow it with -cors-origins " + dash + "," + evil}},
		{"RefusedFileOrigin", []string{dash}, http.MethodPost, "/graphql", "null", map[string]any{
			"outcome": "cors_refused", "hint": "-cors-origins cannot allow it: it is not an http or https origin"}},
		{"OKAllowed", []string{dash}, http.MethodPost, "/graphql", dash, map[string]any{"outcome": "ok", "hint": nil}},
		{"OKWildcard", []string{"https://*.internal.example"}, http.MethodPost, "/graphql", "https://ops.internal.example", map[string]any{"outcome": "ok", "hint": nil}},
		{"OKAll", []string{"*"}, http.MethodPost, "/graphql", evil, map[string]any{"outcome": "ok", "hint": nil}},
		{"OKSameOrigin", nil, http.MethodPost, "/graphql", "http://example.com", map[string]any{"outcome": "ok", "hint": nil}},
		{"OKNoOrigin", nil, http.MethodPost, "/graphql", "", map[string]any{"outcome": "ok", "hint": nil}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := logged(t, tc.origins, tc.method, tc.path, tc.origin)
			if len(lines) != 1 {
				t.Fatalf("%d log lines, want 1: %v", len(lines), lines)
			}
			for key, want := range tc.want {
				if got := lines[0][key]; got != want {
					t.Errorf("log %s = %v, want %v (line %v)", key, got, want, lines[0])
				}
			}
		})
	}
}
