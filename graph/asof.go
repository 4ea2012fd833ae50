package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/investgraph/investgraph/db"
)

// scopeAsOf gives every resolver under a Query.asOf field that field's date
// as the store's cutoff (db.WithAsOf), so the root lookups, lists and
// loaders beneath it read the graph as of that date. The nearest asOf wins.
// gqlgen derives a field's context from its parent field's, not from the
// context the parent's resolver saw, so each resolver finds the date by
// walking up its own chain of field contexts.
func scopeAsOf(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !(fc.IsResolver || fc.IsMethod) {
		return next(ctx)
	}
	for f := fc; f != nil; f = f.Parent {
		if f.Object == "Query" && f.Field.Field != nil && f.Field.Name == "asOf" {
			if d, ok := f.Args["date"].(db.PartialDate); ok {
				ctx = db.WithAsOf(ctx, d)
			}
			break
		}
	}
	return next(ctx)
}
