// Package httpapi serves the GraphQL API over HTTP: the GraphQL-over-HTTP
// transport, request limits and query cost, rate limiting, persisted
// operations, CORS, the response cache, metrics, health checks and GraphiQL.
// It knows the schema only through package graph.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/httpapi/respcache"
)

// DefaultGCPercent is the garbage collector's target the server sets unless
// GOGC says otherwise. A request allocates about as much as the live heap of
// a small graph holds, so Go's default of 100 collects every few requests;
// 400 collects a quarter as often, for more requests per second at more
// memory (BENCHMARKS.md, "GC target").
const DefaultGCPercent = 400

// DefaultMemoryLimit is the soft limit on the Go runtime's memory the server
// sets unless GOMEMLIMIT says otherwise: near it, the collector runs more
// often whatever DefaultGCPercent allows, so a few large requests (a money
// summary over a million entities holds about 140 MB while it runs) cannot
// lift the heap to five times their size.
const DefaultMemoryLimit = 256 << 20

// Options configures the HTTP handler. The zero value is usable and safe:
// every limit at its default, introspection and GraphiQL on, Automatic
// Persisted Queries on, no rate limiting and no cross-origin access.
type Options struct {
	// Logger receives the request log and internal errors; slog.Default()
	// when nil.
	Logger *slog.Logger
	// Limits bound each request; zero fields take DefaultLimits.
	Limits Limits
	// RateLimit meters clients by query cost and caps their requests in
	// flight; off when zero.
	RateLimit RateLimit
	// DisableIntrospection refuses __schema and __type queries.
	DisableIntrospection bool
	// DisableGraphiQL stops serving GraphiQL at / and its files under
	// /graphiql/.
	DisableGraphiQL bool
	// DisableExplore stops serving the explorer at /explore and its files
	// under /explore/. While it is served, its persisted operations
	// (ExploreOperations) are added to PersistedOperations, and so are
	// allowed in allow-list mode.
	DisableExplore bool
	// DisableExports stops serving the downloads under /export/.
	DisableExports bool
	// APQCacheSize is how many Automatic Persisted Queries are kept;
	// DefaultAPQCacheSize when 0, and APQ is off when negative.
	APQCacheSize int
	// APQCacheBytes bounds the bytes of the Automatic Persisted Queries
	// kept (their text and hashes); DefaultAPQCacheBytes when 0, and APQ
	// is off when negative.
	APQCacheBytes int64
	// PersistedOperations are operations clients may send by id or hash.
	PersistedOperations *PersistedOperations
	// AllowList runs only PersistedOperations, whether sent by reference or
	// in full, and turns Automatic Persisted Queries off.
	AllowList bool
	// CORSOrigins are the origins browsers may call the API from ("*" for
	// any, or patterns like "https://*.example.com"); none when empty.
	CORSOrigins []string
	// HideMetrics leaves /metrics off this handler, for a command that serves
	// MetricsHandler on an address of its own.
	HideMetrics bool
	// ResponseCache keeps up to this many responses of identical requests,
	// all dropped whenever the data changes; off when 0. Responses that
	// carry a client's rate-limit budget are never kept, so the cache only
	// helps with rate limiting off.
	ResponseCache int
	// Executor runs queries: "fast" (the default when empty) is the
	// compiled executor, which hands what it does not support to gqlgen's;
	// "gqlgen" is gqlgen's executor alone.
	Executor string
	// ReadModel is how many values (objects and list elements) the read
	// model keeps, shared by the requests that read the same data version,
	// so that the rows one request read are not read again by the next;
	// off when 0 (DefaultReadModel is the server's default). The root
	// fields' lookups, searches and walks always read the store.
	ReadModel int64
	// RequireToken refuses every request without a valid bearer token
	// (401 UNAUTHENTICATED); without it reads are open and only the
	// operations that need a role ask for a token.
	RequireToken bool
	// Seed holds the seed files the database was loaded from, which
	// changesets are applied over; the built-in seed when nil.
	Seed fs.FS
	// SubscriberBuffer is how many committed revisions a subscriber may
	// have waiting before it is disconnected with SUBSCRIBER_TOO_SLOW;
	// graph.DefaultSubscriberBuffer when 0.
	SubscriberBuffer int
	// Writer applies changesets and retractions: in this process over
	// the store when nil, or in a writer process (package writer).
	Writer graph.Writer
}

