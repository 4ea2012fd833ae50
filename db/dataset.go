package db

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Dataset is the whole graph in memory, ready to be written by Replace. Ids
// are assigned by whoever builds it and must be unique per table.
type Dataset struct {
	Sources      []*Source
	Companies    []*Company
	People       []*Person
	Projects     []*Project
	Meetings     []*Meeting
	Agreements   []*Agreement
	Positions    []*Position
	Participants []*ProjectParticipant
	Measurements []*Measurement
	Milestones   []*Milestone
	Amounts      []*Amount
	Names        []Name
	Citations    []SubjectCitation
	Links        []Link
	Topics       []Topic
	// Events, Statements and what the statements are about.
	Events            []*Event
	Statements        []*Statement
	StatementSubjects []StatementSubject
	// AttributeInferences marks the attributes of objects that a curator
	// inferred; every other attribute is stated.
	AttributeInferences []AttributeInference
	// Retractions withdraw facts, which stay in the graph but are left out
	// of reads (see WithRetracted).
	Retractions []Retraction
}

// Name is one name an entity answers to.
type Name struct {
	Subject   Subject
	SubjectID int64
	Name      string
	Alias     bool
}

// SubjectCitation is one entry of a subject's citation list.
type SubjectCitation struct {
	SubjectKey
	Citation
}

// LinkKind names a many-to-many relation.
type LinkKind int

// The many-to-many relations of the graph, each From → To.
const (
	MeetingParticipant  LinkKind = iota // meeting → person
	MeetingOrganization                 // meeting → company
	MeetingProject                      // meeting → project
	AgreementParty                      // agreement → company
	AgreementSignatory                  // agreement → person
	AgreementProject                    // agreement → project
)

// Link is one pair of a many-to-many relation.
type Link struct {
	Kind          LinkKind
	From, To      int64
	Basis         Basis
	InferenceNote *string
	Role          *MeetingRole // a meeting participant's role, where stated
}

// Topic is one topic of a meeting; a meeting's topics keep their order.
type Topic struct {
	MeetingID int64
	Topic     string
}

// tablesByDependency lists every data table, children before parents, the
// order in which Replace empties them.
var tablesByDependency = []string{
	"retractions", "attribute_inferences", "statement_subjects", "statements",
	"citations", "names", "amounts", "milestones", "measurements",
	"agreement_projects", "agreement_signatories", "agreement_parties",
	"meeting_topics", "meeting_projects", "meeting_organizations", "meeting_participants",
	"project_participants", "positions", "agreements", "meetings", "events", "projects", "people", "companies", "sources",
}

// IsEmpty reports whether the database holds no data yet.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	if err := s.queryRow(ctx, `SELECT count(*) FROM sources`).Scan(&n); err != nil {
		return false, fmt.Errorf("count sources: %w", err)
	}
	return n == 0, nil
}

// Replace swaps the whole graph for d in one transaction: on any error,
// and if the process is killed, the database is left exactly as it was, and
// readers see the old data or the new, never a mix. It holds the write lock
// (see LockWriter) while it writes, so it is refused at once, with an
// ECONFLICT error naming the other writer, while another process writes the
// same database. Replacing with the same dataset twice leaves the same rows.
func (s *Store) Replace(ctx context.Context, d *Dataset) error {
	lock, err := s.lockWriter()
	if err != nil {
		return err
	}
	defer lock.Release()
	return writeError(s.path, s.replaceWith(ctx, d, loadSettings))
}

// loadSettings are settings of the write connection for a load, each with
// the statement that restores it. A load far larger than SQLite's default
// 2 MB page cache would spill pages to the WAL and read them back, so the
// cache is large for the duration (it grows only as it is used); and
// foreign keys are off, as Replace checks the references of the whole
// dataset before writing it (see checkReferences), which also lets the
// DELETEs empty each table at once.
var loadSettings = [][2]string{
	{`PRAGMA cache_size = -1048576`, `PRAGMA cache_size = -2000`},
	{`PRAGMA foreign_keys = OFF`, `PRAGMA foreign_keys = ON`},
}

