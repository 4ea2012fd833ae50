package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/seed"
)

// hubServer serves hubSeed(40, 200): the hub takes part in 40 projects,
// while 99% of companies take part in at most 1.
func hubServer(t *testing.T, opts httpapi.Options) *graphtest.Server {
	t.Helper()
	return graphtest.New(t, graphtest.WithSeed(hubSeed(40, 200)), graphtest.WithOptions(quiet(opts)))
}

// hubCost is the cost of hubQuery for a company with projects projects:
// each has 2 participants (the 99th percentile, as no participant is named),
// each of which has 1 project (likewise).
func hubCost(projects int) int {
	return 1 + (1 + projects*(1+(1+2*(1+(1+1*1)))))
}

func TestCostByStatistics(t *testing.T) {
	srv := hubServer(t, httpapi.Options{})
	stats, err := srv.Store.Statistics(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stats.Lists["Company.projects"].P99, int64(1); got != want {
		t.Fatalf("99th percentile of Company.projects = %d, want %d", got, want)
	}
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		want        int
	}{
		{"HubBySlug", hubQuery, map[string]any{"slug": "hub"}, hubCost(40)},
		{"SmallBySlug", hubQuery, map[string]any{"slug": "small-001"}, hubCost(1)},
		{"UnknownSlug", hubQuery, map[string]any{"slug": "nobody"}, hubCost(1)},
		{"HubByName", `{ company(name: "the hub") { projects { role } } }`, nil, 1 + (1 + 40*1)},
		{"HubByID", `{ company(id: "` + graph.GlobalID("Company", "hub") + `") { projects { role } } }`, nil, 1 + (1 + 40*1)},
		{"HubByNode", `{ node(id: "` + graph.GlobalID("Company", "hub") + `") { ... on Company { projects { role } } } }`, nil, 1 + (1 + 40*1)},
		{"HubAmongNodes", `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Company { projects { role } } } }`,
			map[string]any{"ids": []string{graph.GlobalID("Company", "small-001"), graph.GlobalID("Company", "hub")}}, 1 + 2*(1+40*1)},
		{"HubUnderAsOf", `{ asOf(date: "2025") { company(slug: "hub") { projects { role } } } }`, nil, 1 + (1 + (1 + 40*1))},
		// In a page of companies, any may be the hub: the page is priced by
		// the percentile, and the object budget bounds what it resolves.
		{"Page", `{ companies(first: 10) { edges { node { projects { role } } } } }`, nil, 1 + 10*(1+(1+(1+1*1)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := srv.Do(t, tc.query, tc.vars)
			if len(resp.Errors) > 0 {
				t.Fatalf("errors: %+v", resp.Errors)
			}
			if got := resp.Cost(); got != tc.want {
				t.Errorf("cost = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestCostFollowsReplace(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	q := `{ company(slug: "hub") { projects { role } } }`
	before := srv.MustQuery(t, q, nil, nil).Cost()

	d, err := seed.Parse(hubSeed(40, 200))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Store.Replace(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if got, want := srv.MustQuery(t, q, nil, nil).Cost(), 1+(1+40*1); got != want {
		t.Errorf("after replacing the data with a hub of 40 projects: cost = %d, want %d (before: %d)", got, want, before)
	}
}

func TestCostOfIntrospection(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	types := len(graph.Schema().Types)
	if got, want := srv.MustQuery(t, `{ __schema { types { name } } }`, nil, nil).Cost(), 1+(1+types*1); got != want {
		t.Errorf("listing the %d types costs %d, want %d", types, got, want)
	}

	// Introspection is priced by the objects it returns, and aliases of it
	// by as many times that.
	one := `s: __schema { types { fields { args { name } type { name } } } }`
	resp := srv.MustQuery(t, "{ "+one+" }", nil, nil)
	if objects := countObjects(t, resp.Data); resp.Cost() < objects {
		t.Errorf("the fields of every type cost %d, less than the %d objects returned", resp.Cost(), objects)
	}
	if got, want := srv.MustQuery(t, aliases(30, one), nil, nil).Cost(), 30*resp.Cost(); got != want {
		t.Errorf("30 aliases cost %d, want %d", got, want)
	}

	// GraphiQL's query is within the limit; 30 aliases of it are not.
	query, err := os.ReadFile("testdata/introspection.graphql")
	if err != nil {
		t.Fatal(err)
	}
	resp = srv.MustQuery(t, string(query), nil, nil)
	if objects := countObjects(t, resp.Data); resp.Cost() < objects {
		t.Errorf("GraphiQL's introspection query costs %d, less than the %d objects it returns", resp.Cost(), objects)
	}
	fragments := string(query[strings.Index(string(query), "fragment"):])
	resp = srv.Do(t, aliases(30, `s: __schema { types { ...FullType } }`)+fragments, nil)
	assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodeCostLimitExceeded)
}

// aliases is a query of n aliases of field, whose alias is "s".
func aliases(n int, field string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " s%d%s", i, field[1:])
	}
	b.WriteString(" }")
	return b.String()
}

// countObjects counts the JSON objects in data.
func countObjects(t *testing.T, data json.RawMessage) int {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var count func(any) int
	count = func(v any) int {
		n := 0
		switch v := v.(type) {
		case map[string]any:
			n++
			for _, e := range v {
				n += count(e)
			}
		case []any:
			for _, e := range v {
				n += count(e)
			}
		}
		return n
	}
	return count(v) - 1 // data itself is no object fetched
}

func TestCostOfAggregates(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	stats, err := srv.Store.Statistics(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	money := stats.Aggregates["money COMPANY"]
	counts := stats.Aggregates["counts"]
	if money.Scanned == 0 || money.Groups == 0 || counts.Scanned == 0 {
		t.Fatalf("aggregate sizes of the seed: money %+v, counts %+v", money, counts)
	}
	ceil := func(n, d int64) int { return int((n + d - 1) / d) }
	moneyWork := ceil(money.Scanned, 8)
	for _, tc := range []struct {
		name, query string
		want        int
	}{
		{"Counts", `{ aggregates { counts { companies } } }`, 1 + (1 + ceil(counts.Scanned, 50))},
		{"Money", `{ aggregates { money(groupBy: COMPANY) { total } } }`, 1 + (1 + moneyWork)},
		{"MoneyGroups", `{ aggregates { money(groupBy: COMPANY) { groups { key } } } }`,
			1 + (1 + moneyWork + (1 + int(money.Groups)*1))},
		// Each group lists its share of the amounts: all groups list
		// money.Listed amounts in all.
		{"MoneyGroupAmounts", `{ aggregates { money(groupBy: COMPANY) { groups { amounts { currency } } } } }`,
			1 + (1 + moneyWork + (1 + int(money.Groups)*(1+ceil(money.Listed, money.Groups)*1)))},
		{"MoneyAsOfAliases", `{ a: asOf(date: "2023") { aggregates { money(groupBy: COMPANY) { total } } }
			b: asOf(date: "2024") { aggregates { money(groupBy: COMPANY) { total } } }
			c: asOf(date: "2025") { aggregates { money(groupBy: COMPANY) { total } } } }`, 3 * (1 + (1 + (1 + moneyWork)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := srv.MustQuery(t, tc.query, nil, nil).Cost(); got != tc.want {
				t.Errorf("cost = %d, want %d", got, tc.want)
			}
		})
	}
}

// quiet gives opts a logger that discards, unless it has one.
func quiet(opts httpapi.Options) httpapi.Options {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return opts
}
