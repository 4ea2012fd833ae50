// Package respcache caches whole GraphQL responses: a request identical to
// an earlier one (method, query string, Accept and Content-Type headers and
// body) gets the earlier response's bytes without running the query, as long
// as the data version has not changed since (db.Store.DataVersion follows
// commits made by any process). Dashboards that poll the same queries are
// served at close to the cost of a static response.
//
// Wire it around the GraphQL handler, inside the request log and metrics:
//
//	cache := respcache.New(store.DataVersion, respcache.DefaultSize)
//	mux.Handle("/graphql", observe(cache.Middleware(loaders(gqlHandler))))
//
// Only successful responses are kept: status 200, no "errors". A response
// that reports a per-client rate limit is not kept either, as it would tell
// the next client another client's budget. A cached response reports
// "sqlStatements":0, the statements its request ran; its other extensions
// (such as cost) are the first request's, which were the same query's.
package respcache

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
)

// DefaultSize is a sensible number of responses to keep.
const DefaultSize = 1000

// Limits on what is cached, so that the cache's memory is bounded by
// size × (maxRequestBytes + maxResponseBytes).
const (
	maxRequestBytes  = 16 << 10
	maxResponseBytes = 256 << 10
)

// Cache is a response cache, safe for concurrent use.
type Cache struct {
	version func() int64
	entries *lru.Cache[string, *entry]

	mu   sync.Mutex
	seen int64 // the data version the entries belong to

	hits, misses atomic.Int64
}

type entry struct {
	version     int64 // the data version it was made from
	contentType string
	body        []byte
}

// New returns a cache of up to size responses, valid while version returns
// the same number. db.Store.DataVersion is such a number: it follows every
// commit to the database, whichever process made it, so a response is
// never served after the data it was made from has changed.
func New(version func() int64, size int) *Cache {
	entries, err := lru.New[string, *entry](max(size, 1))
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &Cache{version: version, entries: entries, seen: version()}
}

// Stats returns how many requests the cache answered and how many it
// passed on.
func (c *Cache) Stats() (hits, misses int64) { return c.hits.Load(), c.misses.Load() }

// Middleware answers repeated requests from the cache and passes the others
// to next, keeping their responses when they can be reused.
func (c *Cache) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := requestKey(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		// Each entry carries the version it was made from and is served
		// only at that version, whatever order concurrent requests see
		// the versions in. A response is kept only if the version was the
		// same before and after it was made: no change came in between,
		// so that is the version it read.
		version := c.current()
		if e, ok := c.entries.Get(key); ok && e.version == version {
			c.hits.Add(1)
			w.Header().Set("Content-Type", e.contentType)
			w.Write(e.body)
			return
		}
		c.misses.Add(1)
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if body, ok := reusable(rec); ok && c.current() == version {
			c.entries.Add(key, &entry{version: version, contentType: rec.Header().Get("Content-Type"), body: body})
		}
	})
}

// current returns the data version, emptying the cache when it changed
// (the entries of an older version are never served again).
func (c *Cache) current() int64 {
	v := c.version()
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != c.seen {
		c.entries.Purge()
		c.seen = v
	}
	return v
}

// requestKey identifies a request by everything that shapes its response,
// reading (and restoring) its body. Requests other than GET and POST, and
// large ones, are not cached, nor are streams.
func requestKey(r *http.Request) (string, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return "", false
	}
	// Streams (GraphQL over SSE, WebSocket upgrades) are never cached.
	if r.Header.Get("Upgrade") != "" || strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		return "", false
	}
	var body []byte
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
		if err != nil || len(body) > maxRequestBytes {
			return "", false
		}
	}
	// The token is part of the key: an operation that needs a role must
	// never be answered from another client's response.
	return strings.Join([]string{r.Method, r.URL.RawQuery, strings.Join(r.Header.Values("Accept"), ","),
		r.Header.Get("Content-Type"), r.Header.Get("Authorization"), string(body)}, "\x00"), true
}

var (
	errorsKey     = []byte(`"errors":`)
	rateLimitKey  = []byte(`"rateLimit":`)
	statementsKey = []byte(`"sqlStatements":`)
)

// reusable returns the body to cache for a recorded response, with its
// statement count set to 0, or false when the response must not be reused.
func reusable(rec *recorder) ([]byte, bool) {
	body := rec.body.Bytes()
	if rec.status != http.StatusOK || rec.overflow || bytes.Contains(body, errorsKey) || bytes.Contains(body, rateLimitKey) {
		return nil, false
	}
	i := bytes.LastIndex(body, statementsKey)
	if i < 0 {
		return bytes.Clone(body), true
	}
	start := i + len(statementsKey)
	end := start
	for end < len(body) && body[end] >= '0' && body[end] <= '9' {
		end++
	}
	out := make([]byte, 0, len(body)-(end-start)+1)
	out = append(append(append(out, body[:start]...), '0'), body[end:]...)
	return out, true
}

// recorder passes a response through while keeping a copy of it.
type recorder struct {
	http.ResponseWriter
	status   int
	body     bytes.Buffer
	overflow bool
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.overflow {
		if r.body.Len()+len(b) > maxResponseBytes {
			r.overflow = true
			r.body = bytes.Buffer{}
		} else {
			r.body.Write(b)
		}
	}
	return r.ResponseWriter.Write(b)
}

// Flush lets streamed responses through.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
