package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// TimelineKind is the kind of a timeline event.
type TimelineKind string

// TimelineKinds lists the kinds of timeline event.
var TimelineKinds = []TimelineKind{"MEETING", "SIGNING", "MILESTONE", "MEASUREMENT", "POSITION", "PUBLICATION", "STATEMENT", "EVENT"}

// NodeRef points at an object of the graph by type name and row id.
type NodeRef struct {
	Type string // Company, Person, Project, Meeting, Agreement, Source, Statement or Event
	ID   int64
}

// TimelineEvent is a dated thing. Its citations are either the one inline
// Citation or the list of CitationsOf.
type TimelineEvent struct {
	Kind        TimelineKind
	Date        PartialDate
	Title       string
	Subject     NodeRef
	Citation    *Citation
	CitationsOf *SubjectKey
}

// TimelineFilter selects timeline events: those about Subject (all when
// nil), of the given kinds (all when empty), dated within [From, To].
type TimelineFilter struct {
	Subject  *NodeRef
	From, To *PartialDate
	Kinds    []TimelineKind
}

// timelineArm is one kind of timeline event: a SELECT of the events visible
// at a cutoff (its one ? parameter) and, by subject type, the condition that
// keeps those about a subject (its ? parameters all the subject's id; a
// condition that walks a relation reads the cutoff as k.cutoff). Each
// row: kind, date, date_start, date_end, title, subject type and id, an
// inline citation (source, paragraph) or a citation subject. date_start and
// date_end are the first and last day of the period the date names, for
// every kind: range filters and the order depend on nothing else.
type timelineArm struct {
	query string
	about map[string]string
	// citing: for the subject types about does not name, the events are
	// the publications of the sources that cite the subject.
	citing bool
}

