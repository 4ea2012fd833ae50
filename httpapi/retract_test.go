package httpapi_test

import (
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// amountsQuery lists every project's and agreement's amounts with their
// ids, and the totals and counts that sum them.
const amountsQuery = `query($all: Boolean) {
  projects(first: 100) { edges { node { slug amounts(includeRetracted: $all) { id amount currency citation { paragraph source { id paragraphs } }
    retraction { revision { id } author at reason citation { paragraph } } } } } }
  agreements(first: 100) { edges { node { slug amounts(includeRetracted: $all) { id amount } } } }
  aggregates { counts { amounts } money(groupBy: SECTOR) { total groups { amounts { id } } excluded { amount { id } } } }
}`

type amountsAnswer struct {
	Projects struct {
		Edges []struct {
			Node struct {
				Slug    string
				Amounts []struct {
					ID       string
					Amount   float64
					Currency string
					Citation struct {
						Paragraph int
						Source    struct {
							ID         string
							Paragraphs int
						}
					}
					Retraction *struct {
						Revision *struct{ ID string }
						Author   string
						At       string
						Reason   string
						Citation *struct{ Paragraph int }
					}
				}
			}
		}
	}
	Agreements struct {
		Edges []struct {
			Node struct {
				Slug    string
				Amounts []struct{ ID string }
			}
		}
	}
	Aggregates struct {
		Counts struct{ Amounts int }
		Money  struct {
			Total  float64
			Groups []struct {
				Amounts []struct{ ID string }
			}
			Excluded []struct {
				Amount struct{ ID string }
			}
		}
	}
}

// amountIDs lists every amount id of the answer, projects' then
// agreements'.
func (a amountsAnswer) amountIDs() []string {
	var out []string
	for _, e := range a.Projects.Edges {
		for _, x := range e.Node.Amounts {
			out = append(out, x.ID)
		}
	}
	for _, e := range a.Agreements.Edges {
		for _, x := range e.Node.Amounts {
			out = append(out, x.ID)
		}
	}
	return out
}

// inMoney reports whether the money summary lists the amount.
func (a amountsAnswer) inMoney(id string) bool {
	for _, g := range a.Aggregates.Money.Groups {
		for _, x := range g.Amounts {
			if x.ID == id {
				return true
			}
		}
	}
	for _, x := range a.Aggregates.Money.Excluded {
		if x.Amount.ID == id {
			return true
		}
	}
	return false
}

func TestRetract(t *testing.T) {
	for _, executor := range []string{graph.ExecutorGqlgen, graph.ExecutorCompiled} {
		t.Run(executor, func(t *testing.T) { testRetract(t, executor) })
	}
}

func testRetract(t *testing.T, executor string) {
	srv := quietServer(t, httpapi.Options{ResponseCache: 100, RateLimit: httpapi.RateLimit{}, Executor: executor})
	alice := srv.Editor(t, "alice")
	var before amountsAnswer
	srv.MustQuery(t, amountsQuery, nil, &before)
	// The project amount the money summary counts: retracting it must change
	// the summary.
	var gone string
	var src struct {
		ID         string
		Paragraphs int
	}
	for _, e := range before.Projects.Edges {
		for _, a := range e.Node.Amounts {
			if gone == "" && a.Currency == "USD" && before.inMoney(a.ID) {
				gone, src = a.ID, a.Citation.Source
			}
			if a.Retraction != nil {
				t.Errorf("amount %s is retracted before any retraction", a.ID)
			}
		}
	}
	if gone == "" {
		t.Fatal("no USD project amount in the money summary: the test shows nothing")
	}
	rev, replayed := alice.Retract(t, graphtest.Retraction{Fact: gone, Reason: "the article gives another sum", Source: src.ID,
		Paragraph: src.Paragraphs, IdempotencyKey: "r-1"})
	if replayed || rev.Kind != "RETRACTION" || rev.Author != "alice" || rev.Message != "the article gives another sum" || rev.Changed != 1 || rev.Added != 0 {
		t.Errorf("revision = %+v", rev)
	}
	var touched []string
	for _, n := range rev.Touched {
		touched = append(touched, n.Typename)
	}
	if got, want := strings.Join(touched, " "), "Source Project"; got != want || rev.Touched[0].ID != src.ID {
		t.Errorf("touched = %s (%+v), want %s: the cited source and the amount's project", got, rev.Touched, want)
	}

	t.Run("HiddenEverywhere", func(t *testing.T) {
		var after amountsAnswer
		srv.MustQuery(t, amountsQuery, nil, &after)
		for _, id := range after.amountIDs() {
			if id == gone {
				t.Errorf("the retracted amount %s is listed", id)
			}
		}
		if got, want := len(after.amountIDs()), len(before.amountIDs())-1; got != want {
			t.Errorf("%d amounts listed, want %d", got, want)
		}
		if got, want := after.Aggregates.Counts.Amounts, before.Aggregates.Counts.Amounts-1; got != want {
			t.Errorf("counts.amounts = %d, want %d", got, want)
		}
		if after.inMoney(gone) {
			t.Error("the money summary lists the retracted amount")
		}
		if after.Aggregates.Money.Total >= before.Aggregates.Money.Total {
			t.Errorf("money total %v after retracting a counted amount, %v before", after.Aggregates.Money.Total, before.Aggregates.Money.Total)
		}
	})
	t.Run("IncludeRetracted", func(t *testing.T) {
		var all amountsAnswer
		srv.MustQuery(t, amountsQuery, map[string]any{"all": true}, &all)
		if got, want := len(all.amountIDs()), len(before.amountIDs()); got != want {
			t.Errorf("%d amounts with the retracted ones, want %d", got, want)
		}
		found := false
		for _, e := range all.Projects.Edges {
			for _, a := range e.Node.Amounts {
				switch {
				case a.ID == gone:
					found = true
					r := a.Retraction
					if r == nil || r.Revision == nil || r.Revision.ID != rev.ID || r.Author != "alice" || r.At != rev.CreatedAt ||
						r.Reason != "the article gives another sum" || r.Citation == nil || r.Citation.Paragraph != src.Paragraphs {
						t.Errorf("retraction = %+v, want revision %s by alice at %s with paragraph %d", r, rev.ID, rev.CreatedAt, src.Paragraphs)
					}
				case a.Retraction != nil:
					t.Errorf("amount %s has a retraction: %+v", a.ID, a.Retraction)
				}
			}
		}
		if !found {
			t.Error("includeRetracted: true does not list the retracted amount")
		}
		// Aggregates do not take includeRetracted: they still leave it out.
		if all.inMoney(gone) {
			t.Error("the money summary lists the retracted amount")
		}
	})
	t.Run("Replay", func(t *testing.T) {
		version := srv.Store.DataVersion()
		again, replayed := alice.Retract(t, graphtest.Retraction{Fact: gone, Reason: "the article gives another sum", Source: src.ID,
			Paragraph: src.Paragraphs, IdempotencyKey: "r-1"})
		if !replayed || again.ID != rev.ID {
			t.Errorf("replay = %+v (replayed %v), want revision %s", again, replayed, rev.ID)
		}
		if srv.Store.DataVersion() != version {
			t.Error("a replay changed the database")
		}
	})
	t.Run("Revisions", func(t *testing.T) {
		var got struct {
			Revisions struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID, Message string } }
			}
		}
		srv.MustQuery(t, `{ revisions { totalCount edges { node { id message } } } }`, nil, &got)
		if got.Revisions.TotalCount != 1 || got.Revisions.Edges[0].Node.ID != rev.ID {
			t.Errorf("revisions = %+v", got.Revisions)
		}
	})
	t.Run("SurvivesChangesets", func(t *testing.T) {
		alice.ApplyChangeset(t, graphtest.Changeset{YAML: windYAML, Message: "add the wind farm report"})
		var after amountsAnswer
		srv.MustQuery(t, amountsQuery, nil, &after)
		for _, id := range after.amountIDs() {
			if id == gone {
				t.Error("after a changeset the retracted amount is listed again")
			}
		}
		var all amountsAnswer
		srv.MustQuery(t, amountsQuery, map[string]any{"all": true}, &all)
		if got, want := strings.Join(all.amountIDs(), " "), strings.Join(before.amountIDs(), " "); got != want {
			t.Errorf("after a changeset the amounts' ids are\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("ExportedAndReloaded", func(t *testing.T) {
		// The seed export carries the retraction into the files: a gateway
		// loaded from them hides the amount too, and says who retracted it,
		// when and why, with no revision behind it.
		dir, _ := graphtest.ExportSeed(t, srv.Store)
		reloaded := graphtest.New(t, graphtest.WithSeed(os.DirFS(dir)),
			graphtest.WithOptions(httpapi.Options{RateLimit: httpapi.RateLimit{}, Executor: executor, Logger: slog.New(slog.DiscardHandler)}))
		var after, all amountsAnswer
		reloaded.MustQuery(t, amountsQuery, nil, &after)
		reloaded.MustQuery(t, amountsQuery, map[string]any{"all": true}, &all)
		if slices.Contains(after.amountIDs(), gone) || !slices.Contains(all.amountIDs(), gone) {
			t.Errorf("reloaded: the retracted amount listed %v, with includeRetracted %v; want false, true",
				slices.Contains(after.amountIDs(), gone), slices.Contains(all.amountIDs(), gone))
		}
		for _, e := range all.Projects.Edges {
			for _, a := range e.Node.Amounts {
				if r := a.Retraction; a.ID == gone && (r == nil || r.Revision != nil || r.Author != "alice" || r.At != rev.CreatedAt ||
					r.Reason != "the article gives another sum" || r.Citation == nil || r.Citation.Paragraph != src.Paragraphs) {
					t.Errorf("reloaded retraction = %+v, want no revision, by alice at %s with paragraph %d", r, rev.CreatedAt, src.Paragraphs)
				}
			}
		}
	})
}

// TestRetractStatement retracts a statement: lists, lookups and search
// leave it out, and its speaker's statements show it with includeRetracted.
func TestRetractStatement(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	alice := srv.Editor(t, "alice")
	var st struct {
		Statements struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID      string
					Slug    string
					Summary string
					Speaker struct{ ID string }
				}
			}
		}
	}
	srv.MustQuery(t, `{ statements(first: 1) { totalCount edges { node { id slug summary speaker { id } } } } }`, nil, &st)
	if len(st.Statements.Edges) == 0 {
		t.Fatal("the seed has no statements: the test shows nothing")
	}
	s := st.Statements.Edges[0].Node
	alice.Retract(t, graphtest.Retraction{Fact: s.ID, Reason: "said by someone else"})
	var got struct {
		Node       *struct{ ID string }
		Statements struct{ TotalCount int }
		Person     struct {
			Statements []struct{ ID string }
			All        []struct {
				ID         string
				Retraction *struct{ Reason string }
			}
		}
		Search struct {
			Edges []struct{ Node struct{ ID string } }
		}
		Aggregates struct{ Counts struct{ Statements int } }
	}
	srv.MustQuery(t, `query($id: ID!, $person: ID!, $q: String!) {
		node(id: $id) { id }
		statements(first: 1) { totalCount }
		person(id: $person) { statements { id } all: statements(includeRetracted: true) { id retraction { reason } } }
		search(query: $q, types: [STATEMENT], first: 100) { edges { node { ... on Node { id } } } }
		aggregates { counts { statements } }
	}`, map[string]any{"id": s.ID, "person": s.Speaker.ID, "q": strings.Fields(s.Summary)[0]}, &got)
	if got.Node != nil {
		t.Errorf("node(id) finds the retracted statement")
	}
	if got.Statements.TotalCount != st.Statements.TotalCount-1 || got.Aggregates.Counts.Statements != st.Statements.TotalCount-1 {
		t.Errorf("statements: totalCount %d, counts %d; want %d", got.Statements.TotalCount, got.Aggregates.Counts.Statements, st.Statements.TotalCount-1)
	}
	for _, x := range got.Person.Statements {
		if x.ID == s.ID {
			t.Error("the speaker's statements list the retracted one")
		}
	}
	for _, e := range got.Search.Edges {
		if e.Node.ID == s.ID {
			t.Error("search finds the retracted statement")
		}
	}
	shown := false
	for _, x := range got.Person.All {
		if x.ID == s.ID {
			shown = x.Retraction != nil && x.Retraction.Reason == "said by someone else"
		}
	}
	if !shown {
		t.Errorf("includeRetracted: true does not show the statement with its retraction: %+v", got.Person.All)
	}
}

