package httpapi

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"sync"
	"time"
)

// exploreFS is the explorer, built from web/explore (cd web/explore && npm
// ci && npm run build): its page, its bundle and operations.json, the
// persisted operations the page runs. Like GraphiQL, it loads nothing from
// another origin.
//
//go:embed assets/explore
var exploreFS embed.FS

// exploreAssetPath is where the explorer's bundle is served; the page
// itself is at /explore.
const exploreAssetPath = "/explore/"

// explorer is the explorer's page, bundle and operations.
type explorer struct {
	page   *explorePage
	assets map[string]*asset
	ops    *PersistedOperations
}

// loadExplorer reads the embedded explorer once. The files are embedded and
// their operations checked against the schema by the tests, so an error is
// a broken build.
var loadExplorer = sync.OnceValue(func() *explorer {
	root, err := fs.Sub(exploreFS, "assets/explore")
	if err != nil {
		panic(fmt.Sprintf("explore: %v", err))
	}
	html, err := fs.ReadFile(root, "index.html")
	if err != nil {
		panic(fmt.Sprintf("explore: %v", err))
	}
	parts := bytes.Split(html, []byte(noncePlaceholder))
	if len(parts) < 2 {
		panic("explore: index.html has no " + noncePlaceholder)
	}
	manifest, err := fs.ReadFile(root, "operations.json")
	if err != nil {
		panic(fmt.Sprintf("explore: %v", err))
	}
	ops, err := ParsePersistedOperations(manifest)
	if err != nil {
		panic(fmt.Sprintf("explore: operations.json: %v", err))
	}
	assets := loadAssets("explore", root)
	return &explorer{page: &explorePage{parts: parts}, assets: assets, ops: ops}
})

// explorePage is index.html, split where the nonce goes: on the script and
// on the one <style> element, which Cytoscape would otherwise add without it.
type explorePage struct{ parts [][]byte }

// ServeHTTP sends the page with a fresh nonce under the policy GraphiQL's
// page has; like it, the page is never stored.
func (p *explorePage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	nonce := newNonce()
	h := w.Header()
	h.Set("Content-Security-Policy", graphiqlCSP(nonce))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	body := bytes.Join(p.parts, []byte(nonce))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// ExploreOperations returns the explorer's persisted operations: each of
// web/explore/src/operations.graphql as written and wrapped in Query.asOf.
func ExploreOperations() *PersistedOperations { return loadExplorer().ops }

// serveExplore adds the explorer at /explore and its bundle under
// exploreAssetPath to mux.
func serveExplore(mux *http.ServeMux) {
	x := loadExplorer()
	mux.Handle("GET /explore", x.page)
	mux.Handle("GET /explore/{$}", http.RedirectHandler("/explore", http.StatusMovedPermanently))
	mux.HandleFunc("GET "+exploreAssetPath+"{file}", func(w http.ResponseWriter, r *http.Request) {
		a, ok := x.assets[r.PathValue("file")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		a.ServeHTTP(w, r)
	})
}

// with returns the operations of p and q together; p's win on a clash of
// ids. Either may be nil.
func (p *PersistedOperations) with(q *PersistedOperations) *PersistedOperations {
	if q.Len() == 0 {
		return p
	}
	if p.Len() == 0 {
		return q
	}
	out := &PersistedOperations{ids: maps.Clone(q.ids), hashes: maps.Clone(q.hashes)}
	maps.Copy(out.ids, p.ids)
	maps.Copy(out.hashes, p.hashes)
	return out
}
