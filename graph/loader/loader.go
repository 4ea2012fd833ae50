// Package loader batches the store lookups of one GraphQL request: every
// child field goes through a loader, so a request runs a number of SQL
// statements bounded by the query's depth, not by the objects it returns.
package loader

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/investgraph/investgraph/db"
)

// DefaultWait is how long a batch waits for another key once every
// goroutine that was ready has run, while other goroutines (another
// request's, or its siblings on the other processor) are still busy. On an
// otherwise idle process a batch does not wait at all. Measured in
// BENCHMARKS.md: shorter splits batches under load (more statements), longer
// adds latency per level.
const DefaultWait = 10 * time.Microsecond

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
}

// New returns a fresh set of loaders over s; a batch is fetched once no key
// has come for wait (see Loader). It allocates once: the loaders are values
// and their fetches are the store's methods, not closures.
func New(s *db.Store, wait time.Duration) *Loaders {
	l := new(Loaders)
	st := &l.stats
	*l = Loaders{
		Company:   one(s, wait, st, (*db.Store).FindCompaniesByIDs),
		Person:    one(s, wait, st, (*db.Store).FindPeopleByIDs),
		Project:   one(s, wait, st, (*db.Store).FindProjectsByIDs),
		Meeting:   one(s, wait, st, (*db.Store).FindMeetingsByIDs),
		Agreement: one(s, wait, st, (*db.Store).FindAgreementsByIDs),
		Source:    one(s, wait, st, (*db.Store).FindSourcesByIDs),

		CompanyAliases: many(s, wait, st, companyAliases),
		PersonAliases:  many(s, wait, st, personAliases),
		ProjectAliases: many(s, wait, st, projectAliases),
		Citations:      many(s, wait, st, (*db.Store).FindCitations),

		Subsidiaries:            many(s, wait, st, (*db.Store).FindSubsidiaries),
		PositionsByPerson:       many(s, wait, st, (*db.Store).FindPositionsByPersonIDs),
		PositionsByOrganization: many(s, wait, st, (*db.Store).FindPositionsByOrganizationIDs),
		ParticipantsByProject:   many(s, wait, st, (*db.Store).FindParticipantsByProjectIDs),
		ParticipantsByCompany:   many(s, wait, st, (*db.Store).FindParticipantsByCompanyIDs),
		AgreementsByCompany:     many(s, wait, st, (*db.Store).FindAgreementsByCompanyIDs),
		AgreementsByProject:     many(s, wait, st, (*db.Store).FindAgreementsByProjectIDs),
		AgreementsByMeeting:     many(s, wait, st, (*db.Store).FindAgreementsByMeetingIDs),
		MeetingsByCompany:       many(s, wait, st, (*db.Store).FindMeetingsByCompanyIDs),
		MeetingsByPerson:        many(s, wait, st, (*db.Store).FindMeetingsByPersonIDs),
		MeetingsByProject:       many(s, wait, st, (*db.Store).FindMeetingsByProjectIDs),
		MeasurementsByCompany:   many(s, wait, st, (*db.Store).FindMeasurementsByCompanyIDs),
		MeasurementsByProject:   many(s, wait, st, (*db.Store).FindMeasurementsByProjectIDs),
		MilestonesByProject:     many(s, wait, st, (*db.Store).FindMilestonesByProjectIDs),
		AmountsByProject:        many(s, wait, st, (*db.Store).FindAmountsByProjectIDs),
		AmountsByAgreement:      many(s, wait, st, (*db.Store).FindAmountsByAgreementIDs),
		AgreementParties:        many(s, wait, st, (*db.Store).FindAgreementParties),
		AgreementSignatories:    many(s, wait, st, (*db.Store).FindAgreementSignatories),
		AgreementProjects:       many(s, wait, st, (*db.Store).FindAgreementProjects),
		MeetingParticipants:     many(s, wait, st, (*db.Store).FindMeetingParticipants),
		MeetingOrganizations:    many(s, wait, st, (*db.Store).FindMeetingOrganizations),
		MeetingProjects:         many(s, wait, st, (*db.Store).FindMeetingProjects),
		MeetingTopics:           many(s, wait, st, (*db.Store).FindMeetingTopics),
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
// as-of date the request reads at, so cached results never cross views.
type registry struct {
	store *db.Store
	wait  time.Duration
	live  *Loaders
	mu    sync.Mutex
	asOf  map[string]*Loaders
}

// Middleware gives every request its own loaders, so nothing is cached
// between requests.
func Middleware(s *db.Store, wait time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(With(r.Context(), s, wait)))
	})
}

// With returns a context carrying fresh loaders over s.
func With(ctx context.Context, s *db.Store, wait time.Duration) context.Context {
	return context.WithValue(ctx, ctxKey{}, &registry{store: s, wait: wait, live: New(s, wait)})
}

// Stats counts a request's batches by how their keys were gathered.
type Stats struct {
	// Prefetched batches were fetched by LoadAll, for all the keys of a
	// level at once.
	Prefetched atomic.Int64
	// Gathered batches collected keys from concurrent Loads until no more
	// could come.
	Gathered atomic.Int64
}

// Batches returns how many batches the request ctx belongs to has fetched,
// by how their keys were gathered (see Stats).
func Batches(ctx context.Context) (prefetched, gathered int64) {
	r, ok := ctx.Value(ctxKey{}).(*registry)
	if !ok {
		return 0, 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	prefetched, gathered = r.live.stats.Prefetched.Load(), r.live.stats.Gathered.Load()
	for _, l := range r.asOf {
		prefetched += l.stats.Prefetched.Load()
		gathered += l.stats.Gathered.Load()
	}
	return prefetched, gathered
}

// For returns the loaders of the request ctx belongs to, for the as-of view
// ctx reads at (see db.WithAsOf).
func For(ctx context.Context) *Loaders {
	r := ctx.Value(ctxKey{}).(*registry)
	d, ok := db.AsOf(ctx)
	if !ok {
		return r.live
	}
	key := d.End()
	r.mu.Lock()
	defer r.mu.Unlock()
	l, ok := r.asOf[key]
	if !ok {
		if r.asOf == nil {
			r.asOf = map[string]*Loaders{}
		}
		l = New(r.store, r.wait)
		r.asOf[key] = l
	}
	return l
}
