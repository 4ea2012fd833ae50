package httpapi_test

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
)

// TestDeferRunsInline checks that fragments marked @defer are answered in
// the one response, as if unmarked, and that concurrent requests sharing
// the cached document get the same answer (run with -race, this also
// checks that no request changes a document another one reads).
func TestDeferRunsInline(t *testing.T) {
	srv := graphtest.New(t)
	const deferred = `{ company(slug: "citic-group") { name ... @defer { slug } ...More @defer(label: "more") } }
		fragment More on Company { name }`
	const plain = `{ company(slug: "citic-group") { name slug } }`
	var want, got map[string]any
	srv.MustQuery(t, plain, nil, &want)
	srv.MustQuery(t, deferred, nil, &got)
	if w, g := mustJSON(t, want), mustJSON(t, got); w != g {
		t.Fatalf("deferred query answered %s, want %s", g, w)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				var again map[string]any
				srv.MustQuery(t, deferred, nil, &again)
				if g := mustJSON(t, again); g != mustJSON(t, want) {
					t.Errorf("concurrent deferred query answered %s", g)
					return
				}
			}
		})
	}
	wg.Wait()
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
