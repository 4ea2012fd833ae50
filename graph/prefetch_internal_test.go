package graph

import (
	"slices"
	"testing"
)

// TestPrefetchStepsNameSchemaFields catches a step filed under a misspelled
// type or field, which would never run.
func TestPrefetchStepsNameSchemaFields(t *testing.T) {
	schema := Schema()
	for typ, fields := range steps {
		def := schema.Types[typ]
		if def == nil {
			t.Errorf("steps: no type %s in the schema", typ)
			continue
		}
		for field := range fields {
			if def.Fields.ForName(field) == nil {
				t.Errorf("steps: no field %s.%s in the schema", typ, field)
			}
		}
		if !slices.Contains(implementors()[typ], typ) {
			t.Errorf("implementors[%s] = %v, want the type among them", typ, implementors()[typ])
		}
	}
}
