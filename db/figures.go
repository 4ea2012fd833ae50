package db

import (
	"context"
	"database/sql"
	"fmt"
)

// Measurement is a figure about a company or a project at a date.
type Measurement struct {
	ID            int64
	CompanyID     *int64
	ProjectID     *int64
	Metric        Metric
	Label         *string
	Value         float64
	Unit          string
	Approximation Approximation
	AsOf          PartialDate
	Status        MeasurementStatus
	Citation      Citation
	Basis         Basis
	InferenceNote *string
	AttributedTo  *ActorRef // who the article says gave the figure, if anyone
	// CounterpartyID is the other side of a two-sided figure (trade with,
	// investment into, rank among the investors in), and PeriodStart and
	// PeriodEnd the period it covers, where the article gives them.
	CounterpartyID *int64
	PeriodStart    *PartialDate
	PeriodEnd      *PartialDate
	// Key identifies the fact across rebuilds (see FactRef).
	Key string
}

// Milestone is a dated step of a project, planned or achieved. Date is nil
// when the source gives none.
type Milestone struct {
	ID        int64
	ProjectID int64
	Name      string
	Date      *PartialDate
	Status    MilestoneStatus
	Citation  Citation
	Basis     Basis
	// InferenceNote says from what an inferred milestone was concluded.
	InferenceNote *string
	// Key identifies the fact across rebuilds (see FactRef).
	Key string
}

// Amount is a sum of money attached to a project or an agreement, as one
// source reports it. Two sources reporting one sum give two Amounts.
type Amount struct {
	ID            int64
	ProjectID     *int64
	AgreementID   *int64
	Amount        float64
	Currency      string
	Approximation Approximation
	Label         *string
	Citation      Citation
	Basis         Basis
	InferenceNote *string
	AttributedTo  *ActorRef // who the article says gave the sum, if anyone
	// Key identifies the fact across rebuilds (see FactRef).
	Key string
}

const measurementColumns = `x.id, x.company_id, x.project_id, x.metric, x.label, x.value, x.unit, x.approximation, x.as_of, x.status, x.source_id, x.paragraph,
	x.basis, x.inference_note, x.attributed_type, x.attributed_id, x.counterparty_id, x.period_start, x.period_end, x.fact_key`

func scanMeasurement(r rowScanner, key *int64) (*Measurement, error) {
	var (
		m                                   Measurement
		company, project, attrID, counter   sql.NullInt64
		label, note, attrType, pStart, pEnd sql.NullString
		asOf, basis                         string
		err                                 error
	)
	if err = r.Scan(key, &m.ID, &company, &project, &m.Metric, &label, &m.Value, &m.Unit, &m.Approximation,
		&asOf, &m.Status, &m.Citation.SourceID, &m.Citation.Paragraph,
		&basis, &note, &attrType, &attrID, &counter, &pStart, &pEnd, &m.Key); err != nil {
		return nil, err
	}
	m.CompanyID, m.ProjectID, m.Label = nullInt(company), nullInt(project), nullString(label)
	m.Basis, m.InferenceNote = scanEvidence(basis, note)
	m.AttributedTo, m.CounterpartyID = actorRef(attrType, attrID), nullInt(counter)
	if m.PeriodStart, err = nullDate(pStart); err != nil {
		return nil, err
	}
	if m.PeriodEnd, err = nullDate(pEnd); err != nil {
		return nil, err
	}
	m.AsOf, err = ParsePartialDate(asOf)
	return &m, err
}

// measurementOrder puts figures in date order; at one date, actual figures
// come before targets.
const measurementOrder = `x.as_of_start, x.as_of_end, x.status, x.id`

