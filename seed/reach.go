package seed

import (
	"github.com/investgraph/investgraph/db"
)

// reach is the set of objects a changeset's document can have changed: a
// revision's counts and changes compare these alone of the graphs before
// and after it (differenceOf, nodeChangesOf), as describing every object
// of both had been a quarter of a changeset's CPU, growing with the graph.
// nil is every object.
type reach map[db.SubjectKey]bool

// has reports whether r holds the object, or every object.
func (r reach) has(subject db.Subject, id int64) bool {
	return r == nil || r[db.SubjectKey{Subject: subject, ID: id}]
}

// hasAny reports whether r holds one of the objects, nil ids apart.
func (r reach) hasAny(refs ...objectRef) bool {
	for _, ref := range refs {
		if ref.id != nil && r.has(ref.subject, *ref.id) {
			return true
		}
	}
	return false
}

// objectRef names an object by its kind and row id, nil for none.
type objectRef struct {
	subject db.Subject
	id      *int64
}

func (r reach) add(subject db.Subject, id *int64) {
	if id != nil {
		r[db.SubjectKey{Subject: subject, ID: *id}] = true
	}
}

// reachOf returns the objects the last document merged into after can
// have changed, after being before with that document merged (both with
// the same retractions): ids stay those of before, a source is given by
// one document, and every entry of a document cites a paragraph of its
// source, so the document's objects are those cited by its source, the
// objects it adds, the owners of the facts it reports (cited by its
// source too) and the other ends of the links of all of these, whose
// items name them. It returns nil, every object, when after does not add
// a source.
func reachOf(before, after *db.Dataset) reach {
	if len(after.Sources) != len(before.Sources)+1 {
		return nil
	}
	for _, n := range [][2]int{{len(before.Companies), len(after.Companies)}, {len(before.People), len(after.People)},
		{len(before.Projects), len(after.Projects)}, {len(before.Meetings), len(after.Meetings)},
		{len(before.Agreements), len(after.Agreements)}, {len(before.Events), len(after.Events)}} {
		if n[0] > n[1] {
			return nil
		}
	}
	src := after.Sources[len(after.Sources)-1].ID
	r := reach{}
	for _, x := range after.Companies[len(before.Companies):] {
		r.add(db.SubjectCompany, &x.ID)
	}
	for _, x := range after.People[len(before.People):] {
		r.add(db.SubjectPerson, &x.ID)
	}
	for _, x := range after.Projects[len(before.Projects):] {
		r.add(db.SubjectProject, &x.ID)
	}
	for _, x := range after.Meetings[len(before.Meetings):] {
		r.add(db.SubjectMeeting, &x.ID)
	}
	for _, x := range after.Agreements[len(before.Agreements):] {
		r.add(db.SubjectAgreement, &x.ID)
	}
	for _, x := range after.Events[len(before.Events):] {
		r.add(db.SubjectEvent, &x.ID)
	}
	facts := reach{}
	for _, c := range after.Citations {
		if c.SourceID != src {
			continue
		}
		switch c.Subject {
		case db.SubjectPosition, db.SubjectParticipant:
			facts[c.SubjectKey] = true
		default:
			r[c.SubjectKey] = true
		}
	}
	for _, p := range after.Positions {
		if facts.has(db.SubjectPosition, p.ID) {
			r.add(db.SubjectPerson, &p.PersonID)
			r.add(db.SubjectCompany, &p.OrganizationID)
		}
	}
	for _, p := range after.Participants {
		if facts.has(db.SubjectParticipant, p.ID) {
			r.add(db.SubjectProject, &p.ProjectID)
			r.add(db.SubjectCompany, &p.CompanyID)
		}
	}
	for _, m := range after.Measurements {
		if m.Citation.SourceID == src {
			r.add(db.SubjectProject, m.ProjectID)
			r.add(db.SubjectCompany, m.CompanyID)
			r.add(db.SubjectCompany, m.CounterpartyID)
		}
	}
	for _, m := range after.Milestones {
		if m.Citation.SourceID == src {
			r.add(db.SubjectProject, &m.ProjectID)
		}
	}
	for _, a := range after.Amounts {
		if a.Citation.SourceID == src {
			r.add(db.SubjectProject, a.ProjectID)
			r.add(db.SubjectAgreement, a.AgreementID)
		}
	}
	for _, s := range after.Statements {
		if s.Citation.SourceID == src {
			r.add(db.SubjectStatement, &s.ID)
		}
	}
	// The other ends of the links of the objects so far, in both graphs (a
	// link the document adds or whose evidence it changes names both).
	ends := reach{}
	for _, links := range [][]db.Link{before.Links, after.Links} {
		for _, l := range links {
			from, to, _, _ := linkSides(l.Kind)
			if r.has(from, l.From) {
				ends.add(to, &l.To)
			}
			if r.has(to, l.To) {
				ends.add(from, &l.From)
			}
		}
	}
	for k := range ends {
		r[k] = true
	}
	return r
}
