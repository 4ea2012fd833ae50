// Package loader caches the store lookups of one GraphQL request, or, with
// a ReadModel, of every request that reads the same data version. The
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
	ParagraphText  Loader[db.Citation, *string]

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
func New(s *db.Store) *Loaders { return newLoaders(s, nil) }

// newLoaders returns a set of loaders over s, shared as part of the read
// model's generation g when g is not nil.
func newLoaders(s *db.Store, g *generation) *Loaders {
	l := new(Loaders)
	e := env{store: s, stats: &l.stats, shared: g}
	*l = Loaders{
		Company:   one(e, (*db.Store).FindCompaniesByIDs),
		Person:    one(e, (*db.Store).FindPeopleByIDs),
		Project:   one(e, (*db.Store).FindProjectsByIDs),
		Meeting:   one(e, (*db.Store).FindMeetingsByIDs),
		Agreement: one(e, (*db.Store).FindAgreementsByIDs),
		Source:    one(e, (*db.Store).FindSourcesByIDs),

		CompanyAliases: many(e, companyAliases),
		PersonAliases:  many(e, personAliases),
		ProjectAliases: many(e, projectAliases),
		Citations:      many(e, (*db.Store).FindCitations),
		ParagraphText:  one(e, (*db.Store).FindParagraphTexts),

		Subsidiaries:            many(e, (*db.Store).FindSubsidiaries),
		PositionsByPerson:       many(e, (*db.Store).FindPositionsByPersonIDs),
		PositionsByOrganization: many(e, (*db.Store).FindPositionsByOrganizationIDs),
		ParticipantsByProject:   many(e, (*db.Store).FindParticipantsByProjectIDs),
		ParticipantsByCompany:   many(e, (*db.Store).FindParticipantsByCompanyIDs),
		AgreementsByCompany:     many(e, (*db.Store).FindAgreementsByCompanyIDs),
		AgreementsByProject:     many(e, (*db.Store).FindAgreementsByProjectIDs),
		AgreementsByMeeting:     many(e, (*db.Store).FindAgreementsByMeetingIDs),
		MeetingsByCompany:       many(e, (*db.Store).FindMeetingsByCompanyIDs),
		MeetingsByPerson:        many(e, (*db.Store).FindMeetingsByPersonIDs),
		MeetingsByProject:       many(e, (*db.Store).FindMeetingsByProjectIDs),
		MeasurementsByCompany:   many(e, (*db.Store).FindMeasurementsByCompanyIDs),
		MeasurementsByProject:   many(e, (*db.Store).FindMeasurementsByProjectIDs),
		MilestonesByProject:     many(e, (*db.Store).FindMilestonesByProjectIDs),
		AmountsByProject:        many(e, (*db.Store).FindAmountsByProjectIDs),
		AmountsByAgreement:      many(e, (*db.Store).FindAmountsByAgreementIDs),
		AgreementParties:        many(e, (*db.Store).FindAgreementParties),
		AgreementSignatories:    many(e, (*db.Store).FindAgreementSignatories),
		AgreementProjects:       many(e, (*db.Store).FindAgreementProjects),
		MeetingParticipants:     many(e, (*db.Store).FindMeetingParticipants),
		MeetingOrganizations:    many(e, (*db.Store).FindMeetingOrganizations),
		MeetingProjects:         many(e, (*db.Store).FindMeetingProjects),
		MeetingTopics:           many(e, (*db.Store).FindMeetingTopics),

		Event:     one(e, (*db.Store).FindEventsByIDs),
		Statement: one(e, (*db.Store).FindStatementsByIDs),

		EventParts:                 many(e, (*db.Store).FindEventParts),
		MeetingsByEvent:            many(e, (*db.Store).FindMeetingsByEventIDs),
		AgreementsByEvent:          many(e, (*db.Store).FindAgreementsByEventIDs),
		StatementsByEvent:          many(e, (*db.Store).FindStatementsByEventIDs),
		EventParticipants:          many(e, (*db.Store).FindEventParticipants),
		StatementsBySpeaker:        many(e, (*db.Store).FindStatementsBySpeakerIDs),
		StatementsByMeeting:        many(e, (*db.Store).FindStatementsByMeetingIDs),
		StatementSubjects:          many(e, (*db.Store).FindStatementSubjects),
		AgreementParts:             many(e, (*db.Store).FindAgreementParts),
		MeasurementsByCounterparty: many(e, (*db.Store).FindMeasurementsByCounterpartyIDs),
		LinkEvidence:               many(e, (*db.Store).FindLinkEvidence),
		AttributeInferences:        many(e, (*db.Store).FindAttributeInferences),
		Retractions:                one(e, (*db.Store).FindRetractions),
		RetractedParticipations:    many(e, (*db.Store).FindRetractedMeetingParticipations),

		History:  many(e, (*db.Store).FindNodeHistories),
		Revision: one(e, (*db.Store).FindRevisionsByIDs),
	}
	return l
}

// env is what every loader of a set shares.
type env struct {
	store  *db.Store
	stats  *Stats
	shared *generation
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
// With a read model, the live graph's sets are those the model shares
// between the requests of the data version the request reads; a
// revision's view has sets of the request's own.
type registry struct {
	store *db.Store
	gen   *generation // the read model's, or nil
	stats Stats
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

// WithModel returns a context carrying loaders over s that m shares with
// the other requests reading the same data version, when ctx reads one
// version of it (db.Store.ReadVersion) and m has not moved on to a later
// one; fresh loaders otherwise, as With. A nil m is With.
func WithModel(ctx context.Context, s *db.Store, m *ReadModel) context.Context {
	if m == nil {
		return With(ctx, s)
	}
	r := &registry{store: s}
	if v, ok := s.ReadVersion(ctx); ok {
		r.gen = m.generation(s, v)
	}
	r.live = r.loaders(noAsOf)
	return context.WithValue(ctx, ctxKey{}, r)
}

// noAsOf is the view key of the live graph.
const noAsOf = ""

// loaders returns a set of loaders for the view key.
func (r *registry) loaders(key string) *Loaders {
	if r.gen != nil {
		return r.gen.view(key)
	}
	return New(r.store)
}

// Stats counts a request's batches by how they were fetched.
type Stats struct {
	// Prefetched batches were fetched by LoadAll, for all the keys of a
	// level at once.
	Prefetched atomic.Int64
	// OnDemand batches were fetched by a Load of a key nobody prefetched.
	OnDemand atomic.Int64
}

// statsOf returns the batch counts of the request ctx belongs to, or own
// for a loader used outside one.
func statsOf(ctx context.Context, own *Stats) *Stats {
	if r, ok := ctx.Value(ctxKey{}).(*registry); ok {
		return &r.stats
	}
	return own
}

// Batches returns how many batches the request ctx belongs to has fetched,
// by how they were fetched (see Stats). Keys a read model already held
// are not fetched, and count for nothing.
func Batches(ctx context.Context) (prefetched, onDemand int64) {
	r, ok := ctx.Value(ctxKey{}).(*registry)
	if !ok {
		return 0, 0
	}
	return r.stats.Prefetched.Load(), r.stats.OnDemand.Load()
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
		if key.view != nil {
			l = New(key.view)
		} else {
			name := key.asOf
			if key.retracted {
				name += " retracted"
			}
			l = r.loaders(name)
		}
		r.asOf[key] = l
	}
	return l
}
