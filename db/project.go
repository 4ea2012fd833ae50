package db

import (
	"context"
	"database/sql"
	"fmt"
)

// Project is an investment project: a plant, a field, a road, a pipeline.
type Project struct {
	ID          int64
	Slug        string
	Name        string
	Sector      ProjectSector
	Status      ProjectStatus
	Region      *string
	Description *string
}

// ProjectParticipant is a company's part in a project.
type ProjectParticipant struct {
	ID        int64
	ProjectID int64
	CompanyID int64
	Role      ParticipantRole
	Basis     Basis
	// InferenceNote says from what an inferred participation was concluded.
	InferenceNote *string
	// Key identifies the fact across rebuilds (see FactRef).
	Key string
}

const projectColumns = `x.id, x.slug, x.name, x.sector, x.status, x.region, x.description`

func scanProject(r rowScanner, extra ...any) (*Project, error) {
	var (
		p               Project
		region, descrip sql.NullString
	)
	if err := r.Scan(append(extra, &p.ID, &p.Slug, &p.Name, &p.Sector, &p.Status, &region, &descrip)...); err != nil {
		return nil, err
	}
	p.Region, p.Description = nullString(region), nullString(descrip)
	return &p, nil
}

func scanProjectKeyed(r rowScanner, key *int64) (*Project, error) { return scanProject(r, key) }

// FindProjectsByIDs returns the projects with the given ids visible under ctx, keyed by id.
func (s *Store) FindProjectsByIDs(ctx context.Context, ids []int64) (map[int64]*Project, error) {
	list, err := queryAll(ctx, s, func(r rowScanner) (*Project, error) { return scanProject(r) },
		`SELECT `+projectColumns+` FROM projects x WHERE x.id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?`, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find projects by ids: %w", err)
	}
	return byID(list, func(p *Project) int64 { return p.ID }), nil
}

// FindProjectBySlug returns the project with the slug, or an ENOTFOUND error.
func (s *Store) FindProjectBySlug(ctx context.Context, slug string) (*Project, error) {
	p, err := scanProject(s.queryRow(ctx, `SELECT `+projectColumns+` FROM projects x WHERE x.slug = ? AND x.first_reported <= ?`, slug, cutoff(ctx)))
	return p, notFound(err, "project %q", slug)
}

// FindProjectByName returns the project whose name or alias is name.
func (s *Store) FindProjectByName(ctx context.Context, name string) (*Project, error) {
	return findByName(ctx, s, SubjectProject, `projects x`, projectColumns, scanProject, name,
		func(p *Project) string { return p.Name })
}

// ProjectFilter selects projects; empty fields select everything.
type ProjectFilter struct {
	Sectors   []ProjectSector
	Statuses  []ProjectStatus
	Region    string // part of the region's name
	CompanyID *int64 // takes part in the project
	// From and To keep projects reported by a source published in the range.
	From, To *PartialDate
	Text     string // part of the name or an alias
	// Bases keeps, with Sectors, Statuses, Region and CompanyID, only
	// attributes and participations of these bases.
	Bases []Basis
}

var projectOrderings = orderings{
	{"NAME", `x.name COLLATE NOCASE`},
	{"SECTOR", `x.sector`},
	{"STATUS", `x.status`},
	{"FIRST_REPORTED", `x.first_reported`},
}

