package graph

import (
	"context"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/loader"
)

// The prefetch steps of Node.history and of NodeChange.revision, kept
// beside each other and added to the table of prefetch.go here, as
// evidence_steps.go adds its own.
func init() {
	add := func(typ, name string, s step) {
		if steps[typ] == nil {
			steps[typ] = map[string]step{}
		}
		steps[typ][name] = s
	}
	add(typeCompany, "history", historyStep(typeCompany, func(x *db.Company) string { return x.Slug }))
	add(typePerson, "history", historyStep(typePerson, func(x *db.Person) string { return x.Slug }))
	add(typeProject, "history", historyStep(typeProject, func(x *db.Project) string { return x.Slug }))
	add(typeMeeting, "history", historyStep(typeMeeting, func(x *db.Meeting) string { return x.Slug }))
	add(typeAgreement, "history", historyStep(typeAgreement, func(x *db.Agreement) string { return x.Slug }))
	add(typeSource, "history", historyStep(typeSource, func(x *db.Source) string { return x.Slug }))
	add(typeStatement, "history", historyStep(typeStatement, func(x *db.Statement) string { return x.Slug }))
	add(typeEvent, "history", historyStep(typeEvent, func(x *db.Event) string { return x.Slug }))
	add("NodeChange", "revision", loadOne(func(l *loaders) *byID[*db.Revision] { return &l.Revision },
		func(c *db.NodeChange) *int64 { return &c.RevisionID }))
}

// historyStep is the step of the history of objects of type typ, by slug.
func historyStep[P any](typ string, slug func(*P) string) step {
	return func(ctx context.Context, l *loader.Loaders, parents []any) ([]any, []int) {
		keys := make([]db.SlugRef, 0, len(parents))
		from := make([]int, 0, len(parents)) // the parent of each key
		for i, p := range parents {
			if p, ok := p.(*P); ok {
				keys = append(keys, db.SlugRef{Type: typ, Slug: slug(p)})
				from = append(from, i)
			}
		}
		lists, found := l.History.LoadAll(ctx, keys)
		var out []any
		counts := make([]int, len(parents))
		for k, list := range lists {
			if found[k] {
				out = appendAnys(out, list)
				counts[from[k]] = len(list)
			}
		}
		return out, counts
	}
}
