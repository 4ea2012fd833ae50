package graph_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/seed"
)

// designCard is the signature query: CITIC → Caspi Bitum → capacity history.
const designCard = `{
  company(name: "CITIC") {
    name
    projects {
      role
      project {
        slug
        name
        capacityHistory { metric value unit asOf status citation { paragraph source { publishedOn } } }
        milestones { name date status citation { paragraph } }
      }
    }
  }
}`

type measurement struct {
	Metric   string
	Value    float64
	Unit     string
	AsOf     string
	Status   string
	Citation struct {
		Paragraph int
		Source    struct{ PublishedOn string }
	}
}

func TestDesignCard(t *testing.T) {
	srv := graphtest.New(t)
	var got struct {
		Company struct {
			Name     string
			Projects []struct {
				Role    string
				Project struct {
					Slug            string
					Name            string
					CapacityHistory []measurement
					Milestones      []struct{ Name, Date, Status string }
				}
			}
		}
	}
	srv.MustQuery(t, designCard, nil, &got)
	if got, want := got.Company.Name, "CITIC Group"; got != want {
		t.Fatalf("company = %q, want %q", got, want)
	}
	i := slices.IndexFunc(got.Company.Projects, func(p struct {
		Role    string
		Project struct {
			Slug            string
			Name            string
			CapacityHistory []measurement
			Milestones      []struct{ Name, Date, Status string }
		}
	}) bool {
		return p.Project.Slug == "caspi-bitum-expansion"
	})
	if i < 0 {
		t.Fatalf("CITIC's projects do not include caspi-bitum-expansion: %+v", got.Company.Projects)
	}
	p := got.Company.Projects[i].Project
	if got, want := got.Company.Projects[i].Role, "PARTNER"; got != want {
		t.Errorf("CITIC's role = %s, want %s", got, want)
	}

	// The history is in asOf order and holds what each report said: 500,000 t
	// reached and 750,000 t targeted in 2023, the target restated in 2024.
	var asOf []string
	for _, m := range p.CapacityHistory {
		asOf = append(asOf, m.AsOf)
	}
	if !slices.IsSorted(asOf) {
		t.Errorf("capacityHistory not in asOf order: %v", asOf)
	}
	want := map[string]bool{
		"PRODUCTION_CAPACITY 500000 ACTUAL 2023-10":  false,
		"PRODUCTION_CAPACITY 750000 TARGET 2023-10":  false,
		"PROCESSING_CAPACITY 1500000 TARGET 2023-10": false,
		"PRODUCTION_CAPACITY 750000 TARGET 2024-07":  false,
		"PRODUCTION_CAPACITY 500000 ACTUAL 2024-08":  false,
		"PRODUCTION_CAPACITY 750000 TARGET 2024-08":  false,
	}
	for _, m := range p.CapacityHistory {
		key := strings.Join([]string{m.Metric, jsonNumber(m.Value), m.Status, m.AsOf}, " ")
		if _, ok := want[key]; ok {
			want[key] = true
		}
		if m.Citation.Paragraph < 1 || m.Citation.Source.PublishedOn == "" {
			t.Errorf("measurement %s has no citation", key)
		}
	}
	for key, seen := range want {
		if !seen {
			t.Errorf("capacityHistory lacks %s", key)
		}
	}

	// Milestones keep the precision the article gave.
	dates := map[string]bool{}
	for _, m := range p.Milestones {
		dates[m.Date+" "+m.Status] = true
	}
	for _, d := range []string{"2024-Q4 PLANNED", "2025-03 PLANNED"} {
		if !dates[d] {
			t.Errorf("milestones lack %s: %+v", d, p.Milestones)
		}
	}
}

