package db

import (
	"context"
	"database/sql"
	"fmt"
)

// TimelineKind is the kind of a timeline event.
type TimelineKind string

// TimelineKinds lists the kinds of timeline event.
var TimelineKinds = []TimelineKind{"MEETING", "SIGNING", "MILESTONE", "MEASUREMENT", "POSITION", "PUBLICATION"}

// NodeRef points at an object of the graph by type name and row id.
type NodeRef struct {
	Type string // Company, Person, Project, Meeting, Agreement or Source
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

// timelineEvents lists every dated thing visible at :cutoff that concerns
// the subject :type/:id (or everything when :type is ”). Each row: kind,
// date, date_start, date_end, title, subject type and id, an inline
// citation (source, paragraph) or a citation subject.
const timelineEvents = `
WITH events AS (
	SELECT 'MEETING' AS kind, x.date, x.date_start, x.date_end,
		'Meeting' || coalesce(' in ' || x.location, '') || ': ' || coalesce((SELECT group_concat(p.name, ', ')
			FROM meeting_participants l JOIN people p ON p.id = l.person_id WHERE l.meeting_id = x.id), '') AS title,
		'Meeting' AS subject_type, x.id AS subject_id, NULL AS source_id, NULL AS paragraph, 'meeting' AS cite_subject
	FROM meetings x
	WHERE x.first_reported <= :cutoff AND (:type = ''
		OR (:type = 'Company' AND x.id IN (SELECT meeting_id FROM meeting_organizations WHERE company_id = :id))
		OR (:type = 'Person' AND x.id IN (SELECT meeting_id FROM meeting_participants WHERE person_id = :id))
		OR (:type = 'Project' AND x.id IN (SELECT meeting_id FROM meeting_projects WHERE project_id = :id))
		OR (:type = 'Meeting' AND x.id = :id)
		OR (:type = 'Agreement' AND x.id IN (SELECT meeting_id FROM agreements WHERE id = :id)))
	UNION ALL
	SELECT 'SIGNING', x.signed_on, x.signed_start, x.signed_start, 'Signed: ' || x.title,
		'Agreement', x.id, NULL, NULL, 'agreement'
	FROM agreements x
	WHERE x.signed_on IS NOT NULL AND x.first_reported <= :cutoff AND (:type = ''
		OR (:type = 'Company' AND x.id IN (SELECT agreement_id FROM agreement_parties WHERE company_id = :id))
		OR (:type = 'Person' AND x.id IN (SELECT agreement_id FROM agreement_signatories WHERE person_id = :id))
		OR (:type = 'Project' AND x.id IN (SELECT agreement_id FROM agreement_projects WHERE project_id = :id))
		OR (:type = 'Meeting' AND x.meeting_id = :id)
		OR (:type = 'Agreement' AND x.id = :id))
	UNION ALL
	SELECT 'MILESTONE', x.date, x.date_start, x.date_start, p.name || ': ' || x.name || ' (' || lower(x.status) || ')',
		'Project', p.id, x.source_id, x.paragraph, NULL
	FROM milestones x JOIN projects p ON p.id = x.project_id
	WHERE x.date IS NOT NULL AND x.reported <= :cutoff AND (:type = ''
		OR (:type = 'Project' AND p.id = :id)
		OR (:type = 'Company' AND p.id IN (SELECT project_id FROM project_participants WHERE company_id = :id)))
	UNION ALL
	SELECT 'MEASUREMENT', x.as_of, x.as_of_start, x.as_of_end,
		coalesce(p.name, c.name) || ': ' || coalesce(x.label, lower(replace(x.metric, '_', ' '))) || ' ' ||
		CASE x.approximation WHEN 'AT_LEAST' THEN 'at least ' WHEN 'ABOUT' THEN 'about ' WHEN 'UP_TO' THEN 'up to ' ELSE '' END ||
		CASE WHEN x.value = CAST(x.value AS INTEGER) THEN printf('%,d', x.value) ELSE printf('%g', x.value) END ||
		' ' || x.unit || ' (' || lower(x.status) || ')',
		CASE WHEN p.id IS NULL THEN 'Company' ELSE 'Project' END, coalesce(p.id, c.id), x.source_id, x.paragraph, NULL
	FROM measurements x LEFT JOIN projects p ON p.id = x.project_id LEFT JOIN companies c ON c.id = x.company_id
	WHERE x.reported <= :cutoff AND (:type = ''
		OR (:type = 'Project' AND x.project_id = :id)
		OR (:type = 'Company' AND (x.company_id = :id
			OR x.project_id IN (SELECT project_id FROM project_participants WHERE company_id = :id))))
	UNION ALL
	SELECT 'POSITION', x.reported_on, x.reported_start, x.reported_start, p.name || ': ' || x.title || ', ' || c.name,
		'Person', p.id, NULL, NULL, 'position:' || x.id
	FROM positions x JOIN people p ON p.id = x.person_id JOIN companies c ON c.id = x.organization_id
	WHERE x.first_reported <= :cutoff AND (:type = ''
		OR (:type = 'Person' AND p.id = :id)
		OR (:type = 'Company' AND c.id = :id))
	UNION ALL
	SELECT 'PUBLICATION', s.published_on, s.published_start, s.published_start, 'Published: ' || s.title,
		'Source', s.id, s.id, 1, NULL
	FROM sources s
	WHERE s.published_start <= :cutoff AND (:type = ''
		OR (:type = 'Source' AND s.id = :id)
		OR s.id IN (SELECT source_id FROM citations WHERE subject = lower(:type) AND subject_id = :id))
)
SELECT kind, date, title, subject_type, subject_id, source_id, paragraph, cite_subject, count(*) OVER ()
FROM events
WHERE kind IN (SELECT value FROM json_each(:kinds)) AND date_end >= :from AND date_start <= :to
ORDER BY date_start, date_end, kind, subject_id, title
LIMIT :limit OFFSET :offset`

// Timeline returns a page of the events f selects, in date order, and the
// number of events in all.
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
	rows, err := s.query(ctx, timelineEvents,
		sql.Named("cutoff", cutoff(ctx)), sql.Named("type", typ), sql.Named("id", id),
		sql.Named("kinds", jsonString(kinds)), sql.Named("from", from), sql.Named("to", to),
		sql.Named("limit", limit), sql.Named("offset", offset))
	if err != nil {
		return nil, 0, fmt.Errorf("timeline: %w", err)
	}
	defer rows.Close()
	var (
		events []*TimelineEvent
		total  int
	)
	for rows.Next() {
		var (
			e                 TimelineEvent
			date              string
			source, paragraph sql.NullInt64
			citeSubject       sql.NullString
		)
		if err := rows.Scan(&e.Kind, &date, &e.Title, &e.Subject.Type, &e.Subject.ID, &source, &paragraph, &citeSubject, &total); err != nil {
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
		events = append(events, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("timeline: %w", err)
	}
	if len(events) == 0 && offset > 0 {
		// Past the end, the window count sees no rows: count from the start.
		_, n, err := s.Timeline(ctx, f, 0, 1)
		return nil, n, err
	}
	return events, total, nil
}
