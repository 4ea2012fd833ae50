package querygen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// value builds the literal of a value of type t for the argument or input
// field named hint. With vars it may instead be a new variable of type t,
// declared in the current operation; default values take no variables.
func (d *doc) value(t *ast.Type, hint string, vars bool) string {
	if vars && d.chance(0.2) {
		return d.variable(t, hint)
	}
	if !t.NonNull && d.chance(d.edge*0.3) {
		return "null"
	}
	if t.Elem != nil {
		if t.Elem.Elem == nil && d.chance(0.05) {
			// A single value stands for a list of one. Not a variable: one
			// of the element's type may not stand in a list's place.
			return d.value(t.Elem, hint, false)
		}
		items := make([]string, d.listLen(t.Elem))
		for i := range items {
			items[i] = d.value(t.Elem, hint, vars)
		}
		return "[" + strings.Join(items, ", ") + "]"
	}
	def := d.g.schema.Types[t.NamedType]
	switch def.Kind {
	case ast.InputObject:
		var parts []string
		for _, f := range def.Fields {
			if required(f.Type, f.DefaultValue) || d.chance(d.odds(0.4, 0.2)) {
				parts = append(parts, f.Name+": "+d.value(f.Type, f.Name, vars))
			}
		}
		d.r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
		return "{" + strings.Join(parts, ", ") + "}"
	case ast.Enum:
		return d.enum(def)
	}
	return d.literal(d.scalar(def, hint))
}

// variable declares a new variable of type t in the current operation and
// returns its use. Its value is usually given; a nullable one may have a
// default instead, or be left out (then the argument counts as omitted);
// now and then, outside tame documents, the value given, or a part of it,
// does not fit its type.
func (d *doc) variable(t *ast.Type, hint string) string {
	name := d.fresh("v")
	decl := "$" + name + ": " + t.String()
	switch {
	case !t.NonNull && d.chance(0.15):
		decl += " = " + d.value(t, hint, false)
		if d.chance(0.5) {
			d.values[name] = d.jsonValue(t, hint)
		}
	case !t.NonNull && d.chance(0.1):
		// Left out, with no default: the argument counts as omitted.
	default:
		d.misfit = !d.tame && d.chance(0.02)
		d.values[name] = d.jsonValue(t, hint)
		d.misfit = false
	}
	d.vars = append(d.vars, decl)
	return "$" + name
}

// misfits are variable values that fit some types but not others.
var misfits = []any{nil, "x", "NOT_AN_ENUM_VALUE", 1.5, true, []any{}, []any{nil}, map[string]any{}, map[string]any{"nope": 1},
	int64(math.MaxInt32) + 1, int64(math.MinInt32) - 1, float64(1 << 53), int64(math.MaxInt64), "2147483648"}

// jsonValue builds a variable's value of type t, as it is sent in JSON;
// while d.misfit is set, the value or one of its parts may not fit.
func (d *doc) jsonValue(t *ast.Type, hint string) any {
	if d.misfit && d.chance(0.4) {
		d.misfit = false
		return misfits[d.r.IntN(len(misfits))]
	}
	if !t.NonNull && d.chance(d.edge*0.3) {
		return nil
	}
	if t.Elem != nil {
		if t.Elem.Elem == nil && d.chance(0.05) {
			return d.jsonValue(t.Elem, hint)
		}
		items := make([]any, d.listLen(t.Elem))
		for i := range items {
			items[i] = d.jsonValue(t.Elem, hint)
		}
		return items
	}
	def := d.g.schema.Types[t.NamedType]
	switch def.Kind {
	case ast.InputObject:
		m := map[string]any{}
		for _, f := range def.Fields {
			if required(f.Type, f.DefaultValue) || d.chance(d.odds(0.4, 0.2)) {
				m[f.Name] = d.jsonValue(f.Type, f.Name)
			}
		}
		return m
	case ast.Enum:
		return d.enum(def)
	}
	return d.scalar(def, hint)
}

// listLen picks a list's length: empty, one, a few or, for lists of
// scalars and enums, past the server's page size.
func (d *doc) listLen(elem *ast.Type) int {
	switch x := d.r.Float64(); {
	case x < 0.2:
		return 0
	case x < 0.5:
		return 1
	case x < 0.92 || !d.isLeaf(elem):
		return 2 + d.r.IntN(3)
	default:
		return 99 + d.r.IntN(22)
	}
}

func (d *doc) enum(def *ast.Definition) string {
	return def.EnumValues[d.r.IntN(len(def.EnumValues))].Name
}

// scalar draws a value of a scalar type for the argument or input field
// named hint, from the pool the type and name call for (see pools.go): an
// edge case at the document's edge rate, a plausible value otherwise.
func (d *doc) scalar(def *ast.Definition, hint string) any {
	if def.Name == "Boolean" {
		return d.chance(0.5)
	}
	p := d.g.pool(def.Name, hint)
	if !d.chance(d.edge) {
		return p.plausible[d.r.IntN(len(p.plausible))]
	}
	switch {
	case def.Name == "ID" && d.chance(0.05):
		return ints[d.r.IntN(len(ints))] // an ID may be given as an Int too
	case !builtin(def.Name) && d.chance(0.15):
		// A custom scalar gets anything a client may send: the validator
		// leaves it to the scalar to refuse.
		return oddScalars[d.r.IntN(len(oddScalars))]
	case def.Name != "Int" && def.Name != "Float" && d.chance(0.2):
		p = d.g.pools[""] // any string: a date where a cursor goes
	}
	return p.edge[d.r.IntN(len(p.edge))]
}

func builtin(scalar string) bool {
	switch scalar {
	case "Int", "Float", "String", "Boolean", "ID":
		return true
	}
	return false
}

// literal writes v as a GraphQL literal; a string now and then as a block
// string or with its non-ASCII characters escaped.
func (d *doc) literal(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		switch {
		case d.chance(0.05) && blockSafe(v):
			return `"""` + v + `"""`
		case d.chance(0.05):
			return quote(v, true)
		}
		return quote(v, false)
	case []any:
		items := make([]string, len(v))
		for i, x := range v {
			items[i] = d.literal(x)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case map[string]any:
		var parts []string
		for _, k := range sortedKeys(v) {
			parts = append(parts, k+": "+d.literal(v[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	panic(fmt.Sprintf("querygen: no literal for %T", v))
}

// quote writes s as a GraphQL string literal, escaping what must be and,
// with escapeAll, every other character outside ASCII of the basic plane.
func quote(s string, escapeAll bool) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || (escapeAll && r > 0x7f && r <= 0xffff):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// blockSafe reports whether s can be written as a block string as it is
// (its value is then s with common indentation and blank end lines cut):
// no quote, nor a backslash that could escape the closing quotes.
func blockSafe(s string) bool {
	for _, r := range s {
		if r == '"' || r == '\\' || r == '\r' || (r < 0x20 && r != '\n' && r != '\t') {
			return false
		}
	}
	return true
}