// DefaultAPQCacheSize is the default number of Automatic Persisted Queries
// kept, least recently used first out.
const DefaultAPQCacheSize = 1000

// DefaultAPQCacheBytes is the default bound on the bytes of the Automatic
// Persisted Queries kept: thousands of ordinary queries, or 256 of the
// longest stored (64 KiB).
const DefaultAPQCacheBytes = 16 << 20

// DefaultReadModel is the number of values the server's read model keeps
// unless told otherwise: at most about 100 MB of heap over the 1M-entity
// database swept page by page (BENCHMARKS.md), about 500 bytes a value.
const DefaultReadModel = 200_000

// queryCacheSize is how many parsed and validated documents are kept.
const queryCacheSize = 1000

// Gateway is the gateway's HTTP handler: GraphiQL at /, the GraphQL API at
// /graphql, the schema as SDL at /schema.graphql, /healthz, /readyz and
// /metrics.
type Gateway struct {
	opts    Options
	store   *db.Store
	logger  *slog.Logger
	metrics *metrics
	handler http.Handler
	// inFlight caps each client's running requests; nil when off.
	inFlight *inFlight
}

// NewHandler returns the gateway's HTTP handler. It panics on invalid
// options; New returns the error instead.
func NewHandler(store *db.Store, opts Options) http.Handler {
	g, err := New(store, opts)
	if err != nil {
		panic(err)
	}
	return g
}

// New returns the gateway over store.
func New(store *db.Store, opts Options) (*Gateway, error) {
	var gopts []graph.Option
	if opts.Seed != nil {
		gopts = append(gopts, graph.WithSeedFiles(opts.Seed))
	}
	if opts.SubscriberBuffer > 0 {
		gopts = append(gopts, graph.WithSubscriberBuffer(opts.SubscriberBuffer))
	}
	if opts.Writer != nil {
		gopts = append(gopts, graph.WithWriter(opts.Writer))
	}
	switch opts.Executor {
	case graph.ExecutorGqlgen:
		return newGateway(store, graph.NewExecutableSchema(store, gopts...), opts)
	case "", graph.ExecutorCompiled:
	default:
		return nil, fmt.Errorf("unknown executor %q: use %s or %s", opts.Executor, graph.ExecutorCompiled, graph.ExecutorGqlgen)
	}
	var g *Gateway
	es := graph.NewCompiledSchema(store, func(_ context.Context, executor string) {
		g.metrics.executor.WithLabelValues(executor).Inc()
	}, gopts...)
	g, err := newGateway(store, es, opts)
	return g, err
}

