package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/investgraph/investgraph/db"
)

// FieldMiddleware runs around every field resolver: it scopes the resolver to
// its asOf date, and prefetches the selection of a field that starts a walk
// (see prefetch). One middleware rather than two: gqlgen calls it for every
// field, on goroutines whose stacks grow with each layer.
func FieldMiddleware(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !(fc.IsResolver || fc.IsMethod) {
		return next(ctx)
	}
	ctx = scopeAsOf(ctx, fc)
	res, err := next(ctx)
	if err == nil && startsWalk(fc) {
		prefetch(ctx, fc, res)
	}
	return res, err
}

// scopeAsOf gives a resolver under a Query.asOf field that field's date as
// the store's cutoff (db.WithAsOf), so the root lookups, lists and loaders
// beneath it read the graph as of that date. The nearest asOf wins. gqlgen
// derives a field's context from its parent field's, not from the context
// the parent's resolver saw, so each resolver finds the date by walking up
// its own chain of field contexts.
func scopeAsOf(ctx context.Context, fc *graphql.FieldContext) context.Context {
	for f := fc; f != nil; f = f.Parent {
		if f.Object == "Query" && f.Field.Field != nil && f.Field.Name == "asOf" {
			if d, ok := f.Args["date"].(db.PartialDate); ok {
				return db.WithAsOf(ctx, d)
			}
			break
		}
	}
	return ctx
}