// replaceWith runs replace with the write connection's settings changed.
func (s *Store) replaceWith(ctx context.Context, d *Dataset, settings [][2]string) error {
	for _, set := range settings {
		if _, err := s.write.ExecContext(ctx, set[0]); err != nil {
			return fmt.Errorf("replace: %w", err)
		}
		defer s.write.ExecContext(context.WithoutCancel(ctx), set[1])
	}
	return s.replace(ctx, d)
}

func (s *Store) replace(ctx context.Context, d *Dataset) error {
	if err := checkReferences(d); err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	defer tx.Rollback()
	s.written.Store(nil)
	if err := s.replaceIn(ctx, tx, d); err != nil {
		return err
	}
	if err := s.published(ctx, tx, 0, true); err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("replace: commit: %w", err)
	}
	s.version.Add(1)
	return nil
}

// replaceIn swaps the graph's rows for d's in tx, whose caller has checked
// d's references.
func (s *Store) replaceIn(ctx context.Context, tx *sql.Tx, d *Dataset) error {
	for _, table := range tablesByDependency {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return fmt.Errorf("replace: empty %s: %w", table, err)
		}
	}
	// Building an index once over sorted keys is several times faster than
	// updating it row by row, so indexes are dropped and rebuilt around the
	// inserts, inside the same transaction.
	indexes, err := dropIndexes(ctx, tx, s.pg != nil)
	if err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	w := &batchWriter{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}}
	defer w.close()
	insertAll(w, d, newReportDates(d))
	if w.err != nil {
		return fmt.Errorf("replace: %w", w.err)
	}
	for _, create := range indexes {
		if _, err := tx.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("replace: rebuild index: %w", err)
		}
	}
	if err := writeTexts(ctx, tx, d); err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	if err := rebuildDerived(ctx, tx); err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	return checkRetractions(ctx, tx)
}

// reference is a foreign key of the schema, child.column → parent.id, with
// the keys d holds in it: key(i) is that of row i, if it has one.
type reference struct {
	child, column, parent string
	rows                  int
	key                   func(i int) (int64, bool)
}

