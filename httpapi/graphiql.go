package httpapi

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// graphiqlFS is the GraphiQL page and its bundle, built from web/graphiql
// (cd web/graphiql && npm ci && npm run build). The page works offline: it
// loads nothing from another origin.
//
//go:embed assets/graphiql
var graphiqlFS embed.FS

// graphiqlAssetPath is where the bundle is served; the page refers to its
// files under it by their content-hashed names.
const graphiqlAssetPath = "/graphiql/"

// assetMaxAge is how long browsers keep a bundle file. The names change with
// the content, so a file never changes under its name.
const assetMaxAge = 365 * 24 * time.Hour

// noncePlaceholder is what the build writes in index.html where the page's
// nonce goes.
const noncePlaceholder = "CSP_NONCE"

// graphiqlCSP is the page's Content-Security-Policy: nothing from another
// origin, no inline script (GraphiQL's bootstrap code is in the bundle) and
// no inline style but the <style> elements that carry the page's nonce,
// which GraphiQL's dialogs add to lock scrolling.
func graphiqlCSP(nonce string) string {
	return "default-src 'self'; " +
		"script-src 'self'; " +
		"style-src 'self' 'nonce-" + nonce + "'; " +
		"img-src 'self' data:; " +
		"font-src 'self' data:; " +
		"connect-src 'self'; " +
		"object-src 'none'; " +
		"frame-ancestors 'none'; " +
		"base-uri 'none'; " +
		"form-action 'none'"
}

// assetCSP goes with the bundle's files, which are no documents: opened
// directly, they may load nothing.
const assetCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// contentTypes are the media types of the files the build writes.
var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

// graphiqlPage is index.html, split where the nonce goes.
type graphiqlPage struct{ before, after []byte }

// asset is one file of the bundle, served as is or gzipped.
type asset struct {
	body        []byte
	contentType string
	etag        string
	gzipped     func() []byte
}

// loadGraphiQL reads the embedded page and bundle once. The files are
// embedded, so an error is a broken build.
var loadGraphiQL = sync.OnceValues(func() (*graphiqlPage, map[string]*asset) {
	root, err := fs.Sub(graphiqlFS, "assets/graphiql")
	if err != nil {
		panic(fmt.Sprintf("graphiql: %v", err))
	}
	html, err := fs.ReadFile(root, "index.html")
	if err != nil {
		panic(fmt.Sprintf("graphiql: %v", err))
	}
	before, after, ok := bytes.Cut(html, []byte(noncePlaceholder))
	if !ok {
		panic("graphiql: index.html has no " + noncePlaceholder)
	}
	assets := loadAssets("graphiql", root)
	return &graphiqlPage{before: before, after: after}, assets
})

// serveGraphiQL adds the GraphiQL page at / and its bundle under
// graphiqlAssetPath to mux.
func serveGraphiQL(mux *http.ServeMux) {
	page, assets := loadGraphiQL()
	mux.Handle("GET /{$}", page)
	mux.HandleFunc("GET "+graphiqlAssetPath+"{file}", func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[r.PathValue("file")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		a.ServeHTTP(w, r)
	})
}

// ServeHTTP sends the page with a fresh nonce. It is never stored: a cached
// copy would carry a nonce that the policy of the next response no longer
// allows.
func (p *graphiqlPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	nonce := newNonce()
	h := w.Header()
	h.Set("Content-Security-Policy", graphiqlCSP(nonce))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	body := make([]byte, 0, len(p.before)+len(nonce)+len(p.after))
	body = append(append(append(body, p.before...), nonce...), p.after...)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// ServeHTTP sends the file, gzipped when the client accepts it.
func (a *asset) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", assetCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d, immutable", int(assetMaxAge.Seconds())))
	h.Add("Vary", "Accept-Encoding")
	body, etag := a.body, a.etag
	if acceptsGzip(r) {
		body, etag = a.gzipped(), etag+"-gzip"
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// newNonce returns 128 random bits for a Content-Security-Policy nonce.
func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// gzipBytes compresses b; the bundle shrinks to about a third.
func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level
	_, _ = zw.Write(b)                                       // writes to memory
	_ = zw.Close()
	return buf.Bytes()
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, header := range r.Header.Values("Accept-Encoding") {
		for _, coding := range strings.Split(header, ",") {
			name, params, err := mime.ParseMediaType(coding)
			if err == nil && name == "gzip" {
				return quality(params) > 0
			}
		}
	}
	return false
}

// loadAssets reads the files of root with a known content type as assets,
// each with its ETag and a gzipped body made on first use; page names the
// page in the panic of a build that lost its files.
func loadAssets(page string, root fs.FS) map[string]*asset {
	entries, err := fs.ReadDir(root, ".")
	if err != nil {
		panic(fmt.Sprintf("%s: %v", page, err))
	}
	assets := map[string]*asset{}
	for _, e := range entries {
		contentType, ok := contentTypes[path.Ext(e.Name())]
		if e.IsDir() || !ok {
			continue
		}
		body, err := fs.ReadFile(root, e.Name())
		if err != nil {
			panic(fmt.Sprintf("%s: %v", page, err))
		}
		sum := sha256.Sum256(body)
		assets[e.Name()] = &asset{
			body:        body,
			contentType: contentType,
			etag:        hex.EncodeToString(sum[:8]),
			gzipped:     sync.OnceValue(func() []byte { return gzipBytes(body) }),
		}
	}
	return assets
}
