package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/graphtest/querygen"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/seed/changegen"
)

// The selections of the generated root fields: whatever their rows hold,
// with the objects they name.
const (
	searchSelection = `{ totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
		edges { cursor score snippet node { __typename ... on Company { id name } ... on Person { id name }
			... on Project { name } ... on Meeting { id } ... on Agreement { title } ... on Source { title publishedOn }
			... on Statement { id } ... on Event { id name } } } }`
	timelineSelection = `{ totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
		edges { cursor node { date kind title subject { id __typename } citations { paragraph source { title } } } } }`
	aggregatesSelection = `{ counts { companies people projects meetings agreements sources measurements amounts statements events }
		money(%s) { groupBy currency total totalIsLowerBound groupsOverlap
			groups { key label total isLowerBound byReportYear amounts { id amount currency approximation reportedOn basis project { name } agreement { title } } }
			excluded { reason explanation amount { id amount } countedInstead { id } } } }`
)

// memoQueries generates queries of the root fields the store keeps per
// data version (search, timeline, aggregates), with their arguments drawn
// from what the graph holds, paged every way, under asOf, atRevision (of
// the revisions up to revs) and both.
type memoQueries struct {
	rng      *rand.Rand
	subjects []string // global IDs
	words    []string
}

// field returns one root field with its arguments and selection.
func (g *memoQueries) field() string {
	r := g.rng
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	some := func(xs []string) string {
		var out []string
		for _, x := range xs {
			if r.IntN(3) == 0 {
				out = append(out, x)
			}
		}
		return "[" + strings.Join(out, ", ") + "]"
	}
	paging := func(kind string) string {
		cursor := func() string { return fmt.Sprintf("%q", db.OffsetCursor(kind, r.IntN(12))) }
		switch r.IntN(6) {
		case 0:
			return ""
		case 1:
			return fmt.Sprintf(", first: %d, after: %s", r.IntN(8), cursor())
		case 2:
			return fmt.Sprintf(", last: %d", r.IntN(8))
		case 3:
			return fmt.Sprintf(", last: %d, before: %s", r.IntN(8), cursor())
		case 4:
			return fmt.Sprintf(", after: %s, before: %s", cursor(), cursor())
		}
		return fmt.Sprintf(", first: %d", r.IntN(30))
	}
	switch r.IntN(3) {
	case 0:
		q := pick(g.words)
		if r.IntN(2) == 0 {
			q += " " + pick(g.words)
		}
		args := fmt.Sprintf("query: %q", q)
		if r.IntN(2) == 0 {
			args += ", types: " + some([]string{"COMPANY", "PERSON", "PROJECT", "MEETING", "AGREEMENT", "SOURCE", "STATEMENT", "EVENT"})
		}
		return "search(" + args + paging("SEARCH") + ") " + searchSelection
	case 1:
		var args []string
		if r.IntN(5) > 0 {
			args = append(args, fmt.Sprintf("subject: %q", pick(g.subjects)))
		}
		dates := []string{"2010", "2018-03", "2020-Q2", "2022-11-15", "2023", "2023-06", "2024-H1", "2026"}
		if r.IntN(2) == 0 {
			args = append(args, fmt.Sprintf("from: %q", pick(dates)))
		}
		if r.IntN(2) == 0 {
			args = append(args, fmt.Sprintf("to: %q", pick(dates)))
		}
		if r.IntN(2) == 0 {
			args = append(args, "kinds: "+some([]string{"MEETING", "SIGNING", "MILESTONE", "MEASUREMENT", "POSITION", "PUBLICATION", "STATEMENT", "EVENT"}))
		}
		return "timeline(" + strings.Join(args, ", ") + strings.TrimPrefix(paging("TIMELINE"), ",") + ") " + timelineSelection
	}
	args := "groupBy: " + pick([]string{"COUNTERPARTY_COUNTRY", "COMPANY", "SECTOR", "YEAR"})
	if r.IntN(2) == 0 {
		args += fmt.Sprintf(", currency: %q", pick([]string{"USD", "kzt", "CNY", "EUR", "dollars"}))
	}
	if r.IntN(2) == 0 {
		args += ", undatedByReportYear: true"
	}
	if r.IntN(3) == 0 {
		args += ", basis: " + some([]string{"STATED", "INFERRED"})
	}
	return "aggregates " + fmt.Sprintf(aggregatesSelection, args)
}