// references lists the foreign keys of the schema, each with its keys in d.
func references(d *Dataset) []reference {
	ref := func(child, column, parent string, rows int, key func(i int) (int64, bool)) reference {
		return reference{child, column, parent, rows, key}
	}
	is := func(id int64) (int64, bool) { return id, true }
	opt := func(id *int64) (int64, bool) {
		if id == nil {
			return 0, false
		}
		return *id, true
	}
	refs := []reference{
		ref("companies", "parent_id", "companies", len(d.Companies), func(i int) (int64, bool) { return opt(d.Companies[i].ParentID) }),
		ref("agreements", "meeting_id", "meetings", len(d.Agreements), func(i int) (int64, bool) { return opt(d.Agreements[i].MeetingID) }),
		ref("positions", "person_id", "people", len(d.Positions), func(i int) (int64, bool) { return is(d.Positions[i].PersonID) }),
		ref("positions", "organization_id", "companies", len(d.Positions), func(i int) (int64, bool) { return is(d.Positions[i].OrganizationID) }),
		ref("project_participants", "project_id", "projects", len(d.Participants), func(i int) (int64, bool) { return is(d.Participants[i].ProjectID) }),
		ref("project_participants", "company_id", "companies", len(d.Participants), func(i int) (int64, bool) { return is(d.Participants[i].CompanyID) }),
		ref("measurements", "company_id", "companies", len(d.Measurements), func(i int) (int64, bool) { return opt(d.Measurements[i].CompanyID) }),
		ref("measurements", "project_id", "projects", len(d.Measurements), func(i int) (int64, bool) { return opt(d.Measurements[i].ProjectID) }),
		ref("measurements", "source_id", "sources", len(d.Measurements), func(i int) (int64, bool) { return is(d.Measurements[i].Citation.SourceID) }),
		ref("milestones", "project_id", "projects", len(d.Milestones), func(i int) (int64, bool) { return is(d.Milestones[i].ProjectID) }),
		ref("milestones", "source_id", "sources", len(d.Milestones), func(i int) (int64, bool) { return is(d.Milestones[i].Citation.SourceID) }),
		ref("amounts", "project_id", "projects", len(d.Amounts), func(i int) (int64, bool) { return opt(d.Amounts[i].ProjectID) }),
		ref("amounts", "agreement_id", "agreements", len(d.Amounts), func(i int) (int64, bool) { return opt(d.Amounts[i].AgreementID) }),
		ref("amounts", "source_id", "sources", len(d.Amounts), func(i int) (int64, bool) { return is(d.Amounts[i].Citation.SourceID) }),
		ref("citations", "source_id", "sources", len(d.Citations), func(i int) (int64, bool) { return is(d.Citations[i].SourceID) }),
		ref("meeting_topics", "meeting_id", "meetings", len(d.Topics), func(i int) (int64, bool) { return is(d.Topics[i].MeetingID) }),
		ref("measurements", "counterparty_id", "companies", len(d.Measurements), func(i int) (int64, bool) { return opt(d.Measurements[i].CounterpartyID) }),
		ref("meetings", "event_id", "events", len(d.Meetings), func(i int) (int64, bool) { return opt(d.Meetings[i].EventID) }),
		ref("agreements", "event_id", "events", len(d.Agreements), func(i int) (int64, bool) { return opt(d.Agreements[i].EventID) }),
		ref("agreements", "part_of_id", "agreements", len(d.Agreements), func(i int) (int64, bool) { return opt(d.Agreements[i].PartOfID) }),
		ref("events", "part_of_id", "events", len(d.Events), func(i int) (int64, bool) { return opt(d.Events[i].PartOfID) }),
		ref("statements", "speaker_id", "people", len(d.Statements), func(i int) (int64, bool) { return is(d.Statements[i].SpeakerID) }),
		ref("statements", "meeting_id", "meetings", len(d.Statements), func(i int) (int64, bool) { return opt(d.Statements[i].MeetingID) }),
		ref("statements", "event_id", "events", len(d.Statements), func(i int) (int64, bool) { return opt(d.Statements[i].EventID) }),
		ref("statements", "source_id", "sources", len(d.Statements), func(i int) (int64, bool) { return is(d.Statements[i].Citation.SourceID) }),
		ref("statement_subjects", "statement_id", "statements", len(d.StatementSubjects), func(i int) (int64, bool) { return is(d.StatementSubjects[i].StatementID) }),
		ref("retractions", "source_id", "sources", len(d.Retractions), func(i int) (int64, bool) {
			if c := d.Retractions[i].Citation; c != nil {
				return c.SourceID, true
			}
			return 0, false
		}),
	}
	for kind, into := range linkTables {
		links := linksOf(d.Links, LinkKind(kind))
		table, columns, _ := strings.Cut(strings.TrimSuffix(into, ")"), " (")
		from, to, _ := strings.Cut(columns, ", ")
		refs = append(refs,
			ref(table, from, linkParents[kind][0], len(links), func(i int) (int64, bool) { return is(links[i].From) }),
			ref(table, to, linkParents[kind][1], len(links), func(i int) (int64, bool) { return is(links[i].To) }))
	}
	return refs
}

