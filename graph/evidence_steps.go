package graph

import (
	"context"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/loader"
	"github.com/investgraph/investgraph/graph/model"
)

// The prefetch steps of the fields the evidence schema adds, joined to the
// table in prefetch.go.
func init() {
	for typ, fields := range evidenceSteps {
		if steps[typ] == nil {
			steps[typ] = map[string]step{}
		}
		for name, s := range fields {
			steps[typ][name] = s
		}
	}
}

func statementID(s *db.Statement) int64 { return s.ID }
func eventID(e *db.Event) int64         { return e.ID }

// sourceOf is the step of a reportedOn field: the source of the fact's
// citation, whose publication date it is.
func sourceOf[P any](c func(*P) *db.Citation) step {
	return loadOne(func(l *loaders) *byID[*db.Source] { return &l.Source }, func(p *P) *int64 { return &c(p).SourceID })
}

// actorOf is the step of an attributedTo field.
func actorOf[P any](a func(*P) *db.ActorRef) step {
	return nodes(func(p *P) []db.NodeRef {
		if r := a(p); r != nil {
			return []db.NodeRef{*r}
		}
		return nil
	})
}

// inferencesOf is the step of an evidence field: the inferred attributes of
// each parent, read at once. Its children are those inferences; the
// resolver lists every attribute.
func inferencesOf[P any](s db.Subject, id func(*P) int64) step {
	return func(ctx context.Context, l *loader.Loaders, parents []any) ([]any, []int) {
		keys := make([]db.SubjectKey, len(parents))
		for i, p := range parents {
			if p, ok := p.(*P); ok {
				keys[i] = db.SubjectKey{Subject: s, ID: id(p)}
			}
		}
		lists, found := l.AttributeInferences.LoadAll(ctx, keys)
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

// statementAbout is the step of Statement.about: the subjects of every
// statement of the level, then the objects they name, one statement per type.
func statementAbout(ctx context.Context, l *loader.Loaders, parents []any) ([]any, []int) {
	var statements []*db.Statement
	for _, p := range parents {
		if s, ok := p.(*db.Statement); ok {
			statements = append(statements, s)
		}
	}
	keys := make([]int64, len(statements))
	for i, s := range statements {
		keys[i] = s.ID
	}
	lists, found := l.StatementSubjects.LoadAll(ctx, keys)
	refs := map[*db.Statement][]db.NodeRef{}
	for i, s := range statements {
		if found[i] {
			refs[s] = lists[i]
		}
	}
	return nodes(func(s *db.Statement) []db.NodeRef { return refs[s] })(ctx, l, parents)
}

// meetingParticipations is the step of Meeting.participations: each
// meeting's participants and the bases of their links.
func meetingParticipations(ctx context.Context, l *loader.Loaders, parents []any) ([]any, []int) {
	keys := make([]int64, 0, len(parents))
	links := make([]db.LinkKey, 0, len(parents))
	from := make([]int, 0, len(parents)) // the parent of each key
	for i, p := range parents {
		if m, ok := p.(*db.Meeting); ok {
			keys, links = append(keys, m.ID), append(links, db.LinkKey{Kind: db.MeetingParticipant, From: m.ID})
			from = append(from, i)
		}
	}
	people, found := l.MeetingParticipants.LoadAll(ctx, keys)
	l.LinkEvidence.LoadAll(ctx, links)
	var out []any
	counts := make([]int, len(parents))
	for k := range keys {
		if !found[k] {
			continue
		}
		for _, person := range people[k] {
			out = append(out, &db.MeetingParticipation{MeetingID: keys[k], PersonID: person.ID})
		}
		counts[from[k]] = len(people[k])
	}
	return out, counts
}

var evidenceSteps = map[string]map[string]step{
	"Company": {
		"counterpartyMeasurements": load(func(l *loaders) *byID[[]*db.Measurement] { return &l.MeasurementsByCounterparty }, companyID),
		"evidence":                 inferencesOf(db.SubjectCompany, companyID),
	},
	"Person": {
		"statements": load(func(l *loaders) *byID[[]*db.Statement] { return &l.StatementsBySpeaker }, personID),
		"evidence":   inferencesOf(db.SubjectPerson, personID),
	},
	"Position": {"attributedTo": actorOf(func(p *db.Position) *db.ActorRef { return p.AttributedTo })},
	"Meeting": {
		"participations": meetingParticipations,
		"event":          loadOne(func(l *loaders) *byID[*db.Event] { return &l.Event }, func(m *db.Meeting) *int64 { return m.EventID }),
		"statements":     load(func(l *loaders) *byID[[]*db.Statement] { return &l.StatementsByMeeting }, meetingID),
		"evidence":       inferencesOf(db.SubjectMeeting, meetingID),
	},
	"MeetingParticipation": {
		"person": loadOne(func(l *loaders) *byID[*db.Person] { return &l.Person }, func(p *db.MeetingParticipation) *int64 { return &p.PersonID }),
	},
	"Project": {"evidence": inferencesOf(db.SubjectProject, projectID)},
	"Agreement": {
		"partOf":   loadOne(func(l *loaders) *byID[*db.Agreement] { return &l.Agreement }, func(a *db.Agreement) *int64 { return a.PartOfID }),
		"parts":    load(func(l *loaders) *byID[[]*db.Agreement] { return &l.AgreementParts }, agreementID),
		"event":    loadOne(func(l *loaders) *byID[*db.Event] { return &l.Event }, func(a *db.Agreement) *int64 { return a.EventID }),
		"evidence": inferencesOf(db.SubjectAgreement, agreementID),
	},
	"Measurement": {
		"reportedOn":   sourceOf(func(m *db.Measurement) *db.Citation { return &m.Citation }),
		"attributedTo": actorOf(func(m *db.Measurement) *db.ActorRef { return m.AttributedTo }),
		"company":      loadOne(func(l *loaders) *byID[*db.Company] { return &l.Company }, func(m *db.Measurement) *int64 { return m.CompanyID }),
		"project":      loadOne(func(l *loaders) *byID[*db.Project] { return &l.Project }, func(m *db.Measurement) *int64 { return m.ProjectID }),
		"counterparty": loadOne(func(l *loaders) *byID[*db.Company] { return &l.Company }, func(m *db.Measurement) *int64 { return m.CounterpartyID }),
	},
	"Milestone": {"reportedOn": sourceOf(func(m *db.Milestone) *db.Citation { return &m.Citation })},
	"Amount": {
		"reportedOn":   sourceOf(func(a *db.Amount) *db.Citation { return &a.Citation }),
		"attributedTo": actorOf(func(a *db.Amount) *db.ActorRef { return a.AttributedTo }),
	},
	"Statement": {
		"speaker":    loadOne(func(l *loaders) *byID[*db.Person] { return &l.Person }, func(s *db.Statement) *int64 { return &s.SpeakerID }),
		"reportedOn": sourceOf(func(s *db.Statement) *db.Citation { return &s.Citation }),
		"meeting":    loadOne(func(l *loaders) *byID[*db.Meeting] { return &l.Meeting }, func(s *db.Statement) *int64 { return s.MeetingID }),
		"event":      loadOne(func(l *loaders) *byID[*db.Event] { return &l.Event }, func(s *db.Statement) *int64 { return s.EventID }),
		"about":      statementAbout,
		"citation":   pick(func(s *db.Statement) []any { return []any{&s.Citation} }),
	},
	"Event": {
		"partOf":       loadOne(func(l *loaders) *byID[*db.Event] { return &l.Event }, func(e *db.Event) *int64 { return e.PartOfID }),
		"parts":        load(func(l *loaders) *byID[[]*db.Event] { return &l.EventParts }, eventID),
		"meetings":     load(func(l *loaders) *byID[[]*db.Meeting] { return &l.MeetingsByEvent }, eventID),
		"agreements":   load(func(l *loaders) *byID[[]*db.Agreement] { return &l.AgreementsByEvent }, eventID),
		"statements":   load(func(l *loaders) *byID[[]*db.Statement] { return &l.StatementsByEvent }, eventID),
		"participants": load(func(l *loaders) *byID[[]*db.Person] { return &l.EventParticipants }, eventID),
		"evidence":     inferencesOf(db.SubjectEvent, eventID),
		"citations":    citations(db.SubjectEvent, eventID),
	},
	"StatementConnection": {"edges": pick(func(c *model.StatementConnection) []any { return anys(c.Edges) })},
	"StatementEdge":       {"node": pick(func(e *model.StatementEdge) []any { return []any{e.Node} })},
	"EventConnection":     {"edges": pick(func(c *model.EventConnection) []any { return anys(c.Edges) })},
	"EventEdge":           {"node": pick(func(e *model.EventEdge) []any { return []any{e.Node} })},
}

// linkLists are the many-to-many lists whose basis filter reads the bases
// of their links, by type and field.
var linkLists = map[string]map[string]db.LinkKind{
	"Agreement": {"parties": db.AgreementParty, "signatories": db.AgreementSignatory, "projects": db.AgreementProject},
	"Meeting":   {"participants": db.MeetingParticipant, "organizations": db.MeetingOrganization, "projects": db.MeetingProject},
}

// prefetchLinkBases loads, for a list field given a basis filter, the
// bases of the links from every parent of the level at once.
func prefetchLinkBases(ctx context.Context, l *loader.Loaders, typ, field string, parents []any) {
	kind, ok := linkLists[typ][field]
	if !ok {
		return
	}
	keys := make([]db.LinkKey, 0, len(parents))
	for _, p := range parents {
		switch v := p.(type) {
		case *db.Agreement:
			keys = append(keys, db.LinkKey{Kind: kind, From: v.ID})
		case *db.Meeting:
			keys = append(keys, db.LinkKey{Kind: kind, From: v.ID})
		}
	}
	l.LinkEvidence.LoadAll(ctx, keys)
}
