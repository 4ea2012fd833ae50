package db

import (
	"context"
	"database/sql"
	"fmt"
)

// Statement is what a person said, as one paragraph of a source reports
// it, summarized in our own words.
type Statement struct {
	ID            int64
	Slug          string
	SpeakerID     int64
	Date          *PartialDate // when it was said, where the source gives it
	MeetingID     *int64
	EventID       *int64
	Summary       string
	Citation      Citation
	Basis         Basis
	InferenceNote *string
}

// StatementSubject is one of the objects a statement is about, in the
// order the curator listed them.
type StatementSubject struct {
	StatementID int64
	Subject     NodeRef
}

const statementColumns = `x.id, x.slug, x.speaker_id, x.date, x.meeting_id, x.event_id, x.summary, x.source_id, x.paragraph,
	x.basis, x.inference_note`

func scanStatement(r rowScanner, extra ...any) (*Statement, error) {
	var (
		st             Statement
		date, note     sql.NullString
		meeting, event sql.NullInt64
		basis          string
		err            error
	)
	if err = r.Scan(append(extra, &st.ID, &st.Slug, &st.SpeakerID, &date, &meeting, &event, &st.Summary,
		&st.Citation.SourceID, &st.Citation.Paragraph, &basis, &note)...); err != nil {
		return nil, err
	}
	st.MeetingID, st.EventID = nullInt(meeting), nullInt(event)
	st.Basis, st.InferenceNote = scanEvidence(basis, note)
	if st.Date, err = nullDate(date); err != nil {
		return nil, fmt.Errorf("statement %s: %w", st.Slug, err)
	}
	return &st, nil
}

func scanStatementKeyed(r rowScanner, key *int64) (*Statement, error) { return scanStatement(r, key) }

// FindStatementsByIDs returns the statements with the given ids visible
// under ctx, keyed by id.
func (s *Store) FindStatementsByIDs(ctx context.Context, ids []int64) (map[int64]*Statement, error) {
	list, err := queryAll(ctx, s, func(r rowScanner) (*Statement, error) { return scanStatement(r) },
		`SELECT `+statementColumns+` FROM statements x WHERE x.id IN (SELECT value FROM json_each(?)) AND x.reported <= ?`, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find statements by ids: %w", err)
	}
	return byID(list, func(st *Statement) int64 { return st.ID }), nil
}

// FindStatementBySlug returns the statement with the slug, or an ENOTFOUND error.
func (s *Store) FindStatementBySlug(ctx context.Context, slug string) (*Statement, error) {
	st, err := scanStatement(s.queryRow(ctx, `SELECT `+statementColumns+` FROM statements x WHERE x.slug = ? AND x.reported <= ?`, slug, cutoff(ctx)))
	return st, notFound(err, "statement %q", slug)
}

// StatementFilter selects statements; empty fields select everything.
// From and To keep statements whose date overlaps [From, To]; undated ones
// are left out of any range.
type StatementFilter struct {
	SpeakerID *int64
	About     *NodeRef
	MeetingID *int64
	EventID   *int64
	From, To  *PartialDate
	Bases     []Basis
}

// statementOrderings sort by date, undated statements last, then by when
// they were reported.
var statementOrderings = orderings{{"DATE", `coalesce(x.date_start, '9999') || x.reported`}}

// FindStatements returns a page of the statements f selects, sorted by o.
func (s *Store) FindStatements(ctx context.Context, f StatementFilter, o Order, p PageArgs) (*Page[*Statement], error) {
	o, key, err := statementOrderings.pick(o)
	if err != nil {
		return nil, err
	}
	if err := checkRange(f.From, f.To); err != nil {
		return nil, err
	}
	q := pageQuery{table: `statements x`, columns: statementColumns, order: o, key: key, slug: `x.slug`, visible: `x.reported`}
	in(&q, `x.basis`, f.Bases)
	if f.From != nil || f.To != nil {
		q.where = append(q.where, `x.date_start IS NOT NULL`)
		q.overlaps(`x.date_start`, `x.date_end`, f.From, f.To)
	}
	for _, c := range []struct {
		id  *int64
		col string
	}{{f.SpeakerID, `x.speaker_id`}, {f.MeetingID, `x.meeting_id`}, {f.EventID, `x.event_id`}} {
		if c.id != nil {
			q.where, q.args = append(q.where, c.col+` = ?`), append(q.args, *c.id)
		}
	}
	if f.About != nil {
		q.where = append(q.where, `x.id IN (SELECT statement_id FROM statement_subjects WHERE subject_type = ? AND subject_id = ?)`)
		q.args = append(q.args, f.About.Type, f.About.ID)
	}
	return findPage(ctx, s, p, q, scanStatement, func(st *Statement) string { return st.Slug })
}

// statementsVia returns the statements whose column col is one of ids,
// keyed by it, in date order.
func (s *Store) statementsVia(ctx context.Context, col string, ids []int64) (map[int64][]*Statement, error) {
	out, err := queryGrouped(ctx, s, scanStatementKeyed, `
		SELECT x.`+col+`, `+statementColumns+` FROM statements x
		WHERE x.`+col+` IN (SELECT value FROM json_each(?)) AND `+visibleDay(ctx, "x.reported")+` <= ?
		ORDER BY coalesce(x.date_start, '9999'), x.reported, x.slug`, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find statements by %s: %w", col, err)
	}
	return out, nil
}

// FindStatementsBySpeakerIDs returns what the given people said, keyed by person id.
func (s *Store) FindStatementsBySpeakerIDs(ctx context.Context, ids []int64) (map[int64][]*Statement, error) {
	return s.statementsVia(ctx, "speaker_id", ids)
}

// FindStatementsByMeetingIDs returns what was said at the given meetings, keyed by meeting id.
func (s *Store) FindStatementsByMeetingIDs(ctx context.Context, ids []int64) (map[int64][]*Statement, error) {
	return s.statementsVia(ctx, "meeting_id", ids)
}

// FindStatementsByEventIDs returns what was said at the given events, keyed by event id.
func (s *Store) FindStatementsByEventIDs(ctx context.Context, ids []int64) (map[int64][]*Statement, error) {
	return s.statementsVia(ctx, "event_id", ids)
}

// FindStatementSubjects returns what the given statements are about, keyed
// by statement id, in the order listed. Callers keep the objects visible
// to them.
func (s *Store) FindStatementSubjects(ctx context.Context, ids []int64) (map[int64][]NodeRef, error) {
	out, err := queryGrouped(ctx, s, func(r rowScanner, key *int64) (NodeRef, error) {
		var n NodeRef
		return n, r.Scan(key, &n.Type, &n.ID)
	}, `SELECT statement_id, subject_type, subject_id FROM statement_subjects
		WHERE statement_id IN (SELECT value FROM json_each(?)) ORDER BY statement_id, position`, idList(ids))
	if err != nil {
		return nil, fmt.Errorf("find statement subjects: %w", err)
	}
	return out, nil
}
