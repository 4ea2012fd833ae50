package httpapi

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
)

// The cost model, after GitHub's and Shopify's: a query costs about the
// objects it makes the server fetch, and aggregates the rows they read.
//
//   - A scalar or enum field costs 0.
//   - Any other field (an object, or a list of anything) costs 1 plus the
//     cost of its selections times its multiplier; in a list of objects each
//     object costs at least 1, even with only scalars selected.
//   - The multiplier of a field with a first, last or limit argument is that
//     argument (first and last are capped at db.MaxPageSize, which the
//     resolvers enforce); with a depth argument, the depth. An omitted
//     argument counts as its schema default, or db.DefaultPageSize.
//   - A list without such an argument multiplies by the length of its list
//     argument if it has one (nodes(ids: ...)), by 1 for the edges and nodes
//     of a Relay connection (already counted by the connection's first),
//     and otherwise by the size of its relation in the data (see
//     db.Statistics): for the lists of an object a root field looks up by
//     id, slug or name, the most children that object has (a hub's real
//     count); for the lists of any other object, the 99th percentile of
//     children per parent. A list without statistics multiplies by
//     assumedListSize.
//   - Aggregates.counts costs 1 plus a point per countRowsPerPoint rows it
//     reads, Aggregates.money 1 plus a point per moneyRowsPerPoint rows;
//     the lists of a money summary multiply by its groups, its excluded
//     amounts, and the amounts per group on average.
//   - Introspection costs like any other query, its lists multiplied by the
//     schema's sizes (see introspectionSizes).
//
// The rules read the schema, the arguments and the statistics, so fields
// added to the schema are priced without code here. A ComplexityRoot
// function set in the generated Config still takes precedence for its
// field.
//
// For a named object the price is a bound; for the others it is what 99%
// of parents stay within. Pricing every parent as the largest hub would
// price a page of 100 companies' projects as 100 hubs' and refuse it on any
// large graph; what bounds the work of a query that meets hubs anyway is
// the budget enforced while it runs (Limits.MaxObjects).

// assumedListSize is the multiplier of a list the model knows nothing of.
const assumedListSize = 10

// Rows an aggregate reads per point of cost. A point is about an object
// resolved and sent, 6 to 10 µs of CPU; a money summary spends about 1.6 µs
// on each amount and deal fact it reads, and counting spends 0.03 to 0.14
// µs per row (measured on the 100k-entity synthetic graph).
const (
	moneyRowsPerPoint = 8
	countRowsPerPoint = 50
)

// pricer prices one operation.
type pricer struct {
	ctx    context.Context
	es     graphql.ExecutableSchema
	schema *ast.Schema
	vars   map[string]any
	stats  *db.Statistics
	intro  *introspectionSizes
}

// scope is what the pricer knows of the objects a selection set applies to.
type scope struct {
	// named are the objects root fields looked up, when they are known.
	named []namedObject
	// money is the size of the money summary the selection is under.
	money *db.AggregateSize
	// allTypes is set under __Schema.types, whose lists the schema's
	// averages price; a single __Type's are priced by the largest.
	allTypes bool
	// typeRefs is how many __Type.ofType fields enclose the selection.
	typeRefs int
}

// namedObject is an object a root field looks up by slug or by name.
type namedObject struct {
	typ, slug, name string
}

// operation prices op.
func (p *pricer) operation(op *ast.OperationDefinition) int {
	return p.selectionSet(op.SelectionSet, scope{})
}

func (p *pricer) selectionSet(set ast.SelectionSet, sc scope) int {
	cost := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			cost = saturatingAdd(cost, p.field(s, sc))
		case *ast.FragmentSpread:
			if s.Definition != nil {
				cost = saturatingAdd(cost, p.selectionSet(s.Definition.SelectionSet, sc))
			}
		case *ast.InlineFragment:
			cost = saturatingAdd(cost, p.selectionSet(s.SelectionSet, sc))
		}
	}
	return cost
}

