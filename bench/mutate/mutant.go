package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
)

// Operators, by the name they carry in mutant ids and reports.
const (
	opBoundary = "cmp-boundary" // < ↔ <=, > ↔ >=
	opNegate   = "cmp-negate"   // == ↔ !=
	opLogic    = "logic"        // && ↔ ||
	opDropIf   = "drop-if"      // an if statement that returns, continues or breaks, removed
	opDropCall = "drop-call"    // a call statement removed
	opDropApp  = "drop-append"  // x = append(x, ...) removed
	opErrNil   = "err-nil"      // a returned error replaced by nil
	opSQLCond  = "sql-cond"     // a WHERE, ON or HAVING condition replaced by 1=1
	opSQLOrder = "sql-order"    // an ORDER BY term (or the whole clause) removed
	opSQLDir   = "sql-dir"      // ASC ↔ DESC, or DESC added to a term without one
	opSQLJoin  = "sql-join"     // = ↔ != in a JOIN's ON condition
	opSQLCmp   = "sql-cmp"      // <= → <, >= → >, < → <=, > → >= in SQL
)

// Mutant is one single-site change to one file: the bytes [Start, End) of
// the file's source replaced by Repl.
type Mutant struct {
	ID       string // stable: file, function, operator and a hash of what changes
	Pkg      string // import path of the package the file belongs to
	File     string // path relative to the module root, with slashes
	Abs      string // absolute path, for the overlay
	Func     string // enclosing function ("" at package level)
	Line     int
	Col      int
	Op       string
	Start    int
	End      int
	Orig     string // the replaced bytes
	Repl     string
	occurKey string
}

// Describe is a one-line account of the change.
func (m Mutant) Describe() string {
	orig, repl := oneLine(m.Orig), oneLine(m.Repl)
	if repl == "" {
		return fmt.Sprintf("removed `%s`", orig)
	}
	return fmt.Sprintf("`%s` → `%s`", orig, repl)
}

// Apply returns src with the mutant's change made.
func (m Mutant) Apply(src []byte) []byte {
	out := make([]byte, 0, len(src)+len(m.Repl))
	out = append(out, src[:m.Start]...)
	out = append(out, m.Repl...)
	return append(out, src[m.End:]...)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 90 {
		s = s[:60] + " … " + s[len(s)-25:]
	}
	return s
}

// FileMutants parses one Go file and returns its mutants in source order,
// with ids that depend on the function and the text changed, not on line
// numbers, so that they survive edits elsewhere in the file. Generated
// files have none.
func FileMutants(rel string, src []byte) ([]Mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	if ast.IsGenerated(f) {
		return nil, nil
	}
	c := collector{tf: fset.File(f.Pos()), src: src, rel: rel}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) == 1 {
				name = recvName(d.Recv.List[0].Type) + "." + name
			}
			c.fn = name
			if d.Body != nil {
				c.walk(d.Body)
			}
		case *ast.GenDecl:
			c.fn = ""
			c.walk(d)
		}
	}
	slices.SortStableFunc(c.out, func(a, b Mutant) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	return assignIDs(rel, c.out), nil
}

func recvName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.IndexExpr:
		return recvName(t.X)
	case *ast.IndexListExpr:
		return recvName(t.X)
	case *ast.Ident:
		return t.Name
	}
	return "?"
}

// assignIDs gives each mutant an id from its file, function, operator and
// a hash of the text it replaces, its replacement and how many identical
// changes come before it in the same function. Identical changes (the same
// bytes replaced the same way at two sites) are kept once per site.
func assignIDs(rel string, ms []Mutant) []Mutant {
	seen := map[string]int{}
	dedup := map[[3]any]bool{}
	var out []Mutant
	for _, m := range ms {
		k := [3]any{m.Start, m.End, m.Repl}
		if dedup[k] {
			continue
		}
		dedup[k] = true
		key := m.Func + "\x00" + m.Op + "\x00" + m.occurKey + "\x00" + m.Orig + "\x00" + m.Repl
		n := seen[key]
		seen[key]++
		sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%d", rel, key, n))
		fn := m.Func
		if fn == "" {
			fn = "-"
		}
		m.ID = fmt.Sprintf("%s:%s:%s:%s", rel, fn, m.Op, hex.EncodeToString(sum[:4]))
		out = append(out, m)
	}
	return out
}

type collector struct {
	tf  *token.File
	src []byte
	rel string
	fn  string
	out []Mutant
}

func (c *collector) off(p token.Pos) int { return c.tf.Offset(p) }

// add records replacing [start, end) with repl; ctx is text around the
// change that makes its id specific (an expression or a statement).
func (c *collector) add(op string, start, end int, repl, ctx string) {
	pos := c.tf.Position(c.tf.Pos(start))
	c.out = append(c.out, Mutant{
		File: c.rel, Func: c.fn, Line: pos.Line, Col: pos.Column, Op: op,
		Start: start, End: end, Orig: string(c.src[start:end]), Repl: repl, occurKey: ctx,
	})
}

func (c *collector) text(n ast.Node) string { return string(c.src[c.off(n.Pos()):c.off(n.End())]) }

var flips = map[token.Token]struct {
	op   string
	repl string
}{
	token.LSS: {opBoundary, "<="}, token.LEQ: {opBoundary, "<"},
	token.GTR: {opBoundary, ">="}, token.GEQ: {opBoundary, ">"},
	token.EQL: {opNegate, "!="}, token.NEQ: {opNegate, "=="},
	token.LAND: {opLogic, "||"}, token.LOR: {opLogic, "&&"},
}