// timelineArms are the kinds of event. A subject type an arm has no
// condition for has no events of its kind. Each condition is an index
// lookup on the subject, which one condition over every subject type
// (`? = 'Company' AND ... OR ? = 'Person' AND ...`) would prevent.
var timelineArms = []timelineArm{{
	query: `SELECT 'MEETING' AS kind, x.date AS date, x.date_start AS date_start, x.date_end AS date_end,
		'Meeting' || coalesce(' in ' || x.location, '') || ': ' || coalesce((SELECT group_concat(p.name, ', ' ORDER BY l.person_id)
			FROM meeting_participants l JOIN people p ON p.id = l.person_id
			WHERE l.meeting_id = x.id AND p.first_reported <= k.cutoff), '') AS title,
		'Meeting' AS subject_type, x.id AS subject_id, CAST(NULL AS INTEGER) AS source_id, CAST(NULL AS INTEGER) AS paragraph, 'meeting' AS cite_subject
	FROM meetings x, (SELECT ? AS cutoff) k
	WHERE x.first_reported <= k.cutoff`,
	about: map[string]string{
		"Company":   `x.id IN (SELECT meeting_id FROM meeting_organizations WHERE company_id = ?)`,
		"Person":    `x.id IN (SELECT meeting_id FROM meeting_participants WHERE person_id = ?)`,
		"Project":   `x.id IN (SELECT meeting_id FROM meeting_projects WHERE project_id = ?)`,
		"Meeting":   `x.id = ?`,
		"Agreement": `x.id IN (SELECT meeting_id FROM agreements WHERE id = ?)`,
	},
}, {
	query: `SELECT 'SIGNING' AS kind, x.signed_on AS date, x.signed_start AS date_start, x.signed_end AS date_end,
		'Signed: ' || x.title AS title,
		'Agreement' AS subject_type, x.id AS subject_id, CAST(NULL AS INTEGER) AS source_id, CAST(NULL AS INTEGER) AS paragraph, 'agreement' AS cite_subject
	FROM agreements x
	WHERE x.signed_on IS NOT NULL AND x.first_reported <= ?`,
	about: map[string]string{
		"Company":   `x.id IN (SELECT agreement_id FROM agreement_parties WHERE company_id = ?)`,
		"Person":    `x.id IN (SELECT agreement_id FROM agreement_signatories WHERE person_id = ?)`,
		"Project":   `x.id IN (SELECT agreement_id FROM agreement_projects WHERE project_id = ?)`,
		"Meeting":   `x.meeting_id = ?`,
		"Agreement": `x.id = ?`,
	},
}, {
	query: `SELECT 'MILESTONE' AS kind, x.date AS date, x.date_start AS date_start, x.date_end AS date_end,
		p.name || ': ' || x.name || ' (' || lower(x.status) || ')' AS title,
		'Project' AS subject_type, p.id AS subject_id, x.source_id AS source_id, x.paragraph AS paragraph, NULL AS cite_subject
	FROM milestones x JOIN projects p ON p.id = x.project_id, (SELECT ? AS cutoff) k
	WHERE x.date IS NOT NULL AND x.reported <= k.cutoff`,
	about: map[string]string{
		"Project": `x.project_id = ?`,
		"Company": `x.project_id IN (SELECT project_id FROM project_participants WHERE company_id = ? AND first_reported <= k.cutoff)`,
	},
}, {
	query: `SELECT 'MEASUREMENT' AS kind, x.as_of AS date, x.as_of_start AS date_start, x.as_of_end AS date_end,
		coalesce(p.name, c.name) || ': ' || coalesce(x.label, lower(replace(x.metric, '_', ' '))) || ' ' ||
		CASE x.approximation WHEN 'AT_LEAST' THEN 'at least ' WHEN 'ABOUT' THEN 'about ' WHEN 'UP_TO' THEN 'up to ' ELSE '' END ||
		CASE WHEN x.value = CAST(x.value AS INTEGER) THEN printf('%,d', x.value) ELSE printf('%g', x.value) END ||
		' ' || x.unit || ' (' || lower(x.status) || ')' AS title,
		CASE WHEN p.id IS NULL THEN 'Company' ELSE 'Project' END AS subject_type, coalesce(p.id, c.id) AS subject_id,
		x.source_id AS source_id, x.paragraph AS paragraph, NULL AS cite_subject
	FROM measurements x LEFT JOIN projects p ON p.id = x.project_id LEFT JOIN companies c ON c.id = x.company_id,
		(SELECT ? AS cutoff) k
	WHERE x.reported <= k.cutoff`,
	about: map[string]string{
		"Project": `x.project_id = ?`,
		"Company": `(x.company_id = ? OR x.project_id IN (SELECT project_id FROM project_participants WHERE company_id = ? AND first_reported <= k.cutoff))`,
	},
}, {
	query: `SELECT 'POSITION' AS kind, x.reported_on AS date, x.reported_start AS date_start, x.reported_end AS date_end,
		p.name || ': ' || x.title || ', ' || c.name AS title,
		'Person' AS subject_type, p.id AS subject_id, CAST(NULL AS INTEGER) AS source_id, CAST(NULL AS INTEGER) AS paragraph, 'position:' || x.id AS cite_subject
	FROM positions x JOIN people p ON p.id = x.person_id JOIN companies c ON c.id = x.organization_id
	WHERE x.first_reported <= ?`,
	about: map[string]string{
		"Person":  `x.person_id = ?`,
		"Company": `x.organization_id = ?`,
	},
}, {
	// A statement, on the date it was made; undated statements have none.
	query: `SELECT 'STATEMENT' AS kind, x.date AS date, x.date_start AS date_start, x.date_end AS date_end,
		p.name || ': ' || x.summary AS title,
		'Statement' AS subject_type, x.id AS subject_id, x.source_id AS source_id, x.paragraph AS paragraph, NULL AS cite_subject
	FROM statements x JOIN people p ON p.id = x.speaker_id
	WHERE x.date IS NOT NULL AND x.reported <= ?`,
	about: map[string]string{
		"Statement": `x.id = ?`,
		"Person":    `x.speaker_id = ?`,
		"Meeting":   `x.meeting_id = ?`,
		"Event":     `x.event_id = ?`,
		"Company":   `x.id IN (SELECT statement_id FROM statement_subjects WHERE subject_type = 'Company' AND subject_id = ?)`,
		"Project":   `x.id IN (SELECT statement_id FROM statement_subjects WHERE subject_type = 'Project' AND subject_id = ?)`,
		"Agreement": `x.id IN (SELECT statement_id FROM statement_subjects WHERE subject_type = 'Agreement' AND subject_id = ?)`,
	},
}, {
	// An event, on its start; undated events have none.
	query: `SELECT 'EVENT' AS kind, x.start_on AS date, x.start_start AS date_start, x.start_end AS date_end,
		x.name AS title,
		'Event' AS subject_type, x.id AS subject_id, CAST(NULL AS INTEGER) AS source_id, CAST(NULL AS INTEGER) AS paragraph, 'event' AS cite_subject
	FROM events x
	WHERE x.start_on IS NOT NULL AND x.first_reported <= ?`,
	about: map[string]string{
		"Event":     `x.id = ?`,
		"Meeting":   `x.id IN (SELECT event_id FROM meetings WHERE id = ?)`,
		"Agreement": `x.id IN (SELECT event_id FROM agreements WHERE id = ?)`,
		"Person": `x.id IN (SELECT m.event_id FROM meeting_participants l JOIN meetings m ON m.id = l.meeting_id WHERE l.person_id = ?
			UNION SELECT event_id FROM statements WHERE speaker_id = ?)`,
	},
}, {
	query: `SELECT 'PUBLICATION' AS kind, s.published_on AS date, s.published_start AS date_start, s.published_end AS date_end,
		'Published: ' || s.title AS title,
		'Source' AS subject_type, s.id AS subject_id, s.id AS source_id, 1 AS paragraph, NULL AS cite_subject
	FROM sources s
	WHERE s.published_start <= ?`,
	about: map[string]string{
		"Source": `s.id = ?`,
	},
	citing: true,
}}

