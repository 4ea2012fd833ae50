// Package loader batches the store lookups of one GraphQL request: every
// child field goes through a loader, so a request runs a number of SQL
// statements bounded by the query's depth, not by the objects it returns.
package loader

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/investgraph/investgraph/db"
)

// DefaultWait is how long a loader collects keys before it queries.
// dataloadgen's default of 16 ms is far longer than an in-process SQLite
// query; the fields of one level of a response are resolved within tens of
// microseconds of each other, so a short window still batches them all.
const DefaultWait = 250 * time.Microsecond

// Loaders holds one request's loaders.
type Loaders struct {
	Company   *dataloadgen.Loader[int64, *db.Company]
	Person    *dataloadgen.Loader[int64, *db.Person]
	Project   *dataloadgen.Loader[int64, *db.Project]
	Meeting   *dataloadgen.Loader[int64, *db.Meeting]
	Agreement *dataloadgen.Loader[int64, *db.Agreement]
	Source    *dataloadgen.Loader[int64, *db.Source]

	CompanyAliases *dataloadgen.Loader[int64, []string]
	PersonAliases  *dataloadgen.Loader[int64, []string]
	ProjectAliases *dataloadgen.Loader[int64, []string]
	Citations      *dataloadgen.Loader[db.SubjectKey, []*db.Citation]

	Subsidiaries            *dataloadgen.Loader[int64, []*db.Company]
	PositionsByPerson       *dataloadgen.Loader[int64, []*db.Position]
	PositionsByOrganization *dataloadgen.Loader[int64, []*db.Position]
	ParticipantsByProject   *dataloadgen.Loader[int64, []*db.ProjectParticipant]
	ParticipantsByCompany   *dataloadgen.Loader[int64, []*db.ProjectParticipant]
	AgreementsByCompany     *dataloadgen.Loader[int64, []*db.Agreement]
	AgreementsByProject     *dataloadgen.Loader[int64, []*db.Agreement]
	AgreementsByMeeting     *dataloadgen.Loader[int64, []*db.Agreement]
	MeetingsByCompany       *dataloadgen.Loader[int64, []*db.Meeting]
	MeetingsByPerson        *dataloadgen.Loader[int64, []*db.Meeting]
	MeetingsByProject       *dataloadgen.Loader[int64, []*db.Meeting]
	MeasurementsByCompany   *dataloadgen.Loader[int64, []*db.Measurement]
	MeasurementsByProject   *dataloadgen.Loader[int64, []*db.Measurement]
	MilestonesByProject     *dataloadgen.Loader[int64, []*db.Milestone]
	AmountsByProject        *dataloadgen.Loader[int64, []*db.Amount]
	AmountsByAgreement      *dataloadgen.Loader[int64, []*db.Amount]
	AgreementParties        *dataloadgen.Loader[int64, []*db.Company]
	AgreementSignatories    *dataloadgen.Loader[int64, []*db.Person]
	AgreementProjects       *dataloadgen.Loader[int64, []*db.Project]
	MeetingParticipants     *dataloadgen.Loader[int64, []*db.Person]
	MeetingOrganizations    *dataloadgen.Loader[int64, []*db.Company]
	MeetingProjects         *dataloadgen.Loader[int64, []*db.Project]
	MeetingTopics           *dataloadgen.Loader[int64, []string]
}

// New returns a fresh set of loaders over s that wait wait before querying.
func New(s *db.Store, wait time.Duration) *Loaders {
	opts := []dataloadgen.Option{dataloadgen.WithWait(wait)}
	aliases := func(subject db.Subject) func(context.Context, []int64) (map[int64][]string, error) {
		return func(ctx context.Context, ids []int64) (map[int64][]string, error) {
			return s.FindAliases(ctx, subject, ids)
		}
	}
	return &Loaders{
		Company:   dataloadgen.NewMappedLoader(s.FindCompaniesByIDs, opts...),
		Person:    dataloadgen.NewMappedLoader(s.FindPeopleByIDs, opts...),
		Project:   dataloadgen.NewMappedLoader(s.FindProjectsByIDs, opts...),
		Meeting:   dataloadgen.NewMappedLoader(s.FindMeetingsByIDs, opts...),
		Agreement: dataloadgen.NewMappedLoader(s.FindAgreementsByIDs, opts...),
		Source:    dataloadgen.NewMappedLoader(s.FindSourcesByIDs, opts...),

		CompanyAliases: many(aliases(db.SubjectCompany), opts),
		PersonAliases:  many(aliases(db.SubjectPerson), opts),
		ProjectAliases: many(aliases(db.SubjectProject), opts),
		Citations:      many(s.FindCitations, opts),

		Subsidiaries:            many(s.FindSubsidiaries, opts),
		PositionsByPerson:       many(s.FindPositionsByPersonIDs, opts),
		PositionsByOrganization: many(s.FindPositionsByOrganizationIDs, opts),
		ParticipantsByProject:   many(s.FindParticipantsByProjectIDs, opts),
		ParticipantsByCompany:   many(s.FindParticipantsByCompanyIDs, opts),
		AgreementsByCompany:     many(s.FindAgreementsByCompanyIDs, opts),
		AgreementsByProject:     many(s.FindAgreementsByProjectIDs, opts),
		AgreementsByMeeting:     many(s.FindAgreementsByMeetingIDs, opts),
		MeetingsByCompany:       many(s.FindMeetingsByCompanyIDs, opts),
		MeetingsByPerson:        many(s.FindMeetingsByPersonIDs, opts),
		MeetingsByProject:       many(s.FindMeetingsByProjectIDs, opts),
		MeasurementsByCompany:   many(s.FindMeasurementsByCompanyIDs, opts),
		MeasurementsByProject:   many(s.FindMeasurementsByProjectIDs, opts),
		MilestonesByProject:     many(s.FindMilestonesByProjectIDs, opts),
		AmountsByProject:        many(s.FindAmountsByProjectIDs, opts),
		AmountsByAgreement:      many(s.FindAmountsByAgreementIDs, opts),
		AgreementParties:        many(s.FindAgreementParties, opts),
		AgreementSignatories:    many(s.FindAgreementSignatories, opts),
		AgreementProjects:       many(s.FindAgreementProjects, opts),
		MeetingParticipants:     many(s.FindMeetingParticipants, opts),
		MeetingOrganizations:    many(s.FindMeetingOrganizations, opts),
		MeetingProjects:         many(s.FindMeetingProjects, opts),
		MeetingTopics:           many(s.FindMeetingTopics, opts),
	}
}

// many makes a loader of lists from a batch lookup that returns a map; a key
// with no entry gets an empty list rather than an error.
func many[K comparable, V any](fetch func(context.Context, []K) (map[K][]V, error), opts []dataloadgen.Option) *dataloadgen.Loader[K, []V] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []K) ([][]V, []error) {
		found, err := fetch(ctx, keys)
		if err != nil {
			return nil, []error{err}
		}
		out := make([][]V, len(keys))
		for i, k := range keys {
			out[i] = found[k]
			if out[i] == nil {
				out[i] = []V{}
			}
		}
		return out, nil
	}, opts...)
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
