package httpapi

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// inlineDefer runs the fragments a query marks @defer in line, with the rest
// of the response. The transport answers with one JSON response, not an
// incremental stream, so a deferred fragment would otherwise be left out of
// it, leaving null or missing fields where the schema promises values; in
// line, the client gets everything it asked for in one response, which the
// incremental delivery proposal allows a server to do.
type inlineDefer struct{}

func (inlineDefer) ExtensionName() string                   { return "InlineDefer" }
func (inlineDefer) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext drops @defer from the document's fragments. The
// document may be shared through the query cache; dropping is idempotent.
func (inlineDefer) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Doc == nil {
		return nil
	}
	for _, op := range opCtx.Doc.Operations {
		dropDefer(op.SelectionSet)
	}
	for _, f := range opCtx.Doc.Fragments {
		dropDefer(f.SelectionSet)
	}
	return nil
}

func dropDefer(set ast.SelectionSet) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			dropDefer(s.SelectionSet)
		case *ast.InlineFragment:
			s.Directives = withoutDefer(s.Directives)
			dropDefer(s.SelectionSet)
		case *ast.FragmentSpread:
			s.Directives = withoutDefer(s.Directives)
		}
	}
}

func withoutDefer(ds ast.DirectiveList) ast.DirectiveList {
	if ds.ForName("defer") == nil {
		return ds
	}
	out := make(ast.DirectiveList, 0, len(ds)-1)
	for _, d := range ds {
		if d.Name != "defer" {
			out = append(out, d)
		}
	}
	return out
}