// citingSubject keeps the sources that cite a subject, given as its
// lower-cased type and its id.
const citingSubject = `s.id IN (SELECT source_id FROM citations WHERE subject = ? AND subject_id = ?)`

// timelineQuery returns the statement listing the events about the subject
// typ/id (every event when typ is ""), visible at cutoff, of the kinds,
// dated between from and to, ordered, with their count, and its arguments.
// The order is total over what a row shows, so that a page and the whole
// list agree on it.
func timelineQuery(typ string, id int64, cutoff, kinds, from, to string, offset, limit int) (string, []any) {
	var (
		arms []string
		args []any
	)
	for _, arm := range timelineArms {
		q, a := arm.query, []any{cutoff}
		switch cond, ok := arm.about[typ]; {
		case typ == "":
		case ok:
			q += " AND " + cond
			for range strings.Count(cond, "?") {
				a = append(a, id)
			}
		case arm.citing:
			q += " AND " + citingSubject
			a = append(a, strings.ToLower(typ), id)
		default:
			continue
		}
		arms, args = append(arms, q), append(args, a...)
	}
	args = append(args, kinds, from, to, limit, offset)
	return `WITH found AS (
	` + strings.Join(arms, "\n\tUNION ALL\n\t") + `
)
SELECT kind, date, title, subject_type, subject_id, source_id, paragraph, cite_subject, date_start, date_end, count(*) OVER ()
FROM found
WHERE kind IN (SELECT value FROM json_each(?)) AND date_end >= ? AND date_start <= ?
ORDER BY date_start, date_end, kind, subject_id, title, date, subject_type, source_id, paragraph, cite_subject
LIMIT ? OFFSET ?`, args
}

// timelineRow is an event as the timeline's statement returns it, with the
// first and last day of its date.
type timelineRow struct {
	event      TimelineEvent
	start, end string
}

