package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// windYAML is a small source with two facts: a new project with its owner,
// and an existing company (KazMunayGas, from the built-in seed) as its
// partner.
const windYAML = `source:
  slug: "example-0001"
  title: "Example report on a wind farm near Zhanatas"
  publishedOn: "2026-11-30"
  paragraphs: 3
companies:
  - slug: example-wind
    name: "Example Wind LLP"
    kind: COMPANY
    country: KZ
    cite: [1]
  - slug: kazmunaygas
    cite: [3]
projects:
  - slug: example-zhanatas-wind
    name: "Example Zhanatas wind farm"
    sector: RENEWABLES
    status: PROPOSED
    cite: [1, 2]
    participants:
      - company: example-wind
        role: OWNER
        cite: [2]
      - company: kazmunaygas
        role: PARTNER
        cite: [3]
`

const windProject = `{ project(slug: "example-zhanatas-wind") { name participants { role company { slug } citations { paragraph source { title } } } } }`

func TestApplyChangeset(t *testing.T) {
	srv := quietServer(t, httpapi.Options{ResponseCache: 100, RateLimit: httpapi.RateLimit{}})
	alice := srv.Editor(t, "alice")

	// The response cache holds the answer from before the changeset.
	before := srv.MustQuery(t, windProject, nil, nil)
	if string(before.Data) != `{"project":null}` {
		t.Fatalf("before: %s", before.Data)
	}
	rev, replayed := alice.ApplyChangeset(t, graphtest.Changeset{YAML: windYAML, Message: "add the wind farm report", IdempotencyKey: "k-1"})
	t.Run("Revision", func(t *testing.T) {
		if replayed || rev.Kind != "CHANGESET" || rev.Author != "alice" || rev.Message != "add the wind farm report" || rev.Source == nil ||
			rev.Source.Title != "Example report on a wind farm near Zhanatas" || rev.IdempotencyKey == nil || *rev.IdempotencyKey != "k-1" {
			t.Errorf("revision = %+v", rev)
		}
		// Added: the source, a company, a project and two participants;
		// changed: KazMunayGas, cited by one more paragraph.
		if rev.Added != 5 || rev.Changed != 1 {
			t.Errorf("added %d, changed %d; want 5 and 1", rev.Added, rev.Changed)
		}
		var touched []string
		for _, n := range rev.Touched {
			touched = append(touched, n.Typename)
		}
		if got, want := strings.Join(touched, " "), "Source Company Company Project"; got != want {
			t.Errorf("touched = %s, want %s", got, want)
		}
		if !strings.HasPrefix(rev.CreatedAt, "20") || !strings.HasSuffix(rev.CreatedAt, "Z") {
			t.Errorf("createdAt = %q", rev.CreatedAt)
		}
	})
	t.Run("TheFactsAreThere", func(t *testing.T) {
		var got struct {
			Project struct {
				Name         string
				Participants []struct {
					Role    string
					Company struct{ Slug string }
				}
			}
		}
		srv.MustQuery(t, windProject, nil, &got)
		var parts []string
		for _, p := range got.Project.Participants {
			parts = append(parts, p.Company.Slug+":"+p.Role)
		}
		slices.Sort(parts)
		if got.Project.Name != "Example Zhanatas wind farm" || strings.Join(parts, " ") != "example-wind:OWNER kazmunaygas:PARTNER" {
			t.Errorf("project = %+v", got.Project)
		}
	})
	t.Run("Revisions", func(t *testing.T) {
		var got struct {
			All, Bob, BySource struct {
				TotalCount int
				Edges      []struct {
					Cursor string
					Node   struct{ ID, Author string }
				}
			}
			Node struct{ ID, Message string }
		}
		srv.MustQuery(t, `query($id: ID!, $src: ID!) {
			all: revisions { totalCount edges { cursor node { id author } } }
			bob: revisions(author: "bob") { totalCount edges { cursor node { id author } } }
			bySource: revisions(source: $src) { totalCount edges { cursor node { id author } } }
			node(id: $id) { id ... on Revision { message } }
		}`, map[string]any{"id": rev.ID, "src": rev.Source.ID}, &got)
		if got.All.TotalCount != 1 || len(got.All.Edges) != 1 || got.All.Edges[0].Node.ID != rev.ID || got.All.Edges[0].Node.Author != "alice" {
			t.Errorf("revisions = %+v", got.All)
		}
		if got.Bob.TotalCount != 0 || len(got.Bob.Edges) != 0 || got.BySource.TotalCount != 1 {
			t.Errorf("by author bob %+v, by source %+v", got.Bob, got.BySource)
		}
		if got.Node.ID != rev.ID || got.Node.Message != "add the wind farm report" {
			t.Errorf("node = %+v", got.Node)
		}
	})
	t.Run("Replay", func(t *testing.T) {
		version := srv.Store.DataVersion()
		again, replayed := alice.ApplyChangeset(t, graphtest.Changeset{YAML: windYAML, Message: "add the wind farm report", IdempotencyKey: "k-1"})
		if !replayed || again.ID != rev.ID || again.CreatedAt != rev.CreatedAt {
			t.Errorf("replay = %+v (replayed %v), want revision %s", again, replayed, rev.ID)
		}
		if srv.Store.DataVersion() != version || revisionCount(t, srv) != 1 {
			t.Error("a replay changed the database")
		}
	})
	t.Run("MergeAcrossChangesets", func(t *testing.T) {
		bob := srv.Editor(t, "bob")
		second, _ := bob.ApplyChangeset(t, graphtest.Changeset{Message: "the wind farm's capacity", YAML: `source:
  slug: "example-0002"
  title: "Example follow-up on the Zhanatas wind farm"
  publishedOn: "2026-12-02"
  paragraphs: 2
projects:
  - slug: example-zhanatas-wind
    cite: [1]
    measurements:
      - metric: POWER_CAPACITY
        value: 100
        unit: MW
        status: TARGET
        asOf: "2026-12"
        cite: 2
`})
		if second.Author != "bob" || second.Added != 2 || second.Changed != 1 || len(second.Touched) != 2 || second.Touched[1].Typename != "Project" {
			t.Errorf("second revision = %+v", second)
		}
		var got struct {
			Project struct {
				CapacityHistory []struct{ Value float64 }
			}
		}
		srv.MustQuery(t, `{ project(slug: "example-zhanatas-wind") { capacityHistory { value } } }`, nil, &got)
		if len(got.Project.CapacityHistory) != 1 || got.Project.CapacityHistory[0].Value != 100 {
			t.Errorf("capacity = %+v", got.Project)
		}
		if revisionCount(t, srv) != 2 {
			t.Errorf("%d revisions, want 2", revisionCount(t, srv))
		}
	})
}