// TestFactIDs checks that the facts' ids are the same on a server of its
// own, built anew from the seed: they do not depend on row ids.
func TestFactIDs(t *testing.T) {
	const q = `{ projects(first: 100) { edges { node { participants { id } measurements { id } milestones { id } amounts { id } } } }
		people(first: 100) { edges { node { positions { id } } } } }`
	a := quietServer(t, httpapi.Options{}).MustQuery(t, q, nil, nil)
	b := quietServer(t, httpapi.Options{}).MustQuery(t, q, nil, nil)
	if string(a.Data) != string(b.Data) {
		t.Error("two servers over the same seed give facts other ids")
	}
	var ids []string
	for _, part := range strings.Split(string(a.Data), `"id":"`)[1:] {
		ids = append(ids, part[:strings.IndexByte(part, '"')])
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("id %s is given to two facts", id)
		}
		seen[id] = true
	}
	if len(ids) < 20 {
		t.Errorf("%d fact ids: the test shows little", len(ids))
	}
}

func TestRetractAuth(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	fact := firstAmountID(t, srv)
	r := graphtest.Retraction{Fact: fact, Reason: "wrong"}
	for _, tc := range []struct {
		name   string
		token  string
		status int
		code   string
	}{
		{"ErrNoToken", "", http.StatusUnauthorized, httpapi.CodeUnauthenticated},
		{"ErrUnknownToken", "igt_" + strings.Repeat("y", 43), http.StatusUnauthorized, httpapi.CodeUnauthenticated},
		{"ErrReader", srv.NewToken(t, "reader", db.RoleReader), http.StatusForbidden, httpapi.CodeForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			version := srv.Store.DataVersion()
			assertRequestError(t, srv.As(tc.token).TryRetract(t, r), tc.status, tc.code)
			if srv.Store.DataVersion() != version || revisionCount(t, srv) != 0 {
				t.Error("a refused retraction changed the database")
			}
		})
	}
}

