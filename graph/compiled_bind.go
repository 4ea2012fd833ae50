package graph

import (
	"context"
	"reflect"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/investgraph/investgraph/graph/exec"
	"github.com/investgraph/investgraph/graph/model"
)

// The compiled executor's bindings: how each field of the schema reads its
// value, found once by reflection on the resolvers and the Go types the
// schema binds to, the way gqlgen's code generator finds them (a resolver
// method of the type's resolver when there is one, else a method of the Go
// type, else a field of it, names compared ignoring case). A field whose
// binding is not found, or whose signature is not one the executor knows,
// has no binding, and operations selecting it run on gqlgen's executor.

// fieldKind is how a field reads its value.
type fieldKind int

const (
	viaResolver fieldKind = iota + 1 // a method of the type's resolver
	viaMethod                        // a method of the Go type
	viaField                         // a field of the Go struct
)

// fieldBinding is how one field of an object type reads its value.
type fieldBinding struct {
	kind fieldKind
	// fn is the resolver's method, bound to the resolver (viaResolver),
	// or the Go type's method by index (viaMethod).
	fn     reflect.Value
	method int
	// withCtx and withErr tell whether a method takes a context first and
	// returns an error second; withObj whether a resolver takes the object.
	withCtx, withErr, withObj bool
	// index is the struct field's index path (viaField).
	index []int
	// args are the Go types of the arguments, in the schema's order.
	args []reflect.Type
	// out is the Go type of the value.
	out reflect.Type
}

// objectBinding is how an object type's fields read their values.
type objectBinding struct {
	name string
	// base is the Go struct (or other) type the GraphQL type binds to; its
	// values come as base or *base.
	base   reflect.Type
	fields map[string]*fieldBinding
}

// bindings holds the bindings of every object type reachable from Query.
type bindings struct {
	schema  *ast.Schema
	objects map[string]*objectBinding
	// byGoType names the GraphQL object type of each Go type, for values
	// of interface and union fields.
	byGoType map[reflect.Type]string
}

var (
	ctxType = reflect.TypeFor[context.Context]()
	errType = reflect.TypeFor[error]()
)

// bind finds the bindings of the schema's object types to resolvers and Go
// types, starting from Query and following the types of the fields.
func bind(schema *ast.Schema, resolvers exec.ResolverRoot) *bindings {
	b := &bindings{schema: schema, objects: map[string]*objectBinding{}, byGoType: map[reflect.Type]string{}}
	root := reflect.ValueOf(resolvers)
	queue := []*objectBinding{{name: schema.Query.Name, base: reflect.TypeFor[model.Query](), fields: map[string]*fieldBinding{}}}
	b.objects[schema.Query.Name] = queue[0]
	for len(queue) > 0 {
		o := queue[0]
		queue = queue[1:]
		def := schema.Types[o.name]
		var resolver reflect.Value
		if m := root.MethodByName(o.name); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 {
			resolver = m.Call(nil)[0]
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			fb := bindField(o, resolver, f)
			if fb == nil {
				continue
			}
			o.fields[f.Name] = fb
			child := schema.Types[f.Type.Name()]
			if child == nil || child.Kind != ast.Object {
				continue
			}
			base := fb.out
			for base.Kind() == reflect.Slice {
				base = base.Elem()
			}
			if base.Kind() == reflect.Pointer {
				base = base.Elem()
			}
			if _, seen := b.objects[child.Name]; seen {
				if b.objects[child.Name].base != base {
					delete(o.fields, f.Name) // bound to another Go type than elsewhere
				}
				continue
			}
			c := &objectBinding{name: child.Name, base: base, fields: map[string]*fieldBinding{}}
			b.objects[child.Name] = c
			queue = append(queue, c)
		}
	}
	for name, o := range b.objects {
		if name == schema.Query.Name {
			continue
		}
		b.byGoType[o.base] = name
		b.byGoType[reflect.PointerTo(o.base)] = name
	}
	return b
}

// bindField finds how field f of o reads its value, or returns nil.
func bindField(o *objectBinding, resolver reflect.Value, f *ast.FieldDefinition) *fieldBinding {
	if resolver.IsValid() {
		if m, ok := methodNamed(resolver.Type(), f.Name); ok {
			fb := &fieldBinding{kind: viaResolver, fn: resolver.Method(m.Index), withCtx: true}
			t := fb.fn.Type()
			in := 0
			if t.NumIn() == 0 || t.In(0) != ctxType {
				return nil
			}
			in++
			if o.name != "Query" {
				if t.NumIn() < 2 || t.In(1) != reflect.PointerTo(o.base) {
					return nil
				}
				fb.withObj = true
				in++
			}
			return signature(fb, t, in, f)
		}
	}
	ptr := reflect.PointerTo(o.base)
	if m, ok := methodNamed(ptr, f.Name); ok {
		fb := &fieldBinding{kind: viaMethod, method: m.Index}
		t := m.Type // with the receiver first
		in := 1
		if t.NumIn() > in && t.In(in) == ctxType {
			fb.withCtx = true
			in++
		}
		return signature(fb, t, in, f)
	}
	if o.base.Kind() != reflect.Struct || len(f.Arguments) > 0 {
		return nil
	}
	var found *reflect.StructField
	for _, sf := range reflect.VisibleFields(o.base) {
		if !sf.IsExported() || !strings.EqualFold(sf.Name, f.Name) {
			continue
		}
		if found != nil && len(found.Index) == len(sf.Index) {
			return nil // two ways to bind
		}
		if found == nil || len(sf.Index) < len(found.Index) {
			sf := sf
			found = &sf
		}
	}
	if found == nil {
		return nil
	}
	return &fieldBinding{kind: viaField, index: found.Index, out: found.Type}
}

// signature checks the rest of a method's signature from parameter in on:
// one parameter per argument of f, and a value with or without an error.
func signature(fb *fieldBinding, t reflect.Type, in int, f *ast.FieldDefinition) *fieldBinding {
	if t.NumIn()-in != len(f.Arguments) || t.IsVariadic() {
		return nil
	}
	for i := in; i < t.NumIn(); i++ {
		fb.args = append(fb.args, t.In(i))
	}
	switch {
	case t.NumOut() == 1:
	case t.NumOut() == 2 && t.Out(1) == errType:
		fb.withErr = true
	default:
		return nil
	}
	fb.out = t.Out(0)
	return fb
}

// methodNamed finds the one exported method of t whose name is name but
// for case.
func methodNamed(t reflect.Type, name string) (reflect.Method, bool) {
	var found reflect.Method
	n := 0
	for i := range t.NumMethod() {
		if m := t.Method(i); strings.EqualFold(m.Name, name) {
			found = m
			n++
		}
	}
	return found, n == 1
}
