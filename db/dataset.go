package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	// Settings of the write connection for the load, restored after it: a
	// load far larger than SQLite's default 2 MB page cache would spill pages
	// to the WAL and read them back, so the cache is large for the duration
	// (it grows only as it is used); and foreign keys are checked once for
	// the whole graph before commit rather than row by row, which also lets
	// the DELETEs empty each table at once.
	for _, set := range [][2]string{
		{`PRAGMA cache_size = -1048576`, `PRAGMA cache_size = -2000`},
		{`PRAGMA foreign_keys = OFF`, `PRAGMA foreign_keys = ON`},
	} {
		if _, err := s.write.ExecContext(ctx, set[0]); err != nil {
			return fmt.Errorf("replace: %w", err)
		}
		defer s.write.ExecContext(context.WithoutCancel(ctx), set[1])
	}
	return s.replace(ctx, d)
}

func (s *Store) replace(ctx context.Context, d *Dataset) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	defer tx.Rollback()
	for _, table := range tablesByDependency {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return fmt.Errorf("replace: empty %s: %w", table, err)
		}
	}
	// Building an index once over sorted keys is several times faster than
	// updating it row by row, so indexes are dropped and rebuilt around the
	// inserts, inside the same transaction.
	indexes, err := dropIndexes(ctx, tx)
	if err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	w := &batchWriter{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}}
	defer w.close()
	insertAll(w, d)
	if w.err != nil {
		return fmt.Errorf("replace: %w", w.err)
	}
	if err := checkForeignKeys(ctx, tx); err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	for _, create := range indexes {
		if _, err := tx.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("replace: rebuild index: %w", err)
		}
	}
	if err := rebuildDerived(ctx, tx); err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("replace: commit: %w", err)
	}
	s.version.Add(1)
	return nil
}

// checkForeignKeys fails if any row refers to a row that does not exist.
func checkForeignKeys(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var (
			table, parent string
			rowid         sql.NullInt64
			fk            int
		)
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		if rowid.Valid {
			return Errorf(EINVALID, "row %d of %s refers to a missing row of %s", rowid.Int64, table, parent)
		}
		return Errorf(EINVALID, "a row of %s refers to a missing row of %s", table, parent)
	}
	return rows.Err()
}

// insertAll writes every row of d, parents before children.
func insertAll(w *batchWriter, d *Dataset) {
	w.insert(`sources (id, slug, title, publisher, attribution, published_on, published_start, paragraphs)`, len(d.Sources),
		func(a []any, i int) []any {
			v := d.Sources[i]
			return append(a, v.ID, v.Slug, v.Title, v.Publisher, v.Attribution, v.PublishedOn.String(), v.PublishedOn.Start(), v.Paragraphs)
		})
	w.insert(`companies (id, slug, name, kind, country, parent_id, founded, headquarters, description)`, len(d.Companies),
		func(a []any, i int) []any {
			v := d.Companies[i]
			return append(a, v.ID, v.Slug, v.Name, string(v.Kind), v.Country, v.ParentID, dateString(v.Founded), v.Headquarters, v.Description)
		})
	w.insert(`people (id, slug, name, description)`, len(d.People), func(a []any, i int) []any {
		v := d.People[i]
		return append(a, v.ID, v.Slug, v.Name, v.Description)
	})
	w.insert(`projects (id, slug, name, sector, status, region, description)`, len(d.Projects), func(a []any, i int) []any {
		v := d.Projects[i]
		return append(a, v.ID, v.Slug, v.Name, string(v.Sector), string(v.Status), v.Region, v.Description)
	})
	w.insert(`meetings (id, slug, date, date_start, date_end, location, occasion, summary)`, len(d.Meetings),
		func(a []any, i int) []any {
			v := d.Meetings[i]
			return append(a, v.ID, v.Slug, v.Date.String(), v.Date.Start(), v.Date.End(), v.Location, v.Occasion, v.Summary)
		})
	w.insert(`agreements (id, slug, title, kind, signed_on, signed_start, document_count, document_count_approximation,
		meeting_id, summary)`, len(d.Agreements), func(a []any, i int) []any {
		v := d.Agreements[i]
		var approx *string
		if v.DocumentCountApproximation != nil {
			s := string(*v.DocumentCountApproximation)
			approx = &s
		}
		return append(a, v.ID, v.Slug, v.Title, string(v.Kind), dateString(v.SignedOn), dateStart(v.SignedOn), v.DocumentCount,
			approx, v.MeetingID, v.Summary)
	})
	w.insert(`positions (id, person_id, organization_id, title, reported_on, reported_start)`, len(d.Positions),
		func(a []any, i int) []any {
			v := d.Positions[i]
			return append(a, v.ID, v.PersonID, v.OrganizationID, v.Title, v.ReportedOn.String(), v.ReportedOn.Start())
		})
	w.insert(`project_participants (id, project_id, company_id, role)`, len(d.Participants), func(a []any, i int) []any {
		v := d.Participants[i]
		return append(a, v.ID, v.ProjectID, v.CompanyID, string(v.Role))
	})
	w.insert(`measurements (id, company_id, project_id, metric, label, value, unit, approximation, as_of, as_of_start,
		as_of_end, status, source_id, paragraph)`, len(d.Measurements), func(a []any, i int) []any {
		v := d.Measurements[i]
		return append(a, v.ID, v.CompanyID, v.ProjectID, string(v.Metric), v.Label, v.Value, v.Unit, string(v.Approximation),
			v.AsOf.String(), v.AsOf.Start(), v.AsOf.End(), string(v.Status), v.Citation.SourceID, v.Citation.Paragraph)
	})
	w.insert(`milestones (id, project_id, name, date, date_start, status, source_id, paragraph)`, len(d.Milestones),
		func(a []any, i int) []any {
			v := d.Milestones[i]
			return append(a, v.ID, v.ProjectID, v.Name, dateString(v.Date), dateStart(v.Date), string(v.Status),
				v.Citation.SourceID, v.Citation.Paragraph)
		})
	w.insert(`amounts (id, project_id, agreement_id, amount, currency, approximation, label, source_id, paragraph)`,
		len(d.Amounts), func(a []any, i int) []any {
			v := d.Amounts[i]
			return append(a, v.ID, v.ProjectID, v.AgreementID, v.Amount, v.Currency, string(v.Approximation), v.Label,
				v.Citation.SourceID, v.Citation.Paragraph)
		})
	w.insert(`names (subject, subject_id, name, norm, alias)`, len(d.Names), func(a []any, i int) []any {
		v := d.Names[i]
		return append(a, string(v.Subject), v.SubjectID, v.Name, NormalizeName(v.Name), v.Alias)
	})
	w.insert(`citations (subject, subject_id, source_id, paragraph)`, len(d.Citations), func(a []any, i int) []any {
		v := d.Citations[i]
		return append(a, string(v.Subject), v.ID, v.SourceID, v.Paragraph)
	})
	for kind, into := range linkTables {
		links := linksOf(d.Links, LinkKind(kind))
		w.insert(into, len(links), func(a []any, i int) []any { return append(a, links[i].From, links[i].To) })
	}
	w.insert(`meeting_topics (meeting_id, position, topic)`, len(d.Topics), func(a []any, i int) []any {
		return append(a, d.Topics[i].MeetingID, i, d.Topics[i].Topic)
	})
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
func dropIndexes(ctx context.Context, tx *sql.Tx) ([]string, error) {
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