func TestRetractBadInput(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	alice := srv.Editor(t, "alice")
	var got amountsAnswer
	srv.MustQuery(t, amountsQuery, nil, &got)
	ids := got.amountIDs()
	if len(ids) < 2 {
		t.Fatal("the seed has fewer than two amounts: the test needs two")
	}
	src := got.Projects.Edges[0].Node.Amounts
	for _, e := range got.Projects.Edges {
		if len(e.Node.Amounts) > 0 {
			src = e.Node.Amounts
		}
	}
	source := src[0].Citation.Source
	retracted, live := ids[0], ids[1]
	alice.Retract(t, graphtest.Retraction{Fact: retracted, Reason: "wrong"})
	for _, tc := range []struct {
		name, code, field, message string
		r                          graphtest.Retraction
	}{
		{"ErrUnknownFact", httpapi.CodeNotFound, "input.fact", "no Amount with the id given",
			graphtest.Retraction{Fact: graph.GlobalID("Amount", "project/nowhere|USD||nothing|1"), Reason: "x"}},
		{"ErrAlreadyRetracted", httpapi.CodeBadUserInput, "input.fact", "was retracted by revision 1 already",
			graphtest.Retraction{Fact: retracted, Reason: "again"}},
		{"ErrMalformedID", httpapi.CodeBadUserInput, "input.fact", "invalid id",
			graphtest.Retraction{Fact: "not an id!", Reason: "x"}},
		{"ErrNotAFact", httpapi.CodeBadUserInput, "input.fact", "is a Company id",
			graphtest.Retraction{Fact: graph.GlobalID("Company", "citic-group"), Reason: "x"}},
		{"ErrNoReason", httpapi.CodeBadUserInput, "input.reason", "reason is required",
			graphtest.Retraction{Fact: live, Reason: " "}},
		{"ErrParagraphOutOfRange", httpapi.CodeBadUserInput, "input.citation.paragraph", "is not in source",
			graphtest.Retraction{Fact: live, Reason: "x", Source: source.ID, Paragraph: source.Paragraphs + 1}},
		{"ErrCitedSourceNotASource", httpapi.CodeBadUserInput, "input.citation.source", "not a Source id",
			graphtest.Retraction{Fact: live, Reason: "x", Source: graph.GlobalID("Company", "citic-group"), Paragraph: 1}},
		{"ErrUnknownSource", httpapi.CodeBadUserInput, "input.citation.source", "no source",
			graphtest.Retraction{Fact: live, Reason: "x", Source: graph.GlobalID("Source", "no-such-source"), Paragraph: 1}},
		{"ErrKeyTooLong", httpapi.CodeBadUserInput, "input.idempotencyKey", "more than 200",
			graphtest.Retraction{Fact: live, Reason: "x", IdempotencyKey: strings.Repeat("k", 201)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			version := srv.Store.DataVersion()
			resp := alice.TryRetract(t, tc.r)
			if len(resp.Errors) == 0 {
				t.Fatalf("no error: %s", resp.Raw)
			}
			e := resp.Errors[0]
			if e.Code() != tc.code || e.Extensions["field"] != tc.field || !strings.Contains(e.Message, tc.message) {
				t.Errorf("error = %s (code %s, field %v), want %s: %s at %s", e.Message, e.Code(), e.Extensions["field"], tc.code, tc.message, tc.field)
			}
			if string(resp.Data) != "null" {
				t.Errorf("data = %s", resp.Data)
			}
			for _, leak := range []string{"sqlite", "SELECT", "goroutine", "*db.", ".go:"} {
				if strings.Contains(string(resp.Raw), leak) {
					t.Errorf("response mentions %q: %s", leak, resp.Raw)
				}
			}
			if srv.Store.DataVersion() != version || revisionCount(t, srv) != 1 {
				t.Error("a bad retraction changed the database")
			}
		})
	}
}