// polymorphicReferences are the references whose parent table depends on a
// type column (what a statement is about, who a fact is attributed to),
// which the schema cannot declare as foreign keys.
func polymorphicReferences(d *Dataset) []reference {
	ref := func(child, column, parent string, rows int, key func(i int) (int64, bool)) reference {
		return reference{child, column, parent, rows, key}
	}
	var refs []reference
	for _, typ := range []string{"Company", "Person", "Project", "Meeting", "Agreement", "Event"} {
		refs = append(refs, ref("statement_subjects", "subject_id", nodeTables[typ], len(d.StatementSubjects), func(i int) (int64, bool) {
			s := d.StatementSubjects[i].Subject
			return s.ID, s.Type == typ
		}))
	}
	for _, typ := range []string{"Company", "Person"} {
		for _, f := range []struct {
			table string
			n     int
			actor func(i int) *ActorRef
		}{
			{"positions", len(d.Positions), func(i int) *ActorRef { return d.Positions[i].AttributedTo }},
			{"measurements", len(d.Measurements), func(i int) *ActorRef { return d.Measurements[i].AttributedTo }},
			{"amounts", len(d.Amounts), func(i int) *ActorRef { return d.Amounts[i].AttributedTo }},
		} {
			refs = append(refs, ref(f.table, "attributed_id", nodeTables[typ], f.n, func(i int) (int64, bool) {
				a := f.actor(i)
				if a == nil || a.Type != typ {
					return 0, false
				}
				return a.ID, true
			}))
		}
	}
	return refs
}

// checkReferences fails if a row of d refers to a row d does not hold. It
// checks the dataset before anything is written, many times faster than
// SQLite's foreign key check over the written tables.
func checkReferences(d *Dataset) error {
	ids := map[string]map[int64]bool{
		"sources":    idSet(d.Sources, func(v *Source) int64 { return v.ID }),
		"companies":  idSet(d.Companies, func(v *Company) int64 { return v.ID }),
		"people":     idSet(d.People, func(v *Person) int64 { return v.ID }),
		"projects":   idSet(d.Projects, func(v *Project) int64 { return v.ID }),
		"meetings":   idSet(d.Meetings, func(v *Meeting) int64 { return v.ID }),
		"agreements": idSet(d.Agreements, func(v *Agreement) int64 { return v.ID }),
		"events":     idSet(d.Events, func(v *Event) int64 { return v.ID }),
		"statements": idSet(d.Statements, func(v *Statement) int64 { return v.ID }),
	}
	for _, r := range slices.Concat(references(d), polymorphicReferences(d)) {
		parents := ids[r.parent]
		for i := range r.rows {
			if id, ok := r.key(i); ok && !parents[id] {
				return Errorf(EINVALID, "a row of %s refers to a missing row of %s: %s %d", r.child, r.parent, r.column, id)
			}
		}
	}
	return nil
}

// nodeTables are the tables of the objects a NodeRef's type names.
var nodeTables = map[string]string{"Company": "companies", "Person": "people", "Project": "projects",
	"Meeting": "meetings", "Agreement": "agreements", "Event": "events"}

func idSet[T any](vs []T, id func(T) int64) map[int64]bool {
	out := make(map[int64]bool, len(vs))
	for _, v := range vs {
		out[id(v)] = true
	}
	return out
}

// reportDates are the first days on which sources report what d holds,
// written with the rows: reads "as of" a date keep the rows reported on or
// before it.
type reportDates struct {
	published map[int64]string             // the first day each source covers
	first     map[Subject]map[int64]string // the earliest of those of the sources citing each subject
}

func newReportDates(d *Dataset) *reportDates {
	r := &reportDates{published: make(map[int64]string, len(d.Sources)), first: map[Subject]map[int64]string{}}
	for _, s := range d.Sources {
		r.published[s.ID] = s.PublishedOn.Start()
	}
	for _, c := range d.Citations {
		day, ok := r.published[c.SourceID]
		if !ok {
			continue // a citation of a missing source fails the reference check
		}
		first := r.first[c.Subject]
		if first == nil {
			first = map[int64]string{}
			r.first[c.Subject] = first
		}
		if was, ok := first[c.ID]; !ok || day < was {
			first[c.ID] = day
		}
	}
	return r
}

