// Package querygen generates random, valid GraphQL documents from a schema,
// for tests that check a server answers whatever a client may legally send
// with data or coded errors, and never crashes:
//
//	srv := graphtest.New(t)
//	gen := querygen.New(graph.Schema(), querygen.SamplesFrom(t, srv))
//	for seed := range uint64(10_000) {
//		q := gen.Generate(seed)
//		resp := srv.Do(t, q.Query, q.Variables) // or post q.Body() to srv.Handler
//		// check resp; on failure, print q: it shows the seed and the query
//	}
//
// Generate(seed) always builds the same document for the same seed,
// schema and samples, so a failure is reproduced from its seed alone. From
// the Query type's fields it picks subsets of fields to a bounded depth,
// with aliases, inline and named fragments on interfaces and unions,
// @include, @skip and the schema's other executable directives, and
// argument values, as literals or as variables, from edge cases (pools.go):
// null and omitted arguments, zero, negative and extreme integers, page
// sizes around the server's limits, real and malformed global IDs and
// cursors, partial dates valid and not, unicode and 10,000-character
// strings, search syntax, every enum value, and empty and long lists.
// Samples (SamplesFrom) mix in values that exist on the server, and a third
// of the documents are tame, with few arguments and few edge cases, so that
// many queries get past the argument checks and resolve deeply.
//
// Every document passes gqlparser's validator. Now and then a variable's
// value does not fit its type, so that the server's coercion of variables
// is exercised too, and a document goes past the server's default depth or
// alias limit: both must be refused with coded errors, not crashes.
package querygen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Generator builds documents for one schema. Its fields may be changed
// before the first Generate; it is safe for concurrent use afterwards.
type Generator struct {
	// MaxDepth bounds how deeply fields nest in most documents (the root's
	// fields are at depth 1); one document in ten nests up to twice as
	// deep. 6 when zero.
	MaxDepth int
	// MaxFields bounds the fields and fragments picked for one selection
	// set. 4 when zero.
	MaxFields int
	// Directives names the directives documents may use, such as
	// {"include", "skip"}; nil allows every one the schema has that may
	// appear on fields and fragments (@defer among them).
	Directives []string

	schema *ast.Schema
	pools  map[string]pool
	// conditions lists, for each composite type, the types a fragment
	// inside a selection of that type may be on: those sharing a possible
	// type with it, in name order.
	conditions map[string][]*ast.Definition
	directives []*ast.DirectiveDefinition
}

// New returns a generator for schema whose values mix samples, values that
// exist on the server under test, with its own edge cases.
func New(schema *ast.Schema, samples Samples) *Generator {
	g := &Generator{schema: schema, pools: newPools(samples), conditions: map[string][]*ast.Definition{}}
	var composite []*ast.Definition
	for _, name := range sortedKeys(schema.Types) {
		def := schema.Types[name]
		if def.IsCompositeType() && !strings.HasPrefix(name, "__") {
			composite = append(composite, def)
		}
	}
	for _, def := range composite {
		for _, cond := range composite {
			if overlap(schema.GetPossibleTypes(def), schema.GetPossibleTypes(cond)) {
				g.conditions[def.Name] = append(g.conditions[def.Name], cond)
			}
		}
	}
	for _, name := range sortedKeys(schema.Directives) {
		d := schema.Directives[name]
		if slices.ContainsFunc(d.Locations, executable) {
			g.directives = append(g.directives, d)
		}
	}
	return g
}

// Query is one generated request.
type Query struct {
	// Seed is what Generate was given.
	Seed uint64
	// Query is the document.
	Query string
	// OperationName names the operation to run when the document has
	// several; "" otherwise.
	OperationName string
	// Variables are the variables' values; a variable left out of it is
	// one the document gives a default or that stands for an omitted
	// argument.
	Variables map[string]any
}

// String shows the query for a failure message: its seed, its document
// and its variables.
func (q Query) String() string {
	vars, err := json.Marshal(q.Variables)
	if err != nil {
		vars = []byte(err.Error())
	}
	if len(vars) > 2000 {
		vars = append(vars[:2000:2000], "..."...)
	}
	op := ""
	if q.OperationName != "" {
		op = "\noperationName: " + q.OperationName
	}
	return fmt.Sprintf("seed %d%s\n%s\nvariables: %s", q.Seed, op, q.Query, vars)
}

// Body is the request body a client would POST for q.
func (q Query) Body() []byte {
	body := map[string]any{"query": q.Query, "variables": q.Variables}
	if q.OperationName != "" {
		body["operationName"] = q.OperationName
	}
	b, err := json.Marshal(body)
	if err != nil {
		panic(fmt.Sprintf("querygen: encode seed %d: %v", q.Seed, err)) // values are made JSON-safe
	}
	return b
}

