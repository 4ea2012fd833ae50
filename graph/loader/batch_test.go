package loader

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

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

// loadAll loads keys from l concurrently, one goroutine each, and returns
// the values and errors in key order.
func loadAll(l *Loader[int, int], keys []int) ([]int, []error) {
	vals, errs := make([]int, len(keys)), make([]error, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Go(func() { vals[i], errs[i] = l.Load(context.Background(), k) })
	}
	wg.Wait()
	return vals, errs
}

func TestLoader(t *testing.T) {
	// A long wait: a batch is fetched only when the process has nothing else
	// to run, which makes the batches below deterministic.
	const wait = time.Minute

	t.Run("OKOneBatch", func(t *testing.T) {
		var r recorder
		l := one(nil, wait, new(Stats), r.fetch)
		keys := []int{1, 2, 3, 4, 5, 6, 7, 8}
		vals, errs := loadAll(&l, keys)
		for i, k := range keys {
			if errs[i] != nil || vals[i] != 2*k {
				t.Errorf("Load(%d) = %d, %v; want %d", k, vals[i], errs[i], 2*k)
			}
		}
		if got := len(r.calls); got != 1 {
			t.Fatalf("fetched %d times (%v), want once", got, r.calls)
		}
		if got := slices.Sorted(slices.Values(r.calls[0])); !slices.Equal(got, keys) {
			t.Errorf("fetched keys %v, want %v", got, keys)
		}
	})

	t.Run("OKCached", func(t *testing.T) {
		var r recorder
		l := one(nil, wait, new(Stats), r.fetch)
		loadAll(&l, []int{1, 2})
		if v, err := l.Load(context.Background(), 2); err != nil || v != 4 {
			t.Errorf("Load(2) again = %d, %v; want 4", v, err)
		}
		if got := len(r.calls); got != 1 {
			t.Errorf("fetched %d times, want once: a loaded key is cached", got)
		}
	})

	t.Run("OKThunks", func(t *testing.T) {
		var r recorder
		l := one(nil, wait, new(Stats), r.fetch)
		a, b := l.LoadThunk(context.Background(), 1), l.LoadThunk(context.Background(), 2)
		if va, err := a(); err != nil || va != 2 {
			t.Errorf("thunk 1 = %d, %v; want 2", va, err)
		}
		if vb, err := b(); err != nil || vb != 4 {
			t.Errorf("thunk 2 = %d, %v; want 4", vb, err)
		}
		if got := len(r.calls); got != 1 {
			t.Errorf("fetched %d times, want once for two queued thunks", got)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		var r recorder
		l := one(nil, wait, new(Stats), r.fetch)
		if _, err := l.Load(context.Background(), -1); !errors.Is(err, ErrNotFound) {
			t.Errorf("Load of a missing key: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("OKManyMissingIsEmpty", func(t *testing.T) {
		l := many(nil, wait, new(Stats), func(_ *db.Store, _ context.Context, keys []int) (map[int][]string, error) {
			return map[int][]string{1: {"a"}}, nil
		})
		if got, err := l.Load(context.Background(), 2); err != nil || got == nil || len(got) != 0 {
			t.Errorf("Load of a key with no entry = %#v, %v; want an empty, non-nil list", got, err)
		}
	})

	t.Run("ErrFetch", func(t *testing.T) {
		r := recorder{err: errors.New("disk on fire")}
		l := one(nil, wait, new(Stats), r.fetch)
		_, errs := loadAll(&l, []int{1, 2})
		for _, err := range errs {
			if !errors.Is(err, r.err) {
				t.Errorf("err = %v, want the fetch's error for every key", err)
			}
		}
	})

	t.Run("ErrCanceled", func(t *testing.T) {
		block := make(chan struct{})
		defer close(block)
		l := one(nil, wait, new(Stats), func(_ *db.Store, _ context.Context, keys []int) (map[int]int, error) {
			<-block
			return nil, nil
		})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := l.Load(ctx, 1); !errors.Is(err, context.Canceled) {
			t.Errorf("Load with a canceled context: err = %v, want context.Canceled", err)
		}
	})

	t.Run("OKLoadAllOneFetchNow", func(t *testing.T) {
		var r recorder
		l := one(nil, wait, new(Stats), r.fetch)
		if v, err := l.Load(context.Background(), 2); err != nil || v != 4 {
			t.Fatalf("Load(2) = %d, %v; want 4", v, err)
		}
		// A minute's wait would show if LoadAll waited for more keys.
		vals, found := l.LoadAll(context.Background(), []int{1, 2, 3, -1, 1})
		if want := []int{2, 4, 6, 0, 2}; !slices.Equal(vals, want) {
			t.Errorf("values = %v, want %v", vals, want)
		}
		if want := []bool{true, true, true, false, true}; !slices.Equal(found, want) {
			t.Errorf("found = %v, want %v", found, want)
		}
		if want := [][]int{{2}, {1, 3, -1}}; !slices.EqualFunc(r.calls, want, slices.Equal) {
			t.Errorf("fetches = %v, want %v: the cached key is not fetched again, the others in one batch", r.calls, want)
		}
		if v, err := l.Load(context.Background(), 3); err != nil || v != 6 || len(r.calls) != 2 {
			t.Errorf("Load(3) after LoadAll = %d, %v after %d fetches; want 6 from the cache", v, err, len(r.calls))
		}
		if _, err := l.Load(context.Background(), -1); !errors.Is(err, ErrNotFound) {
			t.Errorf("Load(-1) after LoadAll: err = %v, want ErrNotFound", err)
		}
		if p, g := l.stats.Prefetched.Load(), l.stats.Gathered.Load(); p != 1 || g != 1 {
			t.Errorf("stats: %d prefetched and %d gathered batches, want 1 and 1", p, g)
		}
	})

	t.Run("ErrLoadAllCached", func(t *testing.T) {
		r := recorder{err: errors.New("disk on fire")}
		l := one(nil, wait, new(Stats), r.fetch)
		if _, found := l.LoadAll(context.Background(), []int{1}); found[0] {
			t.Error("found a key whose fetch failed")
		}
		if _, err := l.Load(context.Background(), 1); !errors.Is(err, r.err) || len(r.calls) != 1 {
			t.Errorf("Load after a failed LoadAll: err = %v after %d fetches; want the cached error", err, len(r.calls))
		}
	})
}
