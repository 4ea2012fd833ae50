package graph_test

import (
	"strings"
	"testing"
	"time"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
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

// quiescentWait is the loader wait of the statement-count tests. A batch is
// fetched as soon as the test process has nothing else to run, so a long
// wait does not slow the tests; it only keeps a batch open while anything
// could still add a key to it, so that another process keeping the CPU busy
// cannot split a batch.
const quiescentWait = 2 * time.Second

// TestStatementsBoundedByDepth proves there is no N+1: the number of SQL
// statements a query runs does not grow with the number of objects it
// returns: each level of the query costs one statement per loader it uses.
func TestStatementsBoundedByDepth(t *testing.T) {
	// The queries here are deliberately large: lift the cost and depth limits.
	srv := graphtest.New(t, graphtest.WithOptions(graph.Options{LoaderWait: quiescentWait,
		Limits: graph.Limits{MaxCost: 1_000_000, MaxDepth: 30}}))
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
	srv := graphtest.New(t, graphtest.WithOptions(graph.Options{LoaderWait: quiescentWait}))
	// company by name (1), participations (1), projects (1), their
	// measurements (1), milestones (1), sources (1).
	if got, want := srv.MustQuery(t, designCard, nil, nil).Statements(), 6; got != want {
		t.Errorf("design card ran %d statements, want %d", got, want)
	}
}
