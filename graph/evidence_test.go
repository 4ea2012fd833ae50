package graph_test

import (
	"slices"
	"testing"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
)

// TestEvidence_EndToEnd asks the API, over the built-in seed, for what the
// sources state and what a curator inferred, who said what, what each event
// held, and the two-sided figures.
func TestEvidence_EndToEnd(t *testing.T) {
	srv := graphtest.New(t)

	t.Run("StatedOnlyParticipants", func(t *testing.T) {
		// 000 ¶6 names Kazakhstan as CITIC's partner at Karazhambas; KMG's
		// part is inferred.
		var got struct {
			Project struct {
				Stated, All []struct {
					Company       struct{ Slug string }
					Basis         string
					InferenceNote *string
				}
			}
		}
		srv.MustQuery(t, `{ project(slug: "karazhambas-field") {
			stated: participants(basis: [STATED]) { company { slug } basis inferenceNote }
			all: participants { company { slug } basis inferenceNote } } }`, nil, &got)
		var stated []string
		for _, p := range got.Project.Stated {
			stated = append(stated, p.Company.Slug)
			if p.Basis != "STATED" || p.InferenceNote != nil {
				t.Errorf("stated-only list holds %+v", p)
			}
		}
		if want := []string{"citic-group", "kazakhstan"}; !slices.Equal(stated, want) {
			t.Errorf("stated participants %v, want %v", stated, want)
		}
		if n := len(got.Project.All); n != 3 {
			t.Fatalf("%d participants in all, want 3", n)
		}
		if kmg := got.Project.All[2]; kmg.Company.Slug != "kazmunaygas" || kmg.Basis != "INFERRED" || kmg.InferenceNote == nil {
			t.Errorf("KMG's participation %+v, want inferred with a note", kmg)
		}
	})

	t.Run("StatedOnlyFilters", func(t *testing.T) {
		var got struct {
			Stated, All struct {
				Edges []struct{ Node struct{ Slug string } }
			}
			Zhu struct{ TotalCount int }
			Any struct{ TotalCount int }
		}
		srv.MustQuery(t, `query($zhu: ID) {
			stated: companies(filter: {kind: [STATE_OWNED_COMPANY], basis: [STATED]}) { edges { node { slug } } }
			all: companies(filter: {kind: [STATE_OWNED_COMPANY]}) { edges { node { slug } } }
			zhu: meetings(filter: {participant: $zhu, basis: [STATED]}) { totalCount }
			any: meetings(filter: {participant: $zhu}) { totalCount } }`,
			map[string]any{"zhu": graph.GlobalID("Person", "zhu-hexin")}, &got)
		var stated []string
		for _, e := range got.Stated.Edges {
			stated = append(stated, e.Node.Slug)
		}
		// Only CITIC Group is called a state corporation (003 ¶11).
		if want := []string{"citic-group"}; !slices.Equal(stated, want) {
			t.Errorf("stated state-owned companies %v, want %v", stated, want)
		}
		if len(got.All.Edges) < 5 {
			t.Errorf("%d state-owned companies in all, want the inferred ones too", len(got.All.Edges))
		}
		// The May 2023 meeting with Zhu Hexin is inferred (002 ¶4 reports
		// only what he said); the October one is stated.
		if got.Zhu.TotalCount != 1 || got.Any.TotalCount != 2 {
			t.Errorf("Zhu Hexin's meetings: %d stated of %d, want 1 of 2", got.Zhu.TotalCount, got.Any.TotalCount)
		}
	})

	t.Run("StatedOnlyMeetingLists", func(t *testing.T) {
		// Mirzagaliyev's presence at the Beijing talks is read from his
		// quote (000 ¶6), and so is KMG's.
		var got struct {
			Meeting struct {
				Participants, All []struct{ Slug string }
				Organizations     []struct{ Slug string }
			}
		}
		srv.MustQuery(t, `query($m: ID!) { meeting(id: $m) { participants(basis: [STATED]) { slug } all: participants { slug }
			organizations(basis: [INFERRED]) { slug } } }`,
			map[string]any{"m": graph.GlobalID("Meeting", "2023-10-17-tokayev-zhu-hexin")}, &got)
		if got, want := slugs(got.Meeting.Participants), []string{"kassym-jomart-tokayev", "zhu-hexin"}; !slices.Equal(got, want) {
			t.Errorf("stated participants %v, want %v", got, want)
		}
		if n := len(got.Meeting.All); n != 3 {
			t.Errorf("%d participants in all, want 3", n)
		}
		if got, want := slugs(got.Meeting.Organizations), []string{"kazmunaygas"}; !slices.Equal(got, want) {
			t.Errorf("inferred organizations %v, want %v", got, want)
		}
	})

	t.Run("StatedOnlyPaths", func(t *testing.T) {
		var got struct {
			Stated, All []struct {
				Elements []struct {
					Typename string `json:"__typename"`
					Slug     string
					Basis    string
				}
			}
		}
		srv.MustQuery(t, `query($a: ID!, $b: ID!) {
			stated: paths(from: $a, to: $b, maxHops: 2, first: 20, basis: [STATED]) { elements { __typename ... on Meeting { slug } ... on Relationship { basis } } }
			all: paths(from: $a, to: $b, maxHops: 2, first: 20) { elements { __typename ... on Meeting { slug } ... on Relationship { basis } } } }`,
			map[string]any{"a": graph.GlobalID("Person", "kassym-jomart-tokayev"), "b": graph.GlobalID("Company", "citic-group")}, &got)
		through := func(paths []struct {
			Elements []struct {
				Typename string `json:"__typename"`
				Slug     string
				Basis    string
			}
		}) (meetings []string, inferred int) {
			for _, p := range paths {
				for _, e := range p.Elements {
					if e.Typename == "Meeting" {
						meetings = append(meetings, e.Slug)
					}
					if e.Basis == "INFERRED" {
						inferred++
					}
				}
			}
			return meetings, inferred
		}
		stated, inferred := through(got.Stated)
		if inferred != 0 || slices.Contains(stated, "2023-05-18-tokayev-zhu-hexin") {
			t.Errorf("stated-only paths go through %v with %d inferred relationships", stated, inferred)
		}
		if all, _ := through(got.All); !slices.Contains(all, "2023-05-18-tokayev-zhu-hexin") {
			t.Errorf("paths of every basis go through %v, want the inferred May 2023 meeting too", all)
		}
	})

	t.Run("StatementSpeakerAndSubjects", func(t *testing.T) {
		var got struct {
			Statement struct {
				Speaker struct{ Name string }
				Date    *string
				Meeting struct{ Slug string }
				Event   struct{ Slug string }
				About   []struct {
					Typename string `json:"__typename"`
					Slug     string
				}
				Citation struct{ Paragraph int }
				Basis    string
			}
			Person struct {
				Statements []struct{ Slug string }
			}
		}
		srv.MustQuery(t, `{
			statement(slug: "81c1630493b7e74f-6-magzum-mirzagaliyev") { speaker { name } date meeting { slug } event { slug }
				about { __typename ... on Project { slug } ... on Company { slug } } citation { paragraph } basis }
			person(slug: "askhat-khassenov") { statements { slug } } }`, nil, &got)
		s := got.Statement
		if s.Speaker.Name != "Magzum Mirzagaliyev" || s.Citation.Paragraph != 6 || s.Basis != "STATED" ||
			s.Date == nil || *s.Date != "2023-10-17" || s.Meeting.Slug != "2023-10-17-tokayev-zhu-hexin" ||
			s.Event.Slug != "2023-10-17-tokayev-beijing-talks" {
			t.Errorf("statement %+v", s)
		}
		var about []string
		for _, a := range s.About {
			about = append(about, a.Typename+":"+a.Slug)
		}
		if want := []string{"Project:karazhambas-field", "Project:caspi-bitum-expansion", "Company:citic-group", "Company:kazakhstan"}; !slices.Equal(about, want) {
			t.Errorf("about %v, want %v", about, want)
		}
		if n := len(got.Person.Statements); n != 2 {
			t.Errorf("Khassenov made %d statements, want 2 (003 ¶6, ¶7)", n)
		}
	})

	t.Run("StatementsFilterAndAsOf", func(t *testing.T) {
		var got struct {
			About struct {
				Edges []struct{ Node struct{ Slug string } }
			}
			Before struct {
				Statements, Events struct{ TotalCount int }
			}
			After struct {
				Statements, Events struct{ TotalCount int }
			}
		}
		srv.MustQuery(t, `query($c: ID) {
			about: statements(filter: {about: $c, speaker: "UGVyc29uOmFza2hhdC1raGFzc2Vub3Y"}) { edges { node { slug } } }
			before: asOf(date: "2023-05-19") { statements { totalCount } events { totalCount } }
			after: asOf(date: "2023-05-20") { statements { totalCount } events { totalCount } } }`,
			map[string]any{"c": graph.GlobalID("Company", "citic-group")}, &got)
		if len(got.About.Edges) != 1 || got.About.Edges[0].Node.Slug != "0cd24d71fac579ce-6-askhat-khassenov" {
			t.Errorf("Khassenov's statements about CITIC: %+v", got.About.Edges)
		}
		// The first article, of 20 May 2023, reports nine statements and two
		// events; nothing is visible the day before.
		if b, a := got.Before, got.After; b.Statements.TotalCount != 0 || b.Events.TotalCount != 0 ||
			a.Statements.TotalCount != 9 || a.Events.TotalCount != 2 {
			t.Errorf("as of 2023-05-19: %+v; as of 2023-05-20: %+v", b, a)
		}
	})

	t.Run("EventMeetings", func(t *testing.T) {
		var got struct {
			Event struct {
				Kind         string
				Start        string
				Meetings     []struct{ Slug string }
				Participants []struct{ Name string }
				Statements   []struct{ Slug string }
			}
			Meeting struct {
				Event struct{ Slug string }
			}
		}
		srv.MustQuery(t, `query($m: ID!) {
			event(slug: "2024-08-khassenov-working-trip-china") { kind start meetings { slug } participants { name } statements { slug } }
			meeting(id: $m) { event { slug } } }`,
			map[string]any{"m": graph.GlobalID("Meeting", "2024-08-khassenov-wang-dongjin")}, &got)
		e := got.Event
		if e.Kind != "WORKING_TRIP" || e.Start != "2024-08" {
			t.Errorf("event %s %s, want WORKING_TRIP 2024-08", e.Kind, e.Start)
		}
		if got, want := slugs(e.Meetings), []string{"2024-08-khassenov-wang-dongjin", "2024-08-khassenov-xi-guohua"}; !slices.Equal(got, want) {
			t.Errorf("meetings %v, want %v", got, want)
		}
		var people []string
		for _, p := range e.Participants {
			people = append(people, p.Name)
		}
		if want := []string{"Askhat Khassenov", "Wang Dongjin", "Xi Guohua"}; !slices.Equal(people, want) {
			t.Errorf("participants %v, want %v", people, want)
		}
		if len(e.Statements) != 2 || got.Meeting.Event.Slug != "2024-08-khassenov-working-trip-china" {
			t.Errorf("statements %v, meeting's event %q", e.Statements, got.Meeting.Event.Slug)
		}
	})

	t.Run("BilateralTrade", func(t *testing.T) {
		var got struct {
			Company struct {
				Measurements []struct {
					Value        float64
					Unit         string
					Counterparty struct{ Slug string }
					PeriodStart  string
					PeriodEnd    string
					ReportedOn   string
					Basis        string
					Citation     struct{ Paragraph int }
				}
				CounterpartyMeasurements []struct {
					Value         float64
					Approximation string
					Company       struct{ Slug string }
				}
			}
		}
		srv.MustQuery(t, `{ company(slug: "kazakhstan") {
			measurements(metric: BILATERAL_TRADE) { value unit counterparty { slug } periodStart periodEnd reportedOn basis citation { paragraph } }
			counterpartyMeasurements(metric: INVESTOR_RANK, basis: [STATED]) { value approximation company { slug } } } }`, nil, &got)
		if n := len(got.Company.Measurements); n != 1 {
			t.Fatalf("%d trade figures, want 1", n)
		}
		m := got.Company.Measurements[0]
		if m.Value != 31e9 || m.Unit != "USD" || m.Counterparty.Slug != "china" || m.PeriodStart != "2022" || m.PeriodEnd != "2022" ||
			m.ReportedOn != "2023-05-20" || m.Basis != "STATED" || m.Citation.Paragraph != 17 {
			t.Errorf("trade figure %+v", m)
		}
		// Who ranks above China as an investor in Kazakhstan: the three
		// countries at rank 3 or better.
		var above []string
		for _, r := range got.Company.CounterpartyMeasurements {
			if r.Approximation == "UP_TO" && r.Value < 4 {
				above = append(above, r.Company.Slug)
			}
		}
		slices.Sort(above)
		if want := []string{"netherlands", "switzerland", "united-states"}; !slices.Equal(above, want) {
			t.Errorf("investors ranked above China %v, want %v", above, want)
		}
	})

	t.Run("UndatedMoney", func(t *testing.T) {
		var got struct {
			Aggregates struct {
				Plain, ByReport struct {
					Groups []struct {
						Key          string
						Total        float64
						ByReportYear bool
					}
				}
			}
		}
		srv.MustQuery(t, `{ aggregates {
			plain: money(groupBy: YEAR) { groups { key total byReportYear } }
			byReport: money(groupBy: YEAR, undatedByReportYear: true) { groups { key total byReportYear } } } }`, nil, &got)
		plain := map[string]float64{}
		for _, g := range got.Aggregates.Plain.Groups {
			plain[g.Key] = g.Total
			if g.ByReportYear {
				t.Errorf("group %s is by report year without being asked", g.Key)
			}
		}
		// Only the Business Council's $15 billion is dated 2025; the urea
		// memorandum, the pipeline financing and the polyethylene project
		// are undated.
		if plain["2025"] != 15e9 || plain["UNDATED"] != 1e9+530e6+7.7e9 {
			t.Errorf("money by year %v", plain)
		}
		var byReport2025 bool
		for _, g := range got.Aggregates.ByReport.Groups {
			if g.Key == "REPORTED-2025" && g.ByReportYear && g.Total == 1e9+530e6 {
				byReport2025 = true
			}
			if g.Key == "UNDATED" {
				t.Errorf("asked for report years, got an UNDATED group")
			}
		}
		if !byReport2025 {
			t.Errorf("no group REPORTED-2025 of the two undated 2025 deals: %+v", got.Aggregates.ByReport.Groups)
		}
	})

	t.Run("ErrWrongIDType", func(t *testing.T) {
		e := srv.MustFail(t, `query($id: ID) { statement(id: $id) { slug } }`, map[string]any{"id": graph.GlobalID("Company", "citic-group")})
		if e.Code() != "BAD_USER_INPUT" {
			t.Errorf("code %s, want BAD_USER_INPUT", e.Code())
		}
	})
}
