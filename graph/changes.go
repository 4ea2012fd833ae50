package graph

import (
	"context"
	"fmt"
	"slices"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/model"
)

// changeKinds maps the type of a touched object to its ChangeKind.
var changeKinds = map[string]model.ChangeKind{
	typeSource:    model.ChangeKindSource,
	typeCompany:   model.ChangeKindCompany,
	typePerson:    model.ChangeKindPerson,
	typeProject:   model.ChangeKindProject,
	typeMeeting:   model.ChangeKindMeeting,
	typeAgreement: model.ChangeKindAgreement,
	typeEvent:     model.ChangeKindEvent,
	typeStatement: model.ChangeKindStatement,
}

// changeFilter selects the revisions of a changes subscription: each
// filter given must match one touched object.
type changeFilter struct {
	subjects map[db.SlugRef]bool // nil: any
	kinds    []model.ChangeKind  // nil: any
}

// newChangeFilter reads the subscription's arguments. A subject needs to
// be the id of an object a revision can touch, though not one that exists
// yet: a subscriber may wait for it to be added.
func newChangeFilter(subjects []string, kinds []model.ChangeKind) (changeFilter, error) {
	var f changeFilter
	switch {
	case subjects != nil && len(subjects) == 0:
		return f, &db.Error{Code: db.EINVALID, Field: "subjects", Message: "subjects is empty, so nothing would match: list the ids to follow, or leave subjects out to follow every object"}
	case kinds != nil && len(kinds) == 0:
		return f, &db.Error{Code: db.EINVALID, Field: "kinds", Message: "kinds is empty, so nothing would match: list the kinds to follow, or leave kinds out to follow every kind"}
	}
	if subjects != nil {
		f.subjects = map[db.SlugRef]bool{}
	}
	for i, id := range subjects {
		typ, slug, err := ParseGlobalID(id)
		if err != nil {
			return f, &db.Error{Code: db.EINVALID, Field: fmt.Sprintf("subjects[%d]", i), Message: db.ErrorMessage(err)}
		}
		if _, ok := changeKinds[typ]; !ok {
			return f, &db.Error{Code: db.EINVALID, Field: fmt.Sprintf("subjects[%d]", i),
				Message: fmt.Sprintf("id %s is a %s id, which no revision touches: pass the id of a source, company, person, project, meeting, agreement, event or statement", db.Quote(id), typ)}
		}
		f.subjects[db.SlugRef{Type: typ, Slug: slug}] = true
	}
	if kinds != nil {
		f.kinds = slices.Clone(kinds)
	}
	return f, nil
}

// change returns rev as the filter sends it, or false when it touches
// nothing the filter selects.
func (f changeFilter) change(rev *db.Revision) (*model.Change, bool) {
	c := &model.Change{Revision: rev, Kinds: []model.ChangeKind{}, Selected: []db.SlugRef{}}
	var subject, kind bool
	for _, ref := range rev.Touched {
		k, known := changeKinds[ref.Type]
		if known && !slices.Contains(c.Kinds, k) {
			c.Kinds = append(c.Kinds, k)
		}
		s := f.subjects[ref]
		t := known && slices.Contains(f.kinds, k)
		subject, kind = subject || s, kind || t
		if (f.subjects == nil && f.kinds == nil) || s || t {
			c.Selected = append(c.Selected, ref)
		}
	}
	if (f.subjects != nil && !subject) || (f.kinds != nil && !kind) {
		return nil, false
	}
	return c, true
}

// subscribeChanges streams, as subscribeRevisions does, the revisions that
// touch what the filter selects.
func (r *Resolver) subscribeChanges(ctx context.Context, subjects []string, kinds []model.ChangeKind, after *string) (<-chan *model.Change, error) {
	f, err := newChangeFilter(subjects, kinds)
	if err != nil {
		return nil, err
	}
	return streamRevisions(ctx, r, after, f.change)
}

// changeNodes resolves the objects a change selected that still exist.
func (r *Resolver) changeNodes(ctx context.Context, c *model.Change) ([]model.Node, error) {
	return r.touched(ctx, &db.Revision{Touched: c.Selected})
}
