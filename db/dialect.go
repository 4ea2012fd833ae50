package db

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The store's SQL is written once, for SQLite. On PostgreSQL each
// statement text is translated once (and the translation cached) by
// translatePostgres, which rewrites the few constructs the two engines
// spell differently; the functions SQLite has and PostgreSQL lacks
// (printf) are created by the PostgreSQL migrations instead. The rules:
//
//   - ? and ?N placeholders become $N;
//   - LIKE becomes ILIKE, as SQLite's LIKE ignores ASCII case;
//   - x COLLATE NOCASE becomes lower(x COLLATE "C"), which folds ASCII
//     letters only, as NOCASE does;
//   - every ORDER BY term without NULLS gets NULLS FIRST (ascending) or
//     NULLS LAST (descending): SQLite orders NULLs as the smallest value;
//   - INSERT OR IGNORE becomes INSERT ... ON CONFLICT DO NOTHING;
//   - hex(x) becomes upper(encode(x, 'hex'));
//   - instr, group_concat and ifnull become strpos, string_agg and
//     coalesce; max and min with several arguments become greatest and
//     least;
//   - x IN (SELECT value FROM json_each(?)) becomes x = ANY(?), the
//     parameter's JSON array being sent as a PostgreSQL array (see
//     pgArrayLiteral), so that its elements take x's type; any other
//     json_each(e) becomes jsonb_array_elements(CAST(e AS jsonb)), and
//     the SQLite path '$[N]' after ->> becomes the index N;
//   - CAST(... AS REAL) and AS INTEGER become double precision and bigint;
//   - temp.t becomes pg_temp.t, and the table options STRICT and WITHOUT
//     ROWID are dropped;
//   - a PRAGMA becomes nothing (see pgConn.ExecContext): the settings it
//     changes are SQLite's.

// pgVerbatim begins a statement written for PostgreSQL already, which is
// sent as it is: the PostgreSQL migrations.
const pgVerbatim = "-- postgres\n"

// pgStatement is a statement translated for PostgreSQL.
type pgStatement struct {
	sql string
	// arrays are the indexes (0-based) of the parameters holding a JSON
	// array to send as a PostgreSQL array.
	arrays []int
	// none is set for a statement PostgreSQL has no use for (a PRAGMA).
	none bool
	// keep, when set, lists the parameters (0-based) the statement
	// uses, which are the ones sent: PostgreSQL cannot type a parameter
	// that no expression uses, where SQLite ignores it.
	keep []int
}

// pgStatements caches translations by SQLite text. The store's texts are
// constants and a bounded number of variants, so it is never emptied.
var pgStatements sync.Map // string → *pgStatement

// translatePostgres returns the PostgreSQL form of the SQLite statement q.
func translatePostgres(q string) *pgStatement {
	if st, ok := pgStatements.Load(q); ok {
		return st.(*pgStatement)
	}
	if strings.HasPrefix(q, pgVerbatim) {
		return &pgStatement{sql: q}
	}
	st := translate(q)
	pgStatements.Store(q, st)
	return st
}

// sqlToken is one token of a statement: a word, a quoted string or
// identifier, a number, a placeholder, punctuation, or the space and
// comments between them.
type sqlToken struct {
	text string
	kind tokenKind
}

type tokenKind int

const (
	tokSpace tokenKind = iota
	tokWord
	tokString
	tokQuoted
	tokNumber
	tokParam
	tokPunct
)

