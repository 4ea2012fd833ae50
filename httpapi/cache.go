package httpapi

import (
	"context"
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
)

// maxCachedQueryBytes is the longest query whose parsed document is cached.
const maxCachedQueryBytes = 64 << 10

// queryCacheBytes bounds the memory of the parsed-query cache, as weighed
// by documentWeight.
const queryCacheBytes = 16 << 20

// entryOverhead is what a cache entry costs besides its key and value: the
// map entry, the list element and the strings' headers.
const entryOverhead = 128

// astBytesPerToken is a little over what gqlparser's document holds per
// token of its query (positions, selections, arguments, values): 117 bytes
// measured for a 60 KB query of fragments of short field names.
const astBytesPerToken = 128

// countingCache is a least-recently-used cache bounded in entries and in
// bytes, which counts its hits and misses in the metrics and keeps only
// keys up to maxKey bytes long. weigh gives an entry's bytes; an entry over
// the whole budget is not kept. hashicorp/golang-lru (the LRU gqlgen's own
// cache uses) bounds entries only, so this one evicts the oldest entries
// itself until the bytes are under budget; the weight is exact for a
// string and an estimate for a parsed document.
type countingCache[T any] struct {
	name     string
	maxKey   int
	maxBytes int64
	weigh    func(key string, value T) int64
	metrics  *metrics

	mu    sync.Mutex
	lru   *simplelru.LRU[string, weighed[T]]
	bytes int64
}

type weighed[T any] struct {
	value  T
	weight int64
}

// newCountingCache returns a cache of at most size entries weighing at most
// maxBytes together.
func newCountingCache[T any](name string, size int, maxBytes int64, maxKey int, weigh func(string, T) int64, m *metrics) *countingCache[T] {
	c := &countingCache[T]{name: name, maxKey: maxKey, maxBytes: maxBytes, weigh: weigh, metrics: m}
	c.lru, _ = simplelru.NewLRU(max(size, 1), func(_ string, v weighed[T]) { c.bytes -= v.weight })
	return c
}

// Get looks a key up.
func (c *countingCache[T]) Get(ctx context.Context, key string) (T, bool) {
	v, ok := c.peek(ctx, key)
	c.metrics.cacheLookup(c.name, ok)
	return v, ok
}

// Add stores a value unless its key is too long or it weighs more than
// the whole budget, evicting the least recently used entries to make room.
func (c *countingCache[T]) Add(_ context.Context, key string, value T) {
	if len(key) > c.maxKey {
		return
	}
	w := entryOverhead + c.weigh(key, value)
	if w > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Remove(key) // a replaced value gives its bytes back
	c.lru.Add(key, weighed[T]{value, w})
	c.bytes += w
	for c.bytes > c.maxBytes {
		c.lru.RemoveOldest()
	}
}

// peek looks a key up without counting, for the request checks that run
// before the executor's own lookup.
func (c *countingCache[T]) peek(_ context.Context, key string) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.lru.Get(key)
	return v.value, ok
}

// size is the cache's entries and the bytes they weigh.
func (c *countingCache[T]) size() (entries int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len(), c.bytes
}

// stringWeight weighs a cached string and its key.
func stringWeight(key, value string) int64 { return int64(len(key) + len(value)) }

// documentWeight weighs a parsed document by its query's length and
// tokens, since what gqlparser builds grows with the tokens rather than the
// bytes: a 60 KB query of short names parses to 1.5 MB, one holding a
// long string to little more than the string.
func documentWeight(query string, _ *ast.QueryDocument) int64 {
	lex := lexer.New(&ast.Source{Input: query})
	tokens := int64(0)
	for {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			break
		}
		tokens++
	}
	return int64(len(query)) + tokens*astBytesPerToken
}
