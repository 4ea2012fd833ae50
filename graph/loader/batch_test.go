package loader

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// recorder is a fetch that doubles its keys and records each call.
type recorder struct {
	mu    sync.Mutex
	calls [][]int
	err   error
}

func (r *recorder) fetch(_ *db.Store, _ context.Context, keys []int) (map[int]int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, slices.Clone(keys))
	out := map[int]int{}
	for _, k := range keys {
		if k >= 0 { // negative keys are "not in the store"
			out[k] = 2 * k
		}
	}
	return out, r.err
}

func TestLoader(t *testing.T) {
	ctx := context.Background()

	t.Run("OKLoadAllOneFetch", func(t *testing.T) {
		var r recorder
		l := one(env{stats: new(Stats)}, r.fetch)
		vals, found := l.LoadAll(ctx, []int{1, 2, 3, -1, 1})
		if want := []int{2, 4, 6, 0, 2}; !slices.Equal(vals, want) {
			t.Errorf("values = %v, want %v", vals, want)
		}
		if want := []bool{true, true, true, false, true}; !slices.Equal(found, want) {
			t.Errorf("found = %v, want %v", found, want)
		}
		if want := [][]int{{1, 2, 3, -1}}; !slices.EqualFunc(r.calls, want, slices.Equal) {
			t.Errorf("fetches = %v, want %v: one batch, each key once", r.calls, want)
		}
		if p, d := l.stats.Prefetched.Load(), l.stats.OnDemand.Load(); p != 1 || d != 0 {
			t.Errorf("stats: %d prefetched and %d on-demand batches, want 1 and 0", p, d)
		}
	})

	t.Run("OKLoadFromCache", func(t *testing.T) {
		var r recorder
		l := one(env{stats: new(Stats)}, r.fetch)
		l.LoadAll(ctx, []int{1, 2})
		if v, err := l.Load(ctx, 2); err != nil || v != 4 {
			t.Errorf("Load(2) = %d, %v; want 4", v, err)
		}
		if _, err := l.Load(ctx, 1); err != nil || len(r.calls) != 1 {
			t.Errorf("Load(1) = %v after %d fetches, want the cached value and 1 fetch", err, len(r.calls))
		}
		if d := l.stats.OnDemand.Load(); d != 0 {
			t.Errorf("%d on-demand batches, want 0: every key was prefetched", d)
		}
	})

	t.Run("OKLoadOnDemand", func(t *testing.T) {
		var r recorder
		l := one(env{stats: new(Stats)}, r.fetch)
		if v, err := l.Load(ctx, 5); err != nil || v != 10 {
			t.Fatalf("Load(5) = %d, %v; want 10", v, err)
		}
		if _, err := l.Load(ctx, 5); err != nil {
			t.Fatal(err)
		}
		if want := [][]int{{5}}; !slices.EqualFunc(r.calls, want, slices.Equal) {
			t.Errorf("fetches = %v, want %v", r.calls, want)
		}
		if d := l.stats.OnDemand.Load(); d != 1 {
			t.Errorf("%d on-demand batches, want 1", d)
		}
		// LoadAll fetches only the keys not cached.
		l.LoadAll(ctx, []int{5, 6})
		if want := [][]int{{5}, {6}}; !slices.EqualFunc(r.calls, want, slices.Equal) {
			t.Errorf("fetches = %v, want %v: the cached key is not fetched again", r.calls, want)
		}
	})

	t.Run("OKConcurrentLoadsFetchOnce", func(t *testing.T) {
		var r recorder
		l := one(env{stats: new(Stats)}, r.fetch)
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				if v, err := l.Load(ctx, 7); err != nil || v != 14 {
					t.Errorf("Load(7) = %d, %v; want 14", v, err)
				}
			})
		}
		wg.Wait()
		if len(r.calls) != 1 {
			t.Errorf("fetched %d times, want once: a key is claimed by one fetch", len(r.calls))
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		var r recorder
		l := one(env{stats: new(Stats)}, r.fetch)
		if _, err := l.Load(ctx, -1); !errors.Is(err, ErrNotFound) {
			t.Errorf("Load of a missing key: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("OKManyMissingIsEmpty", func(t *testing.T) {
		l := many(env{stats: new(Stats)}, func(_ *db.Store, _ context.Context, keys []int) (map[int][]string, error) {
			return map[int][]string{1: {"a"}}, nil
		})
		if got, err := l.Load(ctx, 2); err != nil || got == nil || len(got) != 0 {
			t.Errorf("Load of a key with no entry = %#v, %v; want an empty, non-nil list", got, err)
		}
		if _, found := l.LoadAll(ctx, []int{3}); !found[0] {
			t.Error("LoadAll: a list key with no entry is not found, want found (an empty list)")
		}
	})

	t.Run("ErrFetchCached", func(t *testing.T) {
		r := recorder{err: errors.New("disk on fire")}
		l := one(env{stats: new(Stats)}, r.fetch)
		if _, found := l.LoadAll(ctx, []int{1}); found[0] {
			t.Error("found a key whose fetch failed")
		}
		if _, err := l.Load(ctx, 1); !errors.Is(err, r.err) || len(r.calls) != 1 {
			t.Errorf("Load after a failed LoadAll: err = %v after %d fetches; want the cached error", err, len(r.calls))
		}
	})

	t.Run("ErrCanceledWaiting", func(t *testing.T) {
		block, started := make(chan struct{}), make(chan struct{})
		l := one(env{stats: new(Stats)}, func(_ *db.Store, _ context.Context, keys []int) (map[int]int, error) {
			close(started)
			<-block
			return nil, nil
		})
		go l.Load(ctx, 1)
		<-started
		waiting, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := l.Load(waiting, 1); !errors.Is(err, context.Canceled) {
			t.Errorf("Load waiting on another's fetch with a canceled context: err = %v, want context.Canceled", err)
		}
		close(block)
	})
}

// TestLoadOptional checks that a reference the store does not return, such
// as a parent not reported yet as of the request's date, resolves to
// nothing rather than to an error, while other errors still surface.
func TestLoadOptional(t *testing.T) {
	ctx := context.Background()
	t.Run("OKMissingIsZero", func(t *testing.T) {
		var r recorder
		l := one(env{stats: new(Stats)}, r.fetch)
		if v, err := l.LoadOptional(ctx, -1); v != 0 || err != nil {
			t.Errorf("LoadOptional(-1) = %v, %v; want 0, nil", v, err)
		}
		if v, err := l.LoadOptional(ctx, 4); v != 8 || err != nil {
			t.Errorf("LoadOptional(4) = %v, %v; want 8, nil", v, err)
		}
		if _, err := l.Load(ctx, -1); !errors.Is(err, ErrNotFound) {
			t.Errorf("Load(-1) error %v, want ErrNotFound", err)
		}
	})
	t.Run("ErrFetch", func(t *testing.T) {
		r := recorder{err: errors.New("disk on fire")}
		l := one(env{stats: new(Stats)}, r.fetch)
		if _, err := l.LoadOptional(ctx, 1); !errors.Is(err, r.err) {
			t.Errorf("LoadOptional error %v, want the fetch's", err)
		}
	})
}
