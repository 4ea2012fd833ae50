package graph

import (
	"context"
	"reflect"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/loader"
)

// The kinds of step the table in prefetch.go is made of. Each loads a whole
// level with LoadAll, which fetches the keys it has not cached in one batch
// however often a key repeats, and returns the children parent by parent.

// load is the step of a list field read through a loader keyed by the
// parent's row id.
func load[P, C any](of func(*loader.Loaders) *loader.Loader[int64, []C], key func(*P) int64) step {
	return func(ctx context.Context, l *loader.Loaders, parents []any) ([]any, []int) {
		keys := make([]int64, 0, len(parents))
		for _, p := range parents {
			if p, ok := p.(*P); ok {
				keys = append(keys, key(p))
			}
		}
		lists, found := of(l).LoadAll(ctx, keys)
		var out []any
		counts := make([]int, len(parents))
		k := 0
		for i, p := range parents {
			if _, ok := p.(*P); !ok {
				continue
			}
			if found[k] {
				out = appendAnys(out, lists[k])
				counts[i] = len(lists[k])
			}
			k++
		}
		return out, counts
	}
}

// loadOne is the step of a field holding one object read through a loader
// by a row id of the parent's (nil when the parent has none).
func loadOne[P, C any](of func(*loader.Loaders) *loader.Loader[int64, *C], key func(*P) *int64) step {
	return func(ctx context.Context, l *loader.Loaders, parents []any) ([]any, []int) {
		keys := make([]int64, 0, len(parents))
		from := make([]int, 0, len(parents)) // the parent of each key
		for i, p := range parents {
			if p, ok := p.(*P); ok {
				if k := key(p); k != nil {
					keys = append(keys, *k)
					from = append(from, i)
				}
			}
		}
		values, found := of(l).LoadAll(ctx, keys)
		out := make([]any, 0, len(values))
		counts := make([]int, len(parents))
		for k, v := range values {
			if found[k] {
				out = append(out, v)
				counts[from[k]] = 1
			}
		}
		return out, counts
	}
}

// citations is the step of a citations field of a subject of kind s.
func citations[P any](s db.Subject, id func(*P) int64) step {
	return func(ctx context.Context, l *loader.Loaders, parents []any) ([]any, []int) {
		keys := make([]db.SubjectKey, len(parents))
		for i, p := range parents {
			if p, ok := p.(*P); ok {
				keys[i] = db.SubjectKey{Subject: s, ID: id(p)}
			}
		}
		lists, found := l.Citations.LoadAll(ctx, keys)
		var out []any
		counts := make([]int, len(parents))
		for i, list := range lists {
			if found[i] {
				out = appendAnys(out, list)
				counts[i] = len(list)
			}
		}
		return out, counts
	}
}

// eventCitations is the step of TimelineEvent.citations: an event carries
// its one citation or names the subject whose citations it has.
func eventCitations(ctx context.Context, l *loader.Loaders, parents []any) ([]any, []int) {
	var keys []db.SubjectKey
	for _, p := range parents {
		if e := p.(*db.TimelineEvent); e.Citation == nil && e.CitationsOf != nil {
			keys = append(keys, *e.CitationsOf)
		}
	}
	lists, found := l.Citations.LoadAll(ctx, keys)
	var out []any
	counts := make([]int, len(parents))
	k := 0
	for i, p := range parents {
		switch e := p.(*db.TimelineEvent); {
		case e.Citation != nil:
			out = append(out, e.Citation)
			counts[i] = 1
		case e.CitationsOf != nil:
			if found[k] {
				out = appendAnys(out, lists[k])
				counts[i] = len(lists[k])
			}
			k++
		}
	}
	return out, counts
}

// nodes is the step of a field holding the objects of node references: one
// statement per type referenced.
func nodes[P any](refs func(*P) []db.NodeRef) step {
	return func(ctx context.Context, l *loader.Loaders, parents []any) ([]any, []int) {
		byType := map[string][]int64{}
		for _, p := range parents {
			if p, ok := p.(*P); ok {
				for _, r := range refs(p) {
					byType[r.Type] = append(byType[r.Type], r.ID)
				}
			}
		}
		loaded := map[db.NodeRef]any{}
		for typ, ids := range byType {
			loadNodeIDs(ctx, l, typ, ids, loaded)
		}
		var out []any
		counts := make([]int, len(parents))
		for i, p := range parents {
			if p, ok := p.(*P); ok {
				for _, r := range refs(p) {
					if v, ok := loaded[r]; ok {
						out = append(out, v)
						counts[i]++
					}
				}
			}
		}
		return out, counts
	}
}

