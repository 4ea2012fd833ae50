package db

import (
	"context"
	"database/sql"
	"fmt"
)

// Agreement is a signed document, or a package of documents signed together.
type Agreement struct {
	ID                         int64
	Slug                       string
	Title                      string
	Kind                       AgreementKind
	SignedOn                   *PartialDate
	DocumentCount              *int
	DocumentCountApproximation *Approximation
	MeetingID                  *int64
	Summary                    *string
	Status                     AgreementStatus
	PartOfID                   *int64       // the package of documents it belongs to
	EventID                    *int64       // the visit, council or ceremony it came out of
	ReportedOn                 *PartialDate // the first day a source reports it (set when read)
}

const agreementColumns = `x.id, x.slug, x.title, x.kind, x.signed_on, x.document_count, x.document_count_approximation, x.meeting_id, x.summary,
	x.status, x.part_of_id, x.event_id, x.first_reported`

func scanAgreement(r rowScanner, extra ...any) (*Agreement, error) {
	var (
		a                      Agreement
		signed, approx, summar sql.NullString
		count, meeting         sql.NullInt64
		partOf, event          sql.NullInt64
		status, reported       string
		err                    error
	)
	if err = r.Scan(append(extra, &a.ID, &a.Slug, &a.Title, &a.Kind, &signed, &count, &approx, &meeting, &summar,
		&status, &partOf, &event, &reported)...); err != nil {
		return nil, err
	}
	a.MeetingID, a.Summary = nullInt(meeting), nullString(summar)
	a.Status, a.PartOfID, a.EventID = AgreementStatus(status), nullInt(partOf), nullInt(event)
	if reported != "" {
		d, err := ParsePartialDate(reported)
		if err != nil {
			return nil, fmt.Errorf("agreement %s: %w", a.Slug, err)
		}
		a.ReportedOn = &d
	}
	if count.Valid {
		n := int(count.Int64)
		a.DocumentCount = &n
	}
	if approx.Valid {
		v := Approximation(approx.String)
		a.DocumentCountApproximation = &v
	}
	if a.SignedOn, err = nullDate(signed); err != nil {
		return nil, fmt.Errorf("agreement %s: %w", a.Slug, err)
	}
	return &a, nil
}

func scanAgreementKeyed(r rowScanner, key *int64) (*Agreement, error) { return scanAgreement(r, key) }

// agreementOrder sorts by signing date, undated agreements last.
const agreementOrder = `coalesce(x.signed_start, '9999')`

// FindAgreementsByIDs returns the agreements with the given ids visible under ctx, keyed by id.
func (s *Store) FindAgreementsByIDs(ctx context.Context, ids []int64) (map[int64]*Agreement, error) {
	list, err := queryAll(ctx, s, func(r rowScanner) (*Agreement, error) { return scanAgreement(r) },
		`SELECT `+agreementColumns+` FROM agreements x WHERE x.id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?`, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find agreements by ids: %w", err)
	}
	return byID(list, func(a *Agreement) int64 { return a.ID }), nil
}

// FindAgreementBySlug returns the agreement with the slug, or an ENOTFOUND error.
func (s *Store) FindAgreementBySlug(ctx context.Context, slug string) (*Agreement, error) {
	a, err := scanAgreement(s.queryRow(ctx, `SELECT `+agreementColumns+` FROM agreements x WHERE x.slug = ? AND x.first_reported <= ?`, slug, cutoff(ctx)))
	return a, notFound(err, "agreement %q", slug)
}

// AgreementFilter selects agreements; empty fields select everything.
type AgreementFilter struct {
	Kinds   []AgreementKind
	PartyID *int64
	// From and To keep agreements whose signing date overlaps the range.
	From, To *PartialDate
	// MinAmount and MaxAmount keep agreements with a reported amount in
	// Currency (an ISO 4217 code in any case, USD when empty) within the
	// bounds.
	MinAmount, MaxAmount *float64
	Currency             string
	// Bases keeps, with PartyID and the amount bounds, only parties and
	// amounts of these bases.
	Bases    []Basis
	Statuses []AgreementStatus
}

var agreementOrderings = orderings{
	{"SIGNED_ON", agreementOrder},
	{"TITLE", `x.title COLLATE NOCASE`},
	// Fixed-width text so that the cursor key sorts like the number; of the
	// amounts visible at the cutoff.
	{"AMOUNT", `printf('%020.2f', coalesce((SELECT max(a.amount) FROM amounts a WHERE a.agreement_id = x.id AND a.reported <= ?), 0))`},
}

