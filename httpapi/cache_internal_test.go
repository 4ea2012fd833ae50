package httpapi

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestAPQCacheBoundedInBytes(t *testing.T) {
	ctx := context.Background()
	const budget = 4 << 20
	c := newCountingCache("apq", DefaultAPQCacheSize, budget, len(queryHash("")), stringWeight, newMetrics())
	pad := strings.Repeat("x", maxAPQBytes-32)
	var last string
	for i := range 1000 {
		q := fmt.Sprintf("query Q%d { __typename } #%s", i, pad)
		last = queryHash(q)
		c.Add(ctx, last, q)
		if _, bytes := c.size(); bytes > budget {
			t.Fatalf("after %d registrations of 64 KiB the cache holds %d bytes, over its budget of %d", i+1, bytes, budget)
		}
	}
	entries, bytes := c.size()
	if want := budget / (maxAPQBytes + 64 + entryOverhead); entries != want {
		t.Errorf("%d entries kept, want the %d that fit in the budget", entries, want)
	}
	if bytes < budget-(maxAPQBytes+64+entryOverhead) {
		t.Errorf("%d bytes kept of a budget of %d: eviction went too far", bytes, budget)
	}
	if _, ok := c.peek(ctx, last); !ok {
		t.Error("the last registration was evicted")
	}
	first := queryHash(fmt.Sprintf("query Q%d { __typename } #%s", 0, pad))
	if _, ok := c.peek(ctx, first); ok {
		t.Error("the first registration is still kept")
	}
}

func TestCacheReplacingGivesBytesBack(t *testing.T) {
	ctx := context.Background()
	c := newCountingCache("apq", 10, 1<<20, 64, stringWeight, newMetrics())
	c.Add(ctx, "k", strings.Repeat("x", 1000))
	c.Add(ctx, "k", "short")
	if entries, bytes := c.size(); entries != 1 || bytes != entryOverhead+1+5 {
		t.Errorf("after replacing: %d entries of %d bytes, want 1 of %d", entries, bytes, entryOverhead+1+5)
	}
	c.Add(ctx, "big", strings.Repeat("x", 2<<20))
	if _, ok := c.peek(ctx, "big"); ok {
		t.Error("a value over the whole budget was kept")
	}
	if _, ok := c.peek(ctx, "k"); !ok {
		t.Error("a value over the whole budget evicted the others")
	}
}

func TestDocumentWeightFollowsTokens(t *testing.T) {
	long := `{ company(slug: "` + strings.Repeat("x", 10_000) + `") { name } }`
	dense := "{" + strings.Repeat(" __typename", 1000) + " }"
	if got := documentWeight(long, nil); got < int64(len(long)) || got > int64(len(long))+20*astBytesPerToken {
		t.Errorf("a query holding one long string weighs %d, want about its %d bytes", got, len(long))
	}
	if got, want := documentWeight(dense, nil), int64(len(dense)+1002*astBytesPerToken); got != want {
		t.Errorf("a query of 1,002 tokens weighs %d, want %d", got, want)
	}
}