// field prices one field and its selections.
func (p *pricer) field(f *ast.Field, sc scope) int {
	if f.Definition == nil || f.ObjectDefinition == nil {
		return 0
	}
	def := f.Definition
	parent := f.ObjectDefinition
	named := p.schema.Types[def.Type.Name()]
	leaf := named == nil || named.Kind == ast.Scalar || named.Kind == ast.Enum
	isList := def.Type.Elem != nil
	if leaf && !isList {
		return 0
	}
	args := f.ArgumentMap(p.vars)
	child := p.selectionSet(f.SelectionSet, p.childScope(f, parent, args, sc))
	if c, ok := p.es.Complexity(p.ctx, parent.Name, f.Name, child, args); ok && c >= 1 {
		return c
	}
	if parent.Name == "__Type" && f.Name == "ofType" && sc.typeRefs >= p.intro.wrapping {
		return 0 // deeper than any type in the schema is wrapped: always null
	}
	if work, ok := p.aggregateWork(parent, f, args); ok {
		return saturatingAdd(1, saturatingAdd(work, child))
	}
	if isList && !leaf {
		child = max(child, 1) // each object fetched costs at least 1
	}
	return saturatingAdd(1, saturatingMul(p.multiplier(parent, def, isList, args, sc), child))
}

// childScope is what the pricer knows of the objects f returns.
func (p *pricer) childScope(f *ast.Field, parent *ast.Definition, args map[string]any, sc scope) scope {
	switch {
	case parent.Name == "__Schema" && f.Name == "types":
		return scope{allTypes: true}
	case parent.Name == "__Type" && f.Name == "ofType":
		return scope{allTypes: sc.allTypes, typeRefs: sc.typeRefs + 1}
	case strings.HasPrefix(parent.Name, "__"):
		return scope{allTypes: sc.allTypes}
	case parent.Name == "Aggregates" && f.Name == "money":
		if size, ok := p.stats.Aggregates["money "+stringArg(f.Definition, args, "groupBy")]; ok {
			return scope{money: &size}
		}
		return scope{}
	case sc.money != nil && (parent.Name == "MoneySummary" || parent.Name == "MoneyGroup"):
		return sc
	case parent.Name == p.schema.Query.Name:
		return scope{named: namedObjects(f, args)}
	}
	return scope{}
}

// namedObjects returns the objects a root field looks up: by id, ids, slug
// or name.
func namedObjects(f *ast.Field, args map[string]any) []namedObject {
	typ := f.Definition.Type.Name()
	if slug, ok := args["slug"].(string); ok {
		return []namedObject{{typ: typ, slug: slug}}
	}
	if name, ok := args["name"].(string); ok {
		return []namedObject{{typ: typ, name: name}}
	}
	var ids []any
	switch v := args["id"].(type) {
	case string:
		ids = []any{v}
	case []any:
		ids = v
	}
	if list, ok := args["ids"].([]any); ok {
		ids = list
	}
	var out []namedObject
	for _, id := range ids {
		s, _ := id.(string)
		if t, slug, err := graph.ParseGlobalID(s); err == nil {
			out = append(out, namedObject{typ: t, slug: slug})
		}
	}
	return out
}

// aggregateWork is the cost of the rows an aggregate field reads.
func (p *pricer) aggregateWork(parent *ast.Definition, f *ast.Field, args map[string]any) (int, bool) {
	if parent.Name != "Aggregates" {
		return 0, false
	}
	switch f.Name {
	case "counts":
		return ceilDiv(p.stats.Aggregates["counts"].Scanned, countRowsPerPoint), true
	case "money":
		size := p.stats.Aggregates["money "+stringArg(f.Definition, args, "groupBy")]
		return ceilDiv(size.Scanned, moneyRowsPerPoint), true
	}
	return 0, false
}

// multiplier is how many times a field's selections may be fetched.
func (p *pricer) multiplier(parent *ast.Definition, def *ast.FieldDefinition, isList bool, args map[string]any, sc scope) int {
	for _, name := range []string{"first", "last", "limit"} {
		if arg := def.Arguments.ForName(name); arg != nil {
			n := argInt(arg, args)
			if name != "limit" {
				n = min(n, db.MaxPageSize)
			}
			return n
		}
	}
	if arg := def.Arguments.ForName("depth"); arg != nil {
		return argInt(arg, args)
	}
	if !isList {
		return 1
	}
	if isConnection(parent) && (def.Name == "edges" || def.Name == "nodes") {
		return 1
	}
	for _, arg := range def.Arguments {
		if list, ok := args[arg.Name].([]any); ok && arg.Type.Elem != nil {
			return len(list)
		}
	}
	list := parent.Name + "." + def.Name
	if n, ok := p.intro.list(list, sc.allTypes); ok {
		return n
	}
	if sc.money != nil {
		switch list {
		case "MoneySummary.groups":
			return clampInt(sc.money.Groups)
		case "MoneySummary.excluded":
			return clampInt(sc.money.Excluded)
		case "MoneyGroup.amounts":
			return ceilDiv(sc.money.Listed, max(sc.money.Groups, 1))
		}
	}
	if parent.Kind != ast.Object {
		// A list of an interface: the largest of its implementations'.
		n := 0
		for _, t := range p.schema.GetPossibleTypes(parent) {
			n = max(n, p.listSize(t.Name+"."+def.Name, sc))
		}
		return n
	}
	return p.listSize(list, sc)
}