// of returns the day a subject was first reported, or "" if no source cites it.
func (r *reportDates) of(s Subject, id int64) string { return r.first[s][id] }

// owner returns the day the owner of a figure or amount was first
// reported: the first of two optional owners that is set, as coalesce
// picks it in visibilityStatements; nil when neither is.
func (r *reportDates) owner(s1 Subject, id1 *int64, s2 Subject, id2 *int64) *string {
	var day string
	switch {
	case id1 != nil:
		day = r.of(s1, *id1)
	case id2 != nil:
		day = r.of(s2, *id2)
	default:
		return nil
	}
	return &day
}

// raised is max(day, owner) as SQL computes it: NULL when owner is.
func (r *reportDates) raised(day string, owner *string) *string {
	if owner == nil {
		return nil
	}
	day = max(day, *owner)
	return &day
}

// source returns the day a source was published, the day it reports what it
// cites inline.
func (r *reportDates) source(c Citation) string { return r.published[c.SourceID] }

// rowSink takes the rows of a table, given as `name (columns)`; row
// appends the values of row i to a. A batchWriter writes them; a
// rowCollector keeps them (see writeDifference).
type rowSink interface {
	insert(table string, n int, row func(a []any, i int) []any)
}

// insertAll writes every row of d, parents before children. The days from
// which relations are visible are written as visibilityStatements would
// raise them, so that the rows are final as written: a changeset then
// writes only the rows that differ (see writeDifference).
func insertAll(w rowSink, d *Dataset, on *reportDates) {
	w.insert(`sources (id, slug, title, publisher, attribution, published_on, published_start, published_end, paragraphs)`, len(d.Sources),
		func(a []any, i int) []any {
			v := d.Sources[i]
			return append(a, v.ID, v.Slug, v.Title, v.Publisher, v.Attribution, v.PublishedOn.String(), v.PublishedOn.Start(), v.PublishedOn.End(),
				v.Paragraphs)
		})
	w.insert(`companies (id, slug, name, kind, country, parent_id, founded, headquarters, description, first_reported)`,
		len(d.Companies), func(a []any, i int) []any {
			v := d.Companies[i]
			return append(a, v.ID, v.Slug, v.Name, string(v.Kind), v.Country, v.ParentID, dateString(v.Founded), v.Headquarters,
				v.Description, on.of(SubjectCompany, v.ID))
		})
	w.insert(`people (id, slug, name, description, first_reported)`, len(d.People), func(a []any, i int) []any {
		v := d.People[i]
		return append(a, v.ID, v.Slug, v.Name, v.Description, on.of(SubjectPerson, v.ID))
	})
	w.insert(`projects (id, slug, name, sector, status, region, description, first_reported)`, len(d.Projects),
		func(a []any, i int) []any {
			v := d.Projects[i]
			return append(a, v.ID, v.Slug, v.Name, string(v.Sector), string(v.Status), v.Region, v.Description,
				on.of(SubjectProject, v.ID))
		})
	w.insert(`events (id, slug, name, kind, start_on, start_start, start_end, end_on, end_start, end_end, location, description,
		part_of_id, first_reported)`, len(d.Events), func(a []any, i int) []any {
		v := d.Events[i]
		return append(a, v.ID, v.Slug, v.Name, string(v.Kind), dateString(v.Start), dateStart(v.Start), dateEnd(v.Start),
			dateString(v.End), dateStart(v.End), dateEnd(v.End), v.Location, v.Description, v.PartOfID, on.of(SubjectEvent, v.ID))
	})
	w.insert(`meetings (id, slug, date, date_start, date_end, location, occasion, summary, event_id, first_reported)`, len(d.Meetings),
		func(a []any, i int) []any {
			v := d.Meetings[i]
			return append(a, v.ID, v.Slug, v.Date.String(), v.Date.Start(), v.Date.End(), v.Location, v.Occasion, v.Summary,
				v.EventID, on.of(SubjectMeeting, v.ID))
		})
	w.insert(`agreements (id, slug, title, kind, signed_on, signed_start, signed_end, document_count, document_count_approximation,
		meeting_id, summary, status, part_of_id, event_id, first_reported)`, len(d.Agreements), func(a []any, i int) []any {
		v := d.Agreements[i]
		var approx *string
		if v.DocumentCountApproximation != nil {
			s := string(*v.DocumentCountApproximation)
			approx = &s
		}
		return append(a, v.ID, v.Slug, v.Title, string(v.Kind), dateString(v.SignedOn), dateStart(v.SignedOn), dateEnd(v.SignedOn),
			v.DocumentCount,
			approx, v.MeetingID, v.Summary, cmp.Or(string(v.Status), "SIGNED"), v.PartOfID, v.EventID, on.of(SubjectAgreement, v.ID))
	})
	w.insert(`positions (id, person_id, organization_id, title, reported_on, reported_start, reported_end, first_reported,
		basis, inference_note, attributed_type, attributed_id)`, len(d.Positions),
		func(a []any, i int) []any {
			v := d.Positions[i]
			typ, id := actorColumns(v.AttributedTo)
			return append(a, v.ID, v.PersonID, v.OrganizationID, v.Title, v.ReportedOn.String(), v.ReportedOn.Start(), v.ReportedOn.End(),
				max(on.of(SubjectPosition, v.ID), on.of(SubjectPerson, v.PersonID), on.of(SubjectCompany, v.OrganizationID)),
				basisOr(v.Basis), v.InferenceNote, typ, id)
		})
	w.insert(`project_participants (id, project_id, company_id, role, first_reported, basis, inference_note)`, len(d.Participants),
		func(a []any, i int) []any {
			v := d.Participants[i]
			return append(a, v.ID, v.ProjectID, v.CompanyID, string(v.Role),
				max(on.of(SubjectParticipant, v.ID), on.of(SubjectProject, v.ProjectID), on.of(SubjectCompany, v.CompanyID)), basisOr(v.Basis), v.InferenceNote)
		})
	w.insert(`measurements (id, company_id, project_id, metric, label, value, unit, approximation, as_of, as_of_start,
		as_of_end, status, source_id, paragraph, reported, basis, inference_note, attributed_type, attributed_id,
		counterparty_id, period_start, period_end)`, len(d.Measurements), func(a []any, i int) []any {
		v := d.Measurements[i]
		typ, id := actorColumns(v.AttributedTo)
		return append(a, v.ID, v.CompanyID, v.ProjectID, string(v.Metric), v.Label, v.Value, v.Unit, string(v.Approximation),
			v.AsOf.String(), v.AsOf.Start(), v.AsOf.End(), string(v.Status), v.Citation.SourceID, v.Citation.Paragraph,
			on.raised(on.source(v.Citation), on.owner(SubjectCompany, v.CompanyID, SubjectProject, v.ProjectID)), basisOr(v.Basis),
			v.InferenceNote, typ, id, v.CounterpartyID, dateString(v.PeriodStart),
			dateString(v.PeriodEnd))
	})
	w.insert(`milestones (id, project_id, name, date, date_start, date_end, status, source_id, paragraph, reported,
		basis, inference_note)`, len(d.Milestones),
		func(a []any, i int) []any {
			v := d.Milestones[i]
			return append(a, v.ID, v.ProjectID, v.Name, dateString(v.Date), dateStart(v.Date), dateEnd(v.Date), string(v.Status),
				v.Citation.SourceID, v.Citation.Paragraph, max(on.source(v.Citation), on.of(SubjectProject, v.ProjectID)), basisOr(v.Basis),
				v.InferenceNote)
		})
	w.insert(`amounts (id, project_id, agreement_id, amount, currency, approximation, label, source_id, paragraph, reported,
		basis, inference_note, attributed_type, attributed_id)`,
		len(d.Amounts), func(a []any, i int) []any {
			v := d.Amounts[i]
			typ, id := actorColumns(v.AttributedTo)
			return append(a, v.ID, v.ProjectID, v.AgreementID, v.Amount, v.Currency, string(v.Approximation), v.Label,
				v.Citation.SourceID, v.Citation.Paragraph, on.raised(on.source(v.Citation), on.owner(SubjectProject, v.ProjectID, SubjectAgreement, v.AgreementID)),
				basisOr(v.Basis), v.InferenceNote, typ, id)
		})
	w.insert(`statements (id, slug, speaker_id, date, date_start, date_end, meeting_id, event_id, summary, source_id, paragraph,
		basis, inference_note, reported)`, len(d.Statements), func(a []any, i int) []any {
		v := d.Statements[i]
		return append(a, v.ID, v.Slug, v.SpeakerID, dateString(v.Date), dateStart(v.Date), dateEnd(v.Date), v.MeetingID, v.EventID,
			v.Summary, v.Citation.SourceID, v.Citation.Paragraph, basisOr(v.Basis), v.InferenceNote,
			max(on.source(v.Citation), on.of(SubjectPerson, v.SpeakerID)))
	})
	w.insert(`statement_subjects (statement_id, position, subject_type, subject_id)`, len(d.StatementSubjects), func(a []any, i int) []any {
		v := d.StatementSubjects[i]
		return append(a, v.StatementID, i, v.Subject.Type, v.Subject.ID)
	})
	w.insert(`attribute_inferences (subject, subject_id, attribute, note)`, len(d.AttributeInferences), func(a []any, i int) []any {
		v := d.AttributeInferences[i]
		return append(a, string(v.Subject), v.SubjectID, v.Attribute, v.Note)
	})
	w.insert(`names (subject, subject_id, name, norm, alias)`, len(d.Names), func(a []any, i int) []any {
		v := d.Names[i]
		return append(a, string(v.Subject), v.SubjectID, v.Name, NormalizeName(v.Name), v.Alias)
	})
	citations := byPrimaryKey(d.Citations)
	w.insert(`citations (subject, subject_id, source_id, paragraph)`, len(citations), func(a []any, i int) []any {
		v := citations[i]
		return append(a, string(v.Subject), v.ID, v.SourceID, int64(v.Paragraph))
	})
	for kind, into := range linkTables {
		links := linksOf(d.Links, LinkKind(kind))
		into = strings.TrimSuffix(into, ")") + ", basis, inference_note)"
		if LinkKind(kind) == MeetingParticipant {
			into = strings.TrimSuffix(into, ")") + ", role)"
		}
		w.insert(into, len(links), func(a []any, i int) []any {
			l := links[i]
			a = append(a, l.From, l.To, basisOr(l.Basis), l.InferenceNote)
			if l.Kind == MeetingParticipant {
				var role *string
				if l.Role != nil {
					r := string(*l.Role)
					role = &r
				}
				a = append(a, role)
			}
			return a
		})
	}
	w.insert(`meeting_topics (meeting_id, position, topic)`, len(d.Topics), func(a []any, i int) []any {
		return append(a, d.Topics[i].MeetingID, i, d.Topics[i].Topic)
	})
	insertRetractions(w, d)
}

