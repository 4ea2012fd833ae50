package graph

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/scalar"
)

// runner runs one plan for one request.
type runner struct {
	p      *plan
	oc     *graphql.OperationContext
	args   [][]reflect.Value
	budget *budget
	buf    []byte
	// path is the response path to the value being written: a field, or
	// an index (field nil) into the list of the field before it.
	path []pathStep
	errs []fieldError
	in   []reflect.Value // a resolver call's arguments, reused
	// gaveUp is set when the run meets what the compiled executor does not
	// support; gqlgen's executor then runs the request from the start.
	gaveUp bool
}

type pathStep struct {
	f     *fieldPlan
	index int
}

// fieldError is an error to add to the response, with the context whose
// field context gives its path, once the run has finished.
type fieldError struct {
	ctx context.Context
	err error
}

var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// run writes the data of the response, or reports that it gave up.
func (r *runner) run(ctx context.Context) (data []byte, ok bool) {
	bp := buffers.Get().(*[]byte)
	r.buf = (*bp)[:0]
	defer func() {
		if p := recover(); p != nil {
			r.gaveUp = true // gqlgen's executor recovers it field by field
			ok = false
		}
		if cap(r.buf) <= 1<<20 {
			*bp = r.buf[:0]
			buffers.Put(bp)
		}
	}()
	if r.args == nil {
		r.args = r.p.static
	}
	r.object(ctx, r.p.root, "Query", reflect.Value{})
	if r.gaveUp {
		return nil, false
	}
	return append([]byte(nil), r.buf...), true
}

var null = []byte("null")

// object writes the fields sel selects on obj, of object type typ, and
// reports whether it wrote null instead: a non-null field of it was null.
// Every field is written, whatever comes before it, so that the errors are
// those gqlgen's executor reports.
func (r *runner) object(ctx context.Context, sel *selection, typ string, obj reflect.Value) (isNull bool) {
	fields, ok := sel.byType[typ]
	if !ok {
		r.gaveUp = true
		return true
	}
	start := len(r.buf)
	r.buf = append(r.buf, '{')
	invalid := false
	for i, f := range fields {
		if i > 0 {
			r.buf = append(r.buf, ',')
		}
		r.buf = appendQuoted(r.buf, f.alias)
		r.buf = append(r.buf, ':')
		r.path = append(r.path, pathStep{f: f})
		if r.field(ctx, f, typ, obj) && f.def != nil && f.def.Type.NonNull {
			invalid = true
		}
		r.path = r.path[:len(r.path)-1]
		if r.gaveUp {
			return true
		}
	}
	r.buf = append(r.buf, '}')
	if invalid {
		r.buf = append(r.buf[:start], null...)
		return true
	}
	return false
}

// field writes one field of obj and reports whether it wrote null.
func (r *runner) field(ctx context.Context, f *fieldPlan, typ string, obj reflect.Value) (isNull bool) {
	if f.typename {
		r.buf = appendQuoted(r.buf, typ)
		return false
	}
	b := f.binding
	if f.query {
		if f.asOf {
			if d, ok := r.args[f.id][0].Interface().(db.PartialDate); ok {
				ctx = db.WithAsOf(ctx, d)
			}
		}
		return r.object(ctx, f.sel, "Query", reflect.Value{})
	}
	var v reflect.Value
	if f.resolver {
		// What FieldMiddleware does around a resolver, in its order.
		if res, err, stop := r.budget.halt(ctx); stop {
			if err != nil {
				r.fieldError(ctx, err, true)
			}
			_ = res // graphql.Null: the field is null, with no error
			return r.writeNull()
		}
		var err error
		v, err = r.call(ctx, f, obj)
		if r.gaveUp {
			return true
		}
		if err == nil {
			err = r.budget.resolveValue(f.sel != nil, f.def.Type.Elem != nil, v)
		}
		if err == nil && f.startWalk {
			err = prefetch(ctx, f.field.Selections, v.Interface(), r.budget)
		}
		if err != nil {
			r.fieldError(ctx, err, true)
			return r.writeNull()
		}
	} else {
		if obj.Kind() == reflect.Pointer {
			obj = obj.Elem()
		}
		v = obj.FieldByIndex(b.index)
	}
	// A resolver's nil interface is the nil result gqlgen's executor
	// reports as "must not be null" for a non-null field.
	if v.Kind() == reflect.Interface && v.IsNil() {
		if f.def.Type.NonNull {
			r.fieldError(ctx, fmt.Errorf("must not be null"), false)
		}
		return r.writeNull()
	}
	return r.value(ctx, f, f.def.Type, v)
}