// query returns a query of one or two root fields, each maybe under asOf,
// atRevision (of a revision up to revs) or both.
func (g *memoQueries) query(revs int) string {
	r := g.rng
	var fields []string
	for i := range 1 + r.IntN(2) {
		f := fmt.Sprintf("f%d: %s", i, g.field())
		asOf := fmt.Sprintf("asOf(date: %q)", []string{"2019", "2023-05", "2023-Q4", "2024-06-30", "2025"}[r.IntN(5)])
		atRev := fmt.Sprintf("atRevision(id: %q)", graph.GlobalID("Revision", fmt.Sprint(r.IntN(revs+1))))
		switch r.IntN(6) {
		case 0:
			f = asOf + " { " + f + " }"
		case 1:
			f = atRev + " { " + f + " }"
		case 2:
			f = atRev + " { " + asOf + " { " + f + " } }"
		}
		fields = append(fields, fmt.Sprintf("w%d: %s", i, f))
	}
	q := "{ " + strings.Join(fields, " ") + " }"
	// The wrappers' aliases are only needed under them.
	for i := range 2 {
		q = strings.ReplaceAll(q, fmt.Sprintf("w%d: f%d:", i, i), fmt.Sprintf("f%d:", i))
	}
	return q
}

// TestMemoMatchesStoreOverHTTP sends generated searches, timelines and
// aggregates (arguments, pages, asOf, atRevision) to a server without a
// read model, whose store runs every statement, and twice to one with it,
// whose store answers them from what it keeps per data version, and
// requires byte-identical answers apart from the statement counts; between
// rounds both servers take the same changesets and retractions, so that
// the kept answers of the earlier versions must give way.
func TestMemoMatchesStoreOverHTTP(t *testing.T) {
	store := quietServer(t, httpapi.Options{})
	model := quietServer(t, httpapi.Options{ReadModel: httpapi.DefaultReadModel})
	editors := []*graphtest.Server{store.Editor(t, "alice"), model.Editor(t, "alice")}
	g := &memoQueries{rng: rand.New(rand.NewPCG(14, 4)), words: []string{
		"oil", "CITIC", "bitu*", `"caspi bitum"`, "Beineu-Bozoi-Shymkent", "gas pipeline", "refinery", "KMG",
		"petro*", "China", "Kazakhstan", "memo*", "zzyzx", "a(b", "NOT"}}
	var ids struct {
		Companies, People, Projects struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	store.MustQuery(t, `{ companies(first: 100) { edges { node { id } } } people(first: 100) { edges { node { id } } }
		projects(first: 100) { edges { node { id } } } }`, nil, &ids)
	for _, c := range [][]struct{ Node struct{ ID string } }{ids.Companies.Edges, ids.People.Edges, ids.Projects.Edges} {
		for _, e := range c {
			g.subjects = append(g.subjects, e.Node.ID)
		}
	}
	g.subjects = append(g.subjects, graph.GlobalID("Company", "no-such-company"))

	gen := changegen.New(7, "memo")
	var fromStore, fromModel int
	failures := 0
	const rounds, perRound = 4, 150
	for round := range rounds {
		for i := range perRound {
			q := querygen.Query{Query: g.query(round)}
			want := post(store.Handler, q)
			fromStore += statementsOf(want.Body.Bytes())
			for pass := range 2 {
				got := post(model.Handler, q)
				if pass == 1 {
					fromModel += statementsOf(got.Body.Bytes())
				}
				if problem := compareAnswers(got, want); problem != "" {
					failures++
					t.Errorf("round %d, query %d, pass %d: %s\n\n%s", round, i, pass+1, problem, q.Query)
					if failures == 5 {
						t.Fatalf("stopping after %d failures", failures)
					}
				}
			}
		}
		if round == rounds-1 {
			break
		}
		// The same changeset and retraction on both: a new data version.
		c := graphtest.Changeset{Message: fmt.Sprint("generated ", round), YAML: gen.Next(40).YAML}
		var amounts struct {
			Aggregates struct {
				Money struct {
					Groups []struct{ Amounts []struct{ ID string } }
				}
			}
		}
		store.MustQuery(t, `{ aggregates { money(groupBy: COMPANY) { groups { amounts { id } } } } }`, nil, &amounts)
		fact := amounts.Aggregates.Money.Groups[0].Amounts[0].ID
		for _, e := range editors {
			e.ApplyChangeset(t, c)
			e.Retract(t, graphtest.Retraction{Fact: fact, Reason: "generated"})
		}
	}
	t.Logf("%d statements reading everything from the store, %d on the read model's second pass", fromStore, fromModel)
	if fromModel >= fromStore/2 {
		t.Errorf("%d statements on the second pass, want well under the store's %d: the memo was not used", fromModel, fromStore)
	}
	if fromStore == 0 {
		t.Fatal("the store ran no statement")
	}
}

// TestMemoQueriesParse checks that the generated queries are valid: a
// generator that made only refused queries would test nothing.
func TestMemoQueriesParse(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	g := &memoQueries{rng: rand.New(rand.NewPCG(1, 2)), subjects: []string{graph.GlobalID("Company", "citic-group")}, words: []string{"oil"}}
	ok := 0
	for range 100 {
		resp := post(srv.Handler, querygen.Query{Query: g.query(0)})
		var body struct {
			Data   json.RawMessage
			Errors []struct{ Message string }
		}
		if err := json.Unmarshal(resp.Body.Bytes(), &body); err != nil {
			t.Fatalf("response is not JSON: %s", resp.Body)
		}
		if len(body.Data) > 4 && len(body.Errors) == 0 {
			ok++
		}
	}
	if ok < 50 {
		t.Errorf("%d of 100 generated queries answered without errors, want most", ok)
	}
}

// TestMemoConcurrent sends generated searches, timelines and aggregates
// from several goroutines at once, each in its own order, to a server
// whose store keeps their answers per data version, and requires every
// answer to be the one of a server without it. Run under -race it also
// checks that nothing writes to the answers the requests share.
func TestMemoConcurrent(t *testing.T) {
	store := quietServer(t, httpapi.Options{})
	srv := quietServer(t, httpapi.Options{ReadModel: httpapi.DefaultReadModel})
	g := &memoQueries{rng: rand.New(rand.NewPCG(14, 5)), words: []string{"oil", "CITIC", "bitu*", "gas", "China", "petro*"},
		subjects: []string{graph.GlobalID("Company", "citic-group"), graph.GlobalID("Company", "kazmunaygas"), graph.GlobalID("Person", "askhat-khassenov")}}
	const n, workers = 120, 6
	queries := make([]querygen.Query, n)
	want := make([][]byte, n)
	for i := range queries {
		queries[i] = querygen.Query{Query: g.query(0)}
		want[i] = sortedErrors(post(store.Handler, queries[i]).Body.Bytes())
	}
	errs := make(chan string, workers)
	for w := range workers {
		go func() {
			for k := range n {
				i := (k*(2*w+1) + w) % n
				if got := sortedErrors(post(srv.Handler, queries[i]).Body.Bytes()); !bytes.Equal(got, want[i]) {
					errs <- fmt.Sprintf("query %d differs from the store's answer:\n%s\n\nmemo:  %s\nstore: %s",
						i, queries[i].Query, truncated(string(got)), truncated(string(want[i])))
					return
				}
			}
			errs <- ""
		}()
	}
	for range workers {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}