// byPrimaryKey returns citations in the order of the primary key of their
// table. A table without rowid is a b-tree on its primary key, which takes
// rows fastest in key order. Citations come mostly grouped by subject and in
// id order, so they are sorted by subject first, in linear time, and then
// each subject's by their integer columns.
func byPrimaryKey(citations []SubjectCitation) []SubjectCitation {
	bySubject := map[Subject][]SubjectCitation{}
	for _, c := range citations {
		bySubject[c.Subject] = append(bySubject[c.Subject], c)
	}
	out := make([]SubjectCitation, 0, len(citations))
	for _, subject := range slices.Sorted(maps.Keys(bySubject)) {
		cs := bySubject[subject]
		slices.SortFunc(cs, func(x, y SubjectCitation) int {
			return cmp.Or(cmp.Compare(x.ID, y.ID), cmp.Compare(x.SourceID, y.SourceID), cmp.Compare(x.Paragraph, y.Paragraph))
		})
		out = append(out, cs...)
	}
	return out
}

// linkParents are the tables the two columns of each of linkTables refer to.
var linkParents = [...][2]string{
	MeetingParticipant:  {"meetings", "people"},
	MeetingOrganization: {"meetings", "companies"},
	MeetingProject:      {"meetings", "projects"},
	AgreementParty:      {"agreements", "companies"},
	AgreementSignatory:  {"agreements", "people"},
	AgreementProject:    {"agreements", "projects"},
}

