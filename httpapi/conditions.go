package httpapi

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// nullConditions refuses an explicit null for a variable that @skip or
// @include reads. Their `if` is a Boolean!, and a variable's default
// applies only when the variable is left out, so a null leaves the
// executor nothing to test: the request is bad input, said as such rather
// than failing inside the executor.
type nullConditions struct{}

func (nullConditions) ExtensionName() string                   { return "NullConditions" }
func (nullConditions) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext checks every @skip and @include of the document
// that reads a variable.
func (nullConditions) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Doc == nil {
		return nil
	}
	var found *gqlerror.Error
	check := func(ds ast.DirectiveList) {
		for _, d := range ds {
			if found != nil || d.Name != "skip" && d.Name != "include" {
				continue
			}
			a := d.Arguments.ForName("if")
			if a == nil || a.Value == nil || a.Value.Kind != ast.Variable {
				continue
			}
			if v, present := opCtx.Variables[a.Value.Raw]; present && v == nil {
				found = &gqlerror.Error{
					Message: fmt.Sprintf("variable $%s is null, but @%s(if:) needs true or false: pass a Boolean, or leave the variable out for its default",
						a.Value.Raw, d.Name),
					Locations:  []gqlerror.Location{{Line: a.Value.Position.Line, Column: a.Value.Position.Column}},
					Extensions: map[string]any{"code": "BAD_USER_INPUT"},
				}
			}
		}
	}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				check(s.Directives)
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				check(s.Directives)
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				check(s.Directives)
			}
		}
	}
	for _, op := range opCtx.Doc.Operations {
		walk(op.SelectionSet)
	}
	for _, f := range opCtx.Doc.Fragments {
		walk(f.SelectionSet)
	}
	return found
}
