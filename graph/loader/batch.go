package loader

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"github.com/investgraph/investgraph/db"
)

// ErrNotFound is the error of a Load whose key the store did not return.
var ErrNotFound = errors.New("loader: not found")

// Loader batches and caches one request's lookups of one kind. The first
// Load of a batch starts it; the batch is fetched once nothing is left that
// could add a key to it: every goroutine that was ready to run has run, and
// either no other goroutine in the process is running or ready, or no key
// has come for the loader's wait (or gapFactor times the longest gap between
// its keys so far, if longer). A batch is never held longer than its wait
// plus maxWindow.
//
// A timer alone would not do: the fields of one level of a response reach
// their loaders within microseconds, but on an idle machine the Go runtime
// cannot sleep less than about a millisecond, so a timed window costs a
// millisecond per level of the query.
type Loader[K comparable, V any] struct {
	store   *db.Store
	stats   *Stats
	fetch   func(*db.Store, context.Context, []K) (map[K]V, error)
	missing func(K) (V, error) // the result of a key the fetch did not return
	wait    time.Duration

	mu    sync.Mutex
	batch *batch[K, V]       // the batch collecting keys, if any
	cache map[K]*batch[K, V] // the batch each key was fetched by
}

type batch[K comparable, V any] struct {
	keys  []K
	found map[K]V
	err   error
	done  chan struct{}
}

// quietRounds is how many times in a row a batch must see no new key, each
// time after yielding to every runnable goroutine, before it may be fetched.
const quietRounds = 3

// gapFactor is how many times the longest gap seen between two keys of a
// batch it waits for the next key, when that is longer than the loader's
// wait.
const gapFactor = 4

// maxWindow bounds a batch's life, beyond the loader's wait, when keys keep
// coming.
const maxWindow = 2 * time.Millisecond

// Load returns the value of key, fetching it with the other keys of its
// batch.
func (l *Loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	return l.result(ctx, l.enqueue(ctx, key), key)
}

// LoadThunk adds key to a batch and returns a function that waits for its
// value, so that one goroutine can queue several keys before waiting.
func (l *Loader[K, V]) LoadThunk(ctx context.Context, key K) func() (V, error) {
	b := l.enqueue(ctx, key)
	return func() (V, error) { return l.result(ctx, b, key) }
}

// LoadAll returns the values of keys, fetching every key not loaded yet in
// one batch, at once and on the calling goroutine: it does not wait for
// other keys. found[i] reports whether values[i] holds the value of keys[i];
// it is false for a key the store did not return (an empty list for a list
// loader is found) and for a key whose fetch failed. The results stay cached,
// errors included, so a later Load of any of the keys returns at once with
// what Load would have returned.
func (l *Loader[K, V]) LoadAll(ctx context.Context, keys []K) (values []V, found []bool) {
	batches := make([]*batch[K, V], len(keys))
	var b *batch[K, V]
	l.mu.Lock()
	for i, key := range keys {
		if c, ok := l.cache[key]; ok {
			batches[i] = c
			continue
		}
		if b == nil {
			b = &batch[K, V]{done: make(chan struct{})}
		}
		b.keys = append(b.keys, key)
		if l.cache == nil {
			l.cache = map[K]*batch[K, V]{}
		}
		l.cache[key] = b
		batches[i] = b
	}
	l.mu.Unlock()
	if b != nil {
		l.stats.Prefetched.Add(1)
		b.found, b.err = l.fetch(l.store, ctx, b.keys)
		close(b.done)
	}
	values, found = make([]V, len(keys)), make([]bool, len(keys))
	for i, key := range keys {
		v, err := l.result(ctx, batches[i], key)
		values[i], found[i] = v, err == nil
	}
	return values, found
}

