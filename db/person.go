package db

import (
	"context"
	"database/sql"
	"fmt"
)

// Person is a named individual who appears in a source.
type Person struct {
	ID          int64
	Slug        string
	Name        string
	Description *string
}

const personColumns = `x.id, x.slug, x.name, x.description`

func scanPerson(r rowScanner, extra ...any) (*Person, error) {
	var (
		p       Person
		descrip sql.NullString
	)
	if err := r.Scan(append(extra, &p.ID, &p.Slug, &p.Name, &descrip)...); err != nil {
		return nil, err
	}
	p.Description = nullString(descrip)
	return &p, nil
}

func scanPersonKeyed(r rowScanner, key *int64) (*Person, error) { return scanPerson(r, key) }

// FindPeopleByIDs returns the people with the given ids visible under ctx, keyed by id.
func (s *Store) FindPeopleByIDs(ctx context.Context, ids []int64) (map[int64]*Person, error) {
	list, err := queryAll(ctx, s, func(r rowScanner) (*Person, error) { return scanPerson(r) },
		`SELECT `+personColumns+` FROM people x WHERE x.id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?`, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find people by ids: %w", err)
	}
	return byID(list, func(p *Person) int64 { return p.ID }), nil
}

// FindPersonBySlug returns the person with the slug, or an ENOTFOUND error.
func (s *Store) FindPersonBySlug(ctx context.Context, slug string) (*Person, error) {
	p, err := scanPerson(s.queryRow(ctx, `SELECT `+personColumns+` FROM people x WHERE x.slug = ? AND x.first_reported <= ?`, slug, cutoff(ctx)))
	return p, notFound(err, "person %q", slug)
}

// FindPersonByName returns the person whose name or alias is name.
func (s *Store) FindPersonByName(ctx context.Context, name string) (*Person, error) {
	return findByName(ctx, s, SubjectPerson, `people x`, personColumns, scanPerson, name,
		func(p *Person) string { return p.Name })
}

// PersonFilter selects people; empty fields select everything.
type PersonFilter struct {
	Text           string // part of the name or an alias
	OrganizationID *int64 // held a position there
}

var personOrderings = orderings{
	{"NAME", `x.name COLLATE NOCASE`},
	{"FIRST_REPORTED", `x.first_reported`},
}

// FindPeople returns a page of the people f selects, sorted by o.
func (s *Store) FindPeople(ctx context.Context, f PersonFilter, o Order, p PageArgs) (*Page[*Person], error) {
	o, key, err := personOrderings.pick(o)
	if err != nil {
		return nil, err
	}
	q := pageQuery{table: `people x`, columns: personColumns, order: o, key: key, slug: `x.slug`, visible: `x.first_reported`}
	q.nameLike(SubjectPerson, f.Text)
	if f.OrganizationID != nil {
		q.where = append(q.where, `x.id IN (SELECT person_id FROM positions WHERE organization_id = ? AND first_reported <= ?)`)
		q.args = append(q.args, *f.OrganizationID, cutoff(ctx))
	}
	return findPage(ctx, s, p, q, scanPerson, func(v *Person) string { return v.Slug })
}

// FindMeetingParticipants returns the people at the given meetings, keyed by
// meeting id.
func (s *Store) FindMeetingParticipants(ctx context.Context, meetingIDs []int64) (map[int64][]*Person, error) {
	out, err := queryGrouped(ctx, s, scanPersonKeyed, `
		SELECT l.meeting_id, `+personColumns+`
		FROM meeting_participants l JOIN people x ON x.id = l.person_id
		WHERE l.meeting_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY x.name COLLATE NOCASE, x.slug`, idList(meetingIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find meeting participants: %w", err)
	}
	return out, nil
}

// FindAgreementSignatories returns the people who signed the given
// agreements, keyed by agreement id.
func (s *Store) FindAgreementSignatories(ctx context.Context, agreementIDs []int64) (map[int64][]*Person, error) {
	out, err := queryGrouped(ctx, s, scanPersonKeyed, `
		SELECT l.agreement_id, `+personColumns+`
		FROM agreement_signatories l JOIN people x ON x.id = l.person_id
		WHERE l.agreement_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY x.name COLLATE NOCASE, x.slug`, idList(agreementIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find agreement signatories: %w", err)
	}
	return out, nil
}