// call calls the resolver or method of f on obj.
func (r *runner) call(ctx context.Context, f *fieldPlan, obj reflect.Value) (reflect.Value, error) {
	b := f.binding
	in := r.in[:0]
	fn := b.fn
	if b.kind == viaMethod {
		fn = pointerTo(obj).Method(b.method)
	}
	if b.withCtx {
		in = append(in, reflect.ValueOf(&ctx).Elem())
	}
	if b.withObj {
		in = append(in, pointerTo(obj))
	}
	in = append(in, r.args[f.id]...)
	out := fn.Call(in)
	clear(in)
	r.in = in[:0]
	if b.withErr {
		if err, _ := out[1].Interface().(error); err != nil {
			return reflect.Value{}, err
		}
	}
	return out[0], nil
}

// pointerTo returns a pointer to obj's value.
func pointerTo(obj reflect.Value) reflect.Value {
	switch {
	case obj.Kind() == reflect.Pointer:
		return obj
	case obj.CanAddr():
		return obj.Addr()
	}
	p := reflect.New(obj.Type())
	p.Elem().Set(obj)
	return p
}

// value writes v, the value of field f or an element of it, of type t, and
// reports whether it wrote null.
func (r *runner) value(ctx context.Context, f *fieldPlan, t *ast.Type, v reflect.Value) (isNull bool) {
	if t.Elem != nil {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return r.writeNull()
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Slice {
			r.gaveUp = true
			return true
		}
		if v.IsNil() && !t.NonNull {
			return r.writeNull()
		}
		start := len(r.buf)
		r.buf = append(r.buf, '[')
		invalid := false
		for i := range v.Len() {
			if i > 0 {
				r.buf = append(r.buf, ',')
			}
			r.path = append(r.path, pathStep{index: i})
			if r.value(ctx, f, t.Elem, v.Index(i)) && t.Elem.NonNull {
				invalid = true
			}
			r.path = r.path[:len(r.path)-1]
			if r.gaveUp {
				return true
			}
		}
		r.buf = append(r.buf, ']')
		if invalid {
			r.buf = append(r.buf[:start], null...)
			return true
		}
		return false
	}
	if f.sel == nil {
		return r.leaf(ctx, f, v)
	}
	typ := f.typeName
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			if t.NonNull {
				r.fieldError(ctx, fmt.Errorf("the requested element is null which the schema does not allow"), false)
			}
			return r.writeNull()
		}
		v = v.Elem()
		name, ok := r.p.types(v.Type())
		if !ok {
			r.gaveUp = true
			return true
		}
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return r.writeNull() // gqlgen writes null with no error
		}
		typ = name
	case reflect.Pointer:
		if v.IsNil() {
			if t.NonNull {
				r.fieldError(ctx, fmt.Errorf("the requested element is null which the schema does not allow"), false)
			}
			return r.writeNull()
		}
	}
	if typ == "Query" {
		return r.object(ctx, f.sel, typ, reflect.Value{})
	}
	return r.object(ctx, f.sel, typ, v)
}

