package loader

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestReadModel(t *testing.T) {
	t.Run("OKOneGenerationPerVersion", func(t *testing.T) {
		m := NewReadModel(100)
		g1 := m.generation(nil, 1)
		if g := m.generation(nil, 1); g != g1 {
			t.Error("a second request of version 1 got another generation")
		}
		g2 := m.generation(nil, 2)
		if g2 == g1 {
			t.Fatal("version 2 got version 1's generation")
		}
		if g := m.generation(nil, 1); g != nil {
			t.Error("a request of version 1 after version 2 got a generation; want its own loaders")
		}
		if g := m.generation(nil, 2); g != g2 {
			t.Error("version 2 lost its generation to a request of version 1")
		}
		if got, want := m.Generations(), int64(2); got != want {
			t.Errorf("Generations() = %d, want %d", got, want)
		}
		if g2.view(noAsOf) != g2.view(noAsOf) || g2.view(noAsOf) == g2.view("2020-12-31") {
			t.Error("want one set of loaders per as-of view")
		}
	})

	t.Run("OKFullGenerationStartsAgain", func(t *testing.T) {
		m := NewReadModel(3)
		g := m.generation(nil, 7)
		var r recorder
		l := one(env{stats: new(Stats), shared: g}, r.fetch)
		l.LoadAll(context.Background(), []int{1})
		if m.generation(nil, 7) != g {
			t.Fatal("a generation holding 2 values of 3 was replaced")
		}
		l.LoadAll(context.Background(), []int{2})
		if m.generation(nil, 7) == g {
			t.Error("a generation holding 4 values of 3 goes on; want a fresh one")
		}
	})

	t.Run("OKSharedLoaderKeepsValues", func(t *testing.T) {
		g := NewReadModel(100).generation(nil, 1)
		var r recorder
		l := one(env{stats: new(Stats), shared: g}, r.fetch)
		l.LoadAll(context.Background(), []int{1, 2})
		l.LoadAll(context.Background(), []int{2, 1})
		if want := [][]int{{1, 2}}; !slices.EqualFunc(r.calls, want, slices.Equal) {
			t.Errorf("fetches = %v, want %v", r.calls, want)
		}
		if got, want := g.size.Load(), int64(4); got != want {
			t.Errorf("size = %d, want %d: two values and two keys", got, want)
		}
	})

	t.Run("ErrFailedFetchForgotten", func(t *testing.T) {
		g := NewReadModel(100).generation(nil, 1)
		r := recorder{err: errors.New("boom")}
		l := one(env{stats: new(Stats), shared: g}, r.fetch)
		if _, found := l.LoadAll(context.Background(), []int{1}); found[0] {
			t.Error("found a key whose fetch failed")
		}
		r.err = nil
		if v, err := l.Load(context.Background(), 1); err != nil || v != 2 {
			t.Errorf("Load(1) after the failure = %d, %v; want 2: the failure must not stay cached", v, err)
		}
		if got := len(r.calls); got != 2 {
			t.Errorf("%d fetches, want 2", got)
		}
	})

	t.Run("OKOtherRequestsDeadline", func(t *testing.T) {
		// A waiter whose batch failed with the fetching request's
		// deadline fetches the key itself.
		g := NewReadModel(100).generation(nil, 1)
		var r recorder
		l := one(env{stats: new(Stats), shared: g}, r.fetch)
		b := &batch[int, int]{err: context.DeadlineExceeded, done: make(chan struct{})}
		close(b.done)
		if v, err := l.result(context.Background(), b, 3); err != nil || v != 6 {
			t.Errorf("result = %d, %v; want 6", v, err)
		}
	})
}
