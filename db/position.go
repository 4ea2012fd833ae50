package db

import (
	"context"
	"database/sql"
	"fmt"
)

// Position is a title a person held at an organization, as reported on a
// date. A later report adds a position; it never overwrites an earlier one.
type Position struct {
	ID             int64
	PersonID       int64
	OrganizationID int64
	Title          string
	ReportedOn     PartialDate
	Basis          Basis
	InferenceNote  *string
	AttributedTo   *ActorRef // who the article says reported the title, if anyone
	// Key identifies the fact across rebuilds (see FactRef).
	Key string
}

const positionColumns = `x.id, x.person_id, x.organization_id, x.title, x.reported_on, x.basis, x.inference_note, x.attributed_type, x.attributed_id, x.fact_key`

func scanPosition(r rowScanner, key *int64) (*Position, error) {
	var (
		p               Position
		reported, basis string
		note, attrType  sql.NullString
		attrID          sql.NullInt64
		err             error
	)
	if err = r.Scan(key, &p.ID, &p.PersonID, &p.OrganizationID, &p.Title, &reported, &basis, &note, &attrType, &attrID, &p.Key); err != nil {
		return nil, err
	}
	p.Basis, p.InferenceNote = scanEvidence(basis, note)
	p.AttributedTo = actorRef(attrType, attrID)
	p.ReportedOn, err = ParsePartialDate(reported)
	return &p, err
}

// FindPositionsByPersonIDs returns the positions of the given people in the
// order they were reported, keyed by person id.
func (s *Store) FindPositionsByPersonIDs(ctx context.Context, personIDs []int64) (map[int64][]*Position, error) {
	out, err := queryGrouped(ctx, s, scanPosition, `
		SELECT x.person_id, `+positionColumns+` FROM positions x
		WHERE x.person_id IN (SELECT value FROM json_each(?)) AND `+visibleDay(ctx, "x.first_reported")+` <= ?
		ORDER BY x.reported_start, x.id`, idList(personIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find positions by person: %w", err)
	}
	return out, nil
}

// FindPositionsByOrganizationIDs returns the positions held at the given
// organizations in the order they were reported, keyed by organization id.
func (s *Store) FindPositionsByOrganizationIDs(ctx context.Context, orgIDs []int64) (map[int64][]*Position, error) {
	out, err := queryGrouped(ctx, s, scanPosition, `
		SELECT x.organization_id, `+positionColumns+` FROM positions x
		WHERE x.organization_id IN (SELECT value FROM json_each(?)) AND `+visibleDay(ctx, "x.first_reported")+` <= ?
		ORDER BY x.reported_start, x.id`, idList(orgIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find positions by organization: %w", err)
	}
	return out, nil
}