func revisionCount(t *testing.T, srv *graphtest.Server) int {
	t.Helper()
	var got struct{ Revisions struct{ TotalCount int } }
	srv.MustQuery(t, `{ revisions { totalCount } }`, nil, &got)
	return got.Revisions.TotalCount
}

func TestApplyChangesetAuth(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	c := graphtest.Changeset{YAML: windYAML, Message: "m"}
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
			resp := srv.As(tc.token).TryChangeset(t, c)
			assertRequestError(t, resp, tc.status, tc.code)
			if srv.Store.DataVersion() != version || revisionCount(t, srv) != 0 {
				t.Error("a refused changeset changed the database")
			}
		})
	}
	t.Run("AdminMay", func(t *testing.T) {
		rev, _ := srv.As(srv.NewToken(t, "root", db.RoleAdmin)).ApplyChangeset(t, c)
		if rev.Author != "root" {
			t.Errorf("author = %q", rev.Author)
		}
	})
}

func TestApplyChangesetBadInput(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	alice := srv.Editor(t, "alice")
	alice.ApplyChangeset(t, graphtest.Changeset{YAML: windYAML, Message: "first", IdempotencyKey: "once"})
	edit := func(old, new string) string {
		if !strings.Contains(windYAML, old) {
			t.Fatalf("windYAML has no %q", old)
		}
		return strings.Replace(strings.Replace(windYAML, `"example-0001"`, `"example-0009"`, 1), old, new, 1)
	}
	for _, tc := range []struct {
		name    string
		c       graphtest.Changeset
		field   string
		message string
	}{
		{"ErrCiteOutOfRange", graphtest.Changeset{YAML: edit("cite: [1, 2]", "cite: [1, 14]")},
			"input.yaml.projects[0].cite", "cite 14 is not a paragraph of example-0009 (1 to 3)"},
		{"ErrUnknownSlug", graphtest.Changeset{YAML: edit("      - company: example-wind", "      - company: no-such-company")},
			"input.yaml.projects[0].participants[0].company", `unknown company "no-such-company"`},
		{"ErrConflictingScalar", graphtest.Changeset{YAML: edit("  - slug: kazmunaygas\n", "  - slug: kazmunaygas\n    kind: BANK\n")},
			"input.yaml.companies[1].kind", `kind "BANK" conflicts with "STATE_OWNED_COMPANY"`},
		{"ErrSourceExists", graphtest.Changeset{YAML: windYAML},
			"input.yaml.source.slug", `slug "example-0001" is already used by changeset 1`},
		{"ErrSeedSourceExists", graphtest.Changeset{YAML: strings.Replace(windYAML, `"example-0001"`, `"81c1630493b7e74f"`, 1)},
			"input.yaml.source.slug", `is already used by 000_81c1630493b7e74f.yaml`},
		{"ErrMissingField", graphtest.Changeset{YAML: edit("  - slug: example-wind\n    name: \"Example Wind LLP\"\n    kind: COMPANY\n", "  - slug: example-wind-two\n    name: \"Example Wind Two\"\n")},
			"input.yaml.companies[0].kind", `company "example-wind-two" has no kind in any file`},
		{"ErrBadEnum", graphtest.Changeset{YAML: edit("role: OWNER", "role: LANDLORD")},
			"input.yaml.projects[0].participants[0].role", `"LANDLORD" is not one of`},
		{"ErrInferredUnknownAttribute", graphtest.Changeset{YAML: edit("    country: KZ\n", "    country: KZ\n    inferred:\n      colour: \"From the name.\"\n")},
			"input.yaml.companies[0].inferred.colour", "inferred colour: a company has no such attribute"},
		{"ErrUnknownKey", graphtest.Changeset{YAML: edit("    country: KZ\n", "    country: KZ\n    colour: red\n")},
			"input.yaml", `unknown field "colour"`},
		{"ErrNotYAML", graphtest.Changeset{YAML: "source: [unclosed"}, "input.yaml", "sequence end token"},
		{"ErrEmpty", graphtest.Changeset{YAML: "  \n"}, "input.yaml", "yaml or changeset is required"},
		{"ErrNoMessage", graphtest.Changeset{YAML: edit("", ""), Message: " "}, "input.message", "message is required"},
		{"ErrKeyReused", graphtest.Changeset{YAML: edit("", ""), IdempotencyKey: "once"}, "input.idempotencyKey", "was used by revision 1 for a different changeset"},
		{"ErrKeyTooLong", graphtest.Changeset{YAML: edit("", ""), IdempotencyKey: strings.Repeat("k", 201)}, "input.idempotencyKey", "more than 200"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.c.Message == "" {
				tc.c.Message = "bad"
			}
			badChangeset(t, srv, alice, tc.c, tc.field, tc.message)
		})
		// The same changeset in the structured form gets the same error at
		// the same place under input.changeset. What only YAML text can
		// get wrong (syntax, an empty text) has no structured twin; an
		// unknown key is GraphQL's to refuse, at the variable's path.
		if tc.name == "ErrNotYAML" || tc.name == "ErrEmpty" {
			continue
		}
		t.Run(tc.name+"/Structured", func(t *testing.T) {
			if tc.c.Message == "" {
				tc.c.Message = "bad"
			}
			field, message := strings.Replace(tc.field, "input.yaml", "input.changeset", 1), tc.message
			switch tc.name {
			case "ErrUnknownKey":
				field, message = "input.changeset.companies[0].colour", `has no field "colour"`
			case "ErrInferredUnknownAttribute":
				field = "input.changeset.companies[0].inferred[0]" // a list in the structured form
			}
			badChangeset(t, srv, alice, tc.c.Structured(t), field, message)
		})
	}
	wind := graphtest.Changeset{YAML: edit("", ""), Message: "bad"}.Structured(t)
	withInferred := func(list ...map[string]any) graphtest.Changeset {
		c := graphtest.Changeset{YAML: edit("", ""), Message: "bad"}.Structured(t)
		c.Input["companies"].([]any)[0].(map[string]any)["inferred"] = list
		return c
	}
	for _, tc := range []struct {
		name    string
		c       graphtest.Changeset
		field   string
		message string
	}{
		{"ErrBothForms", graphtest.Changeset{YAML: windYAML, Input: wind.Input, Message: "bad"},
			"input.changeset", "give one of them, not both"},
		{"ErrDuplicateInferred", withInferred(map[string]any{"key": "country", "note": "from the name"}, map[string]any{"key": "country", "note": "again"}),
			"input.changeset.companies[0].inferred[1].key", `key "country" is given at inferred[0] already`},
		{"ErrInferredUnknownAttributeAtIndex", withInferred(map[string]any{"key": "country", "note": "from the name"}, map[string]any{"key": "colour", "note": "from the name"}),
			"input.changeset.companies[0].inferred[1]", "inferred colour: a company has no such attribute"},
		{"ErrBadEnumType", func() graphtest.Changeset {
			c := graphtest.Changeset{YAML: edit("", ""), Message: "bad"}.Structured(t)
			c.Input["source"].(map[string]any)["paragraphs"] = "three"
			return c
		}(), "input.changeset.source.paragraphs", "expected Int"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			badChangeset(t, srv, alice, tc.c, tc.field, tc.message)
		})
	}
	t.Run("ErrNeitherForm", func(t *testing.T) {
		resp := alice.Do(t, graphtest.ApplyChangesetMutation, map[string]any{"input": map[string]any{"message": "neither"}})
		if len(resp.Errors) == 0 {
			t.Fatalf("no error: %s", resp.Raw)
		}
		if e := resp.Errors[0]; e.Code() != httpapi.CodeBadUserInput || e.Extensions["field"] != "input.yaml" || !strings.Contains(e.Message, "yaml or changeset is required") {
			t.Errorf("error = %s (code %s, field %v)", e.Message, e.Code(), e.Extensions["field"])
		}
		if got := revisionCount(t, srv); got != 1 {
			t.Errorf("%d revisions, want 1", got)
		}
	})
	t.Run("EveryProblemReported", func(t *testing.T) {
		y := edit("cite: [1, 2]", "cite: [1, 14]")
		y = strings.Replace(y, "role: OWNER", "role: LANDLORD", 1)
		resp := alice.TryChangeset(t, graphtest.Changeset{YAML: y, Message: "two problems"})
		var fields []string
		for _, e := range resp.Errors {
			fields = append(fields, e.Extensions["field"].(string))
		}
		slices.Sort(fields)
		if got, want := strings.Join(fields, " "), "input.yaml.projects[0].cite input.yaml.projects[0].participants[0].role"; got != want {
			t.Errorf("fields = %s, want %s", got, want)
		}
	})
	t.Run("ErrBadPage", func(t *testing.T) {
		e := srv.MustFail(t, `{ revisions(first: 101) { totalCount } }`, nil)
		if e.Code() != httpapi.CodeBadUserInput {
			t.Errorf("error %+v", e)
		}
		e = srv.MustFail(t, `{ revisions(after: "nope") { totalCount } }`, nil)
		if e.Code() != httpapi.CodeBadUserInput {
			t.Errorf("error %+v", e)
		}
	})
}

