package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/investgraph/investgraph/db"
)

// notNull returns the value of a nullable argument or input field that has
// a default in the schema, such as `neighborhood(depth: Int = 1)`. gqlgen
// gives an omitted one its default, so v is nil only when the client passed
// an explicit null, literally or through a variable: the GraphQL
// specification passes that null on rather than the default. What a null
// depth means is anyone's guess, so it is refused as bad user input that
// names the argument and its default, e.g. "depth must not be null: omit
// it for the default 1".
//
// name is the argument's name, or for an input field the path to it from
// the argument, e.g. "filter.currency".
func notNull[T any](ctx context.Context, name string, v *T) (T, error) {
	if v != nil {
		return *v, nil
	}
	var zero T
	msg := name + " must not be null"
	if def := defaultOf(ctx, name); def != nil {
		msg += ": omit it for the default " + def.String()
	}
	return zero, db.Errorf(db.EINVALID, "%s", msg)
}

// defaultOf finds the schema default of the argument or input field name
// of the field being resolved, or nil.
func defaultOf(ctx context.Context, name string) *ast.Value {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil {
		return nil
	}
	path := strings.Split(name, ".")
	arg := fc.Field.Definition.Arguments.ForName(path[0])
	if arg == nil {
		return nil
	}
	def, typ := arg.DefaultValue, arg.Type
	for _, field := range path[1:] {
		input := Schema().Types[typ.Name()]
		if input == nil {
			return nil
		}
		f := input.Fields.ForName(field)
		if f == nil {
			return nil
		}
		def, typ = f.DefaultValue, f.Type
	}
	return def
}