// relationships is the step of a list of relationships, which their
// resolvers return with the global IDs of their ends: it loads the ends.
func relationships[P any](rels func(*P) []*db.Relationship) step {
	ends := nodes(func(p *P) []db.NodeRef {
		var refs []db.NodeRef
		for _, r := range rels(p) {
			refs = append(refs, r.From, r.To)
		}
		return refs
	})
	return func(ctx context.Context, l *loader.Loaders, parents []any) ([]any, []int) {
		ends(ctx, l, parents)
		var out []any
		counts := make([]int, len(parents))
		for i, p := range parents {
			if p, ok := p.(*P); ok {
				out = appendAnys(out, rels(p))
				counts[i] = len(rels(p))
			}
		}
		return out, counts
	}
}

// The steps of a path's fields.
var (
	pathNodes         = nodes(func(p *db.Path) []db.NodeRef { return p.Nodes })
	pathRelationships = relationships(func(p *db.Path) []*db.Relationship { return p.Relationships })
)

// pathElements is the step of Path.elements: the path's objects and the
// relationships between them.
func pathElements(ctx context.Context, l *loader.Loaders, parents []any) ([]any, []int) {
	nodes, nodeCounts := pathNodes(ctx, l, parents)
	rels, relCounts := pathRelationships(ctx, l, parents)
	out := make([]any, 0, len(nodes)+len(rels))
	counts := make([]int, len(parents))
	for i := range parents {
		out = append(out, nodes[:nodeCounts[i]]...)
		out = append(out, rels[:relCounts[i]]...)
		nodes, rels = nodes[nodeCounts[i]:], rels[relCounts[i]:]
		counts[i] = nodeCounts[i] + relCounts[i]
	}
	return out, counts
}

// loadNodeIDs loads the objects of type typ with the ids into loaded.
func loadNodeIDs(ctx context.Context, l *loader.Loaders, typ string, ids []int64, loaded map[db.NodeRef]any) {
	switch typ {
	case typeCompany:
		foundInto(ctx, loaded, typ, ids, l.Company.LoadAll)
	case typePerson:
		foundInto(ctx, loaded, typ, ids, l.Person.LoadAll)
	case typeProject:
		foundInto(ctx, loaded, typ, ids, l.Project.LoadAll)
	case typeMeeting:
		foundInto(ctx, loaded, typ, ids, l.Meeting.LoadAll)
	case typeAgreement:
		foundInto(ctx, loaded, typ, ids, l.Agreement.LoadAll)
	case typeSource:
		foundInto(ctx, loaded, typ, ids, l.Source.LoadAll)
	case typeStatement:
		foundInto(ctx, loaded, typ, ids, l.Statement.LoadAll)
	case typeEvent:
		foundInto(ctx, loaded, typ, ids, l.Event.LoadAll)
	}
}

// foundInto loads ids with loadAll and records the values it found.
func foundInto[V any](ctx context.Context, loaded map[db.NodeRef]any, typ string, ids []int64,
	loadAll func(context.Context, []int64) ([]V, []bool)) {
	values, found := loadAll(ctx, ids)
	for i, v := range values {
		if found[i] {
			loaded[db.NodeRef{Type: typ, ID: ids[i]}] = v
		}
	}
}

// pick is the step of a field whose objects the parent holds.
func pick[P any](children func(*P) []any) step {
	return func(_ context.Context, _ *loader.Loaders, parents []any) ([]any, []int) {
		var out []any
		counts := make([]int, len(parents))
		for i, p := range parents {
			if p, ok := p.(*P); ok {
				c := nonNil(children(p))
				out = append(out, c...)
				counts[i] = len(c)
			}
		}
		return out, counts
	}
}

// appendAnys appends the elements of s to out.
func appendAnys[T any](out []any, s []T) []any {
	for _, v := range s {
		out = append(out, v)
	}
	return out
}

func anys[T any](s []T) []any { return appendAnys(make([]any, 0, len(s)), s) }

// nonNil returns the elements of s that are not nil, nor nil pointers
// wrapped in an interface.
func nonNil[T any](s []T) []any {
	out := make([]any, 0, len(s))
	for _, v := range s {
		if a := any(v); a != nil && typeName(a) != "" && !isNilPointer(a) {
			out = append(out, a)
		}
	}
	return out
}

func isNilPointer(v any) bool {
	r := reflect.ValueOf(v)
	return r.Kind() == reflect.Pointer && r.IsNil()
}
