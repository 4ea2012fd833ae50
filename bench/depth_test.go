package bench_test

import (
	"testing"

	"github.com/investgraph/investgraph/bench"
	"github.com/investgraph/investgraph/graph"
)

func TestDepth(t *testing.T) {
	for _, tt := range []struct {
		query string
		want  int
	}{
		{`{ a }`, 0},
		{`{ a { b { c } } }`, 2},
		{`{ a { b } x { y { z { w } } } }`, 3},
		{`{ a { ... on T { b { c } } } }`, 2},
		{`query { a { ...F } } fragment F on T { b { c { d } } }`, 3},
	} {
		if got, err := bench.Depth(tt.query); err != nil || got != tt.want {
			t.Errorf("Depth(%s) = %d, %v; want %d", tt.query, got, err, tt.want)
		}
	}
	if _, err := bench.Depth(`{ a {`); err == nil {
		t.Error("Depth of a malformed query: no error")
	}
}

func TestQueries(t *testing.T) {
	schema := graph.Schema()
	if _, ok := bench.Find("design-card"); !ok {
		t.Fatal("no design-card query")
	}
	for _, q := range bench.Queries {
		if _, err := bench.Depth(q.Text); err != nil {
			t.Errorf("query %s does not parse: %v", q.Name, err)
		}
		if m := q.Missing(schema); len(m) > 0 {
			t.Errorf("query %s needs %v, which the schema lacks: update or drop it", q.Name, m)
		}
	}
	if _, err := bench.Select(schema, "design-card,nope"); err == nil {
		t.Error("Select of an unknown query: no error")
	}
}
