package main

import (
	"go/ast"
	"regexp"
	"strings"
)

// looksLikeSQL matches string literals that hold SQL (or part of a
// statement): upper-case keywords, as the store writes them, so that
// messages and prose are left alone.
var looksLikeSQL = regexp.MustCompile(`\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|WHERE|JOIN|ORDER BY|GROUP BY|HAVING)\b`)

type sqlTok struct {
	text       string
	start, end int // offsets in the literal's source text
}

func (t sqlTok) is(kw string) bool { return strings.EqualFold(t.text, kw) }

// sqlTokens splits a literal's source text (quotes included) into words,
// operators, quoted strings and punctuation. Backslash escapes in an
// interpreted literal count as spaces.
func sqlTokens(lit string) []sqlTok {
	var toks []sqlTok
	i, n := 1, len(lit)-1
	for i < n {
		c := lit[i]
		switch {
		case c == '\\' && lit[0] == '"':
			i += 2
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			j := i + 1
			for j < n && lit[j] != '\'' {
				j++
			}
			toks = append(toks, sqlTok{lit[i:min(j+1, n)], i, min(j+1, n)})
			i = j + 1
		case isWordByte(c):
			j := i
			for j < n && isWordByte(lit[j]) {
				j++
			}
			toks = append(toks, sqlTok{lit[i:j], i, j})
			i = j
		case strings.ContainsRune("<>=!|", rune(c)):
			j := i + 1
			if j < n && strings.ContainsRune("<>=|", rune(lit[j])) {
				j++
			}
			toks = append(toks, sqlTok{lit[i:j], i, j})
			i = j
		default:
			toks = append(toks, sqlTok{lit[i : i+1], i, i + 1})
			i++
		}
	}
	return toks
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '?' || c == '$' || c == '"' || c == '`' ||
		(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// endsCondition lists the keywords that end a WHERE, ON or HAVING
// condition at the same depth.
var endsCondition = map[string]bool{
	"ORDER": true, "GROUP": true, "LIMIT": true, "OFFSET": true, "UNION": true, "EXCEPT": true,
	"INTERSECT": true, "JOIN": true, "LEFT": true, "INNER": true, "CROSS": true, "WINDOW": true,
	"HAVING": true, "WHERE": true, "ON": true, "RETURNING": true, "SELECT": true, "FROM": true,
	"SET": true, "VALUES": true, "DO": true,
}

var endsOrderBy = map[string]bool{
	"LIMIT": true, "OFFSET": true, "UNION": true, "EXCEPT": true, "INTERSECT": true,
	"WINDOW": true, "RETURNING": true, "ROWS": true, "RANGE": true, "GROUPS": true,
}

// sqlMutation is a change inside a literal: bytes [start, end) of the
// literal's source replaced by repl.
type sqlMutation struct {
	op         string
	start, end int
	repl       string
}

// SQLMutations returns the mutants of one literal's source text.
func SQLMutations(lit string) []sqlMutation {
	if len(lit) < 2 || !looksLikeSQL.MatchString(lit) {
		return nil
	}
	toks := sqlTokens(lit)
	var out []sqlMutation
	// frame is one parenthesis (or CASE) level: the clause being read and
	// where its current condition or term began.
	type frame struct {
		clause  string // "WHERE", "ON", "HAVING", "ORDER" or ""
		begin   int    // token index where the current condition or term began
		between bool   // the condition has a BETWEEN whose AND is still to come
		terms   [][2]int
		byAt    int // token index of ORDER
	}
	stack := []frame{{}}
	endCond := func(f *frame, end int) {
		if f.begin < end {
			a, b := toks[f.begin].start, toks[end-1].end
			// A condition whose quoted string goes on in the next literal
			// (`x = '`+v+`'`) cannot be replaced alone.
			if text := lit[a:b]; strings.TrimSpace(text) != "1=1" && strings.Count(text, "'")%2 == 0 {
				out = append(out, sqlMutation{opSQLCond, a, b, "1=1"})
			}
		}
	}
	endOrder := func(f *frame, end int) {
		if f.begin < end {
			f.terms = append(f.terms, [2]int{f.begin, end})
		}
		if len(f.terms) == 0 {
			return
		}
		if len(f.terms) == 1 {
			t := f.terms[0]
			out = append(out, sqlMutation{opSQLOrder, toks[f.byAt].start, toks[t[1]-1].end, ""})
		} else {
			for i, t := range f.terms {
				if i == 0 {
					out = append(out, sqlMutation{opSQLOrder, toks[t[0]].start, toks[f.terms[1][0]].start, ""})
				} else {
					out = append(out, sqlMutation{opSQLOrder, toks[f.terms[i-1][1]-1].end, toks[t[1]-1].end, ""})
				}
			}
		}
		for _, t := range f.terms {
			last := toks[t[1]-1]
			switch {
			case last.is("ASC"):
				out = append(out, sqlMutation{opSQLDir, last.start, last.end, "DESC"})
			case last.is("DESC"):
				out = append(out, sqlMutation{opSQLDir, last.start, last.end, "ASC"})
			default:
				out = append(out, sqlMutation{opSQLDir, last.end, last.end, " DESC"})
			}
		}
		f.terms = nil
	}
	closeClause := func(f *frame, end int) {
		switch f.clause {
		case "WHERE", "ON", "HAVING":
			endCond(f, end)
		case "ORDER":
			endOrder(f, end)
		}
		f.clause = ""
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		f := &stack[len(stack)-1]
		up := strings.ToUpper(t.text)
		switch {
		case t.text == "(" || up == "CASE":
			stack = append(stack, frame{})
			continue
		case t.text == ")" || up == "END":
			closeClause(f, i)
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
			continue
		case t.text == ";":
			closeClause(f, i)
			continue
		}
		switch f.clause {
		case "WHERE", "ON", "HAVING":
			switch {
			case up == "BETWEEN":
				f.between = true
			case up == "AND" && f.between:
				f.between = false
			case up == "AND" || up == "OR":
				endCond(f, i)
				f.begin = i + 1
				continue
			case endsCondition[up] || t.text == ",":
				closeClause(f, i)
			}
			if f.clause == "ON" {
				switch t.text {
				case "=", "==":
					out = append(out, sqlMutation{opSQLJoin, t.start, t.end, "!="})
				case "!=", "<>":
					out = append(out, sqlMutation{opSQLJoin, t.start, t.end, "="})
				}
			}
		case "ORDER":
			switch {
			case t.text == ",":
				f.terms = append(f.terms, [2]int{f.begin, i})
				f.begin = i + 1
				continue
			case endsOrderBy[up]:
				closeClause(f, i)
			}
		}
		switch t.text {
		case "<=":
			out = append(out, sqlMutation{opSQLCmp, t.start, t.end, "<"})
		case ">=":
			out = append(out, sqlMutation{opSQLCmp, t.start, t.end, ">"})
		case "<":
			out = append(out, sqlMutation{opSQLCmp, t.start, t.end, "<="})
		case ">":
			out = append(out, sqlMutation{opSQLCmp, t.start, t.end, ">="})
		}
		if f.clause == "" {
			switch {
			case up == "WHERE" || up == "ON" || up == "HAVING":
				if up == "ON" && i+1 < len(toks) && toks[i+1].is("CONFLICT") {
					break
				}
				f.clause, f.begin, f.between = up, i+1, false
			case up == "ORDER" && i+1 < len(toks) && toks[i+1].is("BY"):
				f.clause, f.begin, f.byAt = "ORDER", i+2, i
				i++
			}
		}
	}
	for len(stack) > 0 {
		closeClause(&stack[len(stack)-1], len(toks))
		stack = stack[:len(stack)-1]
	}
	return out
}

// sqlLiteral adds the SQL mutants of a string literal.
func (c *collector) sqlLiteral(lit *ast.BasicLit) {
	base := c.off(lit.Pos())
	for _, m := range SQLMutations(lit.Value) {
		// The id's context is the clause around the change, not the whole
		// statement, so that editing another part keeps it.
		a, b := max(0, m.start-40), min(len(lit.Value), m.end+40)
		c.add(m.op, base+m.start, base+m.end, m.repl, lit.Value[a:b])
	}
}
