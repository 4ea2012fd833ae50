// Package bench holds the queries the benchmarks and the load harness
// (bench/load) run, so that both measure the same operations.
package bench

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Query is one operation the benchmarks run.
type Query struct {
	// Name identifies the query in flags and reports, e.g. "design-card".
	Name string
	// Text is the GraphQL document.
	Text string
	// Requires lists the fields, as "Type.field", that the schema must have
	// for the query to run; queries of features not yet in the schema are
	// skipped rather than failed.
	Requires []string
}

// Queries is the benchmark set. Add a query here and both the benchmarks and
// the load harness run it.
var Queries = []Query{
	{
		Name: "design-card",
		Text: `{ company(name: "CITIC") { name projects { role project { name capacityHistory { metric value unit asOf status citation { paragraph source { title publishedOn } } } milestones { name date status } } } } }`,
	},
	{
		Name: "wide",
		Text: `{ companies(first: 100) { edges { node { name projects { role project { name participants { role company { name country } } } } } } } }`,
	},
	{
		// Q1 of the executor comparison: the design card without milestones
		// and citations, the same text PostGraphile's side is written for.
		Name: "q1",
		Text: `{ company(name: "CITIC") { name projects { role project { name capacityHistory { metric value unit asOf status } } } } }`,
	},
	{
		// Q2 of the executor comparison: the wide query without countries.
		Name: "q2",
		Text: `{ companies(first: 100) { edges { node { name projects { role project { name participants { role company { name } } } } } } } }`,
	},
	{
		Name:     "search",
		Text:     `{ search(query: "caspi bitum", first: 10) { totalCount edges { score snippet node { ... on Project { name } ... on Company { name } } } } }`,
		Requires: []string{"Query.search"},
	},
	{
		Name:     "aggregate",
		Text:     `{ aggregates { counts { companies projects agreements amounts } money(groupBy: COUNTERPARTY_COUNTRY) { total groups { key total } } } }`,
		Requires: []string{"Query.aggregates"},
	},
	{
		Name:     "timeline",
		Text:     `{ timeline(subject: "` + companyID("citic-group") + `", first: 20) { totalCount edges { node { date kind title } } } }`,
		Requires: []string{"Query.timeline"},
	},
	{
		Name: "path",
		// Khassenov and the Shymkent refinery expansion are four hops apart.
		Text: `{ paths(from: "` + globalID("Person", "askhat-khassenov") + `", to: "` + globalID("Project", "shymkent-refinery-expansion") +
			`", maxHops: 4, first: 3) { length relationships { type label fromId toId } } }`,
		Requires: []string{"Query.paths"},
	},
	{
		Name:     "neighborhood",
		Text:     `{ neighborhood(id: "` + companyID("citic-group") + `", depth: 2, limit: 1000) { nodes { id } relationships { type fromId toId } } }`,
		Requires: []string{"Query.neighborhood"},
	},
	{
		Name:     "asof-design-card",
		Text:     `{ asOf(date: "2024-07") { company(name: "CITIC") { name projects { role project { name capacityHistory { metric value unit asOf status citation { paragraph source { title publishedOn } } } milestones { name date status } } } } } }`,
		Requires: []string{"Query.asOf"},
	},
}

// globalID is the API's ID of the object of type typ with the slug: the
// benchmark queries name seed objects, present at every size.
func globalID(typ, slug string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + slug))
}

func companyID(slug string) string { return globalID("Company", slug) }

// Find returns the query named name.
func Find(name string) (Query, bool) {
	for _, q := range Queries {
		if q.Name == name {
			return q, true
		}
	}
	return Query{}, false
}

// Missing returns the fields of q.Requires that schema lacks.
func (q Query) Missing(schema *ast.Schema) []string {
	var missing []string
	for _, req := range q.Requires {
		typ, field, _ := strings.Cut(req, ".")
		def := schema.Types[typ]
		if def == nil || def.Fields.ForName(field) == nil {
			missing = append(missing, req)
		}
	}
	return missing
}

// Available returns the queries of Queries whose required fields schema has.
func Available(schema *ast.Schema) []Query {
	var out []Query
	for _, q := range Queries {
		if len(q.Missing(schema)) == 0 {
			out = append(out, q)
		}
	}
	return out
}

// Select returns the queries named in a comma-separated list, or all
// available ones when the list is empty. A named query that the schema
// cannot run is an error.
func Select(schema *ast.Schema, names string) ([]Query, error) {
	if strings.TrimSpace(names) == "" {
		return Available(schema), nil
	}
	var out []Query
	for _, name := range strings.Split(names, ",") {
		q, ok := Find(strings.TrimSpace(name))
		if !ok {
			return nil, fmt.Errorf("unknown query %q", name)
		}
		if m := q.Missing(schema); len(m) > 0 {
			return nil, fmt.Errorf("query %q needs %s, which the schema does not have", q.Name, strings.Join(m, ", "))
		}
		out = append(out, q)
	}
	return out, nil
}
