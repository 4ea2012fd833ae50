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
}

const meetingColumns = `x.id, x.slug, x.date, x.location, x.occasion, x.summary`

func scanMeeting(r rowScanner, extra ...any) (*Meeting, error) {
	var (
		m                          Meeting
		date                       string
		location, occasion, summar sql.NullString
		err                        error
	)
	if err = r.Scan(append(extra, &m.ID, &m.Slug, &date, &location, &occasion, &summar)...); err != nil {
		return nil, err
	}
	m.Location, m.Occasion, m.Summary = nullString(location), nullString(occasion), nullString(summar)
	if m.Date, err = ParsePartialDate(date); err != nil {
		return nil, fmt.Errorf("meeting %s: %w", m.Slug, err)
	}
	return &m, nil
}

func scanMeetingKeyed(r rowScanner, key *int64) (*Meeting, error) { return scanMeeting(r, key) }

// FindMeetingsByIDs returns the meetings with the given ids, keyed by id.
func (s *Store) FindMeetingsByIDs(ctx context.Context, ids []int64) (map[int64]*Meeting, error) {
	list, err := queryAll(ctx, s, func(r rowScanner) (*Meeting, error) { return scanMeeting(r) },
		`SELECT `+meetingColumns+` FROM meetings x WHERE x.id IN (SELECT value FROM json_each(?))`, idList(ids))
	if err != nil {
		return nil, fmt.Errorf("find meetings by ids: %w", err)
	}
	return byID(list, func(m *Meeting) int64 { return m.ID }), nil
}

// FindMeetingBySlug returns the meeting with the slug, or an ENOTFOUND error.
func (s *Store) FindMeetingBySlug(ctx context.Context, slug string) (*Meeting, error) {
	m, err := scanMeeting(s.queryRow(ctx, `SELECT `+meetingColumns+` FROM meetings x WHERE x.slug = ?`, slug))
	return m, notFound(err, "meeting %q", slug)
}

// MeetingFilter selects meetings: those whose date overlaps [From, To],
// either end open when nil.
type MeetingFilter struct {
	From, To *PartialDate
}

// FindMeetings returns a page of the meetings f selects, in date order.
func (s *Store) FindMeetings(ctx context.Context, f MeetingFilter, p PageArgs) (*Page[*Meeting], error) {
	q := pageQuery{
		table: `meetings x`, columns: meetingColumns,
		key: `x.date_start`, slug: `x.slug`,
	}
	if f.From != nil && f.To != nil && f.From.Start() > f.To.End() {
		return nil, Errorf(EINVALID, "from (%s) is after to (%s): swap them", f.From, f.To)
	}
	if f.From != nil {
		q.where, q.args = append(q.where, `x.date_end >= ?`), append(q.args, f.From.Start())
	}
	if f.To != nil {
		q.where, q.args = append(q.where, `x.date_start <= ?`), append(q.args, f.To.End())
	}
	return findPage(ctx, s, p, q, func(r rowScanner) (*Meeting, error) { return scanMeeting(r) },
		func(m *Meeting) string { return m.Date.Start() }, func(m *Meeting) string { return m.Slug })
}

// meetingsVia returns meetings reached through a link table, keyed by the
// link's other column, in date order.
func (s *Store) meetingsVia(ctx context.Context, query string, ids []int64) (map[int64][]*Meeting, error) {
	return queryGrouped(ctx, s, scanMeetingKeyed, query, idList(ids))
}

// FindMeetingsByPersonIDs returns the meetings the given people attended,
// keyed by person id.
func (s *Store) FindMeetingsByPersonIDs(ctx context.Context, personIDs []int64) (map[int64][]*Meeting, error) {
	out, err := s.meetingsVia(ctx, `
		SELECT l.person_id, `+meetingColumns+`
		FROM meeting_participants l JOIN meetings x ON x.id = l.meeting_id
		WHERE l.person_id IN (SELECT value FROM json_each(?))
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
		WHERE l.company_id IN (SELECT value FROM json_each(?))
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
		WHERE l.project_id IN (SELECT value FROM json_each(?))
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