// Timeline returns a page of the events f selects, in date order, and the
// number of events in all. Each event's date is a period: events whose
// period overlaps [From, To] are kept, and they sort by the period's first
// day, then its last (the shorter of two periods starting the same day
// first), then by kind, subject and title, whatever their kind. Within a
// snapshot that knew its data version, the whole timeline of a subject is
// kept per version (see memoized), and kinds, dates and the page are
// taken from it.
func (s *Store) Timeline(ctx context.Context, f TimelineFilter, offset, limit int) ([]*TimelineEvent, int, error) {
	if err := checkRange(f.From, f.To); err != nil {
		return nil, 0, err
	}
	from, to := rangeBounds(f.From, f.To)
	kinds := f.Kinds
	if len(kinds) == 0 {
		kinds = TimelineKinds
	}
	typ, id := "", int64(0)
	if f.Subject != nil {
		typ, id = f.Subject.Type, f.Subject.ID
	}
	k := memoKey{kind: "timeline", args: typ + "\x00" + strconv.FormatInt(id, 10) + "\x00" + cutoff(ctx)}
	all, ok, err := memoizedList(ctx, s, k, func(limit int) ([]timelineRow, bool, error) {
		rows, total, err := s.timelineRows(ctx, typ, id, jsonString(TimelineKinds), "0000-01-01", noCutoff, 0, limit)
		return rows, total <= limit, err
	})
	if err != nil {
		return nil, 0, err
	}
	if ok {
		return timelinePage(all, kinds, from, to, offset, limit)
	}
	rows, total, err := s.timelineRows(ctx, typ, id, jsonString(kinds), from, to, offset, limit)
	if err != nil {
		return nil, 0, err
	}
	if len(rows) == 0 && (offset > 0 || limit == 0) {
		// Past the end, or for an empty page, the window count sees no
		// rows: count from the start.
		_, n, err := s.timelineRows(ctx, typ, id, jsonString(kinds), from, to, 0, 1)
		return nil, n, err
	}
	var events []*TimelineEvent
	for i := range rows {
		events = append(events, &rows[i].event)
	}
	return events, total, nil
}

// timelinePage selects from a subject's whole timeline what the
// timeline's statement would: the events of the kinds whose period
// overlaps [from, to], and of them the page, with their count.
func timelinePage(all []timelineRow, kinds []TimelineKind, from, to string, offset, limit int) ([]*TimelineEvent, int, error) {
	var kept []*timelineRow
	for i := range all {
		r := &all[i]
		if r.end >= from && r.start <= to && slices.Contains(kinds, r.event.Kind) {
			kept = append(kept, r)
		}
	}
	page := window(kept, offset, limit)
	if len(page) == 0 {
		return nil, len(kept), nil
	}
	events := make([]*TimelineEvent, len(page))
	for i, r := range page {
		e := r.event
		events[i] = &e
	}
	return events, len(kept), nil
}

// timelineRows runs the timeline's statement (timelineQuery) and returns
// its rows and the count of rows it selects before the page.
func (s *Store) timelineRows(ctx context.Context, typ string, id int64, kinds, from, to string, offset, limit int) ([]timelineRow, int, error) {
	query, args := timelineQuery(typ, id, cutoff(ctx), kinds, from, to, offset, limit)
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("timeline: %w", err)
	}
	defer rows.Close()
	var (
		out   []timelineRow
		total int
	)
	for rows.Next() {
		var (
			row               timelineRow
			date              string
			source, paragraph sql.NullInt64
			citeSubject       sql.NullString
		)
		e := &row.event
		if err := rows.Scan(&e.Kind, &date, &e.Title, &e.Subject.Type, &e.Subject.ID, &source, &paragraph, &citeSubject,
			&row.start, &row.end, &total); err != nil {
			return nil, 0, fmt.Errorf("timeline: %w", err)
		}
		if e.Date, err = ParsePartialDate(date); err != nil {
			return nil, 0, fmt.Errorf("timeline: %w", err)
		}
		switch {
		case source.Valid:
			e.Citation = &Citation{SourceID: source.Int64, Paragraph: int(paragraph.Int64)}
		case citeSubject.Valid:
			k := SubjectKey{Subject: Subject(citeSubject.String), ID: e.Subject.ID}
			if n, err := fmt.Sscanf(citeSubject.String, "position:%d", &k.ID); err == nil && n == 1 {
				k.Subject = SubjectPosition
			}
			e.CitationsOf = &k
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("timeline: %w", err)
	}
	return out, total, nil
}