// listSize is the multiplier of a list field that follows a relation.
func (p *pricer) listSize(list string, sc scope) int {
	size, ok := p.stats.Lists[list]
	if !ok {
		return assumedListSize
	}
	typ, _, _ := strings.Cut(list, ".")
	n, found := int64(0), false
	for _, o := range sc.named {
		if o.typ == typ {
			if c, ok := p.stats.ChildrenOf(list, o.slug, o.name); ok {
				n, found = max(n, c), true
			}
		}
	}
	if !found {
		n = size.P99
	}
	return clampInt(n)
}

// isConnection reports whether a type is a Relay connection.
func isConnection(def *ast.Definition) bool {
	return len(def.Name) > len("Connection") && def.Name[len(def.Name)-len("Connection"):] == "Connection"
}

// argInt reads an integer argument, falling back to its schema default and
// then to db.DefaultPageSize; negative values count as 0.
func argInt(arg *ast.ArgumentDefinition, args map[string]any) int {
	if n, ok := toInt(args[arg.Name]); ok {
		return max(n, 0)
	}
	if arg.DefaultValue != nil {
		if v, err := arg.DefaultValue.Value(nil); err == nil {
			if n, ok := toInt(v); ok {
				return max(n, 0)
			}
		}
	}
	return db.DefaultPageSize
}

// stringArg reads a string or enum argument, falling back to its schema
// default.
func stringArg(def *ast.FieldDefinition, args map[string]any, name string) string {
	if s, ok := args[name].(string); ok {
		return s
	}
	if arg := def.Arguments.ForName(name); arg != nil && arg.DefaultValue != nil {
		if v, err := arg.DefaultValue.Value(nil); err == nil {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

// toInt converts the integer forms argument values take.
func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int32:
		return int(n), true
	case int64:
		return int(max(min(n, math.MaxInt32), math.MinInt32)), true
	case float64:
		return int(max(min(n, math.MaxInt32), math.MinInt32)), true
	case json.Number:
		i, err := strconv.ParseInt(string(n), 10, 32)
		return int(i), err == nil
	}
	return 0, false
}

func clampInt(n int64) int { return int(max(min(n, math.MaxInt32), 0)) }

func ceilDiv(n, d int64) int { return clampInt((n + d - 1) / d) }

func saturatingAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

func saturatingMul(a, b int) int {
	if a != 0 && b > math.MaxInt/a {
		return math.MaxInt
	}
	return a * b
}

// costLimit prices each operation with the cost model, rejects it over the
// limit, and charges it to the client's rate-limit budget, all before
// anything runs.
type costLimit struct {
	max     int
	limiter *rateLimiter // nil when rate limiting is off
	stats   *statistics
	es      graphql.ExecutableSchema
	intro   *introspectionSizes
}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = &costLimit{}

// ExtensionName names the extension for gqlgen.
func (*costLimit) ExtensionName() string { return "CostLimit" }

// Validate keeps the schema whose Complexity functions take precedence, and
// measures it for pricing introspection.
func (c *costLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	c.intro = measureSchema(es.Schema())
	return nil
}

// MutateOperationContext prices the operation and charges for it.
func (c *costLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	info := infoFrom(ctx)
	p := pricer{ctx: ctx, es: c.es, schema: c.es.Schema(), vars: opCtx.Variables, stats: c.stats.current(ctx), intro: c.intro}
	info.cost = p.operation(opCtx.Operation)
	info.costKnown = true
	if c.max > 0 && info.cost > c.max {
		return requestError(CodeCostLimitExceeded,
			"the query costs %d, more than the limit of %d: ask for fewer items (a smaller first) or fewer nested lists",
			info.cost, c.max)
	}
	if c.limiter != nil {
		// One point was charged when the request arrived.
		return c.limiter.charge(info, max(info.cost, 1)-1)
	}
	return nil
}
