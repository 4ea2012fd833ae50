package db

import (
	"context"
	"database/sql"
	"fmt"
)

// Company is an organization: a company, a bank, a state or one of its bodies.
type Company struct {
	ID           int64
	Slug         string
	Name         string
	Kind         CompanyKind
	Country      *string
	ParentID     *int64
	Founded      *PartialDate
	Headquarters *string
	Description  *string
}

// companyColumns are selected from `companies x`.
const companyColumns = `x.id, x.slug, x.name, x.kind, x.country, x.parent_id, x.founded, x.headquarters, x.description`

func scanCompany(r rowScanner, extra ...any) (*Company, error) {
	var (
		c                             Company
		country, founded, hq, descrip sql.NullString
		parent                        sql.NullInt64
		err                           error
	)
	if err = r.Scan(append(extra, &c.ID, &c.Slug, &c.Name, &c.Kind, &country, &parent, &founded, &hq, &descrip)...); err != nil {
		return nil, err
	}
	c.Country, c.ParentID, c.Headquarters, c.Description = nullString(country), nullInt(parent), nullString(hq), nullString(descrip)
	if c.Founded, err = nullDate(founded); err != nil {
		return nil, fmt.Errorf("company %s: %w", c.Slug, err)
	}
	return &c, nil
}

func scanCompanyKeyed(r rowScanner, key *int64) (*Company, error) { return scanCompany(r, key) }

// FindCompaniesByIDs returns the companies with the given ids visible under ctx, keyed by id.
func (s *Store) FindCompaniesByIDs(ctx context.Context, ids []int64) (map[int64]*Company, error) {
	list, err := queryAll(ctx, s, func(r rowScanner) (*Company, error) { return scanCompany(r) },
		`SELECT `+companyColumns+` FROM companies x WHERE x.id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?`, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find companies by ids: %w", err)
	}
	return byID(list, func(c *Company) int64 { return c.ID }), nil
}

// FindCompanyBySlug returns the company with the slug, or an ENOTFOUND error.
func (s *Store) FindCompanyBySlug(ctx context.Context, slug string) (*Company, error) {
	c, err := scanCompany(s.queryRow(ctx, `SELECT `+companyColumns+` FROM companies x WHERE x.slug = ? AND x.first_reported <= ?`, slug, cutoff(ctx)))
	return c, notFound(err, "company %q", slug)
}

// FindCompanyByName returns the company whose name or alias is name.
func (s *Store) FindCompanyByName(ctx context.Context, name string) (*Company, error) {
	return findByName(ctx, s, SubjectCompany, `companies x`, companyColumns, scanCompany, name,
		func(c *Company) string { return c.Name })
}

// CompanyFilter selects companies; empty fields select everything.
type CompanyFilter struct {
	Countries []string
	Kinds     []CompanyKind
	Text      string // part of the name or an alias
	// Bases keeps, with Countries and Kinds, only values of these bases.
	Bases []Basis
}

var companyOrderings = orderings{
	{"NAME", `x.name COLLATE NOCASE`},
	{"COUNTRY", `coalesce(x.country, '')`},
	{"KIND", `x.kind`},
	{"FIRST_REPORTED", `x.first_reported`},
}

// FindCompanies returns a page of the companies f selects, sorted by o.
func (s *Store) FindCompanies(ctx context.Context, f CompanyFilter, o Order, p PageArgs) (*Page[*Company], error) {
	o, key, err := companyOrderings.pick(o)
	if err != nil {
		return nil, err
	}
	q := pageQuery{table: `companies x`, columns: companyColumns, order: o, key: key, slug: `x.slug`, visible: `x.first_reported`}
	in(&q, `x.country`, f.Countries)
	in(&q, `x.kind`, f.Kinds)
	if len(f.Countries) > 0 {
		q.attrBasis(SubjectCompany, "country", f.Bases)
	}
	if len(f.Kinds) > 0 {
		q.attrBasis(SubjectCompany, "kind", f.Bases)
	}
	q.nameLike(SubjectCompany, f.Text)
	return findPage(ctx, s, p, q, scanCompany, func(c *Company) string { return c.Slug })
}

// FindSubsidiaries returns the direct subsidiaries of the given companies,
// keyed by parent id.
func (s *Store) FindSubsidiaries(ctx context.Context, parentIDs []int64) (map[int64][]*Company, error) {
	out, err := queryGrouped(ctx, s, scanCompanyKeyed, `
		SELECT x.parent_id, `+companyColumns+` FROM companies x
		WHERE x.parent_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY x.name COLLATE NOCASE, x.slug`, idList(parentIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find subsidiaries: %w", err)
	}
	return out, nil
}

// FindAgreementParties returns the parties of the given agreements, keyed by
// agreement id.
func (s *Store) FindAgreementParties(ctx context.Context, agreementIDs []int64) (map[int64][]*Company, error) {
	out, err := queryGrouped(ctx, s, scanCompanyKeyed, `
		SELECT l.agreement_id, `+companyColumns+`
		FROM agreement_parties l JOIN companies x ON x.id = l.company_id
		WHERE l.agreement_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY x.name COLLATE NOCASE, x.slug`, idList(agreementIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find agreement parties: %w", err)
	}
	return out, nil
}

// FindMeetingOrganizations returns the organizations represented at the
// given meetings, keyed by meeting id.
func (s *Store) FindMeetingOrganizations(ctx context.Context, meetingIDs []int64) (map[int64][]*Company, error) {
	out, err := queryGrouped(ctx, s, scanCompanyKeyed, `
		SELECT l.meeting_id, `+companyColumns+`
		FROM meeting_organizations l JOIN companies x ON x.id = l.company_id
		WHERE l.meeting_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY x.name COLLATE NOCASE, x.slug`, idList(meetingIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find meeting organizations: %w", err)
	}
	return out, nil
}
