package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
)

// slugs lists the slugs of a list of nodes.
func slugs(nodes []struct{ Slug string }) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.Slug)
	}
	return out
}

// TestRelationsFromSeed follows relations whose answers the seed files fix,
// and checks them whole: each is a join a wrong condition would fill with
// other objects' rows.
func TestRelationsFromSeed(t *testing.T) {
	srv := graphtest.New(t)
	caspi := graph.GlobalID("Project", "caspi-bitum-expansion")

	t.Run("CompanyAgreements", func(t *testing.T) {
		// CITIC Group is party to the five-document package (in the May
		// 2023 article) and to the KMG agreement on Caspi Bitum.
		var got struct {
			Company struct{ Agreements []struct{ Slug string } }
		}
		srv.MustQuery(t, `{ company(slug: "citic-group") { agreements { slug } } }`, nil, &got)
		if got, want := slugs(got.Company.Agreements), []string{"citic-five-documents-2023", "kmg-citic-caspi-bitum-agreement"}; !slices.Equal(got, want) {
			t.Errorf("CITIC Group's agreements = %v, want %v", got, want)
		}
	})

	t.Run("MeetingProjects", func(t *testing.T) {
		var got struct {
			Meeting struct{ Projects []struct{ Slug string } }
		}
		srv.MustQuery(t, `query($id: ID!) { meeting(id: $id) { projects { slug } } }`,
			map[string]any{"id": graph.GlobalID("Meeting", "2023-10-17-tokayev-zhu-hexin")}, &got)
		if got, want := slugs(got.Meeting.Projects), []string{"caspi-bitum-expansion", "karazhambas-field"}; !slices.Equal(got, want) {
			t.Errorf("projects discussed on 2023-10-17 by Tokayev and Zhu Hexin = %v, want %v", got, want)
		}
	})

	t.Run("MeetingsFilteredByProject", func(t *testing.T) {
		var got struct {
			Meetings struct {
				TotalCount int
				Edges      []struct{ Node struct{ Slug string } }
			}
		}
		srv.MustQuery(t, `query($p: ID) { meetings(filter: {project: $p}) { totalCount edges { node { slug } } } }`, map[string]any{"p": caspi}, &got)
		want := []string{"2023-10-17-tokayev-zhu-hexin", "2024-07-bektenov-xi-guohua", "2024-08-khassenov-xi-guohua"}
		var nodes []struct{ Slug string }
		for _, e := range got.Meetings.Edges {
			nodes = append(nodes, e.Node)
		}
		if got := slugs(nodes); !slices.Equal(got, want) {
			t.Errorf("meetings that discussed Caspi Bitum = %v, want %v", got, want)
		}
		if got.Meetings.TotalCount != len(want) {
			t.Errorf("totalCount = %d, want %d", got.Meetings.TotalCount, len(want))
		}
	})

	t.Run("TimelineOfSubject", func(t *testing.T) {
		// The Caspi Bitum expansion: the signing of the agreement covering
		// it, its six capacity figures and two milestones, the three
		// meetings that discussed it and the three articles that report it.
		var got struct {
			Timeline struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Kind    string
						Subject struct {
							Typename string `json:"__typename"`
							Slug     string
						}
					}
				}
			}
		}
		srv.MustQuery(t, `query($s: ID) { timeline(subject: $s, first: 100) { totalCount edges { node { kind
			subject { __typename ... on Project { slug } ... on Meeting { slug } ... on Agreement { slug } ... on Statement { slug } } } } } }`,
			map[string]any{"s": caspi}, &got)
		kinds := map[string]int{}
		var about []string
		for _, e := range got.Timeline.Edges {
			kinds[e.Node.Kind]++
			if e.Node.Kind != "PUBLICATION" {
				about = append(about, e.Node.Subject.Typename+":"+e.Node.Subject.Slug)
			}
		}
		// Three dated statements are about the project: Tokayev's and
		// Mirzagaliyev's in Beijing (000 ¶4, ¶6) and Khassenov's on the
		// schedule (003 ¶7).
		if want := map[string]int{"SIGNING": 1, "MEASUREMENT": 6, "MILESTONE": 2, "MEETING": 3, "PUBLICATION": 3, "STATEMENT": 3}; fmt.Sprint(kinds) != fmt.Sprint(want) {
			t.Errorf("events by kind = %v, want %v", kinds, want)
		}
		if got.Timeline.TotalCount != 18 {
			t.Errorf("totalCount = %d, want 18", got.Timeline.TotalCount)
		}
		slices.Sort(about)
		about = slices.Compact(about)
		want := []string{"Agreement:citic-five-documents-2023", "Meeting:2023-10-17-tokayev-zhu-hexin", "Meeting:2024-07-bektenov-xi-guohua",
			"Meeting:2024-08-khassenov-xi-guohua", "Project:caspi-bitum-expansion",
			"Statement:0cd24d71fac579ce-7-askhat-khassenov", "Statement:81c1630493b7e74f-4-kassym-jomart-tokayev",
			"Statement:81c1630493b7e74f-6-magzum-mirzagaliyev"}
		if !slices.Equal(about, want) {
			t.Errorf("events are about %v, want %v", about, want)
		}
	})

	t.Run("TimelineTo", func(t *testing.T) {
		var got struct {
			All      struct{ TotalCount int }
			Timeline struct {
				TotalCount int
				Edges      []struct{ Node struct{ Date string } }
			}
		}
		srv.MustQuery(t, `{ all: timeline { totalCount } timeline(to: "2023-06", first: 100) { totalCount edges { node { date } } } }`, nil, &got)
		if n := got.Timeline.TotalCount; n == 0 || n >= got.All.TotalCount || n != len(got.Timeline.Edges) {
			t.Fatalf("%d events up to 2023-06 (%d edges) of %d", n, len(got.Timeline.Edges), got.All.TotalCount)
		}
		for _, e := range got.Timeline.Edges {
			if start := db.MustParsePartialDate(e.Node.Date).Start(); start > "2023-06-30" {
				t.Errorf("an event dated %s is listed up to 2023-06", e.Node.Date)
			}
		}
	})
}

// TestFilterIDs checks that every ID a filter takes is checked: a malformed
// one, or one of another type, is refused rather than ignored.
func TestFilterIDs(t *testing.T) {
	srv := graphtest.New(t)
	person := graph.GlobalID("Person", "zhu-hexin")
	company := graph.GlobalID("Company", "citic-group")
	for _, tc := range []struct{ field, arg, wrongType string }{
		{"projects", "filter: {company: $id}", person},
		{"people", "filter: {organization: $id}", person},
		{"meetings", "filter: {participant: $id}", company},
		{"meetings", "filter: {organization: $id}", person},
		{"meetings", "filter: {project: $id}", company},
		{"agreements", "filter: {party: $id}", person},
		{"timeline", "subject: $id", ""},
	} {
		query := fmt.Sprintf(`query($id: ID) { %s(%s) { totalCount } }`, tc.field, tc.arg)
		ids := map[string]string{"Malformed": "not-an-id!"}
		if tc.wrongType != "" {
			ids["OtherType"] = tc.wrongType
		}
		for name, id := range ids {
			t.Run(tc.field+"/"+tc.arg+"/"+name, func(t *testing.T) {
				e := srv.MustFail(t, query, map[string]any{"id": id})
				if e.Code() != "BAD_USER_INPUT" || !strings.Contains(e.Message, id) {
					t.Errorf("error %q (%s), want BAD_USER_INPUT naming the id", e.Message, e.Code())
				}
			})
		}
	}
}
