package db

import (
	"context"
	"database/sql"
	"fmt"
)

// Event is a visit, trip, roundtable, council session or ceremony that
// meetings, agreements and statements belong to.
type Event struct {
	ID          int64
	Slug        string
	Name        string
	Kind        EventKind
	Start       *PartialDate
	End         *PartialDate
	Location    *string
	Description *string
	PartOfID    *int64 // the larger event it belongs to, e.g. a state visit
}

const eventColumns = `x.id, x.slug, x.name, x.kind, x.start_on, x.end_on, x.location, x.description, x.part_of_id`

func scanEvent(r rowScanner, extra ...any) (*Event, error) {
	var (
		e                                 Event
		start, end, location, description sql.NullString
		partOf                            sql.NullInt64
		err                               error
	)
	if err = r.Scan(append(extra, &e.ID, &e.Slug, &e.Name, &e.Kind, &start, &end, &location, &description, &partOf)...); err != nil {
		return nil, err
	}
	e.Location, e.Description, e.PartOfID = nullString(location), nullString(description), nullInt(partOf)
	if e.Start, err = nullDate(start); err == nil {
		e.End, err = nullDate(end)
	}
	if err != nil {
		return nil, fmt.Errorf("event %s: %w", e.Slug, err)
	}
	return &e, nil
}

func scanEventKeyed(r rowScanner, key *int64) (*Event, error) { return scanEvent(r, key) }

// FindEventsByIDs returns the events with the given ids visible under ctx, keyed by id.
func (s *Store) FindEventsByIDs(ctx context.Context, ids []int64) (map[int64]*Event, error) {
	list, err := queryAll(ctx, s, func(r rowScanner) (*Event, error) { return scanEvent(r) },
		`SELECT `+eventColumns+` FROM events x WHERE x.id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?`, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find events by ids: %w", err)
	}
	return byID(list, func(e *Event) int64 { return e.ID }), nil
}

// FindEventBySlug returns the event with the slug, or an ENOTFOUND error.
func (s *Store) FindEventBySlug(ctx context.Context, slug string) (*Event, error) {
	e, err := scanEvent(s.queryRow(ctx, `SELECT `+eventColumns+` FROM events x WHERE x.slug = ? AND x.first_reported <= ?`, slug, cutoff(ctx)))
	return e, notFound(err, "event %q", slug)
}

// EventFilter selects events; empty fields select everything. From and To
// keep events whose period (start to end, or the start alone) overlaps
// [From, To]; undated events are left out of any range.
type EventFilter struct {
	Kinds         []EventKind
	From, To      *PartialDate
	ParticipantID *int64 // a person at one of its meetings, or speaking at it
	Location      string // part of the location's name
	Text          string // part of the name
	// Bases keeps, with ParticipantID, only participations of these bases.
	Bases []Basis
}

var eventOrderings = orderings{{"START", `coalesce(x.start_start, '9999')`}, {"NAME", `x.name COLLATE NOCASE`}}

// FindEvents returns a page of the events f selects, sorted by o.
func (s *Store) FindEvents(ctx context.Context, f EventFilter, o Order, p PageArgs) (*Page[*Event], error) {
	o, key, err := eventOrderings.pick(o)
	if err != nil {
		return nil, err
	}
	if err := checkRange(f.From, f.To); err != nil {
		return nil, err
	}
	q := pageQuery{table: `events x`, columns: eventColumns, order: o, key: key, slug: `x.slug`, visible: `x.first_reported`}
	in(&q, `x.kind`, f.Kinds)
	if f.From != nil || f.To != nil {
		q.where = append(q.where, `x.start_start IS NOT NULL`)
		q.overlaps(`x.start_start`, `coalesce(x.end_end, x.start_end)`, f.From, f.To)
	}
	q.contains(`x.location`, f.Location)
	q.contains(`x.name`, f.Text)
	if f.ParticipantID != nil {
		q.where = append(q.where, `x.id IN (SELECT m.event_id FROM meeting_participants l JOIN meetings m ON m.id = l.meeting_id
			WHERE l.person_id = ? AND m.first_reported <= ? AND l.basis IN (SELECT value FROM json_each(?))
			UNION SELECT st.event_id FROM statements st WHERE st.speaker_id = ? AND st.reported <= ?
			AND st.basis IN (SELECT value FROM json_each(?)))`)
		bases := basisList(f.Bases)
		q.args = append(q.args, *f.ParticipantID, cutoff(ctx), bases, *f.ParticipantID, cutoff(ctx), bases)
	}
	return findPage(ctx, s, p, q, scanEvent, func(e *Event) string { return e.Slug })
}

// basisList is the JSON list of the bases a filter keeps: all when empty.
func basisList(bases []Basis) string {
	if len(bases) == 0 {
		bases = Bases
	}
	return jsonString(bases)
}

// FindEventParts returns the events that are part of the given ones, keyed
// by the larger event, in date order.
func (s *Store) FindEventParts(ctx context.Context, ids []int64) (map[int64][]*Event, error) {
	out, err := queryGrouped(ctx, s, scanEventKeyed, `
		SELECT x.part_of_id, `+eventColumns+` FROM events x
		WHERE x.part_of_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY coalesce(x.start_start, '9999'), x.slug`, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find event parts: %w", err)
	}
	return out, nil
}

// FindMeetingsByEventIDs returns the meetings of the given events, keyed by
// event id, in date order: a meeting and its event are both visible.
func (s *Store) FindMeetingsByEventIDs(ctx context.Context, ids []int64) (map[int64][]*Meeting, error) {
	out, err := s.meetingsVia(ctx, `
		SELECT x.event_id, `+meetingColumns+` FROM meetings x JOIN events e ON e.id = x.event_id
		WHERE x.event_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?2 AND e.first_reported <= ?2
		ORDER BY x.date_start, x.slug`, ids)
	if err != nil {
		return nil, fmt.Errorf("find meetings by event: %w", err)
	}
	return out, nil
}

// FindAgreementsByEventIDs returns the agreements that came out of the
// given events, directly or through one of their meetings, keyed by event id.
func (s *Store) FindAgreementsByEventIDs(ctx context.Context, ids []int64) (map[int64][]*Agreement, error) {
	out, err := queryGrouped(ctx, s, scanAgreementKeyed, `
		SELECT x.event_id, `+agreementColumns+` FROM agreements x JOIN events e ON e.id = x.event_id
		WHERE x.event_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?2 AND e.first_reported <= ?2
		ORDER BY `+agreementOrder+`, x.slug`, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find agreements by event: %w", err)
	}
	return out, nil
}

// FindEventParticipants returns the people at the given events, keyed by
// event id, by name: those at its meetings and those who spoke at it.
func (s *Store) FindEventParticipants(ctx context.Context, ids []int64) (map[int64][]*Person, error) {
	out, err := queryGrouped(ctx, s, scanPersonKeyed, `
		SELECT e.event_id, `+personColumns+` FROM (
			SELECT m.event_id, l.person_id FROM meeting_participants l JOIN meetings m ON m.id = l.meeting_id
			WHERE m.event_id IN (SELECT value FROM json_each(?1)) AND m.first_reported <= ?2
			UNION SELECT st.event_id, st.speaker_id FROM statements st
			WHERE st.event_id IN (SELECT value FROM json_each(?1)) AND st.reported <= ?2
		) e JOIN people x ON x.id = e.person_id
		WHERE x.first_reported <= ?2
		ORDER BY x.name COLLATE NOCASE, x.slug`, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find event participants: %w", err)
	}
	return out, nil
}
