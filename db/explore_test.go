package db_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestParseSearchQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"bitumen", `"bitumen"`},
		{"bitu*", `"bitu"*`},
		{"Beineu-Bozoi-Shymkent", `"Beineu Bozoi Shymkent"`},
		{"Beineu Bozoi", `"Beineu" AND "Bozoi"`},
		{`"Caspi Bitum" plant`, `"Caspi Bitum" AND "plant"`},
		{"oil and gas", `"oil" AND "and" AND "gas"`},
		{"Shymkent – refinery", `"Shymkent" AND "refinery"`},
	} {
		got, err := db.ParseSearchQuery(tc.in)
		if err != nil {
			t.Errorf("ParseSearchQuery(%q): %v", tc.in, err)
		} else if got != tc.want {
			t.Errorf("ParseSearchQuery(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	for _, in := range []string{"", "   ", `"unbalanced`, "*", "bi*tu", "oil OR gas", "NOT oil", "name:CITIC", "(oil)", "a^b", `""`, "-"} {
		_, err := db.ParseSearchQuery(in)
		if got := db.ErrorCode(err); got != db.EINVALID {
			t.Errorf("ParseSearchQuery(%q) error code = %q, want %q", in, got, db.EINVALID)
		}
	}
}

func TestSearch(t *testing.T) {
	s, _ := seededStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		query, kind, slugWant string
	}{
		{"bitumen", "PROJECT", "caspi-bitum-expansion"},
		{"bitu*", "PROJECT", "caspi-bitum-expansion"},
		{"Beineu-Bozoi-Shymkent", "PROJECT", "beineu-bozoi-shymkent-gas-pipeline"},
		{"beineu bozoi", "PROJECT", "beineu-bozoi-shymkent-gas-pipeline"},
		{"KMG", "COMPANY", "kazmunaygas"},
		{"shymkent", "PROJECT", "shymkent-refinery-expansion"},
	} {
		hits, total, err := s.Search(ctx, tc.query, []string{tc.kind}, 0, 20)
		if err != nil {
			t.Fatalf("Search(%q): %v", tc.query, err)
		}
		if total < 1 || len(hits) < 1 {
			t.Errorf("Search(%q) found nothing", tc.query)
			continue
		}
		for i := 1; i < len(hits); i++ {
			if hits[i].Score > hits[i-1].Score {
				t.Errorf("Search(%q): results not ranked: %v", tc.query, hits)
			}
		}
		var slugs []string
		for _, h := range hits {
			slugs = append(slugs, slugOf(t, s, h.Kind, h.ID))
		}
		if !contains(slugs, tc.slugWant) {
			t.Errorf("Search(%q) = %v, want it to include %s", tc.query, slugs, tc.slugWant)
		}
		if !strings.Contains(hits[0].Snippet, "<mark>") {
			t.Errorf("Search(%q) snippet %q has no highlight", tc.query, hits[0].Snippet)
		}
	}
}

func slugOf(t *testing.T, s *db.Store, kind string, id int64) string {
	t.Helper()
	ctx := context.Background()
	switch kind {
	case "PROJECT":
		m, err := s.FindProjectsByIDs(ctx, []int64{id})
		if err != nil {
			t.Fatal(err)
		}
		return m[id].Slug
	case "COMPANY":
		m, err := s.FindCompaniesByIDs(ctx, []int64{id})
		if err != nil {
			t.Fatal(err)
		}
		return m[id].Slug
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestMoneySummary(t *testing.T) {
	s, _ := seededStore(t)
	ctx := context.Background()
	sum, err := s.MoneySummary(ctx, db.ByYear, "USD")
	if err != nil {
		t.Fatal(err)
	}
	// The CITIC package was reported twice ($2 billion, over $1.6 billion):
	// it counts once, at the more precise figure.
	counted, excluded := 0, 0
	for _, g := range sum.Groups {
		for _, a := range g.Amounts {
			if a.Amount == 2e9 || a.Amount == 1.6e9 {
				counted++
			}
		}
	}
	for _, e := range sum.Excluded {
		if e.Amount.Amount == 1.6e9 {
			excluded++
			if e.Reason != db.SameDealReportedAgain || e.CountedInstead == nil || e.CountedInstead.Amount != 2e9 {
				t.Errorf("$1.6 billion excluded as %s instead of %v", e.Reason, e.CountedInstead)
			}
		}
	}
	if counted != 1 || excluded != 1 {
		t.Errorf("CITIC package: counted %d times, excluded %d times; want 1 and 1", counted, excluded)
	}
	var groupSum float64
	for _, g := range sum.Groups {
		groupSum += g.Total
	}
	if groupSum != sum.Total {
		t.Errorf("year groups add up to %v, total is %v", groupSum, sum.Total)
	}
	if !sum.TotalIsLowerBound {
		t.Error("total counts AT_LEAST amounts but is not marked a lower bound")
	}
	if _, err := s.MoneySummary(ctx, "PLANET", "USD"); db.ErrorCode(err) != db.EINVALID {
		t.Errorf("unknown grouping: error %v, want EINVALID", err)
	}
}

func TestTimelineAndPaths(t *testing.T) {
	s, _ := seededStore(t)
	ctx := context.Background()
	events, total, err := s.Timeline(ctx, db.TimelineFilter{}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if total < len(events) || len(events) < 20 {
		t.Fatalf("timeline: %d events of %d", len(events), total)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Date.Start() < events[i-1].Date.Start() {
			t.Fatalf("timeline out of order at %d: %s after %s", i, events[i].Date, events[i-1].Date)
		}
	}
	tokayev, err := s.FindPersonBySlug(ctx, "kassym-jomart-tokayev")
	if err != nil {
		t.Fatal(err)
	}
	caspi, err := s.FindProjectBySlug(ctx, "caspi-bitum-expansion")
	if err != nil {
		t.Fatal(err)
	}
	// The seed's truth: Tokayev attended the 2023-10-17 meeting with Zhu
	// Hexin, which discussed the Caspi Bitum expansion; CITIC is a partner
	// in the project; Tokayev met Zhu Hexin, CITIC's chairman, and CITIC was
	// represented at two of his meetings; and Tokayev spoke of the
	// project and of CITIC in Beijing (statements about them).
	for _, tc := range []struct {
		from, to db.NodeRef
		want     []string // sorted
	}{
		{ref(t, s, "Person", "kassym-jomart-tokayev"), ref(t, s, "Project", "caspi-bitum-expansion"), []string{
			"Person:kassym-jomart-tokayev -ATTENDED(attended)-> Meeting:2023-10-17-tokayev-zhu-hexin -DISCUSSED(discussed)-> Project:caspi-bitum-expansion",
			"Person:kassym-jomart-tokayev -SAID(said)-> Statement:81c1630493b7e74f-4-kassym-jomart-tokayev -ABOUT(about)-> Project:caspi-bitum-expansion",
		}},
		{ref(t, s, "Company", "citic-group"), ref(t, s, "Project", "caspi-bitum-expansion"), []string{
			"Company:citic-group -PARTICIPANT(PARTNER)-> Project:caspi-bitum-expansion",
		}},
		{ref(t, s, "Person", "kassym-jomart-tokayev"), ref(t, s, "Company", "citic-group"), []string{
			"Person:kassym-jomart-tokayev -ATTENDED(attended)-> Meeting:2023-05-18-tokayev-zhu-hexin <-REPRESENTED_AT(represented)- Company:citic-group",
			"Person:kassym-jomart-tokayev -ATTENDED(attended)-> Meeting:2023-10-17-tokayev-zhu-hexin <-REPRESENTED_AT(represented)- Company:citic-group",
			"Person:kassym-jomart-tokayev -MET(met)-> Person:zhu-hexin -POSITION(Chairman)-> Company:citic-group",
			"Person:kassym-jomart-tokayev -SAID(said)-> Statement:81c1630493b7e74f-2-kassym-jomart-tokayev -ABOUT(about)-> Company:citic-group",
			"Person:kassym-jomart-tokayev -SAID(said)-> Statement:81c1630493b7e74f-4-kassym-jomart-tokayev -ABOUT(about)-> Company:citic-group",
		}},
	} {
		paths, err := s.Paths(ctx, tc.from, tc.to, 4, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range paths {
			got = append(got, pathString(t, s, p))
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("paths %v → %v:\n got %q\nwant %q", tc.from, tc.to, got, tc.want)
		}
	}
	if paths, err := s.Paths(ctx, ref(t, s, "Person", "kassym-jomart-tokayev"), ref(t, s, "Project", "caspi-bitum-expansion"), 1, 3); err != nil || len(paths) != 0 {
		t.Errorf("paths within 1 hop of a project 2 hops away: %d paths, %v", len(paths), err)
	}
	g, err := s.Neighborhood(ctx, db.NodeRef{Type: "Project", ID: caspi.ID}, 2, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) < 5 || len(g.Relationships) < 5 {
		t.Errorf("neighborhood: %d nodes, %d relationships", len(g.Nodes), len(g.Relationships))
	}
	if _, err := s.Neighborhood(ctx, db.NodeRef{Type: "Person", ID: tokayev.ID}, 3, 5); db.ErrorCode(err) != db.EINVALID {
		t.Errorf("neighborhood over its limit: error %v, want EINVALID", err)
	}
}

func TestAsOf(t *testing.T) {
	s, _ := seededStore(t)
	caspi := projectID(t, s, "caspi-bitum-expansion")
	at := func(date string) context.Context {
		return db.WithAsOf(context.Background(), db.MustParsePartialDate(date))
	}
	for _, tc := range []struct {
		date string
		want int // capacity figures known
	}{{"2023-12-31", 3}, {"2024-07", 4}, {"2024", 6}} {
		ms, err := s.FindMeasurementsByProjectIDs(at(tc.date), []int64{caspi})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(ms[caspi]); got != tc.want {
			t.Errorf("as of %s: %d figures, want %d", tc.date, got, tc.want)
		}
	}
	if _, err := s.FindProjectBySlug(at("2023-05-01"), "caspi-bitum-expansion"); db.ErrorCode(err) != db.ENOTFOUND {
		t.Errorf("before any report, the project is visible: err = %v", err)
	}
}

// ref returns the node of the type with the slug.
func ref(t *testing.T, s *db.Store, typ, slug string) db.NodeRef {
	t.Helper()
	ctx := t.Context()
	var id int64
	var err error
	switch typ {
	case "Person":
		var p *db.Person
		if p, err = s.FindPersonBySlug(ctx, slug); err == nil {
			id = p.ID
		}
	case "Company":
		var c *db.Company
		if c, err = s.FindCompanyBySlug(ctx, slug); err == nil {
			id = c.ID
		}
	case "Project":
		var p *db.Project
		if p, err = s.FindProjectBySlug(ctx, slug); err == nil {
			id = p.ID
		}
	case "Meeting":
		var m *db.Meeting
		if m, err = s.FindMeetingBySlug(ctx, slug); err == nil {
			id = m.ID
		}
	default:
		t.Fatalf("ref: no lookup for type %s", typ)
	}
	if err != nil {
		t.Fatalf("find %s %q: %v", typ, slug, err)
	}
	return db.NodeRef{Type: typ, ID: id}
}

// nodeSlug returns a node's type and slug.
func nodeSlug(t *testing.T, s *db.Store, n db.NodeRef) string {
	t.Helper()
	ctx, ids := t.Context(), []int64{n.ID}
	var slug string
	var err error
	switch n.Type {
	case "Person":
		var m map[int64]*db.Person
		if m, err = s.FindPeopleByIDs(ctx, ids); err == nil && m[n.ID] != nil {
			slug = m[n.ID].Slug
		}
	case "Company":
		var m map[int64]*db.Company
		if m, err = s.FindCompaniesByIDs(ctx, ids); err == nil && m[n.ID] != nil {
			slug = m[n.ID].Slug
		}
	case "Project":
		var m map[int64]*db.Project
		if m, err = s.FindProjectsByIDs(ctx, ids); err == nil && m[n.ID] != nil {
			slug = m[n.ID].Slug
		}
	case "Meeting":
		var m map[int64]*db.Meeting
		if m, err = s.FindMeetingsByIDs(ctx, ids); err == nil && m[n.ID] != nil {
			slug = m[n.ID].Slug
		}
	case "Agreement":
		var m map[int64]*db.Agreement
		if m, err = s.FindAgreementsByIDs(ctx, ids); err == nil && m[n.ID] != nil {
			slug = m[n.ID].Slug
		}
	case "Statement":
		var m map[int64]*db.Statement
		if m, err = s.FindStatementsByIDs(ctx, ids); err == nil && m[n.ID] != nil {
			slug = m[n.ID].Slug
		}
	case "Event":
		var m map[int64]*db.Event
		if m, err = s.FindEventsByIDs(ctx, ids); err == nil && m[n.ID] != nil {
			slug = m[n.ID].Slug
		}
	}
	if err != nil || slug == "" {
		t.Fatalf("no slug for %v (%v)", n, err)
	}
	return n.Type + ":" + slug
}

// pathString writes a path as its nodes' slugs joined by its relationships,
// each arrow pointing the way the relationship does, and checks that every
// relationship joins the nodes beside it.
func pathString(t *testing.T, s *db.Store, p *db.Path) string {
	t.Helper()
	if len(p.Nodes) != len(p.Relationships)+1 {
		t.Fatalf("path has %d nodes and %d relationships", len(p.Nodes), len(p.Relationships))
	}
	out := nodeSlug(t, s, p.Nodes[0])
	for i, r := range p.Relationships {
		a, b := p.Nodes[i], p.Nodes[i+1]
		switch {
		case r.From == a && r.To == b:
			out += " -" + string(r.Type) + "(" + r.Label + ")-> "
		case r.From == b && r.To == a:
			out += " <-" + string(r.Type) + "(" + r.Label + ")- "
		default:
			t.Fatalf("relationship %+v does not join %v and %v", *r, a, b)
		}
		out += nodeSlug(t, s, b)
	}
	return out
}
