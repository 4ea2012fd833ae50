package graph

import (
	"context"
	"slices"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/loader"
	"github.com/investgraph/investgraph/graph/model"
	"github.com/investgraph/investgraph/seed"
)

// factID is the ID of a fact: its type name and key, encoded as a global
// ID is. The key is made of slugs and fields (see db.FactRef), so the ID
// survives rebuilds and reseeds.
func factID(t db.FactType, key string) string { return GlobalID(string(t), key) }

// parseFactID reads a fact's ID, or fails with EINVALID at field.
func parseFactID(id, field string) (db.FactRef, error) {
	typ, key, err := ParseGlobalID(id)
	if err != nil {
		return db.FactRef{}, &db.Error{Code: db.EINVALID, Field: field, Message: db.ErrorMessage(err)}
	}
	if !slices.Contains(db.FactTypes, db.FactType(typ)) {
		return db.FactRef{}, &db.Error{Code: db.EINVALID, Field: field, Message: "id " + db.Quote(id) + " is a " + typ +
			" id: pass the id of a Position, ProjectParticipant, Measurement, Milestone, Amount, MeetingParticipation or Statement"}
	}
	return db.FactRef{Type: db.FactType(typ), Key: key}, nil
}

// withRetracted makes the fact lists read under ctx include retracted
// facts when include is true; an explicit null is refused (see notNull).
func withRetracted(ctx context.Context, include *bool) (context.Context, error) {
	v, err := notNull(ctx, "includeRetracted", include)
	if err != nil || !v {
		return ctx, err
	}
	return db.WithRetracted(ctx), nil
}

// retractionOf returns the retraction of a fact, nil if it has none.
func retractionOf(ctx context.Context, t db.FactType, key string) (*db.Retraction, error) {
	return loader.For(ctx).Retractions.LoadOptional(ctx, db.FactRef{Type: t, Key: key})
}

// retract retracts a fact as the request's token, which needs EDITOR.
func (r *Resolver) retract(ctx context.Context, in model.RetractInput) (*model.RetractPayload, error) {
	tok, err := requireRole(ctx, db.RoleEditor)
	if err != nil {
		return nil, err
	}
	fact, err := parseFactID(in.Fact, "input.fact")
	if err != nil {
		return nil, err
	}
	ret := seed.Retraction{Fact: fact, Reason: in.Reason, Author: tok.Name}
	if in.IdempotencyKey != nil {
		ret.IdempotencyKey = *in.IdempotencyKey
	}
	if c := in.Citation; c != nil {
		slug, err := slugFromID(c.Source, typeSource)
		if err != nil {
			return nil, &db.Error{Code: db.EINVALID, Field: "input.citation.source", Message: db.ErrorMessage(err)}
		}
		ret.Source, ret.Paragraph = slug, c.Paragraph
	}
	rev, replayed, err := r.writer().Retract(ctx, ret)
	if err != nil {
		return nil, err
	}
	return &model.RetractPayload{Revision: rev, Replayed: replayed}, nil
}

// participationKey is the key of a meeting participation: the meeting's
// and the person's slugs.
func participationKey(ctx context.Context, p *db.MeetingParticipation) (string, error) {
	l := loader.For(ctx)
	m, err := l.Meeting.Load(ctx, p.MeetingID)
	if err != nil {
		return "", err
	}
	person, err := l.Person.Load(ctx, p.PersonID)
	if err != nil {
		return "", err
	}
	return m.Slug + "|" + person.Slug, nil
}

// revisionType is the API's name of a revision's kind.
func revisionType(k db.RevisionKind) model.RevisionType {
	if k == db.RevisionRetraction {
		return model.RevisionTypeRetraction
	}
	return model.RevisionTypeChangeset
}