// Generate builds the document of seed.
func (g *Generator) Generate(seed uint64) Query {
	d := &doc{g: g, r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), values: map[string]any{}}
	d.maxDepth = g.maxDepth()
	if d.chance(0.1) {
		d.maxDepth += d.r.IntN(d.maxDepth + 1)
	}
	// The edge rate is the chance a value is an edge case rather than a
	// plausible one. A third of the documents are tame, with few arguments
	// and few edge cases, so that they resolve deeply instead of stopping
	// at the first argument refused; the others' rates spread from 10% to
	// 60%.
	d.tame, d.edge = d.chance(0.33), 0.03
	if !d.tame {
		d.edge = 0.1 + 0.5*d.r.Float64()
	}
	d.aliases, d.pAlias = d.r.IntN(6), 0.1
	if d.chance(0.02) {
		d.aliases, d.pAlias = 40, 0.9 // past the server's default of 30
	}
	q := Query{Seed: seed, Variables: d.values}
	var ops []string
	nops := 1
	if d.chance(0.05) {
		nops = 2
	}
	for i := range nops {
		d.vars = nil
		sel := d.selectionSet(g.schema.Query, 1, 0, map[string]bool{})
		name := ""
		if nops > 1 || d.chance(0.3) {
			name = fmt.Sprintf("Q%d", i+1)
		}
		switch {
		case name == "" && len(d.vars) == 0 && d.chance(0.5):
			ops = append(ops, sel)
		case len(d.vars) == 0:
			ops = append(ops, strings.TrimSpace("query "+name)+" "+sel)
		default:
			ops = append(ops, "query "+name+"("+strings.Join(d.vars, ", ")+") "+sel)
		}
		if nops > 1 && (i == 0 || d.chance(0.5)) {
			q.OperationName = name
		}
	}
	q.Query = strings.Join(append(ops, d.fragments...), "\n")
	return q
}

func (g *Generator) maxDepth() int {
	if g.MaxDepth > 0 {
		return g.MaxDepth
	}
	return 6
}

func (g *Generator) maxFields() int {
	if g.MaxFields > 0 {
		return g.MaxFields
	}
	return 4
}

// doc is the state of one document being built.
type doc struct {
	g        *Generator
	r        *rand.Rand
	maxDepth int
	// aliases is how many more aliases the document may use at will. Once
	// they are spent, a field whose name the set has already is mostly
	// left out rather than aliased; __typename always gets one.
	aliases   int
	pAlias    float64 // the chance a field gets an alias at will
	tame      bool
	edge      float64  // the chance a value is an edge case
	vars      []string // the current operation's variable definitions
	values    map[string]any
	misfit    bool // whether the variable value being built is to have a part that does not fit
	fragments []string
	names     int // counter for fresh alias, variable and fragment names
}

func (d *doc) chance(p float64) bool { return d.r.Float64() < p }

// odds returns the chance wild, or tame in a tame document.
func (d *doc) odds(wild, tame float64) float64 {
	if d.tame {
		return tame
	}
	return wild
}

func (d *doc) fresh(prefix string) string {
	d.names++
	return fmt.Sprintf("%s%d", prefix, d.names)
}

// selectionSet builds a selection set on def whose fields are at depth.
// used holds the response names the merged selection set already has: a
// fragment's selections share the set of their parent's, so no two fields
// ever share a response name and none need merging (fields on different
// types of a union may not, when their types differ). nest counts the
// fragments the set is in, to stop fragments nesting without end.
func (d *doc) selectionSet(def *ast.Definition, depth, nest int, used map[string]bool) string {
	n := d.g.maxFields()
	if d.tame && depth == 1 {
		n = 2 // an error in a non-null root field nulls them all
	}
	var parts []string
	for range 1 + d.r.IntN(n) {
		if s := d.selection(def, depth, nest, used); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, d.typename(used))
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

// selection builds one field or fragment of a selection set on def, or
// returns "" when what it picked does not fit.
func (d *doc) selection(def *ast.Definition, depth, nest int, used map[string]bool) string {
	pFragment := 0.12
	if def.Kind == ast.Union {
		pFragment = 0.85 // a union has no fields but __typename
	}
	if nest < 2 && d.chance(pFragment) {
		return d.fragment(def, depth, nest, used)
	}
	// Introspection, rarely, and not deep: the validator bounds how deeply
	// its lists nest.
	leavesOnly := depth >= d.maxDepth || (strings.HasPrefix(def.Name, "__") && depth >= 3)
	var fields []*ast.FieldDefinition
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") && !d.chance(0.02) {
			continue
		}
		if leavesOnly && !d.isLeaf(f.Type) {
			continue
		}
		fields = append(fields, f)
	}
	if len(fields) == 0 || d.chance(0.04) {
		return d.typename(used)
	}
	f := fields[d.r.IntN(len(fields))]
	key, name := f.Name, f.Name
	if used[key] || (d.aliases > 0 && d.chance(d.pAlias)) {
		if used[key] && d.aliases <= 0 && d.chance(0.7) {
			return "" // a name taken, and the aliases spent
		}
		d.aliases--
		key = d.fresh("a")
		name = key + ": " + f.Name
	}
	used[key] = true
	s := name + d.arguments(f.Arguments) + d.directivesAt(ast.LocationField)
	if !d.isLeaf(f.Type) {
		s += " " + d.selectionSet(d.g.schema.Types[f.Type.Name()], depth+1, 0, map[string]bool{})
	}
	return s
}

