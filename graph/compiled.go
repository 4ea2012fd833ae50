package graph

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/exec"
)

// The compiled executor answers the queries it fully supports without
// gqlgen's per-field machinery: each validated operation is compiled once
// (cached by its text, its operation name and the values of the variables
// its @skip and @include read) into a plan of the fields each object type
// selects, with their bindings (compiled_bind.go) and arguments. A run
// resolves the root fields, prefetches each one's selection a level at a
// time as FieldMiddleware does (prefetch.go), and writes the JSON of the
// response in selection order into one buffer, on the request's goroutine:
// no goroutine per field or list element and no field context unless an
// error needs its path. Field errors, their paths and locations, the
// non-null propagation of nulls, the request budget and the deadline are as
// gqlgen's executor has them, which TestCompiledMatchesGqlgen (in httpapi)
// checks response by response.
//
// gqlgen's executor stays the reference and runs everything else: mutations
// and subscriptions, introspection, @defer, fields no binding was found
// for, arguments it cannot coerce exactly as gqlgen would (an explicit null
// where the schema has a default), and a run the compiled executor gives up
// on part-way (an unexpected type, a float JSON cannot hold, a panic),
// which it undoes before handing the request over.

// Executor names, for Options and the metrics.
const (
	ExecutorCompiled = "fast"
	ExecutorGqlgen   = "gqlgen"
)

// NewCompiledSchema returns the schema with its resolvers over store, run
// by the compiled executor where it can and by gqlgen's otherwise. ran, if
// not nil, is told which executor served each operation.
func NewCompiledSchema(store *db.Store, ran func(ctx context.Context, executor string), opts ...Option) graphql.ExecutableSchema {
	resolvers := newResolver(store, opts)
	es := exec.NewExecutableSchema(exec.Config{Resolvers: resolvers})
	return &revisionSchema{r: resolvers, ExecutableSchema: &compiledSchema{
		ExecutableSchema: es,
		bindings:         bind(es.Schema(), resolvers),
		ran:              ran,
		ops:              map[opKey]*opEntry{},
	}}
}

// compiledSchema is gqlgen's executable schema with the compiled executor
// in front of its Exec.
type compiledSchema struct {
	graphql.ExecutableSchema
	bindings *bindings
	ran      func(ctx context.Context, executor string)

	mu  sync.Mutex
	ops map[opKey]*opEntry
}

// maxCachedOps bounds the operations whose plans are kept; the cache is
// emptied when it is full.
const maxCachedOps = 1000

type opKey struct{ query, operation string }

// opEntry is what is cached for one operation of one document: the
// variables its directives read, and its plans by their values.
type opEntry struct {
	conditions []string
	others     bool             // directives other than @skip and @include
	plans      map[string]*plan // nil plan: not supported
}

// Exec runs the operation of ctx.
func (s *compiledSchema) Exec(ctx context.Context) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	p := s.planFor(oc)
	var args [][]reflect.Value
	if p != nil {
		var ok bool
		if args, ok = p.arguments(oc.Variables); !ok {
			p = nil
		}
	}
	if p == nil {
		return s.gqlgen(ctx, ctx)
	}
	done := false
	return func(rctx context.Context) *graphql.Response {
		if done {
			return nil
		}
		done = true
		r := runner{p: p, oc: oc, args: args, budget: budgetFrom(rctx)}
		saved := r.budget.save()
		data, ok := r.run(rctx)
		if !ok {
			r.budget.restore(saved)
			return s.gqlgen(ctx, rctx)(rctx)
		}
		for _, e := range r.errs {
			oc.Error(e.ctx, e.err)
		}
		s.report(rctx, ExecutorCompiled)
		return &graphql.Response{Data: data}
	}
}

// gqlgen runs the operation on gqlgen's executor.
func (s *compiledSchema) gqlgen(execCtx, ctx context.Context) graphql.ResponseHandler {
	s.report(ctx, ExecutorGqlgen)
	return s.ExecutableSchema.Exec(execCtx)
}

func (s *compiledSchema) report(ctx context.Context, executor string) {
	if s.ran != nil {
		s.ran(ctx, executor)
	}
}