// newGateway serves es; tests pass schemas with misbehaving resolvers.
func newGateway(store *db.Store, es graphql.ExecutableSchema, opts Options) (*Gateway, error) {
	if opts.AllowList && opts.PersistedOperations.Len() == 0 {
		return nil, errors.New("allow-list mode needs persisted operations")
	}
	if opts.RateLimit.PerSecond < 0 {
		return nil, errors.New("the rate limit must not be negative")
	}
	if opts.RateLimit.MaxInFlight < 0 || opts.RateLimit.InFlightWait < 0 {
		return nil, errors.New("the in-flight cap and its wait must not be negative")
	}
	if err := checkOrigins(opts.CORSOrigins); err != nil {
		return nil, fmt.Errorf("CORS origins: %w", err)
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.APQCacheSize == 0 {
		opts.APQCacheSize = DefaultAPQCacheSize
	}
	if opts.APQCacheBytes == 0 {
		opts.APQCacheBytes = DefaultAPQCacheBytes
	}
	opts.Limits = opts.Limits.withDefaults()
	g := &Gateway{opts: opts, store: store, logger: opts.Logger, metrics: newMetrics()}

	var limiter *rateLimiter
	if opts.RateLimit.PerSecond > 0 {
		rl := opts.RateLimit
		rl.Burst = max(rl.Burst, opts.Limits.MaxCost, 1)
		limiter = newRateLimiter(rl)
	}
	if opts.RateLimit.MaxInFlight > 0 {
		g.inFlight = newInFlight(opts.RateLimit.MaxInFlight, opts.RateLimit.InFlightWait)
	}
	docs := newCountingCache("query", queryCacheSize, queryCacheBytes, maxCachedQueryBytes, documentWeight, g.metrics)
	var apq *countingCache[string]
	if opts.APQCacheSize > 0 && opts.APQCacheBytes > 0 && !opts.AllowList {
		apq = newCountingCache("apq", opts.APQCacheSize, opts.APQCacheBytes, len(queryHash("")), stringWeight, g.metrics)
	}

	srv := handler.New(es)
	g.addStreamTransports(srv, store)
	maxBody := opts.Limits.MaxBodyBytes
	if maxBody < 0 {
		maxBody = math.MaxInt64
	}
	srv.AddTransport(httpTransport{maxBody: maxBody, limiter: limiter, inFlight: g.inFlight,
		maxObjects: opts.Limits.MaxObjects, maxResponse: opts.Limits.MaxResponseBytes})
	srv.SetQueryCache(inlineDeferCache{docs})
	srv.SetParserTokenLimit(max(opts.Limits.MaxTokens, 0))
	srv.SetErrorPresenter(errorPresenter(opts.Logger, opts.Limits.Timeout.String()))
	srv.SetRecoverFunc(recoverPanic(opts.Logger))
	if !opts.DisableIntrospection {
		srv.Use(extension.Introspection{})
	}
	// Extensions run in the order they are added: persisted queries are
	// resolved before the document is checked, and an APQ is stored only
	// after its cost has been accepted.
	if !opts.DisableExplore {
		opts.PersistedOperations = opts.PersistedOperations.with(ExploreOperations())
	}
	persisted := persistedQueries{ops: opts.PersistedOperations, allowList: opts.AllowList}
	if apq != nil {
		persisted.apq = apq
	}
	srv.Use(persisted)
	srv.Use(documentChecks{limits: opts.Limits, introspection: !opts.DisableIntrospection, cache: docs})
	srv.Use(validatedOperation{})
	srv.Use(streamsOnly{})
	srv.Use(inlineDefer{})
	srv.Use(nullConditions{})
	srv.Use(&costLimit{max: opts.Limits.MaxCost, limiter: limiter, stats: newStatistics(store, opts.Logger, opts.ReadModel > 0)})
	if apq != nil {
		srv.Use(apqStore{apq: apq})
	}
	srv.AroundResponses(reportExtensions(limiter))
	// Resolvers under Query.asOf read the graph as of its date; root fields
	// prefetch their selection a level at a time, counting its objects
	// against Limits.MaxObjects; no resolver runs past the deadline.
	srv.AroundFields(graph.FieldMiddleware)

	mux := http.NewServeMux()
	if !opts.DisableGraphiQL {
		serveGraphiQL(mux)
	}
	if !opts.DisableExplore {
		serveExplore(mux)
	}
	var model *graph.ReadModel
	if opts.ReadModel > 0 {
		model = graph.NewReadModel(opts.ReadModel)
	}
	var api http.Handler = withLoaders(store, model, srv)
	if opts.ResponseCache > 0 {
		api = respcache.New(store.DataVersion, opts.ResponseCache).Middleware(api)
	}
	mux.Handle("/graphql", g.observe(recoverHTTP(opts.Logger, g.authenticate(api))))
	if !opts.DisableIntrospection {
		mux.Handle("GET /schema.graphql", sdlHandler(es.Schema()))
	}
	if !opts.DisableExports {
		g.serveExports(mux)
	}
	mux.HandleFunc("GET /healthz", healthz)
	mux.HandleFunc("GET /readyz", g.readyz)
	if !opts.HideMetrics {
		mux.Handle("GET /metrics", g.metrics.handler())
	}
	g.handler = recoverHTTP(opts.Logger, g.withCORS(mux))
	return g, nil
}

// ServeHTTP serves a request.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) { g.handler.ServeHTTP(w, r) }

// MetricsHandler serves the gateway's Prometheus metrics.
func (g *Gateway) MetricsHandler() http.Handler { return g.metrics.handler() }

// withLoaders gives every request its own snapshot of the store, so that
// all its statements read the same data whatever is committed meanwhile,
// and loaders over it: its own, so nothing is cached between requests, or
// with a read model those model shares between the requests of the
// snapshot's data version. Streams get neither (see startStream).
func withLoaders(store *db.Store, model *graph.ReadModel, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isStream(r) {
			// A stream reads what is committed while it lasts; its
			// operations get their own loaders (addStreamTransports).
			next.ServeHTTP(w, startStream(w, r))
			return
		}
		ctx, end := store.WithSnapshot(r.Context())
		defer end()
		next.ServeHTTP(w, r.WithContext(graph.WithSharedLoaders(ctx, store, model)))
	})
}
