package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/bench"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// everything touches every child field of every type, below a root list.
const everything = `query($n: Int) {
  companies(first: $n) { edges { node {
    name aliases parent { name } subsidiaries { name }
    positions { title person { name aliases } citations { paragraph source { title } } }
    projects { role citations { paragraph } project {
      name aliases capacityHistory { value } measurements { value citation { source { title } } }
      milestones { name } amounts { amount } agreements { title } meetings { date }
      participants { role company { name } } citations { paragraph }
    } }
    agreements { title parties { name } signatories { name } amounts { amount } projects { name } meeting { date } citations { paragraph } }
    meetings { date participants { name meetings { date } } organizations { name } topics projects { name } agreements { title } citations { paragraph } }
    measurements { value citation { paragraph } }
    citations { paragraph source { title } }
  } } }
}`

// TestStatementsBoundedByDepth proves there is no N+1: the number of SQL
// statements a query runs does not grow with the number of objects it
// returns: each level of the query costs one statement per loader it uses.
func TestStatementsBoundedByDepth(t *testing.T) {
	// The queries here are deliberately large: lift the cost and depth limits.
	srv := graphtest.New(t, graphtest.WithOptions(httpapi.Options{Limits: httpapi.Limits{MaxCost: 1_000_000, MaxDepth: 30}}))
	for _, tc := range []struct {
		name  string
		query string
		// max is one statement per (level, loader) pair the query's shape
		// uses, plus the root list.
		max int
	}{
		{"Wide", `query($n: Int) { companies(first: $n) { edges { node { name projects { role project { name participants { role company { name country } } } } } } } }`, 5},
		{"Everything", everything, 38},
	} {
		t.Run(tc.name, func(t *testing.T) {
			few := srv.MustQuery(t, tc.query, map[string]any{"n": 3}, nil).Statements()
			resp := srv.MustQuery(t, tc.query, map[string]any{"n": 100}, nil)
			all := resp.Statements()
			if few == 0 {
				t.Fatal("no statements reported in extensions.sqlStatements")
			}
			if all > tc.max {
				t.Errorf("statements = %d for all companies (%d for 3), want at most %d", all, few, tc.max)
			}
			if objects := strings.Count(string(resp.Data), `"name"`); objects < 5*all {
				t.Errorf("only %d named objects for %d statements: the query is too small to show batching", objects, all)
			}
		})
	}
}

func TestDesignCardStatements(t *testing.T) {
	srv := graphtest.New(t)
	// company by name (1), participations (1), projects (1), their
	// measurements (1), milestones (1), sources (1).
	if got, want := srv.MustQuery(t, designCard, nil, nil).Statements(), 6; got != want {
		t.Errorf("design card ran %d statements, want %d", got, want)
	}
	// The same card as of a date: asOf changes the conditions, not the
	// statements.
	asOfCard := `{ asOf(date: "2024-07") ` + designCard + ` }`
	if got, want := srv.MustQuery(t, asOfCard, nil, nil).Statements(), 6; got != want {
		t.Errorf("design card as of 2024-07 ran %d statements, want %d", got, want)
	}
}

