package main

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"

	"github.com/investgraph/investgraph/graph"
)

func TestAttacksValidate(t *testing.T) {
	schema := graph.Schema()
	for _, name := range attackNames() {
		a := attacks[name]
		for _, n := range []int{1, a.max} {
			if _, errs := gqlparser.LoadQuery(schema, a.query(n)); len(errs) > 0 {
				t.Errorf("attack %s of size %d: %v", name, n, errs)
			}
		}
	}
	// The aliases of money are the most the server's default allows.
	if got := strings.Count(attacks["money"].query(attacks["money"].max), "asOf("); got != 30 {
		t.Errorf("money has %d aliases, want 30", got)
	}
}

func TestParseFlags(t *testing.T) {
	if _, err := parseFlags(nil); err != nil {
		t.Errorf("defaults: %v", err)
	}
	for _, args := range [][]string{
		{"-url", "http://192.0.2.1:8080/graphql"},
		{"-url", "http://localhost:8080/graphql"},
		{"-identity", "cookie"},
		{"-attack", "nope"},
		{"-c", "0"},
		{"-runs", "0"},
		{"-size", "-1"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	c, err := parseFlags([]string{"-url", "http://[::1]:9000/graphql", "-identity", "xff", "-attack", "hub"})
	if err != nil || c.identity != "xff" || c.attack != "hub" {
		t.Errorf("parseFlags: %+v, %v", c, err)
	}
}

func TestPercentiles(t *testing.T) {
	if got := median([]float64{3, 1, 2}); got != 2 {
		t.Errorf("median = %v, want 2", got)
	}
	if got := percentile(nil, 0.5); got != 0 {
		t.Errorf("percentile of nothing = %v", got)
	}
}
