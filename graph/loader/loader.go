// Package loader caches the store lookups of one GraphQL request. The
// prefetch walk (package graph) fills each loader with a whole level of the
// query in one statement, and every child field's resolver reads it, so a
// request runs a number of SQL statements bounded by the query's depth, not
// by the objects it returns.
package loader

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/investgraph/investgraph/db"
)

// Loaders holds one request's loaders.
type Loaders struct {
	stats Stats

	Company   Loader[int64, *db.Company]
	Person    Loader[int64, *db.Person]
	Project   Loader[int64, *db.Project]
	Meeting   Loader[int64, *db.Meeting]
	Agreement Loader[int64, *db.Agreement]
	Source    Loader[int64, *db.Source]

	CompanyAliases Loader[int64, []string]
	PersonAliases  Loader[int64, []string]
	ProjectAliases Loader[int64, []string]
	Citations      Loader[db.SubjectKey, []*db.Citation]

	Subsidiaries            Loader[int64, []*db.Company]
	PositionsByPerson       Loader[int64, []*db.Position]
	PositionsByOrganization Loader[int64, []*db.Position]
	ParticipantsByProject   Loader[int64, []*db.ProjectParticipant]
	ParticipantsByCompany   Loader[int64, []*db.ProjectParticipant]
	AgreementsByCompany     Loader[int64, []*db.Agreement]
	AgreementsByProject     Loader[int64, []*db.Agreement]
	AgreementsByMeeting     Loader[int64, []*db.Agreement]
	MeetingsByCompany       Loader[int64, []*db.Meeting]
	MeetingsByPerson        Loader[int64, []*db.Meeting]
	MeetingsByProject       Loader[int64, []*db.Meeting]
	MeasurementsByCompany   Loader[int64, []*db.Measurement]
	MeasurementsByProject   Loader[int64, []*db.Measurement]
	MilestonesByProject     Loader[int64, []*db.Milestone]
	AmountsByProject        Loader[int64, []*db.Amount]
	AmountsByAgreement      Loader[int64, []*db.Amount]
	AgreementParties        Loader[int64, []*db.Company]
	AgreementSignatories    Loader[int64, []*db.Person]
	AgreementProjects       Loader[int64, []*db.Project]
	MeetingParticipants     Loader[int64, []*db.Person]
	MeetingOrganizations    Loader[int64, []*db.Company]
	MeetingProjects         Loader[int64, []*db.Project]
	MeetingTopics           Loader[int64, []string]

	Event     Loader[int64, *db.Event]
	Statement Loader[int64, *db.Statement]

	EventParts                 Loader[int64, []*db.Event]
	MeetingsByEvent            Loader[int64, []*db.Meeting]
	AgreementsByEvent          Loader[int64, []*db.Agreement]
	StatementsByEvent          Loader[int64, []*db.Statement]
	EventParticipants          Loader[int64, []*db.Person]
	StatementsBySpeaker        Loader[int64, []*db.Statement]
	StatementsByMeeting        Loader[int64, []*db.Statement]
	StatementSubjects          Loader[int64, []db.NodeRef]
	AgreementParts             Loader[int64, []*db.Agreement]
	MeasurementsByCounterparty Loader[int64, []*db.Measurement]
	LinkEvidence               Loader[db.LinkKey, []db.LinkEvidence]
	AttributeInferences        Loader[db.SubjectKey, []db.AttributeInference]
	Retractions                Loader[db.FactRef, *db.Retraction]
	RetractedParticipations    Loader[int64, []*db.MeetingParticipation]

	History  Loader[db.SlugRef, []*db.NodeChange]
	Revision Loader[int64, *db.Revision]
}

