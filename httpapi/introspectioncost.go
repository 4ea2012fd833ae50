package httpapi

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// introspectionSizes are the sizes of the lists introspection returns, read
// from the schema once: under __Schema.types every type is listed, so the
// lists of its types are priced by the schema's averages (their sums are
// exact); the lists of a single __Type, by the largest in the schema.
type introspectionSizes struct {
	average, largest map[string]int
	// wrapping is the most NON_NULL and LIST wrappers of any type
	// reference: a deeper __Type.ofType is always null.
	wrapping int
}

// list returns the multiplier of an introspection list, if list is one.
func (s *introspectionSizes) list(list string, allTypes bool) (int, bool) {
	if allTypes {
		if n, ok := s.average[list]; ok {
			return n, true
		}
	}
	n, ok := s.largest[list]
	return n, ok
}

// measureSchema counts what introspecting schema returns.
func measureSchema(schema *ast.Schema) *introspectionSizes {
	total := map[string]int{}
	largest := map[string]int{}
	count := func(list string, n int) {
		total[list] += n
		largest[list] = max(largest[list], n)
	}
	wrapping := 0
	wrap := func(t *ast.Type) {
		n := 0
		for ; t != nil; t = t.Elem {
			if t.NonNull {
				n++
			}
			if t.Elem != nil {
				n++
			}
		}
		wrapping = max(wrapping, n)
	}
	for _, def := range schema.Types {
		var fields, inputs, enums, interfaces, possible int
		switch def.Kind {
		case ast.Object, ast.Interface:
			for _, f := range def.Fields {
				if strings.HasPrefix(f.Name, "__") {
					continue
				}
				fields++
				count("__Field.args", len(f.Arguments))
				wrap(f.Type)
				for _, a := range f.Arguments {
					wrap(a.Type)
				}
			}
			interfaces = len(def.Interfaces)
		case ast.InputObject:
			inputs = len(def.Fields)
			for _, f := range def.Fields {
				wrap(f.Type)
			}
		case ast.Enum:
			enums = len(def.EnumValues)
		}
		if def.Kind == ast.Interface || def.Kind == ast.Union {
			possible = len(schema.GetPossibleTypes(def))
		}
		count("__Type.fields", fields)
		count("__Type.inputFields", inputs)
		count("__Type.enumValues", enums)
		count("__Type.interfaces", interfaces)
		count("__Type.possibleTypes", possible)
	}
	for _, d := range schema.Directives {
		count("__Directive.args", len(d.Arguments))
	}
	types, directives := max(len(schema.Types), 1), max(len(schema.Directives), 1)
	largest["__Schema.types"] = len(schema.Types)
	largest["__Schema.directives"] = len(schema.Directives)
	average := map[string]int{}
	for list, n := range total {
		per := types
		switch list {
		case "__Field.args":
			per = max(total["__Type.fields"], 1)
		case "__Directive.args":
			per = directives
		}
		average[list] = (n + per - 1) / per
	}
	// Directives are only ever listed all together.
	largest["__Directive.args"] = average["__Directive.args"]
	return &introspectionSizes{average: average, largest: largest, wrapping: wrapping}
}
