package graph_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/seed"
)

// TestSeedInputTypesCoverTheFormat checks that every key of the seed format
// (the yaml tags of seed.File and what it holds) is a field of the input
// type of the structured form, and that the input types have no field the
// format lacks: a key added to the format without its field would be one
// the structured form cannot send.
func TestSeedInputTypesCoverTheFormat(t *testing.T) {
	schema := graph.Schema()
	inputs := map[reflect.Type]string{}
	for _, pair := range []struct {
		v    any
		name string
	}{
		{seed.File{}, "SeedFileInput"}, {seed.SourceEntry{}, "SeedSourceInput"}, {seed.CompanyEntry{}, "SeedCompanyInput"},
		{seed.PersonEntry{}, "SeedPersonInput"}, {seed.PositionEntry{}, "SeedPositionInput"}, {seed.ProjectEntry{}, "SeedProjectInput"},
		{seed.ParticipantEntry{}, "SeedParticipantInput"}, {seed.MeasurementEntry{}, "SeedMeasurementInput"},
		{seed.MilestoneEntry{}, "SeedMilestoneInput"}, {seed.AmountEntry{}, "SeedAmountInput"}, {seed.MeetingEntry{}, "SeedMeetingInput"},
		{seed.AgreementEntry{}, "SeedAgreementInput"}, {seed.EventEntry{}, "SeedEventInput"}, {seed.StatementEntry{}, "SeedStatementInput"},
	} {
		inputs[reflect.TypeOf(pair.v)] = pair.name
	}
	checked := 0
	for typ, name := range inputs {
		def := schema.Types[name]
		if def == nil {
			t.Errorf("no input type %s for seed.%s", name, typ.Name())
			continue
		}
		keys := map[string]bool{}
		var walk func(reflect.Type)
		walk = func(typ reflect.Type) {
			for i := range typ.NumField() {
				f := typ.Field(i)
				key, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
				if opts == "inline" {
					walk(f.Type)
					continue
				}
				keys[key] = true
				if typ == reflect.TypeFor[seed.File]() && key == "retractions" {
					continue // a changeset cannot carry them: retract is the mutation for those
				}
				field := def.Fields.ForName(key)
				if field == nil {
					t.Errorf("%s has no field %s for the key %s of seed.%s", name, key, key, typ.Name())
					continue
				}
				checked++
				elem := f.Type
				if elem.Kind() == reflect.Slice {
					elem = elem.Elem()
					if field.Type.Elem == nil {
						t.Errorf("%s.%s is not a list, as the key %s is", name, key, key)
					}
				}
				if want, ok := inputs[elem]; ok && field.Type.Name() != want {
					t.Errorf("%s.%s is a %s, want %s", name, key, field.Type.Name(), want)
				}
				if f.Type.Kind() == reflect.Map && field.Type.Elem == nil {
					t.Errorf("%s.%s is not a list, as the structured form gives the map %s", name, key, key)
				}
			}
		}
		walk(typ)
		for _, field := range def.Fields {
			if !keys[field.Name] {
				t.Errorf("%s.%s is no key of seed.%s", name, field.Name, typ.Name())
			}
		}
	}
	if checked < 100 {
		t.Errorf("checked %d fields, want the format's 100 and more", checked)
	}
}
