package graph

import (
	"context"
	"math"
	"reflect"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
)

// budget bounds the objects one request resolves, counted where they are
// made, whatever the query's estimated cost said. The prefetch walk counts
// the objects each level of a query will put in the response, copies
// included, before gqlgen builds any of them: a hub that appears a thousand
// times with a thousand projects counts a million. The field middleware
// counts what resolvers return, for fields no walk reaches. Over the limit,
// the walk stops and every resolver after it fails, so the response's
// memory is never spent; the transport then answers with the one error.
type budget struct {
	max      int64
	exceeded func(limit int64) error

	walked   atomic.Int64 // objects the prefetch walks counted
	resolved atomic.Int64 // objects the resolvers returned
	over     atomic.Bool
	halted   atomic.Bool // a resolver has been stopped with an error
}

type budgetKey struct{}

// WithObjectLimit returns a context under which a request resolves at most
// max objects (no limit when max is not positive). Past it, the request's
// resolvers fail with the error exceeded returns, which is called afresh
// for every failing field (gqlgen sets each error's path in place).
func WithObjectLimit(ctx context.Context, max int64, exceeded func(limit int64) error) context.Context {
	if max <= 0 {
		max = math.MaxInt64
	}
	return context.WithValue(ctx, budgetKey{}, &budget{max: max, exceeded: exceeded})
}

// ObjectLimitExceeded reports whether the request ctx belongs to went over
// its object limit.
func ObjectLimitExceeded(ctx context.Context) bool {
	b := budgetFrom(ctx)
	return b != nil && b.over.Load()
}

// ObjectsResolved returns how many objects the request ctx belongs to has
// resolved, or would have had it not stopped: the larger of the prefetch
// walks' count and the resolvers'.
func ObjectsResolved(ctx context.Context) int64 {
	b := budgetFrom(ctx)
	if b == nil {
		return 0
	}
	return max(b.walked.Load(), b.resolved.Load())
}

func budgetFrom(ctx context.Context) *budget {
	b, _ := ctx.Value(budgetKey{}).(*budget)
	return b
}

// walk counts n objects a prefetch walk found, and fails past the limit.
func (b *budget) walk(n int64) error {
	if b == nil {
		return nil
	}
	return b.check(b.walked.Add(n))
}

// resolve counts the objects a resolver returned, and fails past the limit.
func (b *budget) resolve(fc *graphql.FieldContext, res any) error {
	if b == nil {
		return nil
	}
	list := fc.Field.Definition != nil && fc.Field.Definition.Type.Elem != nil
	return b.resolveValue(len(fc.Field.Selections) > 0, list, reflect.ValueOf(res))
}

// resolveValue counts the objects in v, a resolver's result for a field
// with or without a selection (objects or scalars), of a list type or not.
func (b *budget) resolveValue(selections, list bool, v reflect.Value) error {
	if !selections {
		return b.err() // scalars are not objects
	}
	n := int64(1)
	if list && v.Kind() == reflect.Slice {
		n = int64(v.Len())
	}
	return b.check(b.resolved.Add(n))
}

// budgetState is what a budget has counted, to undo a run the compiled
// executor gives up on before handing the request to gqlgen's.
type budgetState struct {
	walked, resolved int64
	over, halted     bool
}

func (b *budget) save() budgetState {
	if b == nil {
		return budgetState{}
	}
	return budgetState{b.walked.Load(), b.resolved.Load(), b.over.Load(), b.halted.Load()}
}

func (b *budget) restore(s budgetState) {
	if b == nil {
		return
	}
	b.walked.Store(s.walked)
	b.resolved.Store(s.resolved)
	b.over.Store(s.over)
	b.halted.Store(s.halted)
}

func (b *budget) check(n int64) error {
	if n < 0 || n > b.max {
		b.over.Store(true)
	}
	return b.err()
}

// halt stops a resolver once the request's context has ended or its budget
// is spent. The first resolver stopped fails with the reason; every later
// one returns null at once, with no error: after a deadline, gqlgen still
// visits every element of the lists it already has, and an error for each
// would cost more than the work it saves. A request halted so has holes in
// its data, so the transport must answer it with the error alone (the
// presented errors include a TIMEOUT, a CANCELED or the budget's).
func (b *budget) halt(ctx context.Context) (res any, err error, stop bool) {
	if err = ctx.Err(); err == nil {
		err = b.err()
	}
	switch {
	case err == nil:
		return nil, nil, false
	case b == nil || b.halted.CompareAndSwap(false, true):
		return nil, err, true
	}
	return graphql.Null, nil, true
}

// err is the budget's error once it is spent.
func (b *budget) err() error {
	if b == nil || !b.over.Load() {
		return nil
	}
	return b.exceeded(b.max)
}
