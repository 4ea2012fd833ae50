package httpapi

import (
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
)

// walker measures a parsed, not yet validated document. Fragments may be
// undefined or cyclic (validation rejects both later), so every walk guards
// against them, and each fragment is measured once however often it is
// spread.
type walker struct {
	doc       *ast.QueryDocument
	fragDepth map[string]int
	fragSize  map[string]int
	visiting  map[string]bool
}

func newWalker(doc *ast.QueryDocument) *walker {
	return &walker{doc: doc, fragDepth: map[string]int{}, fragSize: map[string]int{}, visiting: map[string]bool{}}
}

// isIntrospection reports whether a field reads the schema itself.
func isIntrospection(f *ast.Field) bool { return f.Name == "__schema" || f.Name == "__type" }

// introspects reports whether any field of the document reads the schema.
func (w *walker) introspects() bool {
	found := false
	w.eachField(func(f *ast.Field) {
		found = found || isIntrospection(f)
	})
	return found
}

// aliases counts the aliased fields of the document as written: a fragment
// counts once however often it is spread.
func (w *walker) aliases() int {
	n := 0
	w.eachField(func(f *ast.Field) {
		if f.Alias != "" && f.Alias != f.Name {
			n++
		}
	})
	return n
}

// eachField calls fn for every field written in the document.
func (w *walker) eachField(fn func(*ast.Field)) {
	var visit func(ast.SelectionSet)
	visit = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				fn(s)
				visit(s.SelectionSet)
			case *ast.InlineFragment:
				visit(s.SelectionSet)
			}
		}
	}
	for _, op := range w.doc.Operations {
		visit(op.SelectionSet)
	}
	for _, f := range w.doc.Fragments {
		visit(f.SelectionSet)
	}
}

// depth returns how deeply set nests, counting fields on the longest path
// and following fragment spreads; a leaf field at the top is depth 1.
// Introspection fields count as 1: gqlparser bounds their nesting itself.
// It stops descending past limit, so a hostile document costs no more to
// measure than a legal one.
func (w *walker) depth(set ast.SelectionSet, limit int) int {
	deepest := 0
	for _, sel := range set {
		d := 0
		switch s := sel.(type) {
		case *ast.Field:
			d = 1
			if !isIntrospection(s) && limit > 0 {
				d += w.depth(s.SelectionSet, limit-1)
			}
		case *ast.InlineFragment:
			d = w.depth(s.SelectionSet, limit)
		case *ast.FragmentSpread:
			d = w.fragmentDepth(s.Name, limit)
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// fragmentDepth is the depth of a named fragment, memoized by name. A
// fragment first measured deep in the document may have been cut off at the
// limit there; its memoized depth is then too small, but the document is
// already over the limit, so the answer does not change.
func (w *walker) fragmentDepth(name string, limit int) int {
	if d, ok := w.fragDepth[name]; ok {
		return d
	}
	frag := w.doc.Fragments.ForName(name)
	if frag == nil || w.visiting[name] {
		return 0
	}
	w.visiting[name] = true
	d := w.depth(frag.SelectionSet, limit)
	delete(w.visiting, name)
	w.fragDepth[name] = d
	return d
}

// expanded counts the fields of set with every fragment spread expanded in
// place, which is how many fields gqlgen's complexity walker visits. A few
// fragments that each spread the next twice expand exponentially, so each
// fragment is counted once and the count stops just past limit.
func (w *walker) expanded(set ast.SelectionSet, limit int) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			n += 1 + w.expanded(s.SelectionSet, limit)
		case *ast.InlineFragment:
			n += w.expanded(s.SelectionSet, limit)
		case *ast.FragmentSpread:
			n += w.fragmentSize(s.Name, limit)
		}
		if n > limit {
			return limit + 1
		}
	}
	return n
}

// fragmentSize is the expanded size of a named fragment, memoized.
func (w *walker) fragmentSize(name string, limit int) int {
	if n, ok := w.fragSize[name]; ok {
		return n
	}
	frag := w.doc.Fragments.ForName(name)
	if frag == nil || w.visiting[name] {
		return 0
	}
	w.visiting[name] = true
	n := w.expanded(frag.SelectionSet, limit)
	delete(w.visiting, name)
	w.fragSize[name] = n
	return n
}

// overlaps estimates how many pairs of fields validation will compare:
// fields that land on the same response path (same response name under the
// same parent, through fragments too) are compared pairwise, so k such
// fields cost k*k, and their children are compared across all k of them.
// gqlparser's overlapping-fields rule is quadratic this way, so a document
// of a few thousand tokens that repeats one field can take seconds to
// validate. The walk merges the document as the executor would, expanding
// each fragment once per merged selection, and stops once over budget.
// Fragments being expanded further up are skipped: a cycle is the
// validator's to report.
func (w *walker) overlaps(sets []ast.SelectionSet, above map[string]bool, budget int) int {
	groups := map[string][]*ast.Field{}
	var order []string
	visited := map[string]bool{}
	var collect func(ast.SelectionSet)
	collect = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				name := s.Alias
				if name == "" {
					name = s.Name
				}
				if _, ok := groups[name]; !ok {
					order = append(order, name)
				}
				groups[name] = append(groups[name], s)
			case *ast.InlineFragment:
				collect(s.SelectionSet)
			case *ast.FragmentSpread:
				if frag := w.doc.Fragments.ForName(s.Name); frag != nil && !visited[s.Name] && !above[s.Name] {
					visited[s.Name] = true
					collect(frag.SelectionSet)
				}
			}
		}
	}
	for _, set := range sets {
		collect(set)
	}
	if len(visited) > 0 {
		for name := range above {
			visited[name] = true
		}
		above = visited
	}
	total := 0
	for _, name := range order {
		fields := groups[name]
		total += len(fields) * len(fields)
		if total > budget {
			return total
		}
		children := make([]ast.SelectionSet, 0, len(fields))
		for _, f := range fields {
			if len(f.SelectionSet) > 0 {
				children = append(children, f.SelectionSet)
			}
		}
		if len(children) > 0 {
			total += w.overlaps(children, above, budget-total)
			if total > budget {
				return total
			}
		}
	}
	return total
}

// overTokenLimit reports whether query has more than limit lexical tokens,
// reading no further than that.
func overTokenLimit(query string, limit int) bool {
	lex := lexer.New(&ast.Source{Input: query})
	for n := 0; n <= limit; n++ {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return false
		}
	}
	return true
}

// literalAt returns the place, as argument name, fields and indexes
// ("input.changeset.source.paragraphs"), of the literal value (or input
// field name) written at line and column of the document, or "".
func (w *walker) literalAt(line, column int) string {
	at := func(p *ast.Position) bool { return p != nil && p.Line == line && p.Column == column }
	found := ""
	var visit func(v *ast.Value, path string)
	visit = func(v *ast.Value, path string) {
		if found != "" || v == nil {
			return
		}
		if at(v.Position) {
			found = path
			return
		}
		for i, c := range v.Children {
			switch v.Kind {
			case ast.ObjectValue:
				if at(c.Position) {
					found = path + "." + c.Name
					return
				}
				visit(c.Value, path+"."+c.Name)
			case ast.ListValue:
				visit(c.Value, path+"["+strconv.Itoa(i)+"]")
			}
		}
	}
	w.eachField(func(f *ast.Field) {
		for _, a := range f.Arguments {
			visit(a.Value, a.Name)
		}
	})
	return found
}
