package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
	"github.com/investgraph/investgraph/seed/changegen"
)

// graphRefs returns every object of the store that a walk may reach, with
// a few ids that name nothing.
func graphRefs(t *testing.T, path string) []db.NodeRef {
	t.Helper()
	var refs []db.NodeRef
	for typ, table := range map[string]string{"Company": "companies", "Person": "people", "Project": "projects",
		"Meeting": "meetings", "Agreement": "agreements", "Statement": "statements", "Event": "events"} {
		ids, err := columnOf(path, `SELECT id FROM `+table+` ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			refs = append(refs, db.NodeRef{Type: typ, ID: id})
		}
		refs = append(refs, db.NodeRef{Type: typ, ID: 100000})
	}
	return refs
}

func columnOf(path, query string) ([]int64, error) {
	conn, err := db.OpenSQL(path)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	rows, err := conn.Query(query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// walkAnswer writes what a store call returned, its error's code included.
func walkAnswer(v any, err error) string {
	if err != nil {
		return "error " + db.ErrorCode(err) + ": " + err.Error()
	}
	var b strings.Builder
	rel := func(r *db.Relationship) {
		note := "-"
		if r.InferenceNote != nil {
			note = *r.InferenceNote
		}
		fmt.Fprintf(&b, " %v-%s(%s,%s,%s)->%v", r.From, r.Type, r.Label, r.Basis, note, r.To)
	}
	switch v := v.(type) {
	case []*db.Relationship:
		for _, r := range v {
			rel(r)
		}
	case *db.Subgraph:
		fmt.Fprint(&b, v.Center, v.Nodes, " |")
		for _, r := range v.Relationships {
			rel(r)
		}
	case []*db.Path:
		for _, p := range v {
			fmt.Fprint(&b, p.Nodes, " |")
			for _, r := range p.Relationships {
				rel(r)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// checkWalksAgree runs n generated edge reads, neighborhoods and path
// searches twice: in a snapshot, where they use the data version's edge
// index, and without, where every level is read by a statement; the
// answers must be identical.
// When indexed (the index's bound far above the graph), a read repeated in
// a new snapshot of the same version must run no statement.
func checkWalksAgree(t *testing.T, s *db.Store, refs []db.NodeRef, rng *rand.Rand, n int, indexed bool) {
	t.Helper()
	cutoffs := []string{"", "", "2015", "2019-06", "2022", "2023-05-18", "2023-10-18", "2023-Q4", "2024-06-30", "2025"}
	basesOf := [][]db.Basis{nil, nil, {db.Stated}, {db.Inferred}, {db.Stated, db.Inferred}}
	pick := func() db.NodeRef { return refs[rng.IntN(len(refs))] }
	for i := range n {
		ctx := t.Context()
		c := cutoffs[rng.IntN(len(cutoffs))]
		if c != "" {
			d, err := db.ParsePartialDate(c)
			if err != nil {
				t.Fatal(err)
			}
			ctx = db.WithAsOf(ctx, d)
		}
		bases := basesOf[rng.IntN(len(basesOf))]
		var run func(ctx context.Context) string
		var label string
		switch rng.IntN(3) {
		case 0:
			frontier := make([]db.NodeRef, 1+rng.IntN(8))
			for j := range frontier {
				frontier[j] = pick()
			}
			label = fmt.Sprint("edges ", frontier)
			run = func(ctx context.Context) string { return walkAnswer(s.EdgesWith(ctx, frontier, bases)) }
		case 1:
			center, depth, limit := pick(), 1+rng.IntN(3), []int{3, 30, 200, 1000}[rng.IntN(4)]
			label = fmt.Sprint("neighborhood ", center, depth, limit)
			run = func(ctx context.Context) string {
				return walkAnswer(s.NeighborhoodWith(ctx, center, depth, limit, bases))
			}
		default:
			from, to, hops, first := pick(), pick(), 1+rng.IntN(6), 1+rng.IntN(20)
			label = fmt.Sprint("paths ", from, to, hops, first)
			run = func(ctx context.Context) string { return walkAnswer(s.PathsWith(ctx, from, to, hops, first, bases)) }
		}
		want := run(ctx)
		sctx, end := s.WithSnapshot(db.WithStatementCounter(ctx))
		if _, ok := s.ReadVersion(sctx); !ok {
			t.Fatal("the snapshot's data version is not known: the index is not used")
		}
		got := run(sctx)
		end()
		if got != want {
			t.Fatalf("%d: %s as of %q, bases %v:\nindex     %s\nstatement %s", i, label, c, bases, got, want)
		}
		sctx, end = s.WithSnapshot(db.WithStatementCounter(ctx))
		s.ReadVersion(sctx)
		again := run(sctx)
		ran := db.StatementCount(sctx)
		end()
		if again != want {
			t.Fatalf("%d: %s as of %q, bases %v, read again:\nindex     %s\nstatement %s", i, label, c, bases, again, want)
		}
		if indexed && ran > 0 {
			t.Fatalf("%d: %s as of %q ran %d statements when read again", i, label, c, ran)
		}
	}
}

// TestEdgeIndexMatchesStatements holds the walks over the in-memory edge
// index to the walks that read every level by a statement, over generated
// frontiers, centers, path ends, depths, cutoffs and bases, before and
// after a commit that drops links.
func TestEdgeIndexMatchesStatements(t *testing.T) {
	s, path := newStore(t)
	d := seedDataset(t)
	if err := s.Replace(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(14, 2))
	refs := graphRefs(t, path)
	checkWalksAgree(t, s, refs, rng, 1500, true)

	// A commit: the next version drops every other link and participation
	// ; the index must follow.
	d = seedDataset(t)
	var links []db.Link
	for i, l := range d.Links {
		if i%2 == 0 {
			links = append(links, l)
		}
	}
	d.Links = links
	d.Participants = d.Participants[:len(d.Participants)/2]
	if err := s.Replace(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	checkWalksAgree(t, s, graphRefs(t, path), rng, 800, true)

	// With the index bounded far below the graph's size, it starts again
	// on most reads, and still agrees.
	s.SetEdgeIndexMax(10)
	checkWalksAgree(t, s, refs, rng, 200, false)
}

// TestEdgeIndexLeavesViews reads walks under a view of the seed, before
// any changeset, inside a snapshot of the store after changesets: the view's
// walks must be its own, read by its statements, and the store's after
// them its own, though the snapshot knows its data version.
func TestEdgeIndexLeavesViews(t *testing.T) {
	s, path := newStore(t)
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	g := changegen.New(5, "walks")
	for range 3 {
		if _, _, err := seed.Apply(t.Context(), s, seed.Files(), seed.Changeset{YAML: g.Next(60).YAML, Message: "generated", Author: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := seed.DatasetAt(t.Context(), s, seed.Files(), 0)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.View(t.Context(), d, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	differ := 0
	for _, center := range graphRefs(t, path) {
		inView := walkAnswer(s.NeighborhoodWith(db.WithView(t.Context(), v), center, 2, 1000, nil))
		live := walkAnswer(s.NeighborhoodWith(t.Context(), center, 2, 1000, nil))
		if inView != live {
			differ++
		}
		sctx, end := s.WithSnapshot(t.Context())
		s.ReadVersion(sctx)
		gotView := walkAnswer(s.NeighborhoodWith(db.WithView(sctx, v), center, 2, 1000, nil))
		gotLive := walkAnswer(s.NeighborhoodWith(sctx, center, 2, 1000, nil))
		end()
		if gotView != inView {
			t.Fatalf("neighborhood of %v in the view, within a snapshot of the store:\ngot  %s\nwant %s", center, gotView, inView)
		}
		if gotLive != live {
			t.Fatalf("neighborhood of %v after reading it in the view:\ngot  %s\nwant %s", center, gotLive, live)
		}
	}
	if differ == 0 {
		t.Fatal("no neighborhood differs between the view and the store: the test shows nothing")
	}
}
