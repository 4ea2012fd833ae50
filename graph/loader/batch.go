package loader

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/investgraph/investgraph/db"
)

// ErrNotFound is the error of a Load whose key the store did not return.
var ErrNotFound = errors.New("loader: not found")

// Loader caches one request's lookups of one kind. LoadAll, which the
// prefetch walk calls with every key of a query level, fetches all the keys
// not cached yet in one statement; the resolvers beneath then Load from the
// cache. A Load of a key nobody prefetched fetches that key alone, at once:
// it is correct, only not batched, and Stats counts it so tests can name a
// field the prefetch plan does not cover.
//
// There is no batching window. gqlgen resolves the fields of a level on
// many goroutines with nothing to say when a level is complete, so a loader
// that gathers keys must guess; the prefetch walk knows the level from the
// query and needs no guess.
type Loader[K comparable, V any] struct {
	store   *db.Store
	stats   *Stats
	fetch   func(*db.Store, context.Context, []K) (map[K]V, error)
	missing func(K) (V, error)  // the result of a key the fetch did not return
	size    func(map[K]V) int64 // how many values a fetch returned
	// shared is the read model's generation the loader belongs to, when
	// it serves every request of one data version (see ReadModel); nil
	// for a request's own loader.
	shared *generation

	mu    sync.Mutex
	cache map[K]*batch[K, V] // the batch each key was fetched by
}

type batch[K comparable, V any] struct {
	found map[K]V
	err   error
	done  chan struct{}
}

// Load returns the value of key, from the cache or else fetched alone.
func (l *Loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	batches, fresh, keys := l.claim([]K{key})
	if fresh != nil {
		statsOf(ctx, l.stats).OnDemand.Add(1)
		l.run(ctx, fresh, keys)
	}
	return l.result(ctx, batches[0], key)
}

// LoadOptional is Load for a reference that may lead nowhere: a key the
// store did not return, such as a company's parent not yet reported as of
// the request's date, gives the zero value and no error.
func (l *Loader[K, V]) LoadOptional(ctx context.Context, key K) (V, error) {
	v, err := l.Load(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return v, nil
	}
	return v, err
}

// LoadAll returns the values of keys, fetching every key not cached yet in
// one batch, at once and on the calling goroutine. found[i] reports whether
// values[i] holds the value of keys[i]; it is false for a key the store did
// not return (an empty list for a list loader is found) and for a key whose
// fetch failed. The results stay cached, errors included, so a later Load of
// any of the keys returns at once with what Load would have returned.
func (l *Loader[K, V]) LoadAll(ctx context.Context, keys []K) (values []V, found []bool) {
	batches, fresh, missing := l.claim(keys)
	if fresh != nil {
		statsOf(ctx, l.stats).Prefetched.Add(1)
		l.run(ctx, fresh, missing)
	}
	values, found = make([]V, len(keys)), make([]bool, len(keys))
	for i, key := range keys {
		v, err := l.result(ctx, batches[i], key)
		values[i], found[i] = v, err == nil
	}
	return values, found
}

// claim returns the batch of each key and, when some keys are not cached,
// a fresh batch holding them, which the caller must run. Claiming under the
// lock means two goroutines never fetch the same key.
func (l *Loader[K, V]) claim(keys []K) (batches []*batch[K, V], fresh *batch[K, V], missing []K) {
	batches = make([]*batch[K, V], len(keys))
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cache == nil {
		l.cache = map[K]*batch[K, V]{}
	}
	for i, key := range keys {
		if c, ok := l.cache[key]; ok {
			batches[i] = c
			continue
		}
		if fresh == nil {
			fresh = &batch[K, V]{done: make(chan struct{})}
		}
		missing = append(missing, key)
		l.cache[key] = fresh
		batches[i] = fresh
	}
	return batches, fresh, missing
}

// run fetches keys into b and wakes everyone waiting for it. A shared
// loader keeps only what was found: a failed fetch, which may be the
// fetching request's own deadline, is forgotten, so that the next request
// to want its keys fetches them again.
func (l *Loader[K, V]) run(ctx context.Context, b *batch[K, V], keys []K) {
	b.found, b.err = l.fetch(l.store, ctx, keys)
	if l.shared != nil {
		if b.err != nil {
			l.forget(b, keys)
		} else {
			l.shared.grew(l.size(b.found) + int64(len(keys)))
		}
	}
	close(b.done)
}

// forget drops the keys b was claimed for from the cache.
func (l *Loader[K, V]) forget(b *batch[K, V], keys []K) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if l.cache[k] == b {
			delete(l.cache, k)
		}
	}
}

// result waits for b and returns key's value from it.
func (l *Loader[K, V]) result(ctx context.Context, b *batch[K, V], key K) (V, error) {
	var zero V
	select {
	case <-b.done:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	if b.err != nil && l.shared != nil && ctx.Err() == nil && isContextError(b.err) {
		// The request that fetched the key ran out of time or went
		// away, this one did not: fetch the key for this one.
		found, err := l.fetch(l.store, ctx, []K{key})
		b = &batch[K, V]{found: found, err: err}
	}
	if b.err != nil {
		return zero, b.err
	}
	if v, ok := b.found[key]; ok {
		return v, nil
	}
	return l.missing(key)
}

// one makes a loader of single values; a key the store does not return is
// an error.
func one[K comparable, V any](e env, fetch func(*db.Store, context.Context, []K) (map[K]V, error)) Loader[K, V] {
	return Loader[K, V]{store: e.store, stats: e.stats, shared: e.shared, fetch: fetch, missing: notFound[K, V], size: count[K, V]}
}

// many makes a loader of lists; a key with no entry gets an empty list.
func many[K comparable, V any](e env, fetch func(*db.Store, context.Context, []K) (map[K][]V, error)) Loader[K, []V] {
	return Loader[K, []V]{store: e.store, stats: e.stats, shared: e.shared, fetch: fetch, missing: emptyList[K, V], size: countLists[K, V]}
}

func count[K comparable, V any](m map[K]V) int64 { return int64(len(m)) }

func countLists[K comparable, V any](m map[K][]V) int64 {
	var n int64
	for _, list := range m {
		n += int64(len(list))
	}
	return n
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func notFound[K comparable, V any](k K) (V, error) {
	var zero V
	return zero, fmt.Errorf("%v: %w", k, ErrNotFound)
}

func emptyList[K comparable, V any](K) ([]V, error) { return []V{}, nil }