// TestApplyChangesetOtherSeed refuses to apply a changeset over a database
// that holds sources the seed files it is given do not, as dropping them
// would lose data.
func TestApplyChangesetOtherSeed(t *testing.T) {
	srv := graphtest.New(t, graphtest.WithOptions(httpapi.Options{Seed: fstest.MapFS{}}))
	resp := srv.Editor(t, "alice").TryChangeset(t, graphtest.Changeset{Message: "m", YAML: `source:
  slug: "example-0001"
  title: "Example"
  publishedOn: "2026-11-30"
  paragraphs: 3
`})
	if len(resp.Errors) == 0 || resp.Errors[0].Code() != httpapi.CodeConflict || !strings.Contains(resp.Errors[0].Message, "would drop them") {
		raw, _ := json.Marshal(resp.Errors)
		t.Errorf("errors = %s", raw)
	}
}

// TestConcurrentChangesets applies changesets from several clients at once:
// each is applied whole, none is lost, and the revisions count them all.
func TestConcurrentChangesets(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	const n = 6
	editors := make([]*graphtest.Server, n)
	for i := range editors {
		editors[i] = srv.Editor(t, fmt.Sprintf("editor-%d", i))
	}
	var wg sync.WaitGroup
	resps := make([]*graphtest.Response, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resps[i] = editors[i].TryChangeset(t, smallChangeset(100+i))
		}()
	}
	wg.Wait()
	for i, resp := range resps {
		if len(resp.Errors) > 0 {
			t.Errorf("changeset %d: %s", i, resp.Raw)
		}
	}
	var got struct {
		Revisions struct{ TotalCount int }
		Sources   struct{ TotalCount int }
	}
	srv.MustQuery(t, `{ revisions { totalCount } sources { totalCount } }`, nil, &got)
	if got.Revisions.TotalCount != n || got.Sources.TotalCount != 5+n {
		t.Errorf("%d revisions and %d sources, want %d and %d", got.Revisions.TotalCount, got.Sources.TotalCount, n, 5+n)
	}
}

