package db_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
	"github.com/investgraph/investgraph/seed/changegen"
)

// memoRead is one generated read of the memo's kinds: its description and
// the call.
type memoRead struct {
	label string
	run   func(ctx context.Context) string
}

// memoAnswer writes what a store call returned, its error's code and
// message included, as JSON, which follows the results' pointers.
func memoAnswer(v any, total int, err error) string {
	if err != nil {
		return "error " + db.ErrorCode(err) + ": " + err.Error()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "unmarshallable: " + err.Error()
	}
	return fmt.Sprintf("%d %s", total, b)
}

// searchWords returns the words of the names and titles of the store's
// objects at path, from which searches are generated.
func searchWords(t *testing.T, path string) []string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT name FROM companies UNION ALL SELECT name FROM projects UNION ALL SELECT name FROM people
		UNION ALL SELECT title FROM agreements UNION ALL SELECT title FROM sources`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var words []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		words = append(words, strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == ',' || r == '(' || r == ')' })...)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return append(words, "zzyzx", "oil", "gas", "caspi", "AND", "a(b", "*")
}

// generateSearch returns a search query of one to three terms: words of
// the graph, prefixes, phrases of two words and, now and then, a word that
// matches nothing or syntax the search refuses.
func generateSearch(rng *rand.Rand, words []string) string {
	pick := func() string { return words[rng.IntN(len(words))] }
	var terms []string
	for range 1 + rng.IntN(3) {
		w := pick()
		switch rng.IntN(5) {
		case 0:
			if r := []rune(w); len(r) > 3 {
				w = string(r[:1+rng.IntN(3)]) + "*"
			}
		case 1:
			w = `"` + w + " " + pick() + `"`
		}
		terms = append(terms, w)
	}
	return strings.Join(terms, " ")
}

// generateMemoReads returns n generated searches, timelines, counts and
// money summaries over the graph's objects refs and words, each under one
// of a few as-of cutoffs or none.
func generateMemoReads(t *testing.T, s *db.Store, refs []db.NodeRef, words []string, rng *rand.Rand, n int) []memoRead {
	t.Helper()
	cutoffs := []string{"", "", "", "2015", "2019-06", "2022", "2023-05-18", "2023-Q4", "2024-06-30", "2025"}
	dates := []string{"2005", "2012-03", "2018", "2020-Q2", "2022-11-15", "2023", "2023-06", "2024-H1", "2030"}
	date := func() *db.PartialDate {
		if rng.IntN(2) == 0 {
			return nil
		}
		d, err := db.ParsePartialDate(dates[rng.IntN(len(dates))])
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	page := func() (offset, limit int) {
		offset = []int{0, 0, 0, 1, 3, 10, 50}[rng.IntN(7)]
		limit = []int{0, 1, 2, 5, 10, 10, 20, 100, -1}[rng.IntN(9)]
		return offset, limit
	}
	some := func(all int) []int { // indexes of a random subset, often empty
		var out []int
		for i := range all {
			if rng.IntN(3) == 0 {
				out = append(out, i)
			}
		}
		return out
	}
	reads := make([]memoRead, n)
	for i := range reads {
		c := cutoffs[rng.IntN(len(cutoffs))]
		with := func(ctx context.Context) context.Context { return ctx }
		if c != "" {
			d, err := db.ParsePartialDate(c)
			if err != nil {
				t.Fatal(err)
			}
			with = func(ctx context.Context) context.Context { return db.WithAsOf(ctx, d) }
		}
		var r memoRead
		switch rng.IntN(7) {
		case 0, 1, 2:
			q := generateSearch(rng, words)
			offset, limit := page()
			var kinds []string
			for _, k := range some(len(db.SearchKinds)) {
				kinds = append(kinds, db.SearchKinds[k])
			}
			r = memoRead{fmt.Sprintf("search %q %v %d %d", q, kinds, offset, limit), func(ctx context.Context) string {
				hits, total, err := s.Search(ctx, q, kinds, offset, limit)
				return memoAnswer(hits, total, err)
			}}
		case 3, 4:
			f := db.TimelineFilter{From: date(), To: date()}
			if rng.IntN(6) > 0 {
				ref := refs[rng.IntN(len(refs))]
				f.Subject = &ref
			}
			for _, k := range some(len(db.TimelineKinds)) {
				f.Kinds = append(f.Kinds, db.TimelineKinds[k])
			}
			offset, limit := page()
			r = memoRead{fmt.Sprintf("timeline %v %v-%v %v %d %d", f.Subject, f.From, f.To, f.Kinds, offset, limit), func(ctx context.Context) string {
				events, total, err := s.Timeline(ctx, f, offset, limit)
				return memoAnswer(events, total, err)
			}}
		case 5:
			r = memoRead{"count", func(ctx context.Context) string {
				counts, err := s.Count(ctx)
				return memoAnswer(counts, 0, err)
			}}
		default:
			g := []db.MoneyGrouping{db.ByCounterpartyCountry, db.ByCompany, db.BySector, db.ByYear}[rng.IntN(4)]
			currency := []string{"USD", "USD", "KZT", "CNY", "usd", "dollars"}[rng.IntN(6)]
			opts := db.MoneyOptions{UndatedByReportYear: rng.IntN(2) == 0, Bases: [][]db.Basis{nil, nil, {db.Stated}, {db.Inferred}}[rng.IntN(4)]}
			r = memoRead{fmt.Sprintf("money %s %s %+v", g, currency, opts), func(ctx context.Context) string {
				sum, err := s.MoneySummaryWith(ctx, g, currency, opts)
				return memoAnswer(sum, 0, err)
			}}
		}
		run := r.run
		r.label += fmt.Sprintf(" as of %q", c)
		r.run = func(ctx context.Context) string { return run(with(ctx)) }
		reads[i] = r
	}
	return reads
}

// checkMemoAgrees runs each read without a snapshot, where every read runs
// its statements, and requires the same answer in a snapshot that knows
// its data version (the memo's), again in a second one of the same
// version, which must then run no statement when kept is set (the memo's
// bound far above the graph), and in a snapshot that began without
// knowing its version, which must not use the memo.
func checkMemoAgrees(t *testing.T, s *db.Store, reads []memoRead, kept bool) {
	t.Helper()
	for i, r := range reads {
		ctx := t.Context()
		want := r.run(ctx)
		for pass := range 2 {
			sctx, end := s.WithSnapshot(db.WithStatementCounter(ctx))
			if _, ok := s.ReadVersion(sctx); !ok {
				t.Fatal("the snapshot's data version is not known: the memo is not used")
			}
			got := r.run(sctx)
			ran := db.StatementCount(sctx)
			end()
			if got != want {
				t.Fatalf("%d: %s, pass %d:\nmemo       %s\nstatements %s", i, r.label, pass+1, got, want)
			}
			if pass == 1 && kept && ran > 0 {
				t.Fatalf("%d: %s ran %d statements when read again", i, r.label, ran)
			}
		}
		// A snapshot begun by a statement, before anything asked for its
		// version, reads by statements only.
		sctx, end := s.WithSnapshot(db.WithStatementCounter(ctx))
		if _, err := s.LatestRevisionID(sctx); err != nil {
			t.Fatal(err)
		}
		before := db.StatementCount(sctx)
		got := r.run(sctx)
		ran := db.StatementCount(sctx) - before
		end()
		if got != want {
			t.Fatalf("%d: %s, snapshot of unknown version:\ngot        %s\nstatements %s", i, r.label, got, want)
		}
		if ran == 0 && !strings.HasPrefix(want, "error") {
			t.Fatalf("%d: %s ran no statement in a snapshot of unknown version: the memo served it", i, r.label)
		}
	}
}

// TestMemoMatchesStatements holds the searches, timelines, counts and money
// summaries the per-version memo serves to the same reads by their
// statements, over generated queries, subjects, kinds, date ranges, pages,
// groupings, currencies, bases and as-of cutoffs: over the seed, after
// changesets and retractions (each a new data version), under views of
// earlier revisions, with a bound so small that the memo starts again on
// most reads, and with lists too long to keep.
func TestMemoMatchesStatements(t *testing.T) {
	// The generated reads take their subjects and words from the file
	// (columnOf); the memo sits above the SQL, the same on both engines.
	s, path := newSQLiteStore(t)
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(14, 3))
	refs := func() []db.NodeRef {
		refs := graphRefs(t, path)
		ids, err := columnOf(path, `SELECT id FROM sources ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			refs = append(refs, db.NodeRef{Type: "Source", ID: id})
		}
		return refs
	}
	checkMemoAgrees(t, s, generateMemoReads(t, s, refs(), searchWords(t, path), rng, 1500), true)

	// Changesets and retractions: each commit is a new data version, and
	// the memo must follow.
	g := changegen.New(3, "memo")
	for step := range 4 {
		c := g.Next(20 + rng.IntN(80))
		if _, _, err := seed.Apply(t.Context(), s, seed.Files(), seed.Changeset{YAML: c.YAML, Message: "generated", Author: "test"}); err != nil {
			t.Fatalf("apply changeset %d: %v", step, err)
		}
		facts := factRefs(t, path)
		f := facts[rng.IntN(len(facts))]
		if _, _, err := seed.Retract(t.Context(), s, seed.Files(), seed.Retraction{Fact: f, Reason: "generated", Author: "test"}); err != nil {
			t.Fatalf("retract %v: %v", f, err)
		}
		checkMemoAgrees(t, s, generateMemoReads(t, s, refs(), searchWords(t, path), rng, 300), true)
	}

	// A view of an earlier revision: under it, reads go to the view,
	// whatever snapshot of the store the context carries, and the memo
	// neither serves them nor keeps what they return.
	latest, err := s.LatestRevisionID(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, upTo := range []int64{0, latest / 2} {
		d, err := seed.DatasetAt(t.Context(), s, seed.Files(), upTo)
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.View(t.Context(), d, upTo)
		if err != nil {
			t.Fatal(err)
		}
		reads := generateMemoReads(t, s, refs(), searchWords(t, path), rng, 300)
		for i, r := range reads {
			want := r.run(db.WithView(t.Context(), v))
			sctx, end := s.WithSnapshot(t.Context())
			s.ReadVersion(sctx)
			got := r.run(db.WithView(sctx, v))
			live := r.run(sctx)
			end()
			if got != want {
				t.Fatalf("%d: %s under the view of revision %d:\nmemo       %s\nstatements %s", i, r.label, upTo, got, want)
			}
			if wantLive := r.run(t.Context()); live != wantLive {
				t.Fatalf("%d: %s after reading the view of revision %d:\nmemo       %s\nstatements %s", i, r.label, upTo, live, wantLive)
			}
		}
		v.Close()
	}

	// Bounded far below what the reads return, the memo starts again on
	// most reads; lists longer than a few rows are read by statements.
	s.SetMemoMax(5)
	checkMemoAgrees(t, s, generateMemoReads(t, s, refs(), searchWords(t, path), rng, 300), false)
	s.SetMemoMax(0)
	db.SetMemoList(s, 3)
	checkMemoAgrees(t, s, generateMemoReads(t, s, refs(), searchWords(t, path), rng, 300), false)
}
