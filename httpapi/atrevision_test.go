package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// windFigureYAML is a second report on the wind farm of windYAML: it gives
// the project its description and a capacity figure, and is published a
// day after the first.
const windFigureYAML = `source:
  slug: "example-0002"
  title: "Example follow-up report on the Zhanatas wind farm"
  publishedOn: "2026-12-01"
  paragraphs: 2
projects:
  - slug: example-zhanatas-wind
    description: "A proposed wind farm near Zhanatas, in our words."
    cite: [1]
    measurements:
      - metric: PRODUCTION_CAPACITY
        label: "planned generating capacity"
        value: 100
        unit: "MW"
        approximation: EXACT
        asOf: "2026-12"
        status: TARGET
        cite: 2
`

const windAtRevision = `query ($rev: ID!) { atRevision(id: $rev) {
  project(slug: "example-zhanatas-wind") { name description measurements { value unit } }
  revisions { totalCount }
} }`

// twoRevisions applies windYAML then windFigureYAML and returns the
// revisions' ids.
func twoRevisions(t *testing.T, srv *graphtest.Server) (first, second string) {
	t.Helper()
	alice := srv.Editor(t, "alice")
	r1, _ := alice.ApplyChangeset(t, graphtest.Changeset{YAML: windYAML, Message: "add the wind farm report"})
	r2, _ := alice.ApplyChangeset(t, graphtest.Changeset{YAML: windFigureYAML, Message: "add the follow-up"})
	return r1.ID, r2.ID
}

// revisionZero is the id atRevision takes for the seed before any revision.
var revisionZero = base64.RawURLEncoding.EncodeToString([]byte("Revision:0"))

