package graph_test

import (
	"encoding/json"
	"testing"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// TestIncludeAndSkipVariables sends one document with @include and @skip
// on variables, with every combination of their values (and one left
// out), to both executors: each must select exactly the fields its values
// say, whichever combination came first (the compiled executor keeps a
// plan per combination).
func TestIncludeAndSkipVariables(t *testing.T) {
	const query = `query($a: Boolean!, $b: Boolean!, $c: Boolean = true) {
		company(slug: "citic-group") { name @include(if: $a) slug @skip(if: $b) country @include(if: $c) } }`
	for _, executor := range []string{graph.ExecutorCompiled, graph.ExecutorGqlgen} {
		srv := graphtest.New(t, graphtest.WithOptions(httpapi.Options{Executor: executor}))
		for _, vars := range []map[string]any{
			{"a": true, "b": false}, {"a": false, "b": true}, {"a": true, "b": true}, {"a": false, "b": false},
			{"a": true, "b": false, "c": false}, {"a": true, "b": false, "c": true},
		} {
			var got struct{ Company map[string]any }
			srv.MustQuery(t, query, vars, &got)
			want := map[string]any{}
			if vars["a"] == true {
				want["name"] = "CITIC Group"
			}
			if vars["b"] == false {
				want["slug"] = "citic-group"
			}
			if c, ok := vars["c"]; !ok || c == true {
				want["country"] = "CN"
			}
			g, _ := json.Marshal(got.Company)
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Errorf("%s executor, %v: %s, want %s", executor, vars, g, w)
			}
		}
	}
}