// leaf writes a scalar or enum value as gqlgen's marshalers do.
func (r *runner) leaf(ctx context.Context, f *fieldPlan, v reflect.Value) (isNull bool) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return r.writeNull()
		}
		v = v.Elem()
	}
	switch f.leaf {
	case leafString:
		r.buf = appendQuoted(r.buf, v.String())
	case leafInt:
		r.buf = strconv.AppendInt(r.buf, v.Int(), 10)
	case leafFloat:
		x := v.Float()
		if math.IsInf(x, 0) || math.IsNaN(x) {
			r.gaveUp = true // gqlgen's executor reports it
			return true
		}
		r.buf = fmt.Appendf(r.buf, "%g", x)
	case leafBool:
		r.buf = strconv.AppendBool(r.buf, v.Bool())
	case leafPartialDate:
		r.buf = strconv.AppendQuote(r.buf, v.Interface().(db.PartialDate).String())
	case leafMarshaler:
		if v.Kind() == reflect.String && plainASCII(v.String()) {
			r.buf = appendQuoted(r.buf, v.String()) // as strconv.Quote writes it
			break
		}
		m, ok := v.Interface().(graphql.Marshaler)
		if !ok {
			r.gaveUp = true
			return true
		}
		w := appendWriter{r}
		m.MarshalGQL(w)
	default:
		r.gaveUp = true
		return true
	}
	_ = ctx
	return false
}

// plainASCII reports whether s is printable ASCII with no quote or
// backslash, which every JSON string writer writes the same way.
func plainASCII(s string) bool {
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

type appendWriter struct{ r *runner }

func (w appendWriter) Write(p []byte) (int, error) {
	w.r.buf = append(w.r.buf, p...)
	return len(p), nil
}

func (r *runner) writeNull() bool {
	r.buf = append(r.buf, null...)
	return true
}

// fieldError keeps err for the response with the path of the value being
// written, and with the field's location when located, as gqlgen's
// executor adds a resolver's error.
func (r *runner) fieldError(ctx context.Context, err error, located bool) {
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Query"})
	for _, s := range r.path {
		if s.f == nil {
			i := s.index
			ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
			continue
		}
		ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{
			Object:     s.f.object,
			Field:      s.f.field,
			IsMethod:   s.f.resolver,
			IsResolver: s.f.binding != nil && s.f.binding.kind == viaResolver,
		})
	}
	if located {
		err = graphql.AddFieldLocationToError(ctx, err)
	}
	r.errs = append(r.errs, fieldError{ctx: ctx, err: err})
}