// linkTables are the tables and columns of the many-to-many relations,
// indexed by LinkKind.
var linkTables = [...]string{
	MeetingParticipant:  `meeting_participants (meeting_id, person_id)`,
	MeetingOrganization: `meeting_organizations (meeting_id, company_id)`,
	MeetingProject:      `meeting_projects (meeting_id, project_id)`,
	AgreementParty:      `agreement_parties (agreement_id, company_id)`,
	AgreementSignatory:  `agreement_signatories (agreement_id, person_id)`,
	AgreementProject:    `agreement_projects (agreement_id, project_id)`,
}

func linksOf(links []Link, kind LinkKind) []Link {
	var out []Link
	for _, l := range links {
		if l.Kind == kind {
			out = append(out, l)
		}
	}
	return out
}

// dropIndexes drops every index a migration created and returns the
// statements that create them again.
func dropIndexes(ctx context.Context, tx *sql.Tx, postgres bool) ([]string, error) {
	if postgres {
		// PostgreSQL's indexes stay as they are: dropping and building
		// them again would need their definitions from pg_indexes, and
		// no load has been measured to need it.
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var names, creates []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return nil, err
		}
		names, creates = append(names, name), append(creates, create)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", name, err)
		}
	}
	return creates, nil
}

// maxRowsPerInsert bounds the rows of one INSERT; with the widest table it
// stays far below SQLite's limit of 32766 parameters.
const maxRowsPerInsert = 256