// exploring touches every field of the exploration API that leads to
// objects, under each kind of root.
var exploring = []string{
	`{ search(query: "caspi", first: 20) { edges { node {
		... on Company { name projects { project { name } } citations { source { title } } }
		... on Project { name participants { company { name } } capacityHistory { citation { source { title } } } }
		... on Person { name positions { organization { name } } }
		... on Meeting { date participants { name } }
		... on Agreement { title parties { name } }
		... on Source { title }
	} } } }`,
	`{ timeline(first: 50) { edges { node { kind subject { id ... on Company { name aliases } ... on Project { name aliases } }
		citations { paragraph source { title } } } } } }`,
	`{ neighborhood(id: "` + graph.GlobalID("Company", "citic-group") + `", depth: 2, limit: 1000) {
		center { id ... on Company { name } } nodes { id ... on Person { name positions { title } } }
		relationships { type fromId toId from { id } to { id ... on Project { name } } } } }`,
	`{ neighborhood(id: "` + graph.GlobalID("Project", "caspi-bitum-expansion") + `", depth: 1) { relationships { type label } } }`,
	`{ paths(from: "` + graph.GlobalID("Person", "askhat-khassenov") + `", to: "` + graph.GlobalID("Project", "shymkent-refinery-expansion") + `", maxHops: 4) {
		elements { ... on Relationship { type fromId } ... on Company { name } ... on Person { name } ... on Project { name } }
		nodes { id ... on Company { aliases } } relationships { from { id } to { id } } } }`,
	`{ aggregates { money(groupBy: COMPANY) { groups { key amounts { project { name } agreement { title } citation { source { title } } } }
		excluded { amount { project { name } } countedInstead { agreement { parties { name } } } } } } }`,
	`{ asOf(date: "2024-06") { companies(first: 100) { edges { node { name projects { project { name capacityHistory { citation { source { title } } } } } } } } } }`,
	`{ people(first: 100) { edges { node { name positions { organization { name } citations { source { title } } } meetings { organizations { name } } } } } }`,
	`{ projects(first: 100) { edges { node { name amounts { agreement { title } } agreements { meeting { date } signatories { name } } } } } }`,
	`{ meetings(first: 100) { edges { node { date agreements { amounts { project { name } } } projects { milestones { citation { source { title } } } } } } } }`,
	`{ agreements(first: 100) { edges { node { title projects { meetings { date } } parties { parent { name } subsidiaries { name } } } } } }`,
	`{ statements(first: 100) { edges { node { speaker { name statements { slug } } reportedOn meeting { event { name } statements { slug } }
		event { partOf { name } parts { name } meetings { participations { role person { name } } } agreements { partOf { title } parts { title } event { name } }
			participants { name } statements { slug } citations { paragraph } evidence { attribute } }
		about { ... on Company { name evidence { attribute } counterpartyMeasurements { company { name } counterparty { name } project { name } reportedOn attributedTo { ... on Person { name } } } } ... on Project { evidence { attribute } amounts { reportedOn attributedTo { ... on Person { name } } } milestones { reportedOn } } ... on Person { evidence { attribute } positions { attributedTo { ... on Company { name } } } } ... on Meeting { evidence { attribute } } ... on Agreement { evidence { attribute } } }
		citation { source { title } } } } } }`,
	`{ events(first: 100) { edges { node { name meetings { participations { person { name } } } } } } }`,
	`{ agreements(first: 100) { edges { node { parties(basis: [STATED]) { name } signatories(basis: [INFERRED]) { name } projects(basis: [STATED]) { name } } } }
		meetings(first: 100) { edges { node { participants(basis: [STATED]) { name } organizations(basis: [INFERRED]) { name } projects(basis: [STATED]) { name } } } } }`,
	`{ sources(first: 100) { edges { node { title } } } nodes(ids: ["` + graph.GlobalID("Company", "citic-group") + `"]) { ... on Company { projects { role } } } }`,
}

// TestPrefetchCoversEveryField proves that the statements a request runs
// follow from the query alone: every batch of these queries, which between
// them reach every field that reads the store, is prefetched for a whole
// level at once, none fetched on demand for a single object.
func TestPrefetchCoversEveryField(t *testing.T) {
	srv := graphtest.New(t, graphtest.WithOptions(httpapi.Options{Limits: httpapi.Limits{MaxCost: 1_000_000, MaxDepth: 30}}))
	queries := append([]string{everything, designCard}, exploring...)
	for _, q := range bench.Queries {
		queries = append(queries, q.Text)
	}
	for _, q := range queries {
		srv.MustQuery(t, q, map[string]any{"n": 100}, nil)
	}
	prefetched, onDemand := batchCounts(t, srv)
	if onDemand != 0 {
		t.Errorf("%v batches were fetched on demand, want 0: a field lacks a prefetch step", onDemand)
	}
	if prefetched < float64(len(queries)) {
		t.Errorf("only %v batches prefetched for %d queries", prefetched, len(queries))
	}
}

// batchCounts reads the loader batch counters from the server's metrics.
func batchCounts(t *testing.T, srv *graphtest.Server) (prefetched, onDemand float64) {
	t.Helper()
	for _, line := range strings.Split(srv.Fetch(t, "/metrics"), "\n") {
		var how string
		var n float64
		if _, err := fmt.Sscanf(line, "investgraph_loader_batches_total{fetch=%q} %g", &how, &n); err == nil {
			switch how {
			case "prefetched":
				prefetched = n
			case "on_demand":
				onDemand = n
			}
		}
	}
	return prefetched, onDemand
}