// tokenize splits q into tokens; joining their texts gives q back.
func tokenize(q string) []sqlToken {
	var out []sqlToken
	for i := 0; i < len(q); {
		c := q[i]
		j := i + 1
		kind := tokPunct
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			for j < len(q) && strings.IndexByte(" \t\n\r", q[j]) >= 0 {
				j++
			}
			kind = tokSpace
		case c == '-' && j < len(q) && q[j] == '-':
			for j < len(q) && q[j] != '\n' {
				j++
			}
			kind = tokSpace
		case c == '/' && j < len(q) && q[j] == '*':
			if k := strings.Index(q[j+1:], "*/"); k >= 0 {
				j += k + 3
			} else {
				j = len(q)
			}
			kind = tokSpace
		case c == '\'' || c == '"':
			for j < len(q) {
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c {
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
			kind = tokString
			if c == '"' {
				kind = tokQuoted
			}
		case c == '?':
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			kind = tokParam
		case c >= '0' && c <= '9':
			for j < len(q) && (q[j] >= '0' && q[j] <= '9' || q[j] == '.') {
				j++
			}
			kind = tokNumber
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80:
			for j < len(q) && (q[j] == '_' || q[j] >= 'a' && q[j] <= 'z' || q[j] >= 'A' && q[j] <= 'Z' || q[j] >= '0' && q[j] <= '9' || q[j] >= 0x80) {
				j++
			}
			kind = tokWord
		case c == '-' && j < len(q) && q[j] == '>':
			j++
			if j < len(q) && q[j] == '>' {
				j++
			}
		case c == '|' && j < len(q) && q[j] == '|', c == '<' && j < len(q) && (q[j] == '=' || q[j] == '>'),
			c == '>' && j < len(q) && q[j] == '=', c == '!' && j < len(q) && q[j] == '=':
			j++
		}
		out = append(out, sqlToken{text: q[i:j], kind: kind})
		i = j
	}
	return out
}

// is reports whether t is the keyword or punctuation word, in any case.
func (t sqlToken) is(word string) bool { return strings.EqualFold(t.text, word) }

// translation rewrites a statement's tokens.
type translation struct {
	toks    []sqlToken
	out     []sqlToken
	next    int // the number of the next plain ? placeholder
	arrays  []int
	aliases int // the aliases given to subqueries in FROM
}

// translate is translatePostgres without the cache.
func translate(q string) *pgStatement {
	toks := tokenize(q)
	first := nextWord(toks, 0)
	if first >= 0 && toks[first].is("PRAGMA") {
		return &pgStatement{none: true}
	}
	tr := &translation{toks: toks, next: 1}
	tr.run(0, len(toks))
	keep := tr.renumber()
	var b strings.Builder
	for _, t := range tr.out {
		b.WriteString(t.text)
	}
	return &pgStatement{sql: b.String(), arrays: tr.arrays, keep: keep}
}

// nextWord returns the index of the first token at or after i that is not
// space, or -1.
func nextWord(toks []sqlToken, i int) int {
	for ; i < len(toks); i++ {
		if toks[i].kind != tokSpace {
			return i
		}
	}
	return -1
}

// peek returns the non-space tokens from i on, as many as match words,
// and whether they all match.
func (tr *translation) peekWords(i int, words ...string) (end int, ok bool) {
	for _, w := range words {
		j := nextWord(tr.toks, i)
		if j < 0 || !tr.toks[j].is(w) {
			return 0, false
		}
		i = j + 1
	}
	return i, true
}

// closing returns the index of the parenthesis closing the one at open.
func (tr *translation) closing(open int) int {
	depth := 0
	for i := open; i < len(tr.toks); i++ {
		switch tr.toks[i].text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(tr.toks) - 1
}

func (tr *translation) emit(text string, kind tokenKind) {
	tr.out = append(tr.out, sqlToken{text: text, kind: kind})
}

// run translates toks[from:to] onto out.
func (tr *translation) run(from, to int) {
	insertOrIgnore := false
	for i := from; i < to; i++ {
		t := tr.toks[i]
		switch t.kind {
		case tokParam:
			n := tr.next
			if len(t.text) > 1 {
				n, _ = strconv.Atoi(t.text[1:])
			}
			tr.next = max(tr.next, n+1)
			tr.emit("$"+strconv.Itoa(n), tokParam)
			continue
		case tokString:
			if strings.HasPrefix(t.text, "'$[") && strings.HasSuffix(t.text, "]'") {
				if lastNonSpace(tr.out) == "->>" {
					tr.emit(strings.TrimSuffix(strings.TrimPrefix(t.text, "'$["), "]'"), tokNumber)
					continue
				}
			}
		case tokPunct:
			if t.text == "(" && tr.subqueryAt(i) {
				end := tr.closing(i)
				tr.emit("(", tokPunct)
				tr.run(i+1, end)
				tr.emit(")", tokPunct)
				if !tr.aliasAt(end + 1) {
					tr.aliases++
					tr.emit(" AS _"+strconv.Itoa(tr.aliases), tokWord)
				}
				i = end
				continue
			}
		case tokWord:
			switch {
			case t.is("INSERT"):
				if end, ok := tr.peekWords(i+1, "OR", "IGNORE"); ok {
					tr.emit("INSERT", tokWord)
					i = end - 1
					insertOrIgnore = true
					continue
				}
			case t.is("LIKE"):
				tr.emit("ILIKE", tokWord)
				continue
			case t.is("COLLATE"):
				if end, ok := tr.peekWords(i+1, "NOCASE"); ok {
					tr.wrapLower()
					i = end - 1
					continue
				}
			case t.is("hex") && tr.callAt(i):
				open := nextWord(tr.toks, i+1)
				end := tr.closing(open)
				tr.emit("upper(encode(", tokWord)
				tr.run(open+1, end)
				tr.emit(", 'hex'))", tokWord)
				i = end
				continue
			case t.is("instr") && tr.callAt(i):
				tr.emit("strpos", tokWord)
				continue
			case t.is("group_concat") && tr.callAt(i):
				tr.emit("string_agg", tokWord)
				continue
			case t.is("ifnull") && tr.callAt(i):
				tr.emit("coalesce", tokWord)
				continue
			case (t.is("max") || t.is("min")) && tr.callAt(i):
				open := nextWord(tr.toks, i+1)
				if tr.arguments(open) > 1 {
					tr.emit(map[bool]string{true: "greatest", false: "least"}[t.is("max")], tokWord)
					continue
				}
			case t.is("IN"):
				if end, param, ok := tr.jsonList(i + 1); ok {
					tr.emit("= ANY(", tokPunct)
					tr.emitParam(param)
					tr.emit(")", tokPunct)
					i = end
					continue
				}
			case t.is("json_each") && tr.callAt(i):
				open := nextWord(tr.toks, i+1)
				end := tr.closing(open)
				tr.emit("jsonb_array_elements(CAST(", tokWord)
				tr.run(open+1, end)
				tr.emit(" AS jsonb))", tokWord)
				i = end
				continue
			case t.is("AS"):
				if j := nextWord(tr.toks, i+1); j >= 0 && (tr.toks[j].is("REAL") || tr.toks[j].is("INTEGER")) && lastNonSpace(tr.out) != "" {
					if tr.castType(j) {
						tr.emit("AS ", tokWord)
						tr.emit(map[bool]string{true: "double precision", false: "bigint"}[tr.toks[j].is("REAL")], tokWord)
						i = j
						continue
					}
				}
			case t.is("temp"):
				if j := nextWord(tr.toks, i+1); j == i+1 && tr.toks[j].text == "." {
					tr.emit("pg_temp", tokWord)
					continue
				}
			case t.is("STRICT") && lastNonSpace(tr.out) == ")":
				continue
			case t.is("WITHOUT"):
				if end, ok := tr.peekWords(i+1, "ROWID"); ok {
					i = end - 1
					continue
				}
			case t.is("ORDER"):
				if end, ok := tr.peekWords(i+1, "BY"); ok {
					tr.emit(t.text, tokWord)
					tr.emit(" BY", tokWord)
					i = tr.orderTerms(end)
					continue
				}
			}
		}
		tr.emit(t.text, t.kind)
	}
	if insertOrIgnore {
		tr.emit(" ON CONFLICT DO NOTHING", tokWord)
	}
}

// renumber numbers the placeholders 1, 2, ... in the order of the
// parameters they use, when some parameter is used by none, and returns
// the parameters used (0-based); nil when every one is.
func (tr *translation) renumber() []int {
	var params []int // the indexes in out of the placeholders
	for i, t := range tr.out {
		if t.kind == tokParam {
			params = append(params, i)
		}
	}
	used := map[int]bool{}
	top := 0
	for _, i := range params {
		n, _ := strconv.Atoi(tr.out[i].text[1:])
		used[n] = true
		top = max(top, n)
	}
	if len(used) == top {
		return nil
	}
	keep := make([]int, 0, len(used))
	newNumber := map[int]int{}
	for n := 1; n <= top; n++ {
		if used[n] {
			keep = append(keep, n-1)
			newNumber[n] = len(keep)
		}
	}
	for _, i := range params {
		n, _ := strconv.Atoi(tr.out[i].text[1:])
		tr.out[i].text = "$" + strconv.Itoa(newNumber[n])
	}
	return keep
}

// emitParam emits the placeholder token p, as run does.
func (tr *translation) emitParam(p sqlToken) {
	n := tr.next
	if len(p.text) > 1 {
		n, _ = strconv.Atoi(p.text[1:])
	}
	tr.next = max(tr.next, n+1)
	if !slices.Contains(tr.arrays, n-1) {
		tr.arrays = append(tr.arrays, n-1)
	}
	tr.emit("$"+strconv.Itoa(n), tokParam)
}

// lastNonSpace returns the text of the last token of toks that is not
// space, or "".
func lastNonSpace(toks []sqlToken) string {
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i].kind != tokSpace {
			return toks[i].text
		}
	}
	return ""
}

