package httpapi

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
)

// maxCachedQueryBytes is the longest query whose parsed document is cached,
// so the cache's memory is bounded by its size times this.
const maxCachedQueryBytes = 64 << 10

// countingCache is an LRU cache that counts its hits and misses in the
// metrics and keeps only keys up to maxKey bytes long.
type countingCache[T any] struct {
	name    string
	maxKey  int
	cache   graphql.Cache[T]
	metrics *metrics
}

func newCountingCache[T any](name string, size, maxKey int, m *metrics) *countingCache[T] {
	return &countingCache[T]{name: name, maxKey: maxKey, cache: lru.New[T](size), metrics: m}
}

// Get looks a key up.
func (c *countingCache[T]) Get(ctx context.Context, key string) (T, bool) {
	v, ok := c.cache.Get(ctx, key)
	c.metrics.cacheLookup(c.name, ok)
	return v, ok
}

// Add stores a value unless its key is too long.
func (c *countingCache[T]) Add(ctx context.Context, key string, value T) {
	if len(key) <= c.maxKey {
		c.cache.Add(ctx, key, value)
	}
}

// peek looks a key up without counting, for the request checks that run
// before the executor's own lookup.
func (c *countingCache[T]) peek(ctx context.Context, key string) (T, bool) {
	return c.cache.Get(ctx, key)
}
