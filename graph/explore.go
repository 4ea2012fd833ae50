package graph

import (
	"context"
	"fmt"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/loader"
	"github.com/investgraph/investgraph/graph/model"
)

// refFromID resolves a global ID to a reference to a visible object: a
// malformed ID is BAD_USER_INPUT, an unknown one NOT_FOUND.
func (r *Resolver) refFromID(ctx context.Context, id string) (db.NodeRef, error) {
	n, err := r.findNode(ctx, id)
	if err != nil {
		return db.NodeRef{}, err
	}
	if n == nil {
		return db.NodeRef{}, db.Errorf(db.ENOTFOUND, "no object has id %s", db.Quote(id))
	}
	return refOf(n), nil
}

// identify returns a loaded object's type name, row id and slug.
func identify(n model.Node) (typ string, id int64, slug string) {
	switch v := n.(type) {
	case *db.Company:
		return typeCompany, v.ID, v.Slug
	case *db.Person:
		return typePerson, v.ID, v.Slug
	case *db.Project:
		return typeProject, v.ID, v.Slug
	case *db.Meeting:
		return typeMeeting, v.ID, v.Slug
	case *db.Agreement:
		return typeAgreement, v.ID, v.Slug
	case *db.Source:
		return typeSource, v.ID, v.Slug
	case *db.Statement:
		return typeStatement, v.ID, v.Slug
	case *db.Event:
		return typeEvent, v.ID, v.Slug
	}
	panic(fmt.Sprintf("identify: %T is not a node", n))
}

// refOf returns the reference of a loaded object.
func refOf(n model.Node) db.NodeRef {
	typ, id, _ := identify(n)
	return db.NodeRef{Type: typ, ID: id}
}

// globalIDOf returns the global ID of a loaded object.
func globalIDOf(n model.Node) string {
	typ, _, slug := identify(n)
	return GlobalID(typ, slug)
}

// loadNodes loads referenced objects through the request's loaders, where
// the prefetch walk has put them.
func loadNodes(ctx context.Context, refs []db.NodeRef) ([]model.Node, error) {
	out := make([]model.Node, len(refs))
	for i, ref := range refs {
		n, err := loadNode(ctx, ref)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// withEndIDs returns rels with the global IDs of their ends, which it loads
// (all at once: one statement per type, none when prefetched).
func withEndIDs(ctx context.Context, rels []*db.Relationship) ([]*model.Relationship, error) {
	refs := make([]db.NodeRef, 0, 2*len(rels))
	for _, r := range rels {
		refs = append(refs, r.From, r.To)
	}
	ends, err := loadNodes(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Relationship, len(rels))
	for i, r := range rels {
		out[i] = &model.Relationship{Relationship: r, FromID: globalIDOf(ends[2*i]), ToID: globalIDOf(ends[2*i+1])}
	}
	return out, nil
}

// loadNode loads a referenced object through the request's loaders.
func loadNode(ctx context.Context, ref db.NodeRef) (model.Node, error) {
	l := loader.For(ctx)
	switch ref.Type {
	case typeCompany:
		return asNode(l.Company.Load(ctx, ref.ID))
	case typePerson:
		return asNode(l.Person.Load(ctx, ref.ID))
	case typeProject:
		return asNode(l.Project.Load(ctx, ref.ID))
	case typeMeeting:
		return asNode(l.Meeting.Load(ctx, ref.ID))
	case typeAgreement:
		return asNode(l.Agreement.Load(ctx, ref.ID))
	case typeSource:
		return asNode(l.Source.Load(ctx, ref.ID))
	case typeStatement:
		return asNode(l.Statement.Load(ctx, ref.ID))
	case typeEvent:
		return asNode(l.Event.Load(ctx, ref.ID))
	}
	return nil, fmt.Errorf("unknown node type %q", ref.Type)
}

// asNode returns v as a Node, and a nil interface rather than a nil
// pointer when there is an error.
func asNode[T any](v *T, err error) (model.Node, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}

// rowID resolves an optional global ID of type typ used as a filter to the
// object's row id. An unknown object matches nothing, so it gets id -1.
func (r *Resolver) rowID(ctx context.Context, id *string, typ string) (*int64, error) {
	if id == nil {
		return nil, nil
	}
	if _, err := slugFromID(*id, typ); err != nil {
		return nil, err
	}
	ref, err := r.refFromID(ctx, *id)
	if db.ErrorCode(err) == db.ENOTFOUND {
		none := int64(-1)
		return &none, nil
	} else if err != nil {
		return nil, err
	}
	return &ref.ID, nil
}

// searchKinds converts the schema's search types to the store's kinds.
func searchKinds(types []model.SearchType) []string {
	kinds := make([]string, len(types))
	for i, t := range types {
		kinds[i] = string(t)
	}
	return kinds
}

// window validates the paging arguments of an offset-paged list of kind and
// returns the offset and length of the page they select; total counts the
// list, when a page counted from its end needs it.
func window(first *int, after *string, last *int, before *string, kind string, total func() (int, error)) (offset, limit int, err error) {
	p, err := db.NewPageArgs(first, after, last, before)
	if err != nil {
		return 0, 0, err
	}
	return p.Window(kind, total)
}

// str returns *s, or "" for nil.
func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// searchTypes maps search kinds to node type names.
var searchTypes = map[string]string{
	"COMPANY": typeCompany, "PERSON": typePerson, "PROJECT": typeProject,
	"MEETING": typeMeeting, "AGREEMENT": typeAgreement, "SOURCE": typeSource,
	"STATEMENT": typeStatement, "EVENT": typeEvent,
}