// subqueryAt reports whether the parenthesis at i opens a subquery in a
// FROM clause or a JOIN, which PostgreSQL 15 wants an alias for.
func (tr *translation) subqueryAt(i int) bool {
	prev := lastNonSpace(tr.out)
	if !strings.EqualFold(prev, "FROM") && !strings.EqualFold(prev, "JOIN") {
		return false
	}
	j := nextWord(tr.toks, i+1)
	return j >= 0 && (tr.toks[j].is("SELECT") || tr.toks[j].is("WITH"))
}

// notAliases are the words that may follow a subquery in FROM without
// being its alias.
var notAliases = map[string]bool{
	"WHERE": true, "GROUP": true, "ORDER": true, "LIMIT": true, "OFFSET": true, "JOIN": true, "LEFT": true,
	"RIGHT": true, "INNER": true, "CROSS": true, "FULL": true, "NATURAL": true, "ON": true, "USING": true,
	"UNION": true, "EXCEPT": true, "INTERSECT": true, "HAVING": true, "WINDOW": true, "RETURNING": true,
}

// aliasAt reports whether the tokens from i on name an alias.
func (tr *translation) aliasAt(i int) bool {
	j := nextWord(tr.toks, i)
	if j < 0 {
		return false
	}
	t := tr.toks[j]
	return t.kind == tokQuoted || t.kind == tokWord && !notAliases[strings.ToUpper(t.text)]
}

