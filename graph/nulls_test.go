package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
)

// nullCases are the nullable arguments and input fields with a default,
// each with a query that passes $v to it, the type to declare $v with, and
// the error an explicit null for it gets.
var nullCases = []struct {
	coordinate string // the schema coordinate of the argument
	query      string // %s is where the value goes
	varType    string
	message    string
}{
	{"Query.neighborhood(depth:)", `neighborhood(id: "%[2]s", depth: %[1]s) { center { id } }`, "Int",
		"depth must not be null: omit it for the default 1"},
	{"Query.neighborhood(limit:)", `neighborhood(id: "%[2]s", limit: %[1]s) { center { id } }`, "Int",
		"limit must not be null: omit it for the default 100"},
	{"Query.paths(maxHops:)", `paths(from: "%[2]s", to: "%[3]s", maxHops: %[1]s) { length }`, "Int",
		"maxHops must not be null: omit it for the default 4"},
	{"Query.paths(first:)", `paths(from: "%[2]s", to: "%[3]s", first: %[1]s) { length }`, "Int",
		"first must not be null: omit it for the default 3"},
	{"Aggregates.money(currency:)", `aggregates { money(groupBy: YEAR, currency: %[1]s) { currency } }`, "String",
		`currency must not be null: omit it for the default "USD"`},
	{"Aggregates.money(undatedByReportYear:)", `aggregates { money(groupBy: YEAR, undatedByReportYear: %[1]s) { currency } }`, "Boolean",
		"undatedByReportYear must not be null: omit it for the default false"},
	{"AgreementFilter.currency", `agreements(filter: {minAmount: 1, currency: %[1]s}) { totalCount }`, "String",
		`filter.currency must not be null: omit it for the default "USD"`}, {"Company.positions(includeRetracted:)", `companies(first: 1) { edges { node { positions(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Company.projects(includeRetracted:)", `companies(first: 1) { edges { node { projects(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Company.measurements(includeRetracted:)", `companies(first: 1) { edges { node { measurements(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Company.counterpartyMeasurements(includeRetracted:)", `companies(first: 1) { edges { node { counterpartyMeasurements(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Person.positions(includeRetracted:)", `people(first: 1) { edges { node { positions(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Person.statements(includeRetracted:)", `people(first: 1) { edges { node { statements(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Project.participants(includeRetracted:)", `projects(first: 1) { edges { node { participants(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Project.capacityHistory(includeRetracted:)", `projects(first: 1) { edges { node { capacityHistory(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Project.measurements(includeRetracted:)", `projects(first: 1) { edges { node { measurements(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Project.milestones(includeRetracted:)", `projects(first: 1) { edges { node { milestones(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Project.amounts(includeRetracted:)", `projects(first: 1) { edges { node { amounts(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Agreement.amounts(includeRetracted:)", `agreements(first: 1) { edges { node { amounts(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Meeting.participations(includeRetracted:)", `meetings(first: 1) { edges { node { participations(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Meeting.statements(includeRetracted:)", `meetings(first: 1) { edges { node { statements(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
	{"Event.statements(includeRetracted:)", `events(first: 1) { edges { node { statements(includeRetracted: %[1]s) { __typename } } } }`, "Boolean",
		"includeRetracted must not be null: omit it for the default false"},
}

// TestExplicitNull checks that an explicit null for an argument with a
// default, literal or through a variable, is refused as bad user input
// naming the argument, while an omitted one (or a variable left out) gets
// its default.
func TestExplicitNull(t *testing.T) {
	srv := graphtest.New(t)
	citic, zhu := graph.GlobalID("Company", "citic-group"), graph.GlobalID("Person", "zhu-hexin")
	for _, tc := range nullCases {
		field := func(value string) string { return fmt.Sprintf(tc.query, value, citic, zhu) }
		query := fmt.Sprintf("query($v: %s) { %s }", tc.varType, field("$v"))
		t.Run(tc.coordinate, func(t *testing.T) {
			for _, form := range []struct {
				name, query string
				vars        map[string]any
			}{
				{"Literal", "{ " + field("null") + " }", nil},
				{"Variable", query, map[string]any{"v": nil}},
			} {
				err := srv.MustFail(t, form.query, form.vars)
				if got, want := err.Code(), "BAD_USER_INPUT"; got != want {
					t.Errorf("%s: code = %s, want %s (%s)", form.name, got, want, err.Message)
				}
				if got, want := err.Message, tc.message; got != want {
					t.Errorf("%s: message = %q, want %q", form.name, got, want)
				}
			}
			srv.MustQuery(t, query, map[string]any{}, nil)
		})
	}
	t.Run("AgreementFilter.currency/InputVariable", func(t *testing.T) {
		err := srv.MustFail(t, `query($f: AgreementFilter) { agreements(filter: $f) { totalCount } }`,
			map[string]any{"f": map[string]any{"maxAmount": 1e12, "currency": nil}})
		if got, want := err.Message, `filter.currency must not be null: omit it for the default "USD"`; got != want {
			t.Errorf("message = %q, want %q", got, want)
		}
	})
}

// TestExplicitNullCoversSchema checks that nullCases has every nullable
// argument and input field with a default in the schema.
func TestExplicitNullCoversSchema(t *testing.T) {
	schema := graph.Schema()
	var covered []string
	for _, tc := range nullCases {
		covered = append(covered, tc.coordinate)
	}
	for name, def := range schema.Types {
		if strings.HasPrefix(name, "__") {
			continue
		}
		for _, f := range def.Fields {
			if f.DefaultValue != nil && !f.Type.NonNull && !slices.Contains(covered, name+"."+f.Name) {
				t.Errorf("input field %s.%s has a default and no case in nullCases", name, f.Name)
			}
			for _, a := range f.Arguments {
				c := fmt.Sprintf("%s.%s(%s:)", name, f.Name, a.Name)
				if a.DefaultValue != nil && !a.Type.NonNull && !slices.Contains(covered, c) {
					t.Errorf("argument %s has a default and no case in nullCases", c)
				}
			}
		}
	}
}