func TestAtRevision(t *testing.T) {
	srv := quietServer(t, httpapi.Options{ResponseCache: 100, RateLimit: httpapi.RateLimit{}})
	first, second := twoRevisions(t, srv)
	for _, tc := range []struct {
		name, rev, want string
	}{
		{"BeforeAnyRevision", revisionZero, `{"atRevision":{"project":null,"revisions":{"totalCount":0}}}`},
		{"AfterFirst", first, `{"atRevision":{"project":{"name":"Example Zhanatas wind farm","description":null,"measurements":[]},"revisions":{"totalCount":1}}}`},
		{"AfterSecond", second, `{"atRevision":{"project":{"name":"Example Zhanatas wind farm","description":"A proposed wind farm near Zhanatas, in our words.","measurements":[{"value":100,"unit":"MW"}]},"revisions":{"totalCount":2}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Twice: the second answer comes from the kept view (and
			// the response cache), and must not differ.
			for range 2 {
				if got := string(srv.MustQuery(t, windAtRevision, map[string]any{"rev": tc.rev}, nil).Data); got != tc.want {
					t.Errorf("got  %s\nwant %s", got, tc.want)
				}
			}
		})
	}
	t.Run("BesideTheLiveGraph", func(t *testing.T) {
		// One request reads the live graph and two revisions: the
		// loaders of each view are their own.
		const q = `query ($a: ID!, $b: ID!) {
		  live: project(slug: "example-zhanatas-wind") { description }
		  a: atRevision(id: $a) { project(slug: "example-zhanatas-wind") { description } }
		  b: atRevision(id: $b) { project(slug: "example-zhanatas-wind") { description } }
		}`
		got := string(srv.MustQuery(t, q, map[string]any{"a": first, "b": second}, nil).Data)
		want := `{"live":{"description":"A proposed wind farm near Zhanatas, in our words."},"a":{"project":{"description":null}},"b":{"project":{"description":"A proposed wind farm near Zhanatas, in our words."}}}`
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
}

// TestAtRevision_LatestIsTheLiveGraph holds the replay to the graph the
// changesets made: at the last revision, every query answers as the live
// graph does, over the seed's whole surface.
func TestAtRevision_LatestIsTheLiveGraph(t *testing.T) {
	srv := quietServer(t, httpapi.Options{RateLimit: httpapi.RateLimit{}})
	_, second := twoRevisions(t, srv)
	for _, body := range []string{
		`project(slug: "example-zhanatas-wind") { id name description status participants { role company { slug aliases } } measurements { metric value asOf } citations { paragraph source { title } } }`,
		`company(slug: "kazmunaygas") { name aliases projects { role project { slug } } citations { paragraph source { title } } history { revision { id } added changed } }`,
		`companies(first: 100) { totalCount edges { node { slug name country kind } } }`,
		`projects(first: 100) { totalCount edges { node { slug name status capacityHistory { value asOf } } } }`,
		`sources(first: 100) { totalCount edges { node { title publishedOn } } }`,
		`aggregates { counts { companies projects agreements } money(groupBy: COUNTERPARTY_COUNTRY) { total groups { key total } } }`,
		`search(query: "wind") { totalCount edges { node { __typename ... on Project { slug } } } }`,
		`revisions { totalCount edges { node { id message touched { id } } } }`,
		`asOf(date: "2026-11-30") { project(slug: "example-zhanatas-wind") { description measurements { value } } sources(first: 100) { totalCount } }`,
	} {
		live := srv.MustQuery(t, `{ `+body+` }`, nil, nil).Data
		var at struct{ AtRevision json.RawMessage }
		srv.MustQuery(t, `query ($rev: ID!) { atRevision(id: $rev) { `+body+` } }`, map[string]any{"rev": second}, &at)
		if string(at.AtRevision) != string(live) {
			t.Errorf("%s\nat the last revision: %s\nlive:                 %s", body, at.AtRevision, live)
		}
	}
}

// TestAtRevision_WithAsOf asks both clocks at once, in both orders: what
// the database knew after a revision of what had been published by a date.
func TestAtRevision_WithAsOf(t *testing.T) {
	srv := quietServer(t, httpapi.Options{RateLimit: httpapi.RateLimit{}})
	first, second := twoRevisions(t, srv)
	const project = `project(slug: "example-zhanatas-wind") { measurements { value } citations { source { title } } }`
	ask := func(q, rev string) string {
		t.Helper()
		return string(srv.MustQuery(t, q, map[string]any{"rev": rev}, nil).Data)
	}
	for _, tc := range []struct {
		rev, date, want string
	}{
		// The follow-up, published on 2026-12-01, counts from that day on.
		{second, "2026-11-30", `{"project":{"measurements":[],"citations":[{"source":{"title":"Example report on a wind farm near Zhanatas"}},{"source":{"title":"Example report on a wind farm near Zhanatas"}}]}}`},
		{second, "2026-12", `{"project":{"measurements":[{"value":100}],"citations":[{"source":{"title":"Example report on a wind farm near Zhanatas"}},{"source":{"title":"Example report on a wind farm near Zhanatas"}},{"source":{"title":"Example follow-up report on the Zhanatas wind farm"}}]}}`},
		// After the first revision the follow-up is not known, whatever the date.
		{first, "2026-12", `{"project":{"measurements":[],"citations":[{"source":{"title":"Example report on a wind farm near Zhanatas"}},{"source":{"title":"Example report on a wind farm near Zhanatas"}}]}}`},
		// Before any revision nothing of the wind farm is known.
		{revisionZero, "2026-12", `{"project":null}`},
		// Before the first report was published, neither revision shows it.
		{second, "2026-10", `{"project":null}`},
	} {
		revFirst := ask(`query ($rev: ID!) { x: atRevision(id: $rev) { y: asOf(date: "`+tc.date+`") { `+project+` } } }`, tc.rev)
		dateFirst := ask(`query ($rev: ID!) { y: asOf(date: "`+tc.date+`") { x: atRevision(id: $rev) { `+project+` } } }`, tc.rev)
		var a struct{ X struct{ Y json.RawMessage } }
		var b struct{ Y struct{ X json.RawMessage } }
		if err := json.Unmarshal([]byte(revFirst), &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(dateFirst), &b); err != nil {
			t.Fatal(err)
		}
		if string(a.X.Y) != tc.want {
			t.Errorf("atRevision{asOf(%s)}: got %s\nwant %s", tc.date, a.X.Y, tc.want)
		}
		if string(b.Y.X) != tc.want {
			t.Errorf("asOf(%s){atRevision}: got %s\nwant %s", tc.date, b.Y.X, tc.want)
		}
	}
}

func TestAtRevision_BadID(t *testing.T) {
	srv := quietServer(t, httpapi.Options{RateLimit: httpapi.RateLimit{}})
	first, _ := twoRevisions(t, srv)
	unknown := base64.RawURLEncoding.EncodeToString([]byte("Revision:99"))
	company := base64.RawURLEncoding.EncodeToString([]byte("Company:citic-group"))
	negative := base64.RawURLEncoding.EncodeToString([]byte("Revision:-1"))
	for _, tc := range []struct {
		name, id, code, says string
	}{
		{"ErrUnknown", unknown, "NOT_FOUND", "no revision has id"},
		{"ErrMalformed", "not an id", "BAD_USER_INPUT", "invalid id"},
		{"ErrNotARevision", company, "BAD_USER_INPUT", "not a Revision id"},
		{"ErrNegative", negative, "BAD_USER_INPUT", "invalid id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := srv.Do(t, `query ($rev: ID!) { atRevision(id: $rev) { companies { totalCount } } }`, map[string]any{"rev": tc.id})
			if resp.Status != http.StatusOK {
				t.Errorf("status %d", resp.Status)
			}
			if len(resp.Errors) != 1 {
				t.Fatalf("errors = %+v", resp.Errors)
			}
			e := resp.Errors[0]
			if e.Code() != tc.code || !strings.Contains(e.Message, tc.says) {
				t.Errorf("error = %s %q, want %s saying %q", e.Code(), e.Message, tc.code, tc.says)
			}
			if e.Extensions["field"] != "id" {
				t.Errorf("extensions.field = %v, want id", e.Extensions["field"])
			}
			if string(resp.Data) != "null" {
				t.Errorf("data = %s, want null", resp.Data)
			}
		})
	}
	// A good id answers.
	resp := srv.Do(t, `query ($a: ID!) { a: atRevision(id: $a) { revisions { totalCount } } }`, map[string]any{"a": first})
	if len(resp.Errors) != 0 || string(resp.Data) != `{"a":{"revisions":{"totalCount":1}}}` {
		t.Errorf("good id: %s %+v", resp.Data, resp.Errors)
	}
}

// nodeHistory is Node.history as the API returns it.
type nodeHistory []struct {
	Revision struct{ ID, Message string }
	Added    []string
	Changed  []string
}

func TestNodeHistory(t *testing.T) {
	srv := quietServer(t, httpapi.Options{RateLimit: httpapi.RateLimit{}})
	first, second := twoRevisions(t, srv)
	historyOf := func(t *testing.T, q string, vars map[string]any) nodeHistory {
		t.Helper()
		var out map[string]struct{ History nodeHistory }
		srv.MustQuery(t, q, vars, &out)
		for _, v := range out {
			return v.History
		}
		t.Fatalf("no object in the answer")
		return nil
	}
	const fields = `history { revision { id message } added changed }`
	t.Run("NewProject", func(t *testing.T) {
		h := historyOf(t, `{ project(slug: "example-zhanatas-wind") { `+fields+` } }`, nil)
		if len(h) != 2 || h[0].Revision.ID != first || h[1].Revision.ID != second {
			t.Fatalf("history = %+v", h)
		}
		// The first revision brought it: everything is added.
		for _, want := range []string{"name", "sector", "status", "participants: example-wind OWNER", "participants: kazmunaygas PARTNER", "citations: example-0001 ¶1", "citations: example-0001 ¶2"} {
			if !slices.Contains(h[0].Added, want) {
				t.Errorf("revision 1 added %q, want it among %q", want, h[0].Added)
			}
		}
		if len(h[0].Changed) != 0 || slices.Contains(h[0].Added, "description") {
			t.Errorf("revision 1: added %q, changed %q", h[0].Added, h[0].Changed)
		}
		// The second gave the description and the capacity figure.
		want := []string{"description", "citations: example-0002 ¶1", "figures: PRODUCTION_CAPACITY 2026-12 TARGET 100 MW"}
		if !slices.Equal(h[1].Added, want) || len(h[1].Changed) != 0 {
			t.Errorf("revision 2: added %q, changed %q; want added %q", h[1].Added, h[1].Changed, want)
		}
	})
	t.Run("SeedCompanyCitedAgain", func(t *testing.T) {
		h := historyOf(t, `{ company(slug: "kazmunaygas") { `+fields+` } }`, nil)
		if len(h) != 1 || h[0].Revision.Message != "add the wind farm report" {
			t.Fatalf("history = %+v", h)
		}
		if want := []string{"citations: example-0001 ¶3", "projects: example-zhanatas-wind PARTNER"}; !slices.Equal(h[0].Added, want) {
			t.Errorf("added %q, want %q", h[0].Added, want)
		}
	})
	t.Run("SeedOnly", func(t *testing.T) {
		for _, q := range []string{
			`{ company(slug: "citic-group") { ` + fields + ` } }`,
			`{ person(slug: "zhu-hexin") { ` + fields + ` } }`,
			`{ node(id: "` + base64.RawURLEncoding.EncodeToString([]byte("Source:example-0001")) + `") { ` + fields + ` } }`,
		} {
			h := historyOf(t, q, nil)
			if strings.Contains(q, "node(") {
				if len(h) != 1 || h[0].Revision.ID != first || !slices.Contains(h[0].Added, "title") {
					t.Errorf("%s: history = %+v", q, h)
				}
				continue
			}
			if len(h) != 0 {
				t.Errorf("%s: history = %+v, want none", q, h)
			}
		}
	})
	t.Run("ThroughNode", func(t *testing.T) {
		var out struct {
			Node struct{ History nodeHistory }
		}
		id := base64.RawURLEncoding.EncodeToString([]byte("Project:example-zhanatas-wind"))
		srv.MustQuery(t, `query ($id: ID!) { node(id: $id) { `+fields+` } }`, map[string]any{"id": id}, &out)
		if len(out.Node.History) != 2 {
			t.Errorf("history = %+v", out.Node.History)
		}
	})
	t.Run("AtRevision", func(t *testing.T) {
		// After the first revision the project's history stops there.
		var out struct {
			AtRevision struct {
				Project struct{ History nodeHistory }
			}
		}
		srv.MustQuery(t, `query ($rev: ID!) { atRevision(id: $rev) { project(slug: "example-zhanatas-wind") { `+fields+` } } }`,
			map[string]any{"rev": first}, &out)
		if h := out.AtRevision.Project.History; len(h) != 1 || h[0].Revision.ID != first {
			t.Errorf("history = %+v", h)
		}
	})
	t.Run("Batched", func(t *testing.T) {
		// The histories of a whole list, and their revisions, are read in
		// a statement each, however many objects the list holds.
		plain := srv.MustQuery(t, `{ companies(first: 100) { edges { node { slug } } } }`, nil, nil).Statements()
		resp := srv.MustQuery(t, `{ companies(first: 100) { edges { node { slug history { revision { id message } added } } } } }`, nil, nil)
		if got, want := resp.Statements(), plain+2; got != want {
			t.Errorf("%d statements, want %d (the list's %d, the histories, their revisions)", got, want, plain)
		}
		if !strings.Contains(string(resp.Data), "projects: example-zhanatas-wind PARTNER") {
			t.Errorf("kazmunaygas's history is missing: %s", resp.Data)
		}
	})
	t.Run("TouchedNamesFigures", func(t *testing.T) {
		// The follow-up touched the project with a figure and a
		// description; the revision lists it.
		var out struct {
			Node struct{ Touched []struct{ ID string } }
		}
		srv.MustQuery(t, `query ($id: ID!) { node(id: $id) { ... on Revision { touched { id } } } }`, map[string]any{"id": second}, &out)
		want := base64.RawURLEncoding.EncodeToString([]byte("Project:example-zhanatas-wind"))
		if !slices.ContainsFunc(out.Node.Touched, func(n struct{ ID string }) bool { return n.ID == want }) {
			t.Errorf("touched = %+v", out.Node.Touched)
		}
	})
}

// TestAtRevision_ManyAtOnce asks for more revisions than are kept, from
// several clients at once and with the garbage collector running: views
// are dropped and built again while others read them, and every answer
// is that of its revision.
func TestAtRevision_ManyAtOnce(t *testing.T) {
	// Views are built again and again here, on a busy machine under the
	// race detector too: a request's time is not what is tested.
	srv := quietServer(t, httpapi.Options{RateLimit: httpapi.RateLimit{}, Limits: httpapi.Limits{Timeout: 5 * time.Minute}})
	alice := srv.Editor(t, "alice")
	var seedSources struct{ Sources struct{ TotalCount int } }
	srv.MustQuery(t, `{ sources { totalCount } }`, nil, &seedSources)
	const n = 5 // six graphs with the seed's, more than are kept
	ids := make([]string, n+1)
	ids[0] = revisionZero
	for i := 1; i <= n; i++ {
		yaml := fmt.Sprintf("source:\n  slug: \"example-many-%d\"\n  title: \"Example %d\"\n  publishedOn: \"2026-12-01\"\n  paragraphs: 1\n"+
			"companies:\n  - slug: kazakhstan\n    cite: [1]\n", i, i)
		rev, _ := alice.ApplyChangeset(t, graphtest.Changeset{YAML: yaml, Message: "m"})
		ids[i] = rev.ID
	}
	var wg sync.WaitGroup
	for c := range 2 {
		wg.Go(func() {
			for round := range 2 {
				for k := range ids {
					i := (k + c + round) % len(ids)
					var out struct {
						AtRevision struct{ Sources struct{ TotalCount int } }
					}
					resp := srv.Do(t, `query ($rev: ID!) { atRevision(id: $rev) { sources { totalCount } } }`, map[string]any{"rev": ids[i]})
					if err := resp.Decode(&out); err != nil || len(resp.Errors) > 0 {
						t.Errorf("revision %d: %v %+v", i, err, resp.Errors)
						continue
					}
					if got, want := out.AtRevision.Sources.TotalCount, seedSources.Sources.TotalCount+i; got != want {
						t.Errorf("revision %d: %d sources, want %d", i, got, want)
					}
					runtime.GC()
				}
			}
		})
	}
	wg.Wait()
}

// TestAtRevision_Retraction replays retractions as it replays changesets:
// before the retraction the figure is there, after it only with
// includeRetracted, and the project's history names the retraction.
func TestAtRevision_Retraction(t *testing.T) {
	srv := quietServer(t, httpapi.Options{RateLimit: httpapi.RateLimit{}})
	_, second := twoRevisions(t, srv)
	alice := srv.Editor(t, "bob")
	var out struct {
		Project struct{ Measurements []struct{ ID string } }
	}
	srv.MustQuery(t, `{ project(slug: "example-zhanatas-wind") { measurements { id } } }`, nil, &out)
	if len(out.Project.Measurements) != 1 {
		t.Fatalf("measurements = %+v", out.Project.Measurements)
	}
	third, _ := alice.Retract(t, graphtest.Retraction{Fact: out.Project.Measurements[0].ID, Reason: "the report gives 10 MW, not 100"})
	const q = `query ($rev: ID!) { atRevision(id: $rev) { project(slug: "example-zhanatas-wind") { measurements { value } } } }`
	for _, tc := range []struct{ rev, want string }{
		{second, `{"atRevision":{"project":{"measurements":[{"value":100}]}}}`},
		{third.ID, `{"atRevision":{"project":{"measurements":[]}}}`},
	} {
		if got := string(srv.MustQuery(t, q, map[string]any{"rev": tc.rev}, nil).Data); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
	// The live graph and the last revision agree, retracted facts included.
	const facts = `project(slug: "example-zhanatas-wind") { measurements(includeRetracted: true) { value retraction { reason revision { id } } } }`
	live := srv.MustQuery(t, `{ `+facts+` }`, nil, nil).Data
	var at struct{ AtRevision json.RawMessage }
	srv.MustQuery(t, `query ($rev: ID!) { atRevision(id: $rev) { `+facts+` } }`, map[string]any{"rev": third.ID}, &at)
	if string(at.AtRevision) != string(live) {
		t.Errorf("at the last revision: %s\nlive: %s", at.AtRevision, live)
	}
	var h struct {
		Project struct{ History nodeHistory }
	}
	srv.MustQuery(t, `{ project(slug: "example-zhanatas-wind") { history { revision { id } added changed } } }`, nil, &h)
	if n := len(h.Project.History); n != 3 || h.Project.History[2].Revision.ID != third.ID ||
		len(h.Project.History[2].Changed) != 1 || !strings.HasPrefix(h.Project.History[2].Changed[0], "retracted: Measurement ") {
		t.Errorf("history = %+v", h.Project.History)
	}
}