// FindAgreements returns a page of the agreements f selects, sorted by o.
func (s *Store) FindAgreements(ctx context.Context, f AgreementFilter, o Order, p PageArgs) (*Page[*Agreement], error) {
	o, key, err := agreementOrderings.pick(o)
	if err != nil {
		return nil, err
	}
	if err := checkRange(f.From, f.To); err != nil {
		return nil, err
	}
	currency := "USD"
	if f.Currency != "" {
		if currency, err = ParseCurrency("currency", f.Currency); err != nil {
			return nil, err
		}
	}
	if f.MinAmount != nil && f.MaxAmount != nil && *f.MinAmount > *f.MaxAmount {
		return nil, Errorf(EINVALID, "minAmount (%v) is more than maxAmount (%v): swap them", *f.MinAmount, *f.MaxAmount)
	}
	q := pageQuery{table: `agreements x`, columns: agreementColumns, order: o, key: key, slug: `x.slug`, visible: `x.first_reported`}
	if o.Field == "AMOUNT" {
		q.keyArgs = []any{cutoff(ctx)}
	}
	in(&q, `x.kind`, f.Kinds)
	in(&q, `x.status`, f.Statuses)
	q.overlaps(`x.signed_start`, `x.signed_end`, f.From, f.To)
	if f.PartyID != nil {
		q.where, q.args = append(q.where, `x.id IN (SELECT agreement_id FROM agreement_parties WHERE company_id = ?)`), append(q.args, *f.PartyID)
		q.linkBasis(`x.id IN (SELECT agreement_id FROM agreement_parties WHERE company_id = ?)`, f.Bases, *f.PartyID)
	}
	if f.MinAmount != nil || f.MaxAmount != nil {
		lo, hi := -1.0, 1e300
		if f.MinAmount != nil {
			lo = *f.MinAmount
		}
		if f.MaxAmount != nil {
			hi = *f.MaxAmount
		}
		q.where = append(q.where, `x.id IN (SELECT agreement_id FROM amounts
			WHERE agreement_id IS NOT NULL AND currency = ? AND amount BETWEEN ? AND ? AND reported <= ?)`)
		q.args = append(q.args, currency, lo, hi, cutoff(ctx))
		q.linkBasis(`x.id IN (SELECT agreement_id FROM amounts
			WHERE agreement_id IS NOT NULL AND currency = ? AND amount BETWEEN ? AND ? AND reported <= ?)`, f.Bases, currency, lo, hi, cutoff(ctx))
	}
	return findPage(ctx, s, p, q, scanAgreement, func(a *Agreement) string { return a.Slug })
}

// FindAgreementsByCompanyIDs returns the agreements the given companies are
// party to, keyed by company id.
func (s *Store) FindAgreementsByCompanyIDs(ctx context.Context, companyIDs []int64) (map[int64][]*Agreement, error) {
	out, err := queryGrouped(ctx, s, scanAgreementKeyed, `
		SELECT l.company_id, `+agreementColumns+`
		FROM agreement_parties l JOIN agreements x ON x.id = l.agreement_id
		WHERE l.company_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY `+agreementOrder+`, x.slug`, idList(companyIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find agreements by company: %w", err)
	}
	return out, nil
}

// FindAgreementsByProjectIDs returns the agreements covering the given
// projects, keyed by project id.
func (s *Store) FindAgreementsByProjectIDs(ctx context.Context, projectIDs []int64) (map[int64][]*Agreement, error) {
	out, err := queryGrouped(ctx, s, scanAgreementKeyed, `
		SELECT l.project_id, `+agreementColumns+`
		FROM agreement_projects l JOIN agreements x ON x.id = l.agreement_id
		WHERE l.project_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY `+agreementOrder+`, x.slug`, idList(projectIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find agreements by project: %w", err)
	}
	return out, nil
}

// FindAgreementsByMeetingIDs returns the agreements signed at the given
// meetings, keyed by meeting id.
func (s *Store) FindAgreementsByMeetingIDs(ctx context.Context, meetingIDs []int64) (map[int64][]*Agreement, error) {
	out, err := queryGrouped(ctx, s, scanAgreementKeyed, `
		SELECT x.meeting_id, `+agreementColumns+` FROM agreements x
		WHERE x.meeting_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY `+agreementOrder+`, x.slug`, idList(meetingIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find agreements by meeting: %w", err)
	}
	return out, nil
}
