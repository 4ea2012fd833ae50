package db

import (
	"context"
	"database/sql"
	"fmt"
)

// Meeting is a reported meeting between people on behalf of organizations.
type Meeting struct {
	ID       int64
	Slug     string
	Date     PartialDate
	Location *string
	Occasion *string
	Summary  *string
	EventID  *int64 // the visit, trip, roundtable or council it was part of
}

const meetingColumns = `x.id, x.slug, x.date, x.location, x.occasion, x.summary, x.event_id`

func scanMeeting(r rowScanner, extra ...any) (*Meeting, error) {
	var (
		m                          Meeting
		date                       string
		location, occasion, summar sql.NullString
		event                      sql.NullInt64
		err                        error
	)
	if err = r.Scan(append(extra, &m.ID, &m.Slug, &date, &location, &occasion, &summar, &event)...); err != nil {
		return nil, err
	}
	m.EventID = nullInt(event)
	m.Location, m.Occasion, m.Summary = nullString(location), nullString(occasion), nullString(summar)
	if m.Date, err = ParsePartialDate(date); err != nil {
		return nil, fmt.Errorf("meeting %s: %w", m.Slug, err)
	}
	return &m, nil
}

func scanMeetingKeyed(r rowScanner, key *int64) (*Meeting, error) { return scanMeeting(r, key) }

// FindMeetingsByIDs returns the meetings with the given ids visible under ctx, keyed by id.
func (s *Store) FindMeetingsByIDs(ctx context.Context, ids []int64) (map[int64]*Meeting, error) {
	list, err := queryAll(ctx, s, func(r rowScanner) (*Meeting, error) { return scanMeeting(r) },
		`SELECT `+meetingColumns+` FROM meetings x WHERE x.id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?`, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find meetings by ids: %w", err)
	}
	return byID(list, func(m *Meeting) int64 { return m.ID }), nil
}

// FindMeetingBySlug returns the meeting with the slug, or an ENOTFOUND error.
func (s *Store) FindMeetingBySlug(ctx context.Context, slug string) (*Meeting, error) {
	m, err := scanMeeting(s.queryRow(ctx, `SELECT `+meetingColumns+` FROM meetings x WHERE x.slug = ? AND x.first_reported <= ?`, slug, cutoff(ctx)))
	return m, notFound(err, "meeting %q", slug)
}

// MeetingFilter selects meetings; empty fields select everything. From and
// To keep meetings whose date overlaps [From, To].
type MeetingFilter struct {
	From, To       *PartialDate
	ParticipantID  *int64
	OrganizationID *int64
	ProjectID      *int64
	Location       string // part of the location's name
	// Bases keeps, with ParticipantID, OrganizationID and ProjectID, only
	// links of these bases.
	Bases []Basis
}

var meetingOrderings = orderings{{"DATE", `x.date_start`}}

// FindMeetings returns a page of the meetings f selects, sorted by o.
func (s *Store) FindMeetings(ctx context.Context, f MeetingFilter, o Order, p PageArgs) (*Page[*Meeting], error) {
	o, key, err := meetingOrderings.pick(o)
	if err != nil {
		return nil, err
	}
	if err := checkRange(f.From, f.To); err != nil {
		return nil, err
	}
	q := pageQuery{table: `meetings x`, columns: meetingColumns, order: o, key: key, slug: `x.slug`, visible: `x.first_reported`}
	q.overlaps(`x.date_start`, `x.date_end`, f.From, f.To)
	q.contains(`x.location`, f.Location)
	for _, link := range []struct {
		id    *int64
		where string
	}{
		{f.ParticipantID, `x.id IN (SELECT meeting_id FROM meeting_participants WHERE person_id = ?)`},
		{f.OrganizationID, `x.id IN (SELECT meeting_id FROM meeting_organizations WHERE company_id = ?)`},
		{f.ProjectID, `x.id IN (SELECT meeting_id FROM meeting_projects WHERE project_id = ?)`},
	} {
		if link.id != nil {
			q.where, q.args = append(q.where, link.where), append(q.args, *link.id)
			q.linkBasis(link.where, f.Bases, *link.id)
		}
	}
	return findPage(ctx, s, p, q, scanMeeting, func(m *Meeting) string { return m.Slug })
}

// meetingsVia returns meetings reached through a link table, keyed by the
// link's other column, in date order.
func (s *Store) meetingsVia(ctx context.Context, query string, ids []int64) (map[int64][]*Meeting, error) {
	return queryGrouped(ctx, s, scanMeetingKeyed, query, idList(ids), cutoff(ctx))
}

// FindMeetingsByPersonIDs returns the meetings the given people attended,
// keyed by person id.
func (s *Store) FindMeetingsByPersonIDs(ctx context.Context, personIDs []int64) (map[int64][]*Meeting, error) {
	out, err := s.meetingsVia(ctx, `
		SELECT l.person_id, `+meetingColumns+`
		FROM meeting_participants l JOIN meetings x ON x.id = l.meeting_id
		WHERE l.person_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY x.date_start, x.slug`, personIDs)
	if err != nil {
		return nil, fmt.Errorf("find meetings by person: %w", err)
	}
	return out, nil
}

// FindMeetingsByCompanyIDs returns the meetings at which the given
// organizations were represented, keyed by company id.
func (s *Store) FindMeetingsByCompanyIDs(ctx context.Context, companyIDs []int64) (map[int64][]*Meeting, error) {
	out, err := s.meetingsVia(ctx, `
		SELECT l.company_id, `+meetingColumns+`
		FROM meeting_organizations l JOIN meetings x ON x.id = l.meeting_id
		WHERE l.company_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY x.date_start, x.slug`, companyIDs)
	if err != nil {
		return nil, fmt.Errorf("find meetings by company: %w", err)
	}
	return out, nil
}

// FindMeetingsByProjectIDs returns the meetings that discussed the given
// projects, keyed by project id.
func (s *Store) FindMeetingsByProjectIDs(ctx context.Context, projectIDs []int64) (map[int64][]*Meeting, error) {
	out, err := s.meetingsVia(ctx, `
		SELECT l.project_id, `+meetingColumns+`
		FROM meeting_projects l JOIN meetings x ON x.id = l.meeting_id
		WHERE l.project_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY x.date_start, x.slug`, projectIDs)
	if err != nil {
		return nil, fmt.Errorf("find meetings by project: %w", err)
	}
	return out, nil
}

// FindMeetingTopics returns the topics of the given meetings in the order
// the source lists them, keyed by meeting id.
func (s *Store) FindMeetingTopics(ctx context.Context, meetingIDs []int64) (map[int64][]string, error) {
	out, err := queryGrouped(ctx, s, func(r rowScanner, key *int64) (string, error) {
		var topic string
		return topic, r.Scan(key, &topic)
	}, `SELECT meeting_id, topic FROM meeting_topics
		WHERE meeting_id IN (SELECT value FROM json_each(?))
		ORDER BY meeting_id, position`, idList(meetingIDs))
	if err != nil {
		return nil, fmt.Errorf("find meeting topics: %w", err)
	}
	return out, nil
}
