package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
)

func TestFilters(t *testing.T) {
	srv := graphtest.New(t)
	slugs := func(t *testing.T, query string, vars map[string]any) []string {
		t.Helper()
		var got map[string]struct {
			TotalCount int
			Edges      []struct{ Node struct{ Slug string } }
		}
		srv.MustQuery(t, query, vars, &got)
		var out []string
		for _, conn := range got {
			for _, e := range conn.Edges {
				out = append(out, e.Node.Slug)
			}
			if conn.TotalCount != len(conn.Edges) {
				t.Errorf("totalCount = %d, edges = %d", conn.TotalCount, len(conn.Edges))
			}
		}
		return out
	}
	t.Run("CompaniesByCountryAndKind", func(t *testing.T) {
		got := slugs(t, `{ companies(first: 100, filter: {country: ["KZ"], kind: [STATE_OWNED_COMPANY]}) { totalCount edges { node { slug } } } }`, nil)
		if !slices.Contains(got, "kazmunaygas") || slices.Contains(got, "citic-group") {
			t.Errorf("Kazakh state-owned companies = %v", got)
		}
	})
	t.Run("CompaniesByText", func(t *testing.T) {
		got := slugs(t, `{ companies(first: 100, filter: {text: "citic"}) { totalCount edges { node { slug } } } }`, nil)
		if !slices.Equal(got, []string{"citic-construction", "citic-group"}) {
			t.Errorf("companies matching citic = %v", got)
		}
	})
	t.Run("ProjectsByCompanyAndSector", func(t *testing.T) {
		got := slugs(t, `query($c: ID) { projects(first: 100, filter: {company: $c, sector: [REFINING]}) { totalCount edges { node { slug } } } }`,
			map[string]any{"c": graph.GlobalID("Company", "citic-group")})
		if !slices.Equal(got, []string{"caspi-bitum-expansion"}) {
			t.Errorf("CITIC's refining projects = %v", got)
		}
	})
	t.Run("ProjectsByRegion", func(t *testing.T) {
		got := slugs(t, `{ projects(first: 100, filter: {region: "mangystau"}) { totalCount edges { node { slug } } } }`, nil)
		if !slices.Contains(got, "caspi-bitum-expansion") || slices.Contains(got, "zhambyl-wind-farm") {
			t.Errorf("Mangystau projects = %v", got)
		}
	})
	t.Run("MeetingsByParticipantAndLocation", func(t *testing.T) {
		got := slugs(t, `query($p: ID) { meetings(first: 100, filter: {participant: $p, location: "beijing"}) { totalCount edges { node { slug } } } }`,
			map[string]any{"p": graph.GlobalID("Person", "kassym-jomart-tokayev")})
		if len(got) != 2 {
			t.Errorf("Tokayev's Beijing meetings = %v, want the two of October 2023", got)
		}
	})
	t.Run("AgreementsByAmount", func(t *testing.T) {
		got := slugs(t, `{ agreements(first: 100, filter: {minAmount: 1e9}, orderBy: {field: AMOUNT, direction: DESC}) { totalCount edges { node { slug } } } }`, nil)
		if len(got) == 0 || got[0] != "business-council-documents-2025" || slices.Contains(got, "cdb-pipeline-financing") {
			t.Errorf("agreements of at least $1 billion, largest first = %v", got)
		}
	})
	t.Run("OrderDescAndCursors", func(t *testing.T) {
		var all []string
		var after *string
		for {
			var got struct {
				Companies struct {
					Edges    []struct{ Node struct{ Slug, Name string } }
					PageInfo struct {
						HasNextPage bool
						EndCursor   *string
					}
				}
			}
			srv.MustQuery(t, `query($after: String) { companies(first: 3, after: $after, orderBy: {field: NAME, direction: DESC}) {
				edges { node { slug name } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after}, &got)
			for _, e := range got.Companies.Edges {
				all = append(all, strings.ToLower(e.Node.Name))
			}
			if !got.Companies.PageInfo.HasNextPage {
				break
			}
			after = got.Companies.PageInfo.EndCursor
		}
		if !slices.IsSortedFunc(all, func(a, b string) int { return strings.Compare(b, a) }) || len(all) < 10 {
			t.Errorf("names in descending order over pages: %v", all)
		}
	})
	t.Run("ErrCursorFromOtherOrdering", func(t *testing.T) {
		var got struct {
			Companies struct{ PageInfo struct{ EndCursor string } }
		}
		srv.MustQuery(t, `{ companies(first: 2) { pageInfo { endCursor } } }`, nil, &got)
		e := srv.MustFail(t, `query($a: String) { companies(first: 2, after: $a, orderBy: {field: COUNTRY}) { totalCount } }`,
			map[string]any{"a": got.Companies.PageInfo.EndCursor})
		if e.Code() != "BAD_USER_INPUT" || !strings.Contains(e.Message, "ordering") {
			t.Errorf("error = %q (%s)", e.Message, e.Code())
		}
	})
}

func TestSearch(t *testing.T) {
	srv := graphtest.New(t)
	type result struct {
		Search struct {
			TotalCount int
			Edges      []struct {
				Score   float64
				Snippet string
				Node    struct {
					Typename string `json:"__typename"`
					Slug     string
				}
			}
		}
	}
	const q = `query($q: String!, $types: [SearchType!]) { search(query: $q, types: $types, first: 10) { totalCount edges { score snippet
		node { __typename ... on Company { slug } ... on Project { slug } ... on Person { slug } } } } }`
	for _, tc := range []struct {
		query, typ, slug string
	}{
		{"bitumen", "Project", "caspi-bitum-expansion"},
		{"BITU*", "Project", "caspi-bitum-expansion"},
		{"Beineu-Bozoi-Shymkent", "Project", "beineu-bozoi-shymkent-gas-pipeline"},
		{"Beineu Bozoi", "Project", "beineu-bozoi-shymkent-gas-pipeline"},
		{"KMG", "Company", "kazmunaygas"},
		{"Shymkent", "Project", "shymkent-refinery-expansion"},
		{"TOKAYÉV", "Person", "kassym-jomart-tokayev"},
		{"kazmunaygás", "Company", "kazmunaygas"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			var got result
			srv.MustQuery(t, q, map[string]any{"q": tc.query}, &got)
			found := slices.ContainsFunc(got.Search.Edges, func(e struct {
				Score   float64
				Snippet string
				Node    struct {
					Typename string `json:"__typename"`
					Slug     string
				}
			}) bool {
				return e.Node.Typename == tc.typ && e.Node.Slug == tc.slug
			})
			if !found {
				t.Errorf("search %q did not find %s %s: %+v", tc.query, tc.typ, tc.slug, got.Search.Edges)
			}
			for i, e := range got.Search.Edges {
				if i > 0 && e.Score > got.Search.Edges[i-1].Score {
					t.Errorf("results not ranked by score")
				}
			}
		})
	}
	t.Run("Types", func(t *testing.T) {
		var got result
		srv.MustQuery(t, q, map[string]any{"q": "CITIC", "types": []string{"PERSON"}}, &got)
		for _, e := range got.Search.Edges {
			if e.Node.Typename != "Person" {
				t.Errorf("types [PERSON] returned a %s", e.Node.Typename)
			}
		}
		if len(got.Search.Edges) == 0 {
			t.Error("no person matches CITIC (its chairmen)")
		}
	})
	for _, bad := range []string{"", `"unbalanced`, "*", "oil OR gas", "name:CITIC", "(bitumen"} {
		t.Run("Err"+bad, func(t *testing.T) {
			e := srv.MustFail(t, `query($q: String!) { search(query: $q) { totalCount } }`, map[string]any{"q": bad})
			if e.Code() != "BAD_USER_INPUT" {
				t.Errorf("search %q: code %s, message %q", bad, e.Code(), e.Message)
			}
		})
	}
}

func TestAggregates(t *testing.T) {
	srv := graphtest.New(t)
	var got struct {
		Aggregates struct {
			Counts struct{ Sources, Companies int }
			Money  struct {
				Total             float64
				TotalIsLowerBound bool
				Groups            []struct {
					Key     string
					Total   float64
					Amounts []struct{ Amount float64 }
				}
				Excluded []struct {
					Reason         string
					Amount         struct{ Amount float64 }
					CountedInstead *struct{ Amount float64 }
				}
			}
		}
	}
	srv.MustQuery(t, `{ aggregates { counts { sources companies } money(groupBy: COUNTERPARTY_COUNTRY) {
		total totalIsLowerBound groups { key total amounts { amount } }
		excluded { reason amount { amount } countedInstead { amount } } } } }`, nil, &got)
	a := got.Aggregates
	if a.Counts.Sources != 5 || a.Counts.Companies < 10 {
		t.Errorf("counts = %+v", a.Counts)
	}
	// The CITIC package appears in two articles; it counts once.
	var counted int
	var sum float64
	for _, g := range a.Money.Groups {
		sum += g.Total
		for _, am := range g.Amounts {
			if am.Amount == 2e9 || am.Amount == 1.6e9 {
				counted++
			}
		}
	}
	if counted != 1 {
		t.Errorf("the CITIC package counted %d times, want once", counted)
	}
	if sum != a.Money.Total {
		t.Errorf("country groups add up to %v, total %v", sum, a.Money.Total)
	}
	if !slices.ContainsFunc(a.Money.Excluded, func(e struct {
		Reason         string
		Amount         struct{ Amount float64 }
		CountedInstead *struct{ Amount float64 }
	}) bool {
		return e.Reason == "SAME_DEAL_REPORTED_AGAIN" && e.Amount.Amount == 1.6e9 && e.CountedInstead != nil && e.CountedInstead.Amount == 2e9
	}) {
		t.Errorf("over $1.6 billion is not listed as excluded in favour of $2 billion: %+v", a.Money.Excluded)
	}
}

func TestTimeline(t *testing.T) {
	srv := graphtest.New(t)
	var got struct {
		Timeline struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Date, Kind, Title string
					Subject           struct {
						Typename string `json:"__typename"`
					}
					Citations []struct{ Paragraph int }
				}
			}
		}
	}
	srv.MustQuery(t, `query($s: ID) { timeline(subject: $s, first: 100) { totalCount edges { node {
		date kind title subject { __typename } citations { paragraph } } } } }`,
		map[string]any{"s": graph.GlobalID("Project", "caspi-bitum-expansion")}, &got)
	kinds := map[string]bool{}
	var dates []string
	for _, e := range got.Timeline.Edges {
		kinds[e.Node.Kind] = true
		dates = append(dates, e.Node.Date)
		if len(e.Node.Citations) == 0 {
			t.Errorf("event %q has no citation", e.Node.Title)
		}
	}
	for _, k := range []string{"MEETING", "MILESTONE", "MEASUREMENT", "PUBLICATION"} {
		if !kinds[k] {
			t.Errorf("Caspi Bitum's timeline has no %s event", k)
		}
	}
	if !slices.Contains(dates, "2024-Q4") || !slices.Contains(dates, "2025-03") {
		t.Errorf("timeline dates %v lack the milestones' 2024-Q4 and 2025-03", dates)
	}
	e := srv.MustFail(t, `{ timeline(from: "2025", to: "2024") { totalCount } }`, nil)
	if e.Code() != "BAD_USER_INPUT" {
		t.Errorf("from after to: code %s", e.Code())
	}
	e = srv.MustFail(t, `{ timeline(after: "nonsense") { totalCount } }`, nil)
	if e.Code() != "BAD_USER_INPUT" {
		t.Errorf("bad cursor: code %s", e.Code())
	}
}

func TestPathsAndNeighborhood(t *testing.T) {
	srv := graphtest.New(t)
	var got struct {
		Paths []struct {
			Length   int
			Elements []struct {
				Typename string `json:"__typename"`
				Name     string
				Type     string
				Label    string
			}
		}
	}
	srv.MustQuery(t, `query($a: ID!, $b: ID!) { paths(from: $a, to: $b, maxHops: 4, first: 3) { length elements {
		__typename ... on Person { name } ... on Company { name } ... on Project { name } ... on Relationship { type label } } } }`,
		map[string]any{"a": graph.GlobalID("Person", "kassym-jomart-tokayev"), "b": graph.GlobalID("Project", "caspi-bitum-expansion")}, &got)
	if len(got.Paths) == 0 {
		t.Fatal("no path from Tokayev to the Caspi Bitum expansion")
	}
	for _, p := range got.Paths {
		if len(p.Elements) != 2*p.Length+1 {
			t.Errorf("path of length %d has %d elements", p.Length, len(p.Elements))
		}
		for i, el := range p.Elements {
			if isRel := el.Typename == "Relationship"; isRel != (i%2 == 1) {
				t.Errorf("element %d is a %s: nodes and relationships must alternate", i, el.Typename)
			}
		}
		if first, last := p.Elements[0].Name, p.Elements[len(p.Elements)-1].Name; first != "Kassym-Jomart Tokayev" || !strings.Contains(last, "Caspi") {
			t.Errorf("path runs from %q to %q", first, last)
		}
	}

	var hood struct {
		Neighborhood struct {
			Nodes         []struct{ ID string }
			Relationships []struct{ FromID, ToID, Type string }
		}
	}
	srv.MustQuery(t, `query($id: ID!) { neighborhood(id: $id, depth: 1) { nodes { id } relationships { fromId toId type } } }`,
		map[string]any{"id": graph.GlobalID("Company", "citic-group")}, &hood)
	ids := map[string]bool{}
	for _, n := range hood.Neighborhood.Nodes {
		ids[n.ID] = true
	}
	for _, r := range hood.Neighborhood.Relationships {
		if !ids[r.FromID] || !ids[r.ToID] {
			t.Errorf("relationship %+v leaves the neighborhood", r)
		}
	}
	if !ids[graph.GlobalID("Project", "caspi-bitum-expansion")] || !ids[graph.GlobalID("Person", "zhu-hexin")] {
		t.Errorf("CITIC's neighborhood lacks the Caspi Bitum expansion or Zhu Hexin")
	}

	for name, q := range map[string]string{
		"ErrDepth":   `{ neighborhood(id: "` + graph.GlobalID("Company", "citic-group") + `", depth: 9) { nodes { id } } }`,
		"ErrLimit":   `{ neighborhood(id: "` + graph.GlobalID("Person", "kassym-jomart-tokayev") + `", depth: 3, limit: 5) { nodes { id } } }`,
		"ErrMaxHops": `{ paths(from: "` + graph.GlobalID("Company", "citic-group") + `", to: "` + graph.GlobalID("Company", "cnpc") + `", maxHops: 50) { length } }`,
		"ErrBadID":   `{ neighborhood(id: "!!") { nodes { id } } }`,
	} {
		t.Run(name, func(t *testing.T) {
			if e := srv.MustFail(t, q, nil); e.Code() != "BAD_USER_INPUT" {
				t.Errorf("code %s, message %q", e.Code(), e.Message)
			}
		})
	}
	t.Run("ErrUnknownID", func(t *testing.T) {
		e := srv.MustFail(t, `{ neighborhood(id: "`+graph.GlobalID("Company", "nope")+`") { nodes { id } } }`, nil)
		if e.Code() != "NOT_FOUND" {
			t.Errorf("code %s, message %q", e.Code(), e.Message)
		}
	})
}

func TestAsOf(t *testing.T) {
	srv := graphtest.New(t)
	type history struct {
		Project *struct {
			CapacityHistory []struct {
				Value  float64
				Status string
				AsOf   string
			}
		}
	}
	capacity := func(date string) []string {
		var got struct{ AsOf history }
		srv.MustQuery(t, `query($d: PartialDate!) { asOf(date: $d) { project(name: "Caspi Bitum") { capacityHistory { value status asOf } } } }`,
			map[string]any{"d": date}, &got)
		if got.AsOf.Project == nil {
			return nil
		}
		var out []string
		for _, m := range got.AsOf.Project.CapacityHistory {
			out = append(out, m.AsOf+" "+m.Status+" "+jsonNumber(m.Value))
		}
		return out
	}
	// 2023's reports: 500,000 t reached, 750,000 t and 1.5 Mt processing aimed for.
	if got, want := capacity("2023-12-31"), []string{"2023-10 ACTUAL 500000", "2023-10 TARGET 1500000", "2023-10 TARGET 750000"}; !slices.Equal(got, want) {
		t.Errorf("as of 2023: %v, want %v", got, want)
	}
	if got := capacity("2024-12-31"); len(got) != 6 || got[len(got)-1] != "2024-08 TARGET 750000" {
		t.Errorf("as of 2024: %v, want six figures ending with August 2024's target", got)
	}
	if got := capacity("2023-01"); got != nil {
		t.Errorf("before any report: %v, want no project", got)
	}

	chairmen := func(date string) []string {
		var got struct {
			AsOf struct {
				Company struct {
					Positions []struct {
						Title  string
						Person struct{ Slug string }
					}
				}
			}
		}
		srv.MustQuery(t, `query($d: PartialDate!) { asOf(date: $d) { company(name: "CITIC") { positions { title person { slug } } } } }`,
			map[string]any{"d": date}, &got)
		var out []string
		for _, p := range got.AsOf.Company.Positions {
			if strings.HasPrefix(p.Title, "Chairman") && !slices.Contains(out, p.Person.Slug) {
				out = append(out, p.Person.Slug)
			}
		}
		return out
	}
	if got, want := chairmen("2023-12-31"), []string{"zhu-hexin"}; !slices.Equal(got, want) {
		t.Errorf("CITIC chairmen as of 2023: %v, want %v", got, want)
	}
	if got, want := chairmen("2024-12-31"), []string{"zhu-hexin", "xi-guohua"}; !slices.Equal(got, want) {
		t.Errorf("CITIC chairmen as of 2024: %v, want %v", got, want)
	}

	t.Run("ComposesWithSearchAggregatesTimeline", func(t *testing.T) {
		var got struct {
			AsOf struct {
				Search     struct{ TotalCount int }
				Aggregates struct{ Counts struct{ Sources int } }
				Timeline   struct {
					Edges []struct {
						Node struct {
							Title     string
							Citations []struct{ Source struct{ PublishedOn string } }
						}
					}
				}
				Meetings struct{ TotalCount int }
			}
			Meetings struct{ TotalCount int }
		}
		srv.MustQuery(t, `{ asOf(date: "2023-12") {
			search(query: "Bektenov") { totalCount }
			aggregates { counts { sources } }
			timeline(first: 100) { edges { node { title citations { source { publishedOn } } } } }
			meetings { totalCount } }
			meetings { totalCount } }`, nil, &got)
		a := got.AsOf
		if a.Search.TotalCount != 0 {
			t.Errorf("Bektenov (first reported 2024) found as of 2023")
		}
		if a.Aggregates.Counts.Sources != 2 {
			t.Errorf("sources as of 2023 = %d, want 2", a.Aggregates.Counts.Sources)
		}
		// Events are what 2023's reports said, including plans for later.
		for _, e := range a.Timeline.Edges {
			for _, c := range e.Node.Citations {
				if c.Source.PublishedOn > "2023-12-31" {
					t.Errorf("timeline as of 2023 cites a source of %s for %q", c.Source.PublishedOn, e.Node.Title)
				}
			}
		}
		if len(a.Timeline.Edges) == 0 {
			t.Error("timeline as of 2023 is empty")
		}
		if a.Meetings.TotalCount >= got.Meetings.TotalCount {
			t.Errorf("meetings as of 2023 (%d) not fewer than now (%d)", a.Meetings.TotalCount, got.Meetings.TotalCount)
		}
	})
	t.Run("ErrBadDate", func(t *testing.T) {
		if e := srv.MustFail(t, `{ asOf(date: "2024-Q7") { sources { totalCount } } }`, nil); e.Code() != "BAD_USER_INPUT" {
			t.Errorf("code %s", e.Code())
		}
	})
}