// firstAmountID returns the id of the first amount of the first project
// that has one.
func firstAmountID(t *testing.T, srv *graphtest.Server) string {
	t.Helper()
	var got struct {
		Projects struct {
			Edges []struct {
				Node struct{ Amounts []struct{ ID string } }
			}
		}
	}
	srv.MustQuery(t, `{ projects(first: 100) { edges { node { amounts { id } } } } }`, nil, &got)
	for _, e := range got.Projects.Edges {
		if len(e.Node.Amounts) > 0 {
			return e.Node.Amounts[0].ID
		}
	}
	t.Fatal("the seed has no project amounts")
	return ""
}

// TestRetractParticipant follows the README: a changeset adds a project
// with two participants, one is retracted with a citation, and the
// project's list, the company's, the neighborhood and the FtM export leave
// it out while includeRetracted shows it with the cited paragraph.
func TestRetractParticipant(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	alice := srv.Editor(t, "alice")
	alice.ApplyChangeset(t, graphtest.Changeset{YAML: windYAML, Message: "add the wind farm report"})
	var before struct {
		Project struct {
			ID           string
			Participants []struct {
				ID   string
				Role string
			}
		}
	}
	srv.MustQuery(t, `{ project(slug: "example-zhanatas-wind") { id participants { id role } } }`, nil, &before)
	var partner string
	for _, p := range before.Project.Participants {
		if p.Role == "PARTNER" {
			partner = p.ID
		}
	}
	if partner == "" {
		t.Fatalf("the wind farm has no partner: %+v", before)
	}
	exportBefore := srv.Fetch(t, "/export/ftm.jsonl")
	rev, _ := alice.Retract(t, graphtest.Retraction{Fact: partner, Reason: "the article names no partner",
		Source: graph.GlobalID("Source", "example-0001"), Paragraph: 3})
	var got struct {
		Project struct {
			Participants []struct{ Role string }
			All          []struct {
				ID         string
				Retraction *struct {
					Author   string
					Revision struct{ ID string }
					Citation struct {
						Paragraph int
						Source    struct{ Title string }
					}
				}
			}
		}
		Company struct {
			Projects []struct{ Project struct{ Slug string } }
		}
		Neighborhood struct {
			Nodes []struct{ ID string }
		}
	}
	srv.MustQuery(t, `query($p: ID!) {
		project(slug: "example-zhanatas-wind") { participants { role } all: participants(includeRetracted: true) { id
			retraction { author revision { id } citation { paragraph source { title } } } } }
		company(slug: "kazmunaygas") { projects { project { slug } } }
		neighborhood(id: $p) { nodes { id } }
	}`, map[string]any{"p": before.Project.ID}, &got)
	if len(got.Project.Participants) != 1 || got.Project.Participants[0].Role != "OWNER" {
		t.Errorf("participants = %+v, want the owner alone", got.Project.Participants)
	}
	for _, p := range got.Company.Projects {
		if p.Project.Slug == "example-zhanatas-wind" {
			t.Error("KazMunayGas's projects list the retracted participation")
		}
	}
	for _, n := range got.Neighborhood.Nodes {
		if n.ID == graph.GlobalID("Company", "kazmunaygas") {
			t.Error("the project's neighborhood reaches KazMunayGas through the retracted participation")
		}
	}
	shown := false
	for _, p := range got.Project.All {
		if p.ID == partner && p.Retraction != nil {
			r := p.Retraction
			shown = r.Author == "alice" && r.Revision.ID == rev.ID && r.Citation.Paragraph == 3 &&
				r.Citation.Source.Title == "Example report on a wind farm near Zhanatas"
		}
	}
	if !shown {
		t.Errorf("includeRetracted: true does not show the partner with its retraction: %+v", got.Project.All)
	}
	exportAfter := srv.Fetch(t, "/export/ftm.jsonl")
	if exportAfter == exportBefore || len(exportAfter) >= len(exportBefore) {
		t.Error("the FtM export is unchanged by the retraction")
	}
}