// callAt reports whether the word at i is followed by an opening
// parenthesis: a function call.
func (tr *translation) callAt(i int) bool {
	j := nextWord(tr.toks, i+1)
	return j >= 0 && tr.toks[j].text == "("
}

// castType reports whether the type at j ends a CAST: a closing
// parenthesis follows it.
func (tr *translation) castType(j int) bool {
	k := nextWord(tr.toks, j+1)
	return k >= 0 && tr.toks[k].text == ")"
}

// arguments counts the arguments of the call whose parenthesis opens at
// open.
func (tr *translation) arguments(open int) int {
	n, depth := 1, 0
	for i := open; i < len(tr.toks); i++ {
		switch tr.toks[i].text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return n
			}
		case ",":
			if depth == 1 {
				n++
			}
		}
	}
	return n
}

// jsonList matches `(SELECT value FROM json_each(?))` from i on, returning
// the index of its last token and the placeholder.
func (tr *translation) jsonList(i int) (end int, param sqlToken, ok bool) {
	j, ok := tr.peekWords(i, "(", "SELECT", "value", "FROM", "json_each", "(")
	if !ok {
		return 0, sqlToken{}, false
	}
	p := nextWord(tr.toks, j)
	if p < 0 || tr.toks[p].kind != tokParam {
		return 0, sqlToken{}, false
	}
	j, ok = tr.peekWords(p+1, ")", ")")
	if !ok {
		return 0, sqlToken{}, false
	}
	return j - 1, tr.toks[p], true
}

