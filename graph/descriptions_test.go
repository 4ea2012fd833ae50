package graph_test

import (
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
)

// describedSchema asks for the description of every type, field, argument,
// input field and enum value, deprecated ones included.
const describedSchema = `{
  __schema {
    types {
      kind
      name
      description
      fields(includeDeprecated: true) {
        name
        description
        args(includeDeprecated: true) { name description }
      }
      inputFields(includeDeprecated: true) { name description }
      enumValues(includeDeprecated: true) { name description }
    }
  }
}`

type describedValue struct {
	Name        string
	Description *string
}

type describedField struct {
	Name        string
	Description *string
	Args        []describedValue
}

type describedType struct {
	Kind        string
	Name        string
	Description *string
	Fields      []describedField
	InputFields []describedValue
	EnumValues  []describedValue
}

// builtInScalars are the scalars the GraphQL specification defines, which
// the schema does not declare.
var builtInScalars = map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}

// TestSchemaDescriptions checks that the playground's docs describe every
// type, field, argument, input field and enum value the schema declares.
func TestSchemaDescriptions(t *testing.T) {
	srv := graphtest.New(t)
	var out struct {
		Schema struct{ Types []describedType } `json:"__schema"`
	}
	srv.MustQuery(t, describedSchema, nil, &out)

	missing := func(d *string) bool { return d == nil || strings.TrimSpace(*d) == "" }
	var types, fields int
	for _, typ := range out.Schema.Types {
		if strings.HasPrefix(typ.Name, "__") || builtInScalars[typ.Name] {
			continue
		}
		types++
		if missing(typ.Description) {
			t.Errorf("%s %s has no description", strings.ToLower(typ.Kind), typ.Name)
		}
		for _, f := range typ.Fields {
			fields++
			if missing(f.Description) {
				t.Errorf("field %s.%s has no description", typ.Name, f.Name)
			}
			for _, a := range f.Args {
				if missing(a.Description) {
					t.Errorf("argument %s.%s(%s:) has no description", typ.Name, f.Name, a.Name)
				}
			}
		}
		for _, f := range typ.InputFields {
			fields++
			if missing(f.Description) {
				t.Errorf("input field %s.%s has no description", typ.Name, f.Name)
			}
		}
		for _, v := range typ.EnumValues {
			if missing(v.Description) {
				t.Errorf("enum value %s.%s has no description", typ.Name, v.Name)
			}
		}
	}
	// A query that lost its selections would find nothing to complain about.
	if got, want := types, 50; got < want {
		t.Errorf("walked %d types, want at least %d", got, want)
	}
	if got, want := fields, 200; got < want {
		t.Errorf("walked %d fields and input fields, want at least %d", got, want)
	}
}
