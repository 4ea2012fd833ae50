package bench

import (
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// Depth returns the number of object levels on the longest path of a
// query: the fields with a selection of their own, so `{ a { b { c } } }`
// has depth 2. A request that batches each level runs about one statement
// per level, which is what the no-N+1 budget (depth + 1) allows.
func Depth(query string) (int, error) {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return 0, err
	}
	deepest := 0
	for _, op := range doc.Operations {
		deepest = max(deepest, selectionDepth(doc, op.SelectionSet))
	}
	return deepest, nil
}

func selectionDepth(doc *ast.QueryDocument, set ast.SelectionSet) int {
	deepest := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if len(s.SelectionSet) > 0 {
				deepest = max(deepest, 1+selectionDepth(doc, s.SelectionSet))
			}
		case *ast.InlineFragment:
			deepest = max(deepest, selectionDepth(doc, s.SelectionSet))
		case *ast.FragmentSpread:
			if f := doc.Fragments.ForName(s.Name); f != nil {
				deepest = max(deepest, selectionDepth(doc, f.SelectionSet))
			}
		}
	}
	return deepest
}