func jsonNumber(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

func TestLookupByAlias(t *testing.T) {
	srv := graphtest.New(t)
	for _, name := range []string{"KMG", "Kazmunaygas", "KazMunayGas National Company", "kazmunaygas", "  KMG "} {
		t.Run(name, func(t *testing.T) {
			var got struct{ Company *struct{ Slug string } }
			srv.MustQuery(t, `query($n: String) { company(name: $n) { slug } }`, map[string]any{"n": name}, &got)
			if got.Company == nil || got.Company.Slug != "kazmunaygas" {
				t.Fatalf("company(name: %q) = %+v, want kazmunaygas", name, got.Company)
			}
		})
	}
	t.Run("CITIC", func(t *testing.T) {
		var got struct{ Company struct{ Slug string } }
		srv.MustQuery(t, `{ company(name: "CITIC") { slug } }`, nil, &got)
		if got, want := got.Company.Slug, "citic-group"; got != want {
			t.Fatalf("slug = %q, want %q", got, want)
		}
	})
	t.Run("ProjectAlias", func(t *testing.T) {
		var got struct{ Project struct{ Slug string } }
		srv.MustQuery(t, `{ project(name: "Caspi Bitum") { slug } }`, nil, &got)
		if got, want := got.Project.Slug, "caspi-bitum-expansion"; got != want {
			t.Fatalf("slug = %q, want %q", got, want)
		}
	})
	t.Run("UnknownIsNull", func(t *testing.T) {
		resp := srv.MustQuery(t, `{ company(name: "Gazprom") { slug } person(slug: "nobody") { name } project(name: "x") { name } }`, nil, nil)
		if got, want := string(resp.Data), `{"company":null,"person":null,"project":null}`; got != want {
			t.Fatalf("data = %s, want %s", got, want)
		}
	})
}

func TestPositionHistory(t *testing.T) {
	srv := graphtest.New(t)
	var got struct {
		Company struct {
			Positions []struct {
				Title      string
				ReportedOn string
				Person     struct{ Slug string }
				Citations  []struct{ Paragraph int }
			}
		}
	}
	srv.MustQuery(t, `{ company(slug: "citic-group") { positions { title reportedOn person { slug } citations { paragraph } } } }`, nil, &got)
	chair := map[string]string{} // report date → chairman
	var dates []string
	for _, p := range got.Company.Positions {
		if len(p.Citations) == 0 {
			t.Errorf("position %+v has no citation", p)
		}
		if strings.HasPrefix(p.Title, "Chairman") {
			chair[p.ReportedOn] = p.Person.Slug
		}
		dates = append(dates, p.ReportedOn)
	}
	if !slices.IsSorted(dates) {
		t.Errorf("positions not in report order: %v", dates)
	}
	for date, want := range map[string]string{
		"2023-05-20": "zhu-hexin", "2023-10-18": "zhu-hexin",
		"2024-07-02": "xi-guohua", "2024-08-22": "xi-guohua",
	} {
		if got := chair[date]; got != want {
			t.Errorf("chairman reported on %s = %q, want %q", date, got, want)
		}
	}
}

func TestConflictingAmounts(t *testing.T) {
	srv := graphtest.New(t)
	var got struct {
		Agreement struct {
			DocumentCount int
			Amounts       []struct {
				Amount        float64
				Approximation string
				Currency      string
				Citation      struct{ Source struct{ PublishedOn string } }
			}
		}
	}
	srv.MustQuery(t, `{ agreement(slug: "citic-five-documents-2023") {
		documentCount amounts { amount approximation currency citation { source { publishedOn } } } } }`, nil, &got)
	a := got.Agreement
	if got, want := a.DocumentCount, 5; got != want {
		t.Errorf("documentCount = %d, want %d", got, want)
	}
	found := map[string]string{}
	for _, am := range a.Amounts {
		found[jsonNumber(am.Amount)+" "+am.Approximation+" "+am.Currency] = am.Citation.Source.PublishedOn
	}
	if got, want := found["2000000000 EXACT USD"], "2023-10-18"; got != want {
		t.Errorf("$2 billion cited from %q, want %q (amounts %v)", got, want, found)
	}
	if got, want := found["1600000000 AT_LEAST USD"], "2023-05-20"; got != want {
		t.Errorf("over $1.6 billion cited from %q, want %q (amounts %v)", got, want, found)
	}
}

// typedNode is a node's id and GraphQL type name.
type typedNode struct {
	ID       string
	Typename string `json:"__typename"`
}

func TestNodeRoundTrip(t *testing.T) {
	srv := graphtest.New(t)
	var lists struct {
		Companies, People, Projects, Meetings, Agreements, Sources struct {
			Edges []struct{ Node typedNode }
		}
	}
	srv.MustQuery(t, `{
		companies(first: 100) { edges { node { id __typename } } }
		people(first: 100) { edges { node { id __typename } } }
		projects(first: 100) { edges { node { id __typename } } }
		meetings(first: 100) { edges { node { id __typename } } }
		agreements(first: 100) { edges { node { id __typename } } }
		sources(first: 100) { edges { node { id __typename } } }
	}`, nil, &lists)
	type edge = struct{ Node typedNode }
	var all []edge
	for _, l := range [][]edge{lists.Companies.Edges, lists.People.Edges, lists.Projects.Edges,
		lists.Meetings.Edges, lists.Agreements.Edges, lists.Sources.Edges} {
		if len(l) == 0 {
			t.Fatal("a root list is empty")
		}
		all = append(all, l...)
	}
	seen := map[string]bool{}
	for _, e := range all {
		if seen[e.Node.ID] {
			t.Errorf("id %s is not unique", e.Node.ID)
		}
		seen[e.Node.ID] = true
		var got struct{ Node *typedNode }
		srv.MustQuery(t, `query($id: ID!) { node(id: $id) { id __typename } }`, map[string]any{"id": e.Node.ID}, &got)
		if got.Node == nil || got.Node.ID != e.Node.ID || got.Node.Typename != e.Node.Typename {
			t.Errorf("node(%s) = %+v, want a %s with the same id", e.Node.ID, got.Node, e.Node.Typename)
		}
	}

	t.Run("StableAcrossServers", func(t *testing.T) {
		other := graphtest.New(t)
		var got struct{ Company struct{ ID string } }
		other.MustQuery(t, `{ company(slug: "citic-group") { id } }`, nil, &got)
		if got, want := got.Company.ID, graph.GlobalID("Company", "citic-group"); got != want {
			t.Errorf("id = %q, want %q", got, want)
		}
	})
	t.Run("UnknownIsNull", func(t *testing.T) {
		resp := srv.MustQuery(t, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": graph.GlobalID("Company", "no-such")}, nil)
		if got, want := string(resp.Data), `{"node":null}`; got != want {
			t.Errorf("data = %s, want %s", got, want)
		}
	})
	t.Run("Nodes", func(t *testing.T) {
		var got struct{ Nodes []*struct{ ID string } }
		ids := []string{graph.GlobalID("Person", "zhu-hexin"), graph.GlobalID("Person", "nobody")}
		srv.MustQuery(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids}, &got)
		if len(got.Nodes) != 2 || got.Nodes[0] == nil || got.Nodes[0].ID != ids[0] || got.Nodes[1] != nil {
			t.Errorf("nodes = %+v, want [zhu-hexin, null]", got.Nodes)
		}
	})
}

func TestPagination(t *testing.T) {
	srv := graphtest.New(t)
	type page struct {
		Companies struct {
			TotalCount int
			Edges      []struct {
				Cursor string
				Node   struct{ Slug string }
			}
			PageInfo struct {
				HasNextPage     bool
				HasPreviousPage bool
				EndCursor       *string
			}
		}
	}
	var slugs []string
	var after *string
	total := -1
	for i := 0; ; i++ {
		var got page
		srv.MustQuery(t, `query($after: String) { companies(first: 4, after: $after) {
			totalCount edges { cursor node { slug } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
			map[string]any{"after": after}, &got)
		c := got.Companies
		total = c.TotalCount
		if got, want := c.PageInfo.HasPreviousPage, i > 0; got != want {
			t.Errorf("page %d: hasPreviousPage = %v, want %v", i, got, want)
		}
		for _, e := range c.Edges {
			slugs = append(slugs, e.Node.Slug)
		}
		if n := len(c.Edges); n > 0 && (c.PageInfo.EndCursor == nil || *c.PageInfo.EndCursor != c.Edges[n-1].Cursor) {
			t.Errorf("page %d: endCursor %v, want the last edge's cursor %s", i, c.PageInfo.EndCursor, c.Edges[n-1].Cursor)
		}
		if !c.PageInfo.HasNextPage {
			// hasNextPage is false on the last page, which is not empty:
			// the seed's 20 companies fill five pages exactly.
			if len(c.Edges) == 0 {
				t.Errorf("page %d is empty: hasNextPage was true on the page before", i)
			}
			break
		}
		if len(c.Edges) != 4 {
			t.Errorf("page %d has %d edges and hasNextPage", i, len(c.Edges))
		}
		after = c.PageInfo.EndCursor
	}
	if got := len(slugs); got != total {
		t.Fatalf("walked %d companies, totalCount = %d", got, total)
	}
	// The documented order, computed from the seed files: by name ignoring
	// case, then slug.
	d, err := seed.Parse(seed.Files())
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	slices.SortFunc(d.Companies, func(a, b *db.Company) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.Slug, b.Slug))
	})
	for _, c := range d.Companies {
		want = append(want, c.Slug)
	}
	if !slices.Equal(slugs, want) {
		t.Errorf("pages listed\n  %v\nwant\n  %v", slugs, want)
	}
}

func TestMeetingsDateRange(t *testing.T) {
	srv := graphtest.New(t)
	var got struct {
		Meetings struct {
			Edges []struct{ Node struct{ Date string } }
		}
	}
	srv.MustQuery(t, `{ meetings(first: 100, filter: {from: "2024", to: "2024-12"}) { edges { node { date } } } }`, nil, &got)
	if len(got.Meetings.Edges) == 0 {
		t.Fatal("no meetings in 2024")
	}
	for _, e := range got.Meetings.Edges {
		if !strings.HasPrefix(e.Node.Date, "2024") {
			t.Errorf("meeting dated %s is outside 2024", e.Node.Date)
		}
	}
}

func TestBadInput(t *testing.T) {
	srv := graphtest.New(t)
	for _, tc := range []struct {
		name, query, code string
		vars              map[string]any
	}{
		{"ErrParse", `{ company(name: "CITIC") { name `, "GRAPHQL_PARSE_FAILED", nil},
		{"ErrUnknownField", `{ company(name: "CITIC") { revenue } }`, "GRAPHQL_VALIDATION_FAILED", nil},
		{"ErrBadID", `{ node(id: "not-an-id!") { id } }`, "BAD_USER_INPUT", nil},
		{"ErrIDOfWrongType", `query($id: ID) { company(id: $id) { name } }`, "BAD_USER_INPUT",
			map[string]any{"id": graph.GlobalID("Person", "zhu-hexin")}},
		{"ErrNoLookupKey", `{ company { name } }`, "BAD_USER_INPUT", nil},
		{"ErrTwoLookupKeys", `{ company(slug: "citic-group", name: "CITIC") { name } }`, "BAD_USER_INPUT", nil},
		{"ErrNegativeFirst", `{ companies(first: -1) { totalCount } }`, "BAD_USER_INPUT", nil},
		{"ErrTooManyNodes", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, "BAD_USER_INPUT",
			map[string]any{"ids": manyIDs(101)}},
		{"ErrFirstTooLarge", `{ companies(first: 1000) { totalCount } }`, "BAD_USER_INPUT", nil},
		{"ErrBadCursor", `{ companies(after: "garbage") { totalCount } }`, "BAD_USER_INPUT", nil},
		{"ErrBadPartialDate", `{ meetings(filter: {from: "2024-13"}) { totalCount } }`, "BAD_USER_INPUT", nil},
		{"ErrBadPartialDateVariable", `query($d: PartialDate) { meetings(filter: {from: $d}) { totalCount } }`, "BAD_USER_INPUT",
			map[string]any{"d": "2024-Q5"}},
		{"ErrFromAfterTo", `{ meetings(filter: {from: "2025", to: "2024"}) { totalCount } }`, "BAD_USER_INPUT", nil},
		{"ErrUnknownEnum", `{ project(slug: "caspi-bitum-expansion") { measurements(metric: WEIGHT) { value } } }`, "BAD_USER_INPUT", nil},
		{"ErrUnknownEnumVariable", `query($m: Metric) { project(slug: "caspi-bitum-expansion") { measurements(metric: $m) { value } } }`, "BAD_USER_INPUT",
			map[string]any{"m": "WEIGHT"}},
		{"ErrWrongLiteralType", `{ companies(first: "ten") { totalCount } }`, "BAD_USER_INPUT", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := srv.Do(t, tc.query, tc.vars)
			if len(resp.Errors) == 0 {
				t.Fatalf("no error; data = %s", resp.Data)
			}
			e := resp.Errors[0]
			if got := e.Code(); got != tc.code {
				t.Errorf("code = %q, want %q (message %q)", got, tc.code, e.Message)
			}
			for _, leak := range []string{"sql", "SELECT", "goroutine", ".go:"} {
				if strings.Contains(e.Message, leak) {
					t.Errorf("message %q leaks %q", e.Message, leak)
				}
			}
		})
	}
}

// manyIDs returns n distinct well-formed company IDs.
func manyIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = graph.GlobalID("Company", fmt.Sprint("c", i))
	}
	return ids
}