// planFor returns the plan of oc's operation, compiling it the first time,
// or nil when the compiled executor does not support it.
func (s *compiledSchema) planFor(oc *graphql.OperationContext) *plan {
	if oc.Operation == nil || oc.Operation.Operation != ast.Query || oc.Doc == nil {
		return nil
	}
	key := opKey{oc.RawQuery, oc.OperationName}
	s.mu.Lock()
	e := s.ops[key]
	s.mu.Unlock()
	if e == nil {
		e = &opEntry{plans: map[string]*plan{}}
		e.conditions, e.others = conditionVariables(oc.Doc)
	}
	if e.others {
		return nil
	}
	cond := conditionKey(e.conditions, oc.Variables)
	s.mu.Lock()
	p, found := e.plans[cond]
	s.mu.Unlock()
	if found {
		return p
	}
	p = compile(s.bindings, oc)
	s.mu.Lock()
	if len(s.ops) >= maxCachedOps {
		clear(s.ops)
	}
	if cur := s.ops[key]; cur != nil {
		e = cur
	} else {
		s.ops[key] = e
	}
	if len(e.plans) < 64 {
		e.plans[cond] = p
	}
	s.mu.Unlock()
	return p
}

// conditionVariables lists the variables the document's @skip and
// @include directives read, and reports whether it has other directives.
func conditionVariables(doc *ast.QueryDocument) (names []string, others bool) {
	var walk func(ast.SelectionSet)
	directives := func(ds ast.DirectiveList) {
		for _, d := range ds {
			if d.Name != "skip" && d.Name != "include" {
				others = true
				continue
			}
			for _, a := range d.Arguments {
				if a.Value != nil && a.Value.Kind == ast.Variable && !contains(names, a.Value.Raw) {
					names = append(names, a.Value.Raw)
				}
			}
		}
	}
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				directives(sel.Directives)
				walk(sel.SelectionSet)
			case *ast.InlineFragment:
				directives(sel.Directives)
				walk(sel.SelectionSet)
			case *ast.FragmentSpread:
				directives(sel.Directives)
			}
		}
	}
	for _, op := range doc.Operations {
		walk(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		directives(f.Directives)
		walk(f.SelectionSet)
	}
	return names, others
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// conditionKey is the values of the condition variables, as a key.
func conditionKey(names []string, vars map[string]any) string {
	if len(names) == 0 {
		return ""
	}
	var b strings.Builder
	for _, n := range names {
		switch v := vars[n].(type) {
		case bool:
			if v {
				b.WriteByte('t')
			} else {
				b.WriteByte('f')
			}
		case nil:
			b.WriteByte('n')
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// plan is a compiled operation.
type plan struct {
	bindings *bindings
	root     *selection
	fields   []*fieldPlan
	// static holds the arguments of every field when none depends on a
	// variable; nil otherwise.
	static [][]reflect.Value
}

// selection is a selection set compiled for each object type its values
// may have.
type selection struct {
	byType map[string][]*fieldPlan
}

// fieldPlan is one field of a selection set on one object type.
type fieldPlan struct {
	id        int
	object    string // the type the field is on
	field     graphql.CollectedField
	def       *ast.FieldDefinition
	alias     string
	typename  bool // __typename
	binding   *fieldBinding
	sel       *selection // for fields of composite types
	leaf      leafKind   // for fields of leaf types
	typeName  string     // the named type of the field
	resolver  bool       // FieldMiddleware treats it as a resolver
	startWalk bool
	asOf      bool // Query.asOf: its date scopes what it selects
	query     bool // of the Query type
}

type leafKind int

const (
	leafNone leafKind = iota
	leafString
	leafInt
	leafFloat
	leafBool
	leafPartialDate
	leafMarshaler // the Go type marshals itself
)

var errUnsupported = errors.New("not supported by the compiled executor")

// compile compiles oc's operation, or returns nil when it selects anything
// the compiled executor does not support.
func compile(b *bindings, oc *graphql.OperationContext) *plan {
	c := compiler{b: b, oc: oc, p: &plan{bindings: b}}
	root, err := c.selection(oc.Operation.SelectionSet, b.schema.Query)
	if err != nil {
		return nil
	}
	c.p.root = root
	if !c.variables {
		static, ok := c.p.bind(nil)
		if !ok {
			return nil
		}
		c.p.static = static
	}
	return c.p
}

type compiler struct {
	b         *bindings
	oc        *graphql.OperationContext
	p         *plan
	variables bool // an argument reads a variable
}

func (c *compiler) selection(set ast.SelectionSet, def *ast.Definition) (*selection, error) {
	s := &selection{byType: map[string][]*fieldPlan{}}
	for _, t := range c.b.schema.GetPossibleTypes(def) {
		o := c.b.objects[t.Name]
		if o == nil {
			continue // values of it are not expected; a run meeting one gives up
		}
		var fields []*fieldPlan
		for _, cf := range graphql.CollectFields(c.oc, set, implementors()[t.Name]) {
			f, err := c.field(o, cf)
			if err != nil {
				return nil, err
			}
			fields = append(fields, f)
		}
		s.byType[t.Name] = fields
	}
	return s, nil
}

func (c *compiler) field(o *objectBinding, cf graphql.CollectedField) (*fieldPlan, error) {
	for _, d := range cf.Directives {
		if d.Name != "skip" && d.Name != "include" {
			return nil, errUnsupported
		}
	}
	f := &fieldPlan{id: len(c.p.fields), object: o.name, field: cf, def: cf.Definition, alias: cf.Alias}
	c.p.fields = append(c.p.fields, f)
	if cf.Name == "__typename" {
		f.typename = true
		return f, nil
	}
	if strings.HasPrefix(cf.Name, "__") || cf.Definition == nil {
		return nil, errUnsupported
	}
	// Query.atRevision reads another store beneath it, which the runner
	// does not switch to: gqlgen's executor answers those operations.
	if o.name == c.b.schema.Query.Name && cf.Name == "atRevision" {
		return nil, errUnsupported
	}
	f.binding = o.fields[cf.Name]
	if f.binding == nil {
		return nil, errUnsupported
	}
	for _, a := range cf.Arguments {
		if a.Value != nil && hasVariable(a.Value) {
			c.variables = true
		}
	}
	f.typeName = cf.Definition.Type.Name()
	// gqlgen's executor calls no resolver and no middleware for a field of
	// the Query type: it selects on a new Query.
	f.query = f.typeName == c.b.schema.Query.Name
	f.resolver = f.binding.kind != viaField && !f.query
	f.startWalk = walkStarts(o.name, cf.Name, f.binding.kind == viaResolver, len(cf.Selections) > 0)
	f.asOf = o.name == c.b.schema.Query.Name && cf.Name == "asOf"
	def := c.b.schema.Types[f.typeName]
	if def == nil {
		return nil, errUnsupported
	}
	if def.IsCompositeType() {
		sel, err := c.selection(cf.Selections, def)
		if err != nil {
			return nil, err
		}
		f.sel = sel
		return f, nil
	}
	f.leaf = leafOf(def, f.binding.out)
	if f.leaf == leafNone {
		return nil, errUnsupported
	}
	return f, nil
}

func hasVariable(v *ast.Value) bool {
	if v.Kind == ast.Variable {
		return true
	}
	for _, c := range v.Children {
		if hasVariable(c.Value) {
			return true
		}
	}
	return false
}

var (
	marshalerType   = reflect.TypeFor[graphql.Marshaler]()
	partialDateType = reflect.TypeFor[db.PartialDate]()
)

// leafOf returns how to write values of Go type t (or lists of them) for a
// scalar or enum def.
func leafOf(def *ast.Definition, t reflect.Type) leafKind {
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch def.Name {
	case "String", "ID":
		if t.Kind() == reflect.String {
			return leafString
		}
	case "Int":
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return leafInt
		}
	case "Float":
		if t.Kind() == reflect.Float64 || t.Kind() == reflect.Float32 {
			return leafFloat
		}
	case "Boolean":
		if t.Kind() == reflect.Bool {
			return leafBool
		}
	case "PartialDate":
		if t == partialDateType {
			return leafPartialDate
		}
	default:
		switch {
		case t.Implements(marshalerType):
			return leafMarshaler
		case def.Kind == ast.Enum && t.Kind() == reflect.String:
			return leafString
		}
	}
	return leafNone
}