// TestRetractMeetingParticipant retracts a person's taking part in a
// meeting: the meeting's participants and participations and the
// person's meetings leave it out; includeRetracted shows it last, with
// its retraction.
func TestRetractMeetingParticipant(t *testing.T) {
	for _, executor := range []string{graph.ExecutorGqlgen, graph.ExecutorCompiled} {
		t.Run(executor, func(t *testing.T) {
			srv := graphtest.New(t, graphtest.WithOptions(httpapi.Options{Executor: executor}))
			const q = `query($all: Boolean) { meetings(first: 100) { edges { node { id participants { id }
				participations(includeRetracted: $all) { id role basis person { id meetings { id } } retraction { reason } } } } } }`
			type answer struct {
				Meetings struct {
					Edges []struct {
						Node struct {
							ID             string
							Participants   []struct{ ID string }
							Participations []struct {
								ID     string
								Role   *string
								Basis  string
								Person struct {
									ID       string
									Meetings []struct{ ID string }
								}
								Retraction *struct{ Reason string }
							}
						}
					}
				}
			}
			var before answer
			srv.MustQuery(t, q, nil, &before)
			var meeting, fact, person string
			for _, e := range before.Meetings.Edges {
				if len(e.Node.Participations) > 1 && fact == "" {
					p := e.Node.Participations[0]
					meeting, fact, person = e.Node.ID, p.ID, p.Person.ID
				}
			}
			if fact == "" {
				t.Fatal("no meeting of the seed has two participants: the test shows nothing")
			}
			srv.Editor(t, "alice").Retract(t, graphtest.Retraction{Fact: fact, Reason: "not at this meeting"})
			var after, all answer
			srv.MustQuery(t, q, nil, &after)
			srv.MustQuery(t, q, map[string]any{"all": true}, &all)
			for i, e := range after.Meetings.Edges {
				if e.Node.ID != meeting {
					continue
				}
				for _, p := range e.Node.Participants {
					if p.ID == person {
						t.Error("the meeting's participants list the retracted person")
					}
				}
				for _, p := range e.Node.Participations {
					if p.ID == fact {
						t.Error("the meeting's participations list the retracted one")
					}
					for _, m := range p.Person.Meetings {
						if p.Person.ID == person && m.ID == meeting {
							t.Error("the person's meetings list the meeting")
						}
					}
				}
				got := all.Meetings.Edges[i].Node.Participations
				if n := len(got); n != len(before.Meetings.Edges[i].Node.Participations) || got[n-1].ID != fact ||
					got[n-1].Retraction == nil || got[n-1].Retraction.Reason != "not at this meeting" {
					t.Errorf("with the retracted ones: %+v, want the retracted one last with its reason", got)
				}
			}
			if resp := srv.Editor(t, "bob").TryRetract(t, graphtest.Retraction{Fact: fact, Reason: "again"}); len(resp.Errors) == 0 ||
				resp.Errors[0].Code() != httpapi.CodeBadUserInput {
				t.Errorf("retracting it again: %s", resp.Raw)
			}
		})
	}
}
