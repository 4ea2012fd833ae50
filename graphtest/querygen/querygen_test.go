package querygen_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest/querygen"
)

var samples = querygen.Samples{
	IDs:     []string{graph.GlobalID("Company", "citic-group"), graph.GlobalID("Person", "zhu-hexin")},
	Slugs:   []string{"citic-group"},
	Names:   []string{"CITIC"},
	Cursors: []string{db.Cursor{Order: "NAME", Key: "citic group", Slug: "citic-group"}.String()},
}

// TestGenerateValid checks that generated documents pass gqlparser's
// validator and that their requests encode as JSON.
func TestGenerateValid(t *testing.T) {
	schema := graph.Schema()
	gen := querygen.New(schema, samples)
	n := uint64(5000)
	if testing.Short() {
		n = 500
	}
	for seed := range n {
		q := gen.Generate(seed)
		if err := validate(schema, q); err != "" {
			t.Fatalf("%s\n\n%s", err, q)
		}
		if !json.Valid(q.Body()) {
			t.Fatalf("body is not JSON:\n%s", q)
		}
	}
}

func validate(schema *ast.Schema, q querygen.Query) string {
	doc, err := parser.ParseQuery(&ast.Source{Input: q.Query})
	if err != nil {
		return "parse: " + err.Error()
	}
	if errs := validator.Validate(schema, doc); len(errs) > 0 {
		return "validate: " + errs.Error()
	}
	if q.OperationName != "" && doc.Operations.ForName(q.OperationName) == nil {
		return "no operation " + q.OperationName
	}
	return ""
}

func TestGenerateIsReproducible(t *testing.T) {
	gen := querygen.New(graph.Schema(), samples)
	for seed := range uint64(200) {
		a, b := gen.Generate(seed), gen.Generate(seed)
		if a.String() != b.String() {
			t.Fatalf("seed %d gave two documents:\n%s\n\n%s", seed, a, b)
		}
	}
	if a, b := gen.Generate(1), gen.Generate(2); a.Query == b.Query {
		t.Fatalf("seeds 1 and 2 gave the same document:\n%s", a.Query)
	}
}

// TestGenerateCovers checks that two thousand documents use each feature
// the generator promises.
func TestGenerateCovers(t *testing.T) {
	gen := querygen.New(graph.Schema(), samples)
	var all strings.Builder
	for seed := range uint64(2000) {
		q := gen.Generate(seed)
		all.WriteString(q.Query)
		b, _ := json.Marshal(q.Variables)
		all.Write(b)
	}
	text := all.String()
	for _, want := range []string{
		"... on Company", "... on Node", "fragment F", "...F", "query Q1(", "$v", ": null", "@include(", "@skip(",
		": __typename", "asOf(", "search(", "neighborhood(", "paths(", "maxHops: ", "[]", `"""`, `\u`,
		"2147483647", "-2147483648", "2024-Q4", "NEAR(", "中信", longRun,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no document has %q", want)
		}
	}
}

var longRun = strings.Repeat("a", 10_000)
