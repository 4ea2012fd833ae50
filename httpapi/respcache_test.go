package httpapi_test

import (
	"context"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/seed"
)

func TestResponseCache(t *testing.T) {
	srv := graphtest.New(t, graphtest.WithOptions(httpapi.Options{ResponseCache: 100}))
	const q = `{ company(name: "CITIC") { name projects { project { name } } } }`
	first := srv.MustQuery(t, q, nil, nil)
	before := srv.Store.Statements()
	second := srv.MustQuery(t, q, nil, nil)
	if got := srv.Store.Statements() - before; got != 0 {
		t.Errorf("a repeated query ran %d statements, want 0 (served from the cache)", got)
	}
	if string(first.Data) != string(second.Data) {
		t.Errorf("cached data differs: %s vs %s", first.Data, second.Data)
	}

	// Replacing the data drops every cached response.
	if err := seed.Load(context.Background(), srv.Store); err != nil {
		t.Fatal(err)
	}
	before = srv.Store.Statements()
	srv.MustQuery(t, q, nil, nil)
	if srv.Store.Statements() == before {
		t.Error("after a reseed the query was answered from the cache")
	}

	t.Run("OffByDefault", func(t *testing.T) {
		plain := graphtest.New(t)
		plain.MustQuery(t, q, nil, nil)
		before := plain.Store.Statements()
		plain.MustQuery(t, q, nil, nil)
		if plain.Store.Statements() == before {
			t.Error("without ResponseCache a repeated query ran no SQL")
		}
	})
}