// enqueue returns the batch that fetches key, adding key to the collecting
// batch (and starting one) unless an earlier batch has it.
func (l *Loader[K, V]) enqueue(ctx context.Context, key K) *batch[K, V] {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.cache[key]; ok {
		return b
	}
	if l.batch == nil {
		b := &batch[K, V]{done: make(chan struct{})}
		l.batch = b
		run(func() { l.dispatch(ctx, b) })
	}
	b := l.batch
	b.keys = append(b.keys, key)
	if l.cache == nil {
		l.cache = map[K]*batch[K, V]{}
	}
	l.cache[key] = b
	return b
}

// result waits for b and returns key's value from it.
func (l *Loader[K, V]) result(ctx context.Context, b *batch[K, V], key K) (V, error) {
	var zero V
	select {
	case <-b.done:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	if b.err != nil {
		return zero, b.err
	}
	if v, ok := b.found[key]; ok {
		return v, nil
	}
	return l.missing(key)
}

// dispatch waits until b stops growing, then fetches it.
func (l *Loader[K, V]) dispatch(ctx context.Context, b *batch[K, V]) {
	dispatching.Add(1)
	start := time.Now()
	deadline, grew, wait := start.Add(l.wait+maxWindow), start, l.wait
	for seen, quiet := -1, 0; ; {
		// Gosched puts this goroutine behind every runnable one, so the
		// siblings about to Load run first.
		runtime.Gosched()
		l.mu.Lock()
		n := len(b.keys)
		l.mu.Unlock()
		now := time.Now()
		if n != seen {
			if seen > 0 {
				// Keys that come slowly (siblings with much to do before
				// they load) are waited for longer.
				wait = max(wait, gapFactor*now.Sub(grew))
			}
			seen, quiet, grew = n, 0, now
			continue
		}
		quiet++
		if quiet >= quietRounds && (now.Sub(grew) >= wait || now.After(deadline) || quiet%quietRounds == 0 && alone()) {
			break
		}
	}
	dispatching.Add(-1)
	l.mu.Lock()
	l.batch = nil // later keys start a new batch
	l.mu.Unlock()
	l.stats.Gathered.Add(1)
	b.found, b.err = l.fetch(l.store, ctx, b.keys)
	close(b.done)
}

// schedSamples are the scheduler metrics alone reads.
var (
	schedMu      sync.Mutex
	schedSamples = []metrics.Sample{
		{Name: "/sched/goroutines/running:goroutines"},
		{Name: "/sched/goroutines/runnable:goroutines"},
		// In a system call, e.g. SQLite reading the file for another batch,
		// whose results will soon add keys.
		{Name: "/sched/goroutines/not-in-go:goroutines"},
	}
)

// dispatching counts the goroutines in dispatch's waiting loop. They are
// always running or ready to run, yet none of them can add a key.
var dispatching atomic.Int64

// alone reports whether the only goroutines in the process that are running,
// ready to run or in a system call are batches waiting to be fetched: then no
// key can be on its way to any of them.
func alone() bool {
	schedMu.Lock()
	defer schedMu.Unlock()
	metrics.Read(schedSamples)
	busy := schedSamples[0].Value.Uint64() + schedSamples[1].Value.Uint64() + schedSamples[2].Value.Uint64()
	return busy <= uint64(max(dispatching.Load(), 1))
}

// one makes a loader of single values; a key the store does not return is
// an error.
func one[K comparable, V any](s *db.Store, wait time.Duration, st *Stats, fetch func(*db.Store, context.Context, []K) (map[K]V, error)) Loader[K, V] {
	return Loader[K, V]{store: s, wait: wait, stats: st, fetch: fetch, missing: notFound[K, V]}
}

// many makes a loader of lists; a key with no entry gets an empty list.
func many[K comparable, V any](s *db.Store, wait time.Duration, st *Stats, fetch func(*db.Store, context.Context, []K) (map[K][]V, error)) Loader[K, []V] {
	return Loader[K, []V]{store: s, wait: wait, stats: st, fetch: fetch, missing: emptyList[K, V]}
}

func notFound[K comparable, V any](k K) (V, error) {
	var zero V
	return zero, fmt.Errorf("%v: %w", k, ErrNotFound)
}

func emptyList[K comparable, V any](K) ([]V, error) { return []V{}, nil }