// wrapLower turns the operand just emitted, x, into lower(x COLLATE "C"):
// a possibly qualified name, or a call or parenthesized expression.
func (tr *translation) wrapLower() {
	k := len(tr.out) - 1
	for k >= 0 && tr.out[k].kind == tokSpace {
		k--
	}
	start := k
	if k >= 0 && tr.out[k].text == ")" {
		depth := 0
		for ; start >= 0; start-- {
			if tr.out[start].text == ")" {
				depth++
			} else if tr.out[start].text == "(" {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if start > 0 && tr.out[start-1].kind == tokWord {
			start--
		}
	} else {
		for start > 1 && tr.out[start-1].text == "." && (tr.out[start-2].kind == tokWord || tr.out[start-2].kind == tokQuoted) {
			start -= 2
		}
	}
	operand := append([]sqlToken(nil), tr.out[start:k+1]...)
	tr.out = tr.out[:start]
	tr.emit("lower(", tokWord)
	tr.out = append(tr.out, operand...)
	tr.emit(` COLLATE "C")`, tokWord)
}

// orderTerms translates the terms of an ORDER BY from i on, giving each
// without a NULLS its SQLite placement of NULLs, and returns the index of
// the last token it consumed.
func (tr *translation) orderTerms(i int) int {
	depth := 0
	termStart := i
	finish := func(end int) {
		// The term is toks[termStart:end]: translate it, then place NULLs.
		hasNulls, desc := false, false
		last := ""
		for k := termStart; k < end; k++ {
			if tr.toks[k].is("NULLS") {
				hasNulls = true
			}
			if tr.toks[k].kind != tokSpace {
				last = tr.toks[k].text
			}
		}
		desc = strings.EqualFold(last, "DESC")
		tr.run(termStart, end)
		if hasNulls || last == "" {
			return
		}
		// The space after the term stays after it.
		var trailing []sqlToken
		for len(tr.out) > 0 && tr.out[len(tr.out)-1].kind == tokSpace {
			trailing = append([]sqlToken{tr.out[len(tr.out)-1]}, trailing...)
			tr.out = tr.out[:len(tr.out)-1]
		}
		if desc {
			tr.emit(" NULLS LAST", tokWord)
		} else {
			tr.emit(" NULLS FIRST", tokWord)
		}
		tr.out = append(tr.out, trailing...)
	}
	for k := i; k < len(tr.toks); k++ {
		t := tr.toks[k]
		switch {
		case t.text == "(":
			depth++
		case t.text == ")":
			if depth == 0 {
				finish(k)
				return k - 1
			}
			depth--
		case depth == 0 && t.text == ",":
			finish(k)
			tr.emit(",", tokPunct)
			termStart = k + 1
		case depth == 0 && t.text == ";",
			depth == 0 && t.kind == tokWord && (t.is("LIMIT") || t.is("OFFSET") || t.is("UNION") || t.is("EXCEPT") ||
				t.is("INTERSECT") || t.is("ROWS") || t.is("RANGE") || t.is("GROUPS") || t.is("FOR")):
			finish(k)
			return k - 1
		}
	}
	finish(len(tr.toks))
	return len(tr.toks) - 1
}

// pgArrayLiteral turns a JSON array of numbers and strings, as idList and
// jsonString make, into PostgreSQL's array literal, which the server reads
// as an array of whatever type the comparison needs.
func pgArrayLiteral(js string) (string, bool) {
	js = strings.TrimSpace(js)
	if len(js) < 2 || js[0] != '[' || js[len(js)-1] != ']' {
		return "", false
	}
	var b strings.Builder
	b.WriteByte('{')
	body := js[1 : len(js)-1]
	first := true
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == ' ' || c == ',' || c == '\n' || c == '\t':
			i++
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		if c == '"' {
			// A JSON string: decode its escapes, then quote it for the
			// array literal.
			j := i + 1
			var s strings.Builder
			for j < len(body) && body[j] != '"' {
				if body[j] == '\\' && j+1 < len(body) {
					j++
					switch body[j] {
					case 'n':
						s.WriteByte('\n')
					case 't':
						s.WriteByte('\t')
					case 'r':
						s.WriteByte('\r')
					case 'u':
						if j+4 < len(body) {
							if r, err := strconv.ParseUint(body[j+1:j+5], 16, 32); err == nil {
								s.WriteRune(rune(r))
								j += 4
								break
							}
						}
						return "", false
					default:
						s.WriteByte(body[j])
					}
				} else {
					s.WriteByte(body[j])
				}
				j++
			}
			b.WriteByte('"')
			b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s.String()))
			b.WriteByte('"')
			i = j + 1
			continue
		}
		j := i
		for j < len(body) && body[j] != ',' && body[j] != ' ' {
			j++
		}
		tok := body[i:j]
		if tok == "null" {
			tok = "NULL"
		} else if _, err := strconv.ParseFloat(tok, 64); err != nil {
			return "", false
		}
		b.WriteString(tok)
		i = j
	}
	b.WriteByte('}')
	return b.String(), true
}
