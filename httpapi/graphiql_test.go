package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/httpapi"
)

// get requests target from h in-process with headers given as name, value
// pairs.
func get(h http.Handler, target string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var (
	scriptSrc  = regexp.MustCompile(`<script\b[^>]*\bsrc="([^"]+)"`)
	styleHref  = regexp.MustCompile(`<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"`)
	scriptBody = regexp.MustCompile(`<script\b[^>]*>([^<]*)</script>`)
	nonceAttr  = regexp.MustCompile(`\bnonce="([^"]+)"`)
	cspNonce   = regexp.MustCompile(`'nonce-([^']+)'`)
	absURL     = regexp.MustCompile(`(?i)(?:https?:)?//[^\s"'<>]+`)
)

// pageAssets returns the scripts and stylesheets the GraphiQL page loads.
func pageAssets(t *testing.T, html string) (scripts, styles []string) {
	t.Helper()
	for _, m := range scriptSrc.FindAllStringSubmatch(html, -1) {
		scripts = append(scripts, m[1])
	}
	for _, m := range styleHref.FindAllStringSubmatch(html, -1) {
		styles = append(styles, m[1])
	}
	if len(scripts) == 0 || len(styles) == 0 {
		t.Fatalf("the page loads %d scripts and %d stylesheets:\n%s", len(scripts), len(styles), html)
	}
	return scripts, styles
}

// directives splits a Content-Security-Policy into its directives.
func directives(csp string) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		if name != "" {
			out[name] = value
		}
	}
	return out
}

func TestGraphiQLPage(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	rec := get(srv.Handler, "/")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET / = %d", rec.Code)
	}
	html := rec.Body.String()

	t.Run("Headers", func(t *testing.T) {
		for name, want := range map[string]string{
			"Content-Type":           "text/html; charset=utf-8",
			"X-Content-Type-Options": "nosniff",
			"Cache-Control":          "no-store",
		} {
			if got := rec.Header().Get(name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
		if !strings.Contains(html, "<title>investgraph</title>") {
			t.Errorf("the page's title is not investgraph:\n%s", html)
		}
	})

	t.Run("ContentSecurityPolicy", func(t *testing.T) {
		csp := directives(rec.Header().Get("Content-Security-Policy"))
		for name, want := range map[string]string{
			"default-src":     "'self'",
			"script-src":      "'self'",
			"connect-src":     "'self'",
			"img-src":         "'self' data:",
			"font-src":        "'self' data:",
			"object-src":      "'none'",
			"frame-ancestors": "'none'",
			"base-uri":        "'none'",
			"form-action":     "'none'",
		} {
			if got := csp[name]; got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
		if got := csp["style-src"]; !regexp.MustCompile(`^'self' 'nonce-[A-Za-z0-9_-]{22}'$`).MatchString(got) {
			t.Errorf("style-src = %q, want 'self' and a nonce", got)
		}
	})

	t.Run("NonceMatchesPolicy", func(t *testing.T) {
		m := nonceAttr.FindStringSubmatch(html)
		if m == nil {
			t.Fatalf("the page carries no nonce:\n%s", html)
		}
		policy := cspNonce.FindStringSubmatch(rec.Header().Get("Content-Security-Policy"))
		if policy == nil || policy[1] != m[1] {
			t.Errorf("page nonce %q, policy %q", m[1], rec.Header().Get("Content-Security-Policy"))
		}
		again := get(srv.Handler, "/")
		if next := nonceAttr.FindStringSubmatch(again.Body.String()); next == nil || next[1] == m[1] {
			t.Errorf("two responses carry the same nonce %q", m[1])
		}
	})

	t.Run("NoInlineScript", func(t *testing.T) {
		for _, m := range scriptBody.FindAllStringSubmatch(html, -1) {
			if strings.TrimSpace(m[1]) != "" {
				t.Errorf("inline script: %s", m[1])
			}
		}
	})

	t.Run("NoOtherOrigin", func(t *testing.T) {
		if urls := absURL.FindAllString(html, -1); len(urls) > 0 {
			t.Errorf("the page refers to other origins: %q", urls)
		}
	})

	t.Run("AssetsServed", func(t *testing.T) {
		scripts, styles := pageAssets(t, html)
		check := func(path, wantType string) {
			t.Helper()
			if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
				t.Errorf("asset %q is not a path on this server", path)
				return
			}
			rec := get(srv.Handler, path)
			if rec.Code != http.StatusOK {
				t.Errorf("GET %s = %d", path, rec.Code)
				return
			}
			if got := rec.Header().Get("Content-Type"); got != wantType {
				t.Errorf("GET %s: Content-Type = %q, want %q", path, got, wantType)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("GET %s: X-Content-Type-Options = %q", path, got)
			}
			if got := rec.Header().Get("Cache-Control"); !strings.Contains(got, "immutable") || !strings.Contains(got, "max-age=31536000") {
				t.Errorf("GET %s: Cache-Control = %q, want a year, immutable", path, got)
			}
			if rec.Body.Len() < 1000 {
				t.Errorf("GET %s: %d bytes", path, rec.Body.Len())
			}
		}
		for _, p := range scripts {
			check(p, "text/javascript; charset=utf-8")
		}
		for _, p := range styles {
			check(p, "text/css; charset=utf-8")
		}
	})
}

func TestGraphiQLAssets(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	scripts, _ := pageAssets(t, get(srv.Handler, "/").Body.String())
	script := scripts[0]
	plain := get(srv.Handler, script)

	t.Run("Gzip", func(t *testing.T) {
		rec := get(srv.Handler, script, "Accept-Encoding", "br, gzip")
		if got := rec.Header().Get("Content-Encoding"); got != "gzip" {
			t.Fatalf("Content-Encoding = %q, want gzip", got)
		}
		if got := rec.Header().Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("Vary = %q", got)
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(body, plain.Body.Bytes()) {
			t.Errorf("the gzipped script (%d bytes unzipped) differs from the plain one (%d)", len(body), plain.Body.Len())
		}
		if rec.Body.Len() >= plain.Body.Len()/2 {
			t.Errorf("gzip gives %d of %d bytes", rec.Body.Len(), plain.Body.Len())
		}
	})

	t.Run("GzipRefused", func(t *testing.T) {
		rec := get(srv.Handler, script, "Accept-Encoding", "gzip;q=0")
		if got := rec.Header().Get("Content-Encoding"); got != "" {
			t.Errorf("Content-Encoding = %q for gzip;q=0", got)
		}
	})

	t.Run("NotModified", func(t *testing.T) {
		etag := plain.Header().Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		if rec := get(srv.Handler, script, "If-None-Match", etag); rec.Code != http.StatusNotModified {
			t.Errorf("GET with If-None-Match = %d, want 304", rec.Code)
		}
	})

	t.Run("ErrUnknownFile", func(t *testing.T) {
		for _, path := range []string{"/graphiql/nope.js", "/graphiql/index.html", "/graphiql/", "/index.html"} {
			if rec := get(srv.Handler, path); rec.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", path, rec.Code)
			}
		}
	})
}

func TestGraphiQLDisabled(t *testing.T) {
	on := quietServer(t, httpapi.Options{})
	scripts, styles := pageAssets(t, get(on.Handler, "/").Body.String())
	off := quietServer(t, httpapi.Options{DisableGraphiQL: true})
	for _, path := range append(append([]string{"/"}, scripts...), styles...) {
		if rec := get(off.Handler, path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s with GraphiQL off = %d, want 404", path, rec.Code)
		}
	}
}
