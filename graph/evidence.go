package graph

import (
	"context"
	"errors"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/loader"
	"github.com/investgraph/investgraph/graph/model"
)

// Type names of the objects the evidence schema adds.
const (
	typeStatement = "Statement"
	typeEvent     = "Event"
)

// keepBasis keeps the items whose basis is among bases (all when bases is
// empty), in their order.
func keepBasis[T any](all []T, err error, bases []db.Basis, basisOf func(T) db.Basis) ([]T, error) {
	if err != nil || len(bases) == 0 {
		return all, err
	}
	out := make([]T, 0, len(all))
	for _, v := range all {
		if db.KeepBasis(bases, basisOf(v)) {
			out = append(out, v)
		}
	}
	return out, nil
}

// keepLinked keeps the children of a many-to-many list whose link from
// the object from is of one of bases.
func keepLinked[T any](ctx context.Context, all []T, err error, kind db.LinkKind, from int64, bases []db.Basis, id func(T) int64) ([]T, error) {
	if err != nil || len(bases) == 0 {
		return all, err
	}
	links, err := loader.For(ctx).LinkEvidence.Load(ctx, db.LinkKey{Kind: kind, From: from})
	if err != nil {
		return nil, err
	}
	keep := map[int64]bool{}
	for _, l := range links {
		keep[l.To] = db.KeepBasis(bases, l.Basis)
	}
	out := make([]T, 0, len(all))
	for _, v := range all {
		if keep[id(v)] {
			out = append(out, v)
		}
	}
	return out, nil
}

// attributeEvidence lists the basis of each named attribute of an object
// (those with a value), keeping those of bases.
func attributeEvidence(ctx context.Context, subject db.Subject, id int64, attrs []string, bases []db.Basis) ([]*db.AttributeEvidence, error) {
	inferred, err := loader.For(ctx).AttributeInferences.Load(ctx, db.SubjectKey{Subject: subject, ID: id})
	if err != nil {
		return nil, err
	}
	notes := map[string]string{}
	for _, a := range inferred {
		notes[a.Attribute] = a.Note
	}
	out := make([]*db.AttributeEvidence, 0, len(attrs))
	for _, attr := range attrs {
		e := &db.AttributeEvidence{Attribute: attr, Basis: db.Stated}
		if note, ok := notes[attr]; ok {
			e.Basis, e.InferenceNote = db.Inferred, &note
		}
		if db.KeepBasis(bases, e.Basis) {
			out = append(out, e)
		}
	}
	return out, nil
}

// present returns the names of the attributes whose value is set, in order.
func present(attrs ...any) []string {
	var out []string
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1].(bool) {
			out = append(out, attrs[i].(string))
		}
	}
	return out
}

func companyAttributes(c *db.Company) []string {
	return present("kind", true, "country", c.Country != nil, "founded", c.Founded != nil,
		"headquarters", c.Headquarters != nil, "description", c.Description != nil, "parent", c.ParentID != nil)
}

func personAttributes(p *db.Person) []string {
	return present("description", p.Description != nil)
}

func projectAttributes(p *db.Project) []string {
	return present("sector", true, "status", true, "region", p.Region != nil, "description", p.Description != nil)
}

func meetingAttributes(m *db.Meeting) []string {
	return present("date", true, "location", m.Location != nil, "occasion", m.Occasion != nil,
		"summary", m.Summary != nil, "event", m.EventID != nil)
}

func agreementAttributes(a *db.Agreement) []string {
	return present("kind", true, "signedOn", a.SignedOn != nil, "summary", a.Summary != nil,
		"documentCount", a.DocumentCount != nil, "documentCountApproximation", a.DocumentCountApproximation != nil,
		"meeting", a.MeetingID != nil, "status", true, "partOf", a.PartOfID != nil, "event", a.EventID != nil)
}

func eventAttributes(e *db.Event) []string {
	return present("kind", true, "start", e.Start != nil, "end", e.End != nil, "location", e.Location != nil,
		"description", e.Description != nil, "partOf", e.PartOfID != nil)
}