// New returns a fresh set of loaders over s. It allocates once: the loaders are values
// and their fetches are the store's methods, not closures.
func New(s *db.Store) *Loaders {
	l := new(Loaders)
	st := &l.stats
	*l = Loaders{
		Company:   one(s, st, (*db.Store).FindCompaniesByIDs),
		Person:    one(s, st, (*db.Store).FindPeopleByIDs),
		Project:   one(s, st, (*db.Store).FindProjectsByIDs),
		Meeting:   one(s, st, (*db.Store).FindMeetingsByIDs),
		Agreement: one(s, st, (*db.Store).FindAgreementsByIDs),
		Source:    one(s, st, (*db.Store).FindSourcesByIDs),

		CompanyAliases: many(s, st, companyAliases),
		PersonAliases:  many(s, st, personAliases),
		ProjectAliases: many(s, st, projectAliases),
		Citations:      many(s, st, (*db.Store).FindCitations),

		Subsidiaries:            many(s, st, (*db.Store).FindSubsidiaries),
		PositionsByPerson:       many(s, st, (*db.Store).FindPositionsByPersonIDs),
		PositionsByOrganization: many(s, st, (*db.Store).FindPositionsByOrganizationIDs),
		ParticipantsByProject:   many(s, st, (*db.Store).FindParticipantsByProjectIDs),
		ParticipantsByCompany:   many(s, st, (*db.Store).FindParticipantsByCompanyIDs),
		AgreementsByCompany:     many(s, st, (*db.Store).FindAgreementsByCompanyIDs),
		AgreementsByProject:     many(s, st, (*db.Store).FindAgreementsByProjectIDs),
		AgreementsByMeeting:     many(s, st, (*db.Store).FindAgreementsByMeetingIDs),
		MeetingsByCompany:       many(s, st, (*db.Store).FindMeetingsByCompanyIDs),
		MeetingsByPerson:        many(s, st, (*db.Store).FindMeetingsByPersonIDs),
		MeetingsByProject:       many(s, st, (*db.Store).FindMeetingsByProjectIDs),
		MeasurementsByCompany:   many(s, st, (*db.Store).FindMeasurementsByCompanyIDs),
		MeasurementsByProject:   many(s, st, (*db.Store).FindMeasurementsByProjectIDs),
		MilestonesByProject:     many(s, st, (*db.Store).FindMilestonesByProjectIDs),
		AmountsByProject:        many(s, st, (*db.Store).FindAmountsByProjectIDs),
		AmountsByAgreement:      many(s, st, (*db.Store).FindAmountsByAgreementIDs),
		AgreementParties:        many(s, st, (*db.Store).FindAgreementParties),
		AgreementSignatories:    many(s, st, (*db.Store).FindAgreementSignatories),
		AgreementProjects:       many(s, st, (*db.Store).FindAgreementProjects),
		MeetingParticipants:     many(s, st, (*db.Store).FindMeetingParticipants),
		MeetingOrganizations:    many(s, st, (*db.Store).FindMeetingOrganizations),
		MeetingProjects:         many(s, st, (*db.Store).FindMeetingProjects),
		MeetingTopics:           many(s, st, (*db.Store).FindMeetingTopics),

		Event:     one(s, st, (*db.Store).FindEventsByIDs),
		Statement: one(s, st, (*db.Store).FindStatementsByIDs),

		EventParts:                 many(s, st, (*db.Store).FindEventParts),
		MeetingsByEvent:            many(s, st, (*db.Store).FindMeetingsByEventIDs),
		AgreementsByEvent:          many(s, st, (*db.Store).FindAgreementsByEventIDs),
		StatementsByEvent:          many(s, st, (*db.Store).FindStatementsByEventIDs),
		EventParticipants:          many(s, st, (*db.Store).FindEventParticipants),
		StatementsBySpeaker:        many(s, st, (*db.Store).FindStatementsBySpeakerIDs),
		StatementsByMeeting:        many(s, st, (*db.Store).FindStatementsByMeetingIDs),
		StatementSubjects:          many(s, st, (*db.Store).FindStatementSubjects),
		AgreementParts:             many(s, st, (*db.Store).FindAgreementParts),
		MeasurementsByCounterparty: many(s, st, (*db.Store).FindMeasurementsByCounterpartyIDs),
		LinkEvidence:               many(s, st, (*db.Store).FindLinkEvidence),
		AttributeInferences:        many(s, st, (*db.Store).FindAttributeInferences),
		Retractions:                one(s, st, (*db.Store).FindRetractions),
		RetractedParticipations:    many(s, st, (*db.Store).FindRetractedMeetingParticipations),

		History:  many(s, st, (*db.Store).FindNodeHistories),
		Revision: one(s, st, (*db.Store).FindRevisionsByIDs),
	}
	return l
}

func companyAliases(s *db.Store, ctx context.Context, ids []int64) (map[int64][]string, error) {
	return s.FindAliases(ctx, db.SubjectCompany, ids)
}

func personAliases(s *db.Store, ctx context.Context, ids []int64) (map[int64][]string, error) {
	return s.FindAliases(ctx, db.SubjectPerson, ids)
}

func projectAliases(s *db.Store, ctx context.Context, ids []int64) (map[int64][]string, error) {
	return s.FindAliases(ctx, db.SubjectProject, ids)
}

type ctxKey struct{}

// registry holds a request's loader sets: one for the live graph and one per
// view (db.WithView) and as-of date the request reads at, each also with
// retracted facts, so cached results never cross views.
type registry struct {
	store *db.Store
	live  *Loaders
	mu    sync.Mutex
	asOf  map[viewKey]*Loaders
}

// viewKey names a view of a request: a revision's graph (nil for the live
// one) as of a date's end ("" for none), with or without retracted facts.
type viewKey struct {
	view      *db.Store
	asOf      string
	retracted bool
}

// With returns a context carrying fresh loaders over s.
func With(ctx context.Context, s *db.Store) context.Context {
	return context.WithValue(ctx, ctxKey{}, &registry{store: s, live: New(s)})
}

// Stats counts a request's batches by how they were fetched.
type Stats struct {
	// Prefetched batches were fetched by LoadAll, for all the keys of a
	// level at once.
	Prefetched atomic.Int64
	// OnDemand batches were fetched by a Load of a key nobody prefetched.
	OnDemand atomic.Int64
}

// Batches returns how many batches the request ctx belongs to has fetched,
// by how they were fetched (see Stats).
func Batches(ctx context.Context) (prefetched, onDemand int64) {
	r, ok := ctx.Value(ctxKey{}).(*registry)
	if !ok {
		return 0, 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	prefetched, onDemand = r.live.stats.Prefetched.Load(), r.live.stats.OnDemand.Load()
	for _, l := range r.asOf {
		prefetched += l.stats.Prefetched.Load()
		onDemand += l.stats.OnDemand.Load()
	}
	return prefetched, onDemand
}

// For returns the loaders of the request ctx belongs to, for the view ctx
// reads (see db.WithView) as of its date (see db.WithAsOf), with or without
// retracted facts (see db.WithRetracted).
func For(ctx context.Context) *Loaders {
	r := ctx.Value(ctxKey{}).(*registry)
	var key viewKey
	if d, ok := db.AsOf(ctx); ok {
		key.asOf = d.End()
	}
	key.view, key.retracted = db.ViewOf(ctx), db.Retracted(ctx)
	if key == (viewKey{}) {
		return r.live
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	l, ok := r.asOf[key]
	if !ok {
		if r.asOf == nil {
			r.asOf = map[viewKey]*Loaders{}
		}
		s := r.store
		if key.view != nil {
			s = key.view
		}
		l = New(s)
		r.asOf[key] = l
	}
	return l
}