func (c *collector) walk(root ast.Node) { ast.Inspect(root, c.visit) }

func (c *collector) visit(n ast.Node) bool {
	{
		switch n := n.(type) {
		case *ast.FuncLit:
			// Mutants in a function literal belong to the enclosing function.
			return true
		case *ast.IfStmt:
			if isPropagation(n) {
				// Only its init statement and its body's arguments can
				// hold mutants; the guard itself is skipped.
				if n.Init != nil {
					ast.Inspect(n.Init, c.visit)
				}
				return false
			}
		case *ast.BinaryExpr:
			if f, ok := flips[n.Op]; ok {
				start := c.off(n.OpPos)
				c.add(f.op, start, start+len(n.Op.String()), f.repl, c.text(n))
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING {
				c.sqlLiteral(n)
			}
		case *ast.BlockStmt:
			c.statements(n.List)
		case *ast.CaseClause:
			c.statements(n.Body)
		case *ast.CommClause:
			c.statements(n.Body)
		case *ast.ReturnStmt:
			c.errResult(n)
		}
		return true
	}
}

// isPropagation reports whether an if statement only passes an error on:
// `if err != nil { return ..., err }` or a return that wraps err, after
// calls that clean up (rows.Close(), tx.Rollback()). Such guards are not
// mutated: only a failing database or file system reaches them, which the
// tests do not simulate, so their mutants would measure fault injection
// rather than the promises of the API.
func isPropagation(s *ast.IfStmt) bool {
	be, ok := s.Cond.(*ast.BinaryExpr)
	if !ok || be.Op != token.NEQ || s.Else != nil || len(s.Body.List) == 0 {
		return false
	}
	if id, ok := be.Y.(*ast.Ident); !ok || id.Name != "nil" || !isErrIdent(be.X) {
		return false
	}
	body := s.Body.List
	for _, st := range body[:len(body)-1] {
		if es, ok := st.(*ast.ExprStmt); !ok || !isCallExpr(es.X) {
			return false
		}
	}
	ret, ok := body[len(body)-1].(*ast.ReturnStmt)
	if !ok || len(ret.Results) == 0 {
		return false
	}
	last := ret.Results[len(ret.Results)-1]
	return isErrIdent(last) || (isErrorExpr(last) && mentions(last, be.X.(*ast.Ident).Name))
}

func isCallExpr(e ast.Expr) bool {
	_, ok := e.(*ast.CallExpr)
	return ok
}

func isErrIdent(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && (id.Name == "err" || (strings.HasPrefix(id.Name, "err") && len(id.Name) > 3 && id.Name[3] >= 'A' && id.Name[3] <= 'Z'))
}

func mentions(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// statements adds the dropped-statement mutants of a statement list.
func (c *collector) statements(list []ast.Stmt) {
	for _, s := range list {
		switch s := s.(type) {
		case *ast.IfStmt:
			if s.Else != nil || !exits(s.Body) || isPropagation(s) {
				break
			}
			// The condition stays, so that the variables it uses are
			// still used and the mutant compiles.
			c.add(opDropIf, c.off(s.Cond.Pos()), c.off(s.Cond.End()), "false && ("+c.text(s.Cond)+")", c.text(s))
		case *ast.ExprStmt:
			if _, ok := s.X.(*ast.CallExpr); ok {
				c.add(opDropCall, c.off(s.Pos()), c.off(s.End()), "", c.text(s))
			}
		case *ast.AssignStmt:
			if s.Tok == token.ASSIGN && len(s.Lhs) == 1 && len(s.Rhs) == 1 && isCall(s.Rhs[0], "append") {
				c.add(opDropApp, c.off(s.Pos()), c.off(s.End()), "", c.text(s))
			}
		}
	}
}

// exits reports whether a block ends by leaving: return, break, continue,
// goto or a panic.
func exits(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch s := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.ExprStmt:
		return isCall(s.X, "panic")
	}
	return false
}

func isCall(e ast.Expr, name string) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := call.Fun.(*ast.Ident)
	return ok && id.Name == name
}

// errResult replaces the last result of a return statement by nil when it
// makes a new error (fmt.Errorf, errors.New, errors.Join, a package's own
// Errorf) that does not wrap err: a refusal of bad input, say. Errors passed
// on from a call are left alone, as in isPropagation.
func (c *collector) errResult(r *ast.ReturnStmt) {
	if len(r.Results) == 0 {
		return
	}
	e := r.Results[len(r.Results)-1]
	if _, ok := e.(*ast.CallExpr); !ok || !isErrorExpr(e) || mentions(e, "err") {
		return
	}
	c.add(opErrNil, c.off(e.Pos()), c.off(e.End()), "nil", c.text(r))
}

func isErrorExpr(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return isErrIdent(e)
	case *ast.CallExpr:
		switch f := e.Fun.(type) {
		case *ast.Ident:
			return f.Name == "Errorf"
		case *ast.SelectorExpr:
			pkg, _ := f.X.(*ast.Ident)
			if pkg == nil {
				return false
			}
			switch f.Sel.Name {
			case "Errorf":
				return true
			case "New", "Join":
				return pkg.Name == "errors"
			}
		}
	}
	return false
}
