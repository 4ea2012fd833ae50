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

// MutateOperationContext drops @defer from the document's fragments. A
// document from the query cache has none left (inlineDeferCache), so this
// only reads it: the cache shares one document between concurrent requests,
// and only a document that was never shared is changed here.
func (inlineDefer) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	dropDocumentDefer(opCtx.Doc)
	return nil
}

// inlineDeferCache is the query cache with @defer dropped from each
// document as it is added, after validation and before any other request
// can see it.
type inlineDeferCache struct {
	graphql.Cache[*ast.QueryDocument]
}

func (c inlineDeferCache) Add(ctx context.Context, query string, doc *ast.QueryDocument) {
	dropDocumentDefer(doc)
	c.Cache.Add(ctx, query, doc)
}

func dropDocumentDefer(doc *ast.QueryDocument) {
	if doc == nil {
		return
	}
	for _, op := range doc.Operations {
		dropDefer(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		dropDefer(f.SelectionSet)
	}
}

// dropDefer removes @defer from the fragments of set, writing only where
// there is one to remove.
func dropDefer(set ast.SelectionSet) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			dropDefer(s.SelectionSet)
		case *ast.InlineFragment:
			if s.Directives.ForName("defer") != nil {
				s.Directives = withoutDefer(s.Directives)
			}
			dropDefer(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Directives.ForName("defer") != nil {
				s.Directives = withoutDefer(s.Directives)
			}
		}
	}
}

func withoutDefer(ds ast.DirectiveList) ast.DirectiveList {
	out := make(ast.DirectiveList, 0, len(ds)-1)
	for _, d := range ds {
		if d.Name != "defer" {
			out = append(out, d)
		}
	}
	return out
}
