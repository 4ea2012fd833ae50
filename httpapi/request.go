package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
	"time"
)

// requestInfo is what one GraphQL request records about itself as it goes
// through the transport and the request checks, for its log line, its
// metrics and its response. Only the request's own goroutine writes it.
type requestInfo struct {
	id     string
	client string // rate-limit key: "ip:..." or "token:..."
	method string

	// documentID is the persisted document a GET or POST named, if any.
	documentID string
	// apqHash is the sha256 of an Automatic Persisted Query to store once
	// the query has passed every check.
	apqHash string
	// variables are the request's variables as the client sent them, so
	// that an error about one can say what it was.
	variables map[string]any

	operation   string // operation name, "" when anonymous
	validated   bool   // the document passed validation
	cost        int
	costKnown   bool
	status      int
	outcome     string // "ok" or the first error's code
	retryAfter  time.Duration
	rateLimited bool
	budget      *budget // the client's rate-limit bucket, nil when off

	// Batches of the request's loaders, by how they were fetched
	// (graph.Batches).
	prefetched, onDemand int64
}

type requestInfoKey struct{}

func withRequestInfo(ctx context.Context, info *requestInfo) context.Context {
	return context.WithValue(ctx, requestInfoKey{}, info)
}

// infoFrom returns the request's info, or a throwaway one outside a request,
// so callers never check for nil.
func infoFrom(ctx context.Context) *requestInfo {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// requestID returns the id of the request ctx belongs to, or "".
func requestID(ctx context.Context) string {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info.id
	}
	return ""
}

// validRequestID accepts the ids load balancers and tracing proxies send.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// newRequestID keeps a well-formed X-Request-Id from the client or a proxy,
// so log lines can be joined across hops, and makes a random one otherwise.
func newRequestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); validRequestID.MatchString(id) {
		return id
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