// appendQuoted appends s as a JSON string the way gqlgen's string
// marshaler writes it.
func appendQuoted(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i, c := range s {
		if c < 0x20 || c == '\\' || c == '"' {
			buf = append(buf, s[start:i]...)
			switch c {
			case '\t':
				buf = append(buf, '\\', 't')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\\':
				buf = append(buf, '\\', '\\')
			case '"':
				buf = append(buf, '\\', '"')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			start = i + 1
		}
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// types names the object type of a value of an interface or union field.
func (p *plan) types(t reflect.Type) (string, bool) {
	name, ok := p.bindings.byGoType[t]
	return name, ok
}

// arguments returns the arguments of every field for a request with vars,
// or false when one is not supported or gqlgen's executor would refuse it.
func (p *plan) arguments(vars map[string]any) ([][]reflect.Value, bool) {
	if p.static != nil {
		return p.static, true
	}
	return p.bind(vars)
}

// bind coerces the arguments of every field with vars.
func (p *plan) bind(vars map[string]any) ([][]reflect.Value, bool) {
	out := make([][]reflect.Value, len(p.fields))
	for _, f := range p.fields {
		if f.binding == nil || len(f.binding.args) == 0 {
			continue
		}
		values := f.field.ArgumentMap(vars)
		args := make([]reflect.Value, len(f.binding.args))
		for i, def := range f.def.Arguments {
			raw, present := values[def.Name]
			if present && raw == nil && def.DefaultValue != nil {
				return nil, false // refused with a message naming the default
			}
			v, err := coerce(p.bindings.schema, raw, def.Type, f.binding.args[i])
			if err != nil {
				return nil, false
			}
			args[i] = v
		}
		out[f.id] = args
	}
	return out, true
}

// coerce turns raw, an argument's value from the document and the
// variables, into a value of Go type gt for GraphQL type t, as gqlgen's
// generated unmarshalers do.
func coerce(schema *ast.Schema, raw any, t *ast.Type, gt reflect.Type) (reflect.Value, error) {
	if gt.Kind() == reflect.Pointer {
		if raw == nil {
			return reflect.Zero(gt), nil
		}
		v, err := coerce(schema, raw, t, gt.Elem())
		if err != nil {
			return reflect.Value{}, err
		}
		p := reflect.New(gt.Elem())
		p.Elem().Set(v)
		return p, nil
	}
	if t.Elem != nil {
		if gt.Kind() != reflect.Slice {
			return reflect.Value{}, errUnsupported
		}
		if raw == nil {
			return reflect.Zero(gt), nil
		}
		items := graphql.CoerceList(raw)
		s := reflect.MakeSlice(gt, len(items), len(items))
		for i, item := range items {
			v, err := coerce(schema, item, t.Elem, gt.Elem())
			if err != nil {
				return reflect.Value{}, err
			}
			s.Index(i).Set(v)
		}
		return s, nil
	}
	if raw == nil {
		return reflect.Value{}, errUnsupported
	}
	if def := schema.Types[t.Name()]; def != nil && def.Kind == ast.InputObject {
		return coerceInput(schema, raw, def, gt)
	}
	var v any
	var err error
	switch t.Name() {
	case "String":
		v, err = graphql.UnmarshalString(raw)
	case "ID":
		v, err = graphql.UnmarshalID(raw)
	case "Int":
		v, err = graphql.UnmarshalInt(raw)
	case "Float":
		v, err = graphql.UnmarshalFloat(raw)
	case "Boolean":
		v, err = graphql.UnmarshalBoolean(raw)
	case "PartialDate":
		v, err = scalar.UnmarshalPartialDate(raw)
	default:
		p := reflect.New(gt)
		if u, ok := p.Interface().(graphql.Unmarshaler); ok {
			if err := u.UnmarshalGQL(raw); err != nil {
				return reflect.Value{}, err
			}
			return p.Elem(), nil
		}
		if gt.Kind() != reflect.String {
			return reflect.Value{}, errUnsupported
		}
		v, err = graphql.UnmarshalString(raw)
	}
	if err != nil {
		return reflect.Value{}, err
	}
	rv := reflect.ValueOf(v)
	if !rv.Type().ConvertibleTo(gt) {
		return reflect.Value{}, errUnsupported
	}
	return rv.Convert(gt), nil
}

// coerceInput turns raw, an input object's value, into the Go struct gt
// it binds to, as gqlgen's generated unmarshalInput functions do: the
// schema's defaults for absent fields, each field coerced by its type into
// the struct field of the same name but for case. Anything else (a field
// with no struct field, an explicit null where there is a default, which
// gqlgen's executor refuses with its own message) is not supported.
func coerceInput(schema *ast.Schema, raw any, def *ast.Definition, gt reflect.Type) (reflect.Value, error) {
	m, ok := raw.(map[string]any)
	if !ok || gt.Kind() != reflect.Struct {
		return reflect.Value{}, errUnsupported
	}
	for k := range m {
		if def.Fields.ForName(k) == nil {
			return reflect.Value{}, errUnsupported
		}
	}
	out := reflect.New(gt).Elem()
	for _, fd := range def.Fields {
		v, present := m[fd.Name]
		switch {
		case present && v == nil && fd.DefaultValue != nil:
			return reflect.Value{}, errUnsupported
		case !present && fd.DefaultValue == nil:
			continue
		case !present:
			dv, err := fd.DefaultValue.Value(nil)
			if err != nil {
				return reflect.Value{}, errUnsupported
			}
			v = dv
		}
		sf, ok := structField(gt, fd.Name)
		if !ok {
			return reflect.Value{}, errUnsupported
		}
		cv, err := coerce(schema, v, fd.Type, sf.Type)
		if err != nil {
			return reflect.Value{}, err
		}
		out.FieldByIndex(sf.Index).Set(cv)
	}
	return out, nil
}

// structField finds the one exported field of struct t named name but for
// case.
func structField(t reflect.Type, name string) (reflect.StructField, bool) {
	var found reflect.StructField
	n := 0
	for _, sf := range reflect.VisibleFields(t) {
		if sf.IsExported() && len(sf.Index) == 1 && strings.EqualFold(sf.Name, name) {
			found = sf
			n++
		}
	}
	return found, n == 1
}