// FindProjects returns a page of the projects f selects, sorted by o.
func (s *Store) FindProjects(ctx context.Context, f ProjectFilter, o Order, p PageArgs) (*Page[*Project], error) {
	o, key, err := projectOrderings.pick(o)
	if err != nil {
		return nil, err
	}
	if err := checkRange(f.From, f.To); err != nil {
		return nil, err
	}
	q := pageQuery{table: `projects x`, columns: projectColumns, order: o, key: key, slug: `x.slug`, visible: `x.first_reported`}
	in(&q, `x.sector`, f.Sectors)
	in(&q, `x.status`, f.Statuses)
	q.contains(`x.region`, f.Region)
	q.nameLike(SubjectProject, f.Text)
	if f.CompanyID != nil {
		q.where = append(q.where, `x.id IN (SELECT project_id FROM project_participants WHERE company_id = ? AND first_reported <= ?)`)
		q.args = append(q.args, *f.CompanyID, cutoff(ctx))
		q.linkBasis(`x.id IN (SELECT project_id FROM project_participants WHERE company_id = ?)`, f.Bases, *f.CompanyID)
	}
	for _, a := range []struct {
		attr  string
		given bool
	}{{"sector", len(f.Sectors) > 0}, {"status", len(f.Statuses) > 0}, {"region", f.Region != ""}} {
		if a.given {
			q.attrBasis(SubjectProject, a.attr, f.Bases)
		}
	}
	if f.From != nil || f.To != nil {
		from, to := rangeBounds(f.From, f.To)
		to = min(to, cutoff(ctx)) // a report published later is not visible yet
		q.where = append(q.where, `x.id IN (SELECT c.subject_id FROM citations c JOIN sources s ON s.id = c.source_id
			WHERE c.subject = 'project' AND s.published_start BETWEEN ? AND ?)`)
		q.args = append(q.args, from, to)
	}
	return findPage(ctx, s, p, q, scanProject, func(v *Project) string { return v.Slug })
}

// FindMeetingProjects returns the projects discussed at the given meetings,
// keyed by meeting id.
func (s *Store) FindMeetingProjects(ctx context.Context, meetingIDs []int64) (map[int64][]*Project, error) {
	out, err := queryGrouped(ctx, s, scanProjectKeyed, `
		SELECT l.meeting_id, `+projectColumns+`
		FROM meeting_projects l JOIN projects x ON x.id = l.project_id
		WHERE l.meeting_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY x.name COLLATE NOCASE, x.slug`, idList(meetingIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find meeting projects: %w", err)
	}
	return out, nil
}

// FindAgreementProjects returns the projects the given agreements cover,
// keyed by agreement id.
func (s *Store) FindAgreementProjects(ctx context.Context, agreementIDs []int64) (map[int64][]*Project, error) {
	out, err := queryGrouped(ctx, s, scanProjectKeyed, `
		SELECT l.agreement_id, `+projectColumns+`
		FROM agreement_projects l JOIN projects x ON x.id = l.project_id
		WHERE l.agreement_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY x.name COLLATE NOCASE, x.slug`, idList(agreementIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find agreement projects: %w", err)
	}
	return out, nil
}

const participantColumns = `x.id, x.project_id, x.company_id, x.role, x.basis, x.inference_note, x.fact_key`

func scanParticipant(r rowScanner, key *int64) (*ProjectParticipant, error) {
	var (
		p     ProjectParticipant
		basis string
		note  sql.NullString
	)
	if err := r.Scan(key, &p.ID, &p.ProjectID, &p.CompanyID, &p.Role, &basis, &note, &p.Key); err != nil {
		return nil, err
	}
	p.Basis, p.InferenceNote = scanEvidence(basis, note)
	return &p, nil
}

// FindParticipantsByProjectIDs returns the participants of the given
// projects, keyed by project id.
func (s *Store) FindParticipantsByProjectIDs(ctx context.Context, projectIDs []int64) (map[int64][]*ProjectParticipant, error) {
	out, err := queryGrouped(ctx, s, scanParticipant, `
		SELECT x.project_id, `+participantColumns+` FROM project_participants x
		WHERE x.project_id IN (SELECT value FROM json_each(?)) AND `+visibleDay(ctx, "x.first_reported")+` <= ?
		ORDER BY x.id`, idList(projectIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find participants by project: %w", err)
	}
	return out, nil
}

// FindParticipantsByCompanyIDs returns the project participations of the
// given companies, keyed by company id.
func (s *Store) FindParticipantsByCompanyIDs(ctx context.Context, companyIDs []int64) (map[int64][]*ProjectParticipant, error) {
	out, err := queryGrouped(ctx, s, scanParticipant, `
		SELECT x.company_id, `+participantColumns+` FROM project_participants x
		WHERE x.company_id IN (SELECT value FROM json_each(?)) AND `+visibleDay(ctx, "x.first_reported")+` <= ?
		ORDER BY x.id`, idList(companyIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find participants by company: %w", err)
	}
	return out, nil
}
