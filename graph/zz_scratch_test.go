package graph

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

func countTokens(q string) int {
	lex := lexer.New(&ast.Source{Input: q})
	n := 0
	for {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF { return n }
		n++
	}
}

func TestZZScratch(t *testing.T) {
	schema := NewExecutableSchema(Config{}).Schema()
	intro, _ := os.ReadFile("testdata/introspection.graphql")
	fmt.Println("introspection tokens", countTokens(string(intro)))
	shapes := map[string]func(n int) string{
		"sameScalar": func(n int) string { return "{" + strings.Repeat(" __typename", n) + " }" },
		"sameObject": func(n int) string { return "{" + strings.Repeat(" companies { edges { node { name } } }", n/10) + " }" },
		"fragments": func(n int) string {
			var b strings.Builder
			b.WriteString("{")
			for i := 0; i < n/11; i++ { fmt.Fprintf(&b, " ...F%d", i) }
			b.WriteString(" }")
			for i := 0; i < n/11; i++ { fmt.Fprintf(&b, " fragment F%d on Query { __typename }", i) }
			return b.String()
		},
		"fragmentsObj": func(n int) string {
			var b strings.Builder
			b.WriteString("{")
			for i := 0; i < n/20; i++ { fmt.Fprintf(&b, " ...F%d", i) }
			b.WriteString(" }")
			for i := 0; i < n/20; i++ { fmt.Fprintf(&b, " fragment F%d on Query { companies { edges { node { name } } } }", i) }
			return b.String()
		},
	}
	for _, n := range []int{1000, 2000, 4000} {
		for name, f := range shapes {
			q := f(n)
			doc, err := parser.ParseQuery(&ast.Source{Input: q})
			if err != nil { t.Fatal(err) }
			start := time.Now()
			errs := validator.ValidateWithRules(schema, doc, nil)
			fmt.Printf("%-14s tokens=%5d validate=%v errs=%d\n", name, countTokens(q), time.Since(start), len(errs))
		}
	}
}
