package graph

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// TestRevisionViews_KeepsTheRecent builds each view once however many ask
// for it at once, and keeps the maxRevisionViews asked for last.
func TestRevisionViews_KeepsTheRecent(t *testing.T) {
	var v revisionViews
	var builds atomic.Int64
	build := func(context.Context) (*db.Store, error) {
		builds.Add(1)
		return &db.Store{}, nil
	}
	var wg sync.WaitGroup
	stores := make([]*db.Store, 8)
	for i := range stores {
		wg.Go(func() {
			s, err := v.get(t.Context(), 1, build)
			if err != nil {
				t.Error(err)
			}
			stores[i] = s
		})
	}
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds of one view asked for 8 times at once, want 1", n)
	}
	for _, s := range stores[1:] {
		if s != stores[0] {
			t.Fatal("the requests got different views of one revision")
		}
	}
	for id := int64(2); id <= maxRevisionViews+1; id++ {
		if _, err := v.get(t.Context(), id, build); err != nil {
			t.Fatal(err)
		}
	}
	if v.lookup(1) != nil {
		t.Errorf("revision 1, asked for least recently, is still kept among %d", maxRevisionViews)
	}
	for id := int64(2); id <= maxRevisionViews+1; id++ {
		if v.lookup(id) == nil {
			t.Errorf("revision %d is not kept", id)
		}
	}
	builds.Store(0)
	if _, err := v.get(t.Context(), 1, build); err != nil || builds.Load() != 1 {
		t.Errorf("revision 1 again: %v, %d builds; want it built again", err, builds.Load())
	}
}

// revisionsStore returns a store holding the built-in seed and n small
// changesets applied over it.
func revisionsStore(tb testing.TB, n int) *db.Store {
	tb.Helper()
	s, err := db.Open(context.Background(), filepath.Join(tb.TempDir(), "x.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := seed.Load(context.Background(), s); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		yaml := fmt.Sprintf("source:\n  slug: \"example-%d\"\n  title: \"Example %d\"\n  publishedOn: \"2026-12-01\"\n  paragraphs: 1\n"+
			"companies:\n  - slug: kazakhstan\n    cite: [1]\n", i, i)
		if _, _, err := seed.Apply(context.Background(), s, seed.Files(), seed.Changeset{YAML: yaml, Message: "m", Author: "alice"}); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// BenchmarkBuildRevisionView builds the graph after the last of ten
// revisions over the built-in seed: the replay (seed.DatasetAt) and the
// in-memory store (db.Store.View), what the first atRevision of a
// revision waits for.
func BenchmarkBuildRevisionView(b *testing.B) {
	s := revisionsStore(b, 10)
	r := &Resolver{Store: s}
	b.ResetTimer()
	for b.Loop() {
		v, err := r.buildView(context.Background(), 10)
		if err != nil {
			b.Fatal(err)
		}
		v.Close()
	}
}