// badChangeset sends c and checks that it is refused with one
// BAD_USER_INPUT error first at field, whose message has message, that
// leaks nothing internal and that the database is as it was.
func badChangeset(t *testing.T, srv *graphtest.Server, as *graphtest.Server, c graphtest.Changeset, field, message string) {
	t.Helper()
	version, revisions := srv.Store.DataVersion(), revisionCount(t, srv)
	resp := as.TryChangeset(t, c)
	if len(resp.Errors) == 0 {
		t.Fatalf("no error: %s", resp.Raw)
	}
	e := resp.Errors[0]
	if e.Code() != httpapi.CodeBadUserInput || e.Extensions["field"] != field || !strings.Contains(e.Message, message) {
		t.Errorf("error = %s (code %s, field %v), want %s at %s", e.Message, e.Code(), e.Extensions["field"], message, field)
	}
	if d := string(resp.Data); d != "null" && d != "" {
		t.Errorf("data = %s", resp.Data)
	}
	for _, leak := range []string{"sqlite", "SELECT", "goroutine", "*db.", "seed.Problem", ".go:", "model.", "map["} {
		if strings.Contains(string(resp.Raw), leak) {
			t.Errorf("response mentions %q: %s", leak, resp.Raw)
		}
	}
	if srv.Store.DataVersion() != version || revisionCount(t, srv) != revisions {
		t.Error("a bad changeset changed the database")
	}
}
