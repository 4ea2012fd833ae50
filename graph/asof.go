package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/investgraph/investgraph/db"
)

// FieldMiddleware runs around every field resolver: it stops the request's
// resolvers once its deadline has passed or its object budget is spent (see
// budget.halt), scopes the resolver to its asOf date, counts the
// objects it returns, and prefetches the selection of a field that starts a
// walk (see prefetch). One middleware rather than several: gqlgen calls it
// for every field, on goroutines whose stacks grow with each layer. Fields
// without a resolver only read what a resolver returned, so they are let
// through at once.
func FieldMiddleware(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !(fc.IsResolver || fc.IsMethod) {
		return next(ctx)
	}
	b := budgetFrom(ctx)
	if res, err, stop := b.halt(ctx); stop {
		return res, err
	}
	ctx = scopeRevision(scopeAsOf(ctx, fc), fc)
	res, err := next(ctx)
	if err != nil {
		return res, err
	}
	if err := b.resolve(fc, res); err != nil {
		return nil, err
	}
	if startsWalk(fc) {
		if err := prefetch(ctx, fc.Field.Selections, res, b); err != nil {
			return nil, err
		}
	}
	return res, nil
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