// batchWriter runs many inserts in a transaction, several rows per
// statement, preparing each statement text once and keeping the first
// error.
type batchWriter struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	args  []any
	err   error
}

// insert writes n rows into table, given as `name (columns)`; row appends
// the values of row i to a.
func (w *batchWriter) insert(table string, n int, row func(a []any, i int) []any) {
	columns := strings.Count(table, ",") + 1
	for start := 0; start < n && w.err == nil; start += maxRowsPerInsert {
		rows := min(maxRowsPerInsert, n-start)
		w.args = w.args[:0]
		for i := start; i < start+rows; i++ {
			w.args = row(w.args, i)
		}
		w.exec(insertStatement(table, columns, rows), w.args...)
	}
}

// insertStatement is `INSERT INTO table VALUES (?, ...), ...` for rows rows.
func insertStatement(table string, columns, rows int) string {
	tuple := "(" + strings.Repeat("?, ", columns-1) + "?)"
	return "INSERT INTO " + table + " VALUES " + strings.Repeat(tuple+", ", rows-1) + tuple
}

func (w *batchWriter) exec(query string, args ...any) {
	if w.err != nil {
		return
	}
	st, ok := w.stmts[query]
	if !ok {
		if st, w.err = w.tx.PrepareContext(w.ctx, query); w.err != nil {
			return
		}
		w.stmts[query] = st
	}
	_, w.err = st.ExecContext(w.ctx, args...)
}

func (w *batchWriter) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

func dateString(d *PartialDate) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

func dateStart(d *PartialDate) *string {
	if d == nil {
		return nil
	}
	s := d.Start()
	return &s
}

func dateEnd(d *PartialDate) *string {
	if d == nil {
		return nil
	}
	s := d.End()
	return &s
}