// loadActor loads the person or organization a fact is attributed to; nil
// when it is attributed to no one or not visible.
func loadActor(ctx context.Context, a *db.ActorRef) (model.Actor, error) {
	if a == nil {
		return nil, nil
	}
	l := loader.For(ctx)
	switch a.Type {
	case typePerson:
		p, err := l.Person.LoadOptional(ctx, a.ID)
		if p == nil || err != nil {
			return nil, err
		}
		return p, nil
	case typeCompany:
		c, err := l.Company.LoadOptional(ctx, a.ID)
		if c == nil || err != nil {
			return nil, err
		}
		return c, nil
	}
	return nil, nil
}

// reportedOn is the publication date of the source a citation points into.
func reportedOn(ctx context.Context, c db.Citation) (*db.PartialDate, error) {
	src, err := loader.For(ctx).Source.Load(ctx, c.SourceID)
	if err != nil {
		return nil, err
	}
	return &src.PublishedOn, nil
}

// loadVisibleNodes loads the referenced objects visible under ctx, leaving
// out the others (an object reported after an as-of date).
func loadVisibleNodes(ctx context.Context, refs []db.NodeRef) ([]model.Node, error) {
	out := make([]model.Node, 0, len(refs))
	for _, ref := range refs {
		n, err := loadNode(ctx, ref)
		switch {
		case isNotFound(err):
		case err != nil:
			return nil, err
		default:
			out = append(out, n)
		}
	}
	return out, nil
}

// isNotFound reports whether a load found nothing, e.g. an object not
// visible yet.
func isNotFound(err error) bool { return errors.Is(err, loader.ErrNotFound) }

// participations turns a meeting's participant links into participations,
// keeping those of bases whose person is visible.
func participations(ctx context.Context, m *db.Meeting, bases []db.Basis) ([]*db.MeetingParticipation, error) {
	l := loader.For(ctx)
	people, err := l.MeetingParticipants.Load(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	links, err := l.LinkEvidence.Load(ctx, db.LinkKey{Kind: db.MeetingParticipant, From: m.ID})
	if err != nil {
		return nil, err
	}
	byPerson := map[int64]db.LinkEvidence{}
	for _, e := range links {
		byPerson[e.To] = e
	}
	out := make([]*db.MeetingParticipation, 0, len(people))
	for _, p := range people {
		e := byPerson[p.ID]
		if !db.KeepBasis(bases, e.Basis) {
			continue
		}
		mp := &db.MeetingParticipation{MeetingID: m.ID, PersonID: p.ID, Basis: e.Basis, InferenceNote: e.InferenceNote}
		if e.Role != nil {
			r := db.MeetingRole(*e.Role)
			mp.Role = &r
		}
		out = append(out, mp)
	}
	if db.Retracted(ctx) {
		retracted, err := l.RetractedParticipations.Load(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		for _, p := range retracted {
			if db.KeepBasis(bases, p.Basis) {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

func measurementBasis(m *db.Measurement) db.Basis { return m.Basis }
func amountBasis(a *db.Amount) db.Basis           { return a.Basis }
func positionBasis(p *db.Position) db.Basis       { return p.Basis }
func participantBasis(p *db.ProjectParticipant) db.Basis {
	return p.Basis
}
func milestoneBasis(m *db.Milestone) db.Basis { return m.Basis }
func statementBasis(s *db.Statement) db.Basis { return s.Basis }

// optionalRef resolves an optional global ID of any object to a reference;
// an unknown object gets a reference that matches nothing.
func (r *Resolver) optionalRef(ctx context.Context, id *string) (*db.NodeRef, error) {
	if id == nil {
		return nil, nil
	}
	typ, _, err := ParseGlobalID(*id)
	if err != nil {
		return nil, err
	}
	ref, err := r.refFromID(ctx, *id)
	if db.ErrorCode(err) == db.ENOTFOUND {
		return &db.NodeRef{Type: typ, ID: -1}, nil
	} else if err != nil {
		return nil, err
	}
	return &ref, nil
}
