// Package graph resolves GraphQL queries against the store: the resolvers,
// the prefetch plan that loads each level of a query in one statement per
// field, global IDs and the asOf scoping. gqlgen's generated executor lives
// in graph/exec; the HTTP layer that serves it is package httpapi.
package graph

import (
	"context"
	"io/fs"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/exec"
	"github.com/investgraph/investgraph/graph/loader"
	"github.com/investgraph/investgraph/seed"
)

// Resolver is the root resolver and the place dependencies are injected.
type Resolver struct {
	Store *db.Store
	// Seed holds the seed files the store was loaded from, which
	// changesets are applied over; the built-in seed when nil.
	Seed fs.FS
	// SubscriberBuffer is how many revisions a subscriber may have
	// waiting before it is disconnected; DefaultSubscriberBuffer when 0.
	SubscriberBuffer int
	// Writer applies changesets and retractions; over Store and Seed in
	// this process when nil.
	Writer Writer

	views revisionViews // the graphs of recent revisions (Query.atRevision)
}

// seedFiles returns the seed files the store was loaded from.
func (r *Resolver) seedFiles() fs.FS {
	if r.Seed == nil {
		return seed.Files()
	}
	return r.Seed
}

// Writer applies changesets and retractions to the store, as seed.Apply
// and seed.Retract do: in this process, or in a process of its own
// (package writer), so that a commit's work does not slow the reads. The
// token's role has been checked; the author is in the request.
type Writer interface {
	Apply(ctx context.Context, c seed.Changeset) (rev *db.Revision, replayed bool, err error)
	Retract(ctx context.Context, r seed.Retraction) (rev *db.Revision, replayed bool, err error)
}

// LocalWriter applies changesets and retractions in this process, over the
// store and the seed files it was loaded from.
type LocalWriter struct {
	Store *db.Store
	Seed  fs.FS // the built-in seed when nil
}

func (w LocalWriter) seed() fs.FS {
	if w.Seed == nil {
		return seed.Files()
	}
	return w.Seed
}

// Apply applies a changeset (seed.Apply).
func (w LocalWriter) Apply(ctx context.Context, c seed.Changeset) (*db.Revision, bool, error) {
	return seed.Apply(ctx, w.Store, w.seed(), c)
}

// Retract retracts a fact (seed.Retract).
func (w LocalWriter) Retract(ctx context.Context, r seed.Retraction) (*db.Revision, bool, error) {
	return seed.Retract(ctx, w.Store, w.seed(), r)
}

// writer returns the resolver's writer.
func (r *Resolver) writer() Writer {
	if r.Writer == nil {
		return LocalWriter{Store: r.Store, Seed: r.Seed}
	}
	return r.Writer
}

// Option configures the resolvers of a schema.
type Option func(*Resolver)

// WithSeedFiles says which seed files the store was loaded from, for
// changesets to be applied over (the built-in seed by default).
func WithSeedFiles(fsys fs.FS) Option { return func(r *Resolver) { r.Seed = fsys } }

// WithWriter sets Resolver.Writer.
func WithWriter(w Writer) Option { return func(r *Resolver) { r.Writer = w } }

// WithSubscriberBuffer sets Resolver.SubscriberBuffer.
func WithSubscriberBuffer(n int) Option { return func(r *Resolver) { r.SubscriberBuffer = n } }

func newResolver(store *db.Store, opts []Option) *Resolver {
	r := &Resolver{Store: store}
	for _, o := range opts {
		o(r)
	}
	return r
}

// NewExecutableSchema returns the schema with its resolvers over store. A
// request it executes needs WithLoaders on its context, and FieldMiddleware
// around its fields.
func NewExecutableSchema(store *db.Store, opts ...Option) graphql.ExecutableSchema {
	r := newResolver(store, opts)
	return &revisionSchema{ExecutableSchema: exec.NewExecutableSchema(exec.Config{Resolvers: r}), r: r}
}

// WithLoaders returns a context carrying a fresh set of per-request loaders
// over store, so that nothing is cached between requests.
func WithLoaders(ctx context.Context, store *db.Store) context.Context {
	return loader.With(ctx, store)
}

// ReadModel keeps what the store's reads returned for the requests of one
// data version, shared between them (see loader.ReadModel).
type ReadModel = loader.ReadModel

// NewReadModel returns a read model that holds about max values.
func NewReadModel(max int64) *ReadModel { return loader.NewReadModel(max) }

// WithSharedLoaders returns a context carrying loaders over store that m
// shares between the requests reading the same data version as ctx's
// snapshot (see db.Store.ReadVersion), or fresh ones as WithLoaders when
// that version is not known or m is nil.
func WithSharedLoaders(ctx context.Context, store *db.Store, m *ReadModel) context.Context {
	return loader.WithModel(ctx, store, m)
}

// Batches returns how many store batches the request ctx belongs to has
// fetched: prefetched for a whole level of the query at once, or on demand
// for one object whose field no prefetch step covers.
func Batches(ctx context.Context) (prefetched, onDemand int64) {
	return loader.Batches(ctx)
}

// Schema returns the parsed schema, for code that checks documents against
// it without executing them.
func Schema() *ast.Schema {
	return exec.NewExecutableSchema(exec.Config{}).Schema()
}