// typename selects __typename, under an alias when the set has it already.
func (d *doc) typename(used map[string]bool) string {
	if !used["__typename"] {
		used["__typename"] = true
		return "__typename"
	}
	alias := d.fresh("a")
	used[alias] = true
	return alias + ": __typename"
}

// fragment builds an inline fragment or the spread of a new named one, on
// a type that shares a possible type with def (or on def, or with no type
// condition).
func (d *doc) fragment(def *ast.Definition, depth, nest int, used map[string]bool) string {
	cond := def
	if cs := d.g.conditions[def.Name]; len(cs) > 0 && d.chance(0.9) {
		cond = cs[d.r.IntN(len(cs))]
	}
	body := d.selectionSet(cond, depth, nest+1, used)
	switch {
	case d.chance(0.25):
		name := d.fresh("F")
		d.fragments = append(d.fragments, "fragment "+name+" on "+cond.Name+" "+body)
		return "..." + name + d.directivesAt(ast.LocationFragmentSpread)
	case cond == def && d.chance(0.3):
		return "..." + d.directivesAt(ast.LocationInlineFragment) + " " + body
	default:
		return "... on " + cond.Name + d.directivesAt(ast.LocationInlineFragment) + " " + body
	}
}

// arguments builds the arguments of a field or directive: every required
// one, and some of the others. A tame document often gives just one of
// them, as lookups by one of id, slug or name want.
func (d *doc) arguments(defs ast.ArgumentDefinitionList) string {
	one := -1
	if d.tame && d.chance(0.6) {
		one = d.r.IntN(len(defs) + 1)
	}
	var parts []string
	for i, a := range defs {
		switch {
		case required(a.Type, a.DefaultValue):
		case one >= 0 && i != one:
			continue
		case one < 0 && !d.chance(d.odds(0.45, 0.2)):
			continue
		}
		parts = append(parts, a.Name+": "+d.value(a.Type, a.Name, true))
	}
	if len(parts) == 0 {
		return ""
	}
	d.r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	return "(" + strings.Join(parts, ", ") + ")"
}

// directivesAt sometimes adds a directive that may appear at loc.
func (d *doc) directivesAt(loc ast.DirectiveLocation) string {
	if len(d.g.directives) == 0 || !d.chance(0.05) {
		return ""
	}
	var fit []*ast.DirectiveDefinition
	for _, dir := range d.g.directives {
		if slices.Contains(dir.Locations, loc) && (d.g.Directives == nil || slices.Contains(d.g.Directives, dir.Name)) {
			fit = append(fit, dir)
		}
	}
	if len(fit) == 0 {
		return ""
	}
	dir := fit[d.r.IntN(len(fit))]
	return " @" + dir.Name + d.arguments(dir.Arguments)
}

// isLeaf reports whether a field of type t takes no selection set.
func (d *doc) isLeaf(t *ast.Type) bool {
	def := d.g.schema.Types[t.Name()]
	return def == nil || def.Kind == ast.Scalar || def.Kind == ast.Enum
}

// required reports whether an argument or input field must be given.
func required(t *ast.Type, def *ast.Value) bool { return t.NonNull && def == nil }

func executable(loc ast.DirectiveLocation) bool {
	return loc == ast.LocationField || loc == ast.LocationFragmentSpread || loc == ast.LocationInlineFragment
}

func overlap(a, b []*ast.Definition) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Name == y.Name {
				return true
			}
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