// FindMeasurementsByCompanyIDs returns the figures about the given
// companies in date order, keyed by company id.
func (s *Store) FindMeasurementsByCompanyIDs(ctx context.Context, companyIDs []int64) (map[int64][]*Measurement, error) {
	out, err := queryGrouped(ctx, s, scanMeasurement, `
		SELECT x.company_id, `+measurementColumns+` FROM measurements x
		WHERE x.company_id IN (SELECT value FROM json_each(?)) AND `+visibleDay(ctx, "x.reported")+` <= ?
		ORDER BY `+measurementOrder, idList(companyIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find measurements by company: %w", err)
	}
	return out, nil
}

// FindMeasurementsByProjectIDs returns the figures about the given projects
// in date order, keyed by project id.
func (s *Store) FindMeasurementsByProjectIDs(ctx context.Context, projectIDs []int64) (map[int64][]*Measurement, error) {
	out, err := queryGrouped(ctx, s, scanMeasurement, `
		SELECT x.project_id, `+measurementColumns+` FROM measurements x
		WHERE x.project_id IN (SELECT value FROM json_each(?)) AND `+visibleDay(ctx, "x.reported")+` <= ?
		ORDER BY `+measurementOrder, idList(projectIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find measurements by project: %w", err)
	}
	return out, nil
}

// FindMilestonesByProjectIDs returns the milestones of the given projects,
// dated ones in date order and undated ones last, keyed by project id.
func (s *Store) FindMilestonesByProjectIDs(ctx context.Context, projectIDs []int64) (map[int64][]*Milestone, error) {
	out, err := queryGrouped(ctx, s, func(r rowScanner, key *int64) (*Milestone, error) {
		var (
			m          Milestone
			date, note sql.NullString
			basis      string
			err        error
		)
		if err = r.Scan(key, &m.ID, &m.ProjectID, &m.Name, &date, &m.Status, &m.Citation.SourceID, &m.Citation.Paragraph,
			&basis, &note, &m.Key); err != nil {
			return nil, err
		}
		m.Basis, m.InferenceNote = scanEvidence(basis, note)
		m.Date, err = nullDate(date)
		return &m, err
	}, `SELECT x.project_id, x.id, x.project_id, x.name, x.date, x.status, x.source_id, x.paragraph, x.basis, x.inference_note, x.fact_key
		FROM milestones x
		WHERE x.project_id IN (SELECT value FROM json_each(?)) AND `+visibleDay(ctx, "x.reported")+` <= ?
		ORDER BY x.date_start IS NULL, x.date_start, x.id`, idList(projectIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find milestones: %w", err)
	}
	return out, nil
}

const amountColumns = `x.id, x.project_id, x.agreement_id, x.amount, x.currency, x.approximation, x.label, x.source_id, x.paragraph,
	x.basis, x.inference_note, x.attributed_type, x.attributed_id, x.fact_key`

func scanAmount(r rowScanner, extra ...any) (*Amount, error) {
	var (
		a                          Amount
		project, agreement, attrID sql.NullInt64
		label, note, attrType      sql.NullString
		basis                      string
	)
	if err := r.Scan(append(extra, &a.ID, &project, &agreement, &a.Amount, &a.Currency, &a.Approximation, &label,
		&a.Citation.SourceID, &a.Citation.Paragraph, &basis, &note, &attrType, &attrID, &a.Key)...); err != nil {
		return nil, err
	}
	a.Basis, a.InferenceNote = scanEvidence(basis, note)
	a.AttributedTo = actorRef(attrType, attrID)
	a.ProjectID, a.AgreementID, a.Label = nullInt(project), nullInt(agreement), nullString(label)
	return &a, nil
}

func scanAmountKeyed(r rowScanner, key *int64) (*Amount, error) { return scanAmount(r, key) }

// FindAmountsByProjectIDs returns the amounts reported for the given
// projects, keyed by project id.
func (s *Store) FindAmountsByProjectIDs(ctx context.Context, projectIDs []int64) (map[int64][]*Amount, error) {
	out, err := queryGrouped(ctx, s, scanAmountKeyed, `
		SELECT x.project_id, `+amountColumns+` FROM amounts x
		WHERE x.project_id IN (SELECT value FROM json_each(?)) AND `+visibleDay(ctx, "x.reported")+` <= ? ORDER BY x.id`, idList(projectIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find amounts by project: %w", err)
	}
	return out, nil
}

// FindAmountsByAgreementIDs returns the amounts reported for the given
// agreements, keyed by agreement id.
func (s *Store) FindAmountsByAgreementIDs(ctx context.Context, agreementIDs []int64) (map[int64][]*Amount, error) {
	out, err := queryGrouped(ctx, s, scanAmountKeyed, `
		SELECT x.agreement_id, `+amountColumns+` FROM amounts x
		WHERE x.agreement_id IN (SELECT value FROM json_each(?)) AND `+visibleDay(ctx, "x.reported")+` <= ? ORDER BY x.id`, idList(agreementIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find amounts by agreement: %w", err)
	}
	return out, nil
}
