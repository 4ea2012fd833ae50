package db

import (
	"context"
	"database/sql"
	"fmt"
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

var linkInserts = map[LinkKind]string{
	MeetingParticipant:  `INSERT INTO meeting_participants (meeting_id, person_id) VALUES (?, ?)`,
	MeetingOrganization: `INSERT INTO meeting_organizations (meeting_id, company_id) VALUES (?, ?)`,
	MeetingProject:      `INSERT INTO meeting_projects (meeting_id, project_id) VALUES (?, ?)`,
	AgreementParty:      `INSERT INTO agreement_parties (agreement_id, company_id) VALUES (?, ?)`,
	AgreementSignatory:  `INSERT INTO agreement_signatories (agreement_id, person_id) VALUES (?, ?)`,
	AgreementProject:    `INSERT INTO agreement_projects (agreement_id, project_id) VALUES (?, ?)`,
}

// Link is one pair of a many-to-many relation.
type Link struct {
	Kind     LinkKind
	From, To int64
}

// Topic is one topic of a meeting; a meeting's topics keep their order.
type Topic struct {
	MeetingID int64
	Topic     string
}

// tablesByDependency lists every data table, children before parents, the
// order in which Replace empties them.
var tablesByDependency = []string{
	"citations", "names", "amounts", "milestones", "measurements",
	"agreement_projects", "agreement_signatories", "agreement_parties",
	"meeting_topics", "meeting_projects", "meeting_organizations", "meeting_participants",
	"project_participants", "positions", "agreements", "meetings", "projects", "people", "companies", "sources",
}

// IsEmpty reports whether the database holds no data yet.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	if err := s.queryRow(ctx, `SELECT count(*) FROM sources`).Scan(&n); err != nil {
		return false, fmt.Errorf("count sources: %w", err)
	}
	return n == 0, nil
}

// Replace swaps the whole graph for d in one transaction: on any error the
// database is left exactly as it was. Replacing with the same dataset twice
// leaves the same rows.
func (s *Store) Replace(ctx context.Context, d *Dataset) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	defer tx.Rollback()
	// Companies may name a parent inserted after them; check at commit.
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	for _, table := range tablesByDependency {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return fmt.Errorf("replace: empty %s: %w", table, err)
		}
	}
	w := &batchWriter{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}}
	defer w.close()
	for _, v := range d.Sources {
		w.exec(`INSERT INTO sources (id, slug, title, publisher, attribution, published_on, published_start, paragraphs)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, v.Slug, v.Title, v.Publisher, v.Attribution, v.PublishedOn.String(), v.PublishedOn.Start(), v.Paragraphs)
	}
	for _, v := range d.Companies {
		w.exec(`INSERT INTO companies (id, slug, name, kind, country, parent_id, founded, headquarters, description)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, v.Slug, v.Name, string(v.Kind), v.Country, v.ParentID, dateString(v.Founded), v.Headquarters, v.Description)
	}
	for _, v := range d.People {
		w.exec(`INSERT INTO people (id, slug, name, description) VALUES (?, ?, ?, ?)`, v.ID, v.Slug, v.Name, v.Description)
	}
	for _, v := range d.Projects {
		w.exec(`INSERT INTO projects (id, slug, name, sector, status, region, description) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			v.ID, v.Slug, v.Name, string(v.Sector), string(v.Status), v.Region, v.Description)
	}
	for _, v := range d.Meetings {
		w.exec(`INSERT INTO meetings (id, slug, date, date_start, date_end, location, occasion, summary)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, v.Slug, v.Date.String(), v.Date.Start(), v.Date.End(), v.Location, v.Occasion, v.Summary)
	}
	for _, v := range d.Agreements {
		var approx *string
		if v.DocumentCountApproximation != nil {
			a := string(*v.DocumentCountApproximation)
			approx = &a
		}
		w.exec(`INSERT INTO agreements (id, slug, title, kind, signed_on, signed_start, document_count,
			document_count_approximation, meeting_id, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, v.Slug, v.Title, string(v.Kind), dateString(v.SignedOn), dateStart(v.SignedOn), v.DocumentCount,
			approx, v.MeetingID, v.Summary)
	}
	for _, v := range d.Positions {
		w.exec(`INSERT INTO positions (id, person_id, organization_id, title, reported_on, reported_start)
			VALUES (?, ?, ?, ?, ?, ?)`,
			v.ID, v.PersonID, v.OrganizationID, v.Title, v.ReportedOn.String(), v.ReportedOn.Start())
	}
	for _, v := range d.Participants {
		w.exec(`INSERT INTO project_participants (id, project_id, company_id, role) VALUES (?, ?, ?, ?)`,
			v.ID, v.ProjectID, v.CompanyID, string(v.Role))
	}
	for _, v := range d.Measurements {
		w.exec(`INSERT INTO measurements (id, company_id, project_id, metric, label, value, unit, approximation,
			as_of, as_of_start, as_of_end, status, source_id, paragraph) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, v.CompanyID, v.ProjectID, string(v.Metric), v.Label, v.Value, v.Unit, string(v.Approximation),
			v.AsOf.String(), v.AsOf.Start(), v.AsOf.End(), string(v.Status), v.Citation.SourceID, v.Citation.Paragraph)
	}
	for _, v := range d.Milestones {
		w.exec(`INSERT INTO milestones (id, project_id, name, date, date_start, status, source_id, paragraph)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, v.ProjectID, v.Name, dateString(v.Date), dateStart(v.Date), string(v.Status), v.Citation.SourceID, v.Citation.Paragraph)
	}
	for _, v := range d.Amounts {
		w.exec(`INSERT INTO amounts (id, project_id, agreement_id, amount, currency, approximation, label, source_id, paragraph)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, v.ProjectID, v.AgreementID, v.Amount, v.Currency, string(v.Approximation), v.Label, v.Citation.SourceID, v.Citation.Paragraph)
	}
	for _, v := range d.Names {
		w.exec(`INSERT INTO names (subject, subject_id, name, norm, alias) VALUES (?, ?, ?, ?, ?)`,
			string(v.Subject), v.SubjectID, v.Name, NormalizeName(v.Name), v.Alias)
	}
	for _, v := range d.Citations {
		w.exec(`INSERT INTO citations (subject, subject_id, source_id, paragraph) VALUES (?, ?, ?, ?)`,
			string(v.Subject), v.ID, v.SourceID, v.Paragraph)
	}
	for _, v := range d.Links {
		w.exec(linkInserts[v.Kind], v.From, v.To)
	}
	for i, v := range d.Topics {
		w.exec(`INSERT INTO meeting_topics (meeting_id, position, topic) VALUES (?, ?, ?)`, v.MeetingID, i, v.Topic)
	}
	if w.err != nil {
		return fmt.Errorf("replace: %w", w.err)
	}
	if err := rebuildDerived(ctx, tx); err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("replace: commit: %w", err)
	}
	return nil
}

// batchWriter runs many inserts in a transaction, preparing each statement
// text once and keeping the first error.
type batchWriter struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	err   error
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
