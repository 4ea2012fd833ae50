package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/investgraph/investgraph/db"
)

// The PostgreSQL side of the comparison holds what Q1 and Q2 read, as the
// gateway serves it: the companies, projects and participations visible
// today, and the projects' capacity figures. Table and column names follow
// PostGraphile's conventions, so that its generated schema has the fields
// the queries need without plugins: companyByNameKey (the name, where no
// other company has it: generated graphs repeat names),
// allCompanies ordered by ORDINAL (the gateway's default order),
// projectParticipantsByCompanyIdList and ...ByProjectIdList (foreign keys,
// ordered by id as the gateway orders them), capacityMeasurementsByProjectIdList
// (ordered by ORDINAL, the gateway's order of capacityHistory).

// pgTables are the tables of the export, in load order.
var pgTables = []string{"company", "project", "project_participant", "capacity_measurement"}

// pgSchema creates the tables; the keys and indexes come after the data.
const pgSchema = `CREATE TABLE company (
    id       bigint  NOT NULL,
    slug     text    NOT NULL,
    name     text    NOT NULL,
    name_key text,
    ordinal  integer NOT NULL
);
CREATE TABLE project (
    id   bigint NOT NULL,
    slug text   NOT NULL,
    name text   NOT NULL
);
CREATE TABLE project_participant (
    id         bigint NOT NULL,
    project_id bigint NOT NULL,
    company_id bigint NOT NULL,
    role       text   NOT NULL
);
CREATE TABLE capacity_measurement (
    id         bigint           NOT NULL,
    project_id bigint           NOT NULL,
    ordinal    integer          NOT NULL,
    metric     text             NOT NULL,
    value      double precision NOT NULL,
    unit       text             NOT NULL,
    as_of      text             NOT NULL,
    status     text             NOT NULL
);
`

// pgKeys are the primary and foreign keys and the indexes the queries use.
const pgKeys = `ALTER TABLE company ADD PRIMARY KEY (id);
ALTER TABLE company ADD CONSTRAINT company_slug_key UNIQUE (slug);
ALTER TABLE company ADD CONSTRAINT company_name_key_key UNIQUE (name_key);
ALTER TABLE company ADD CONSTRAINT company_ordinal_key UNIQUE (ordinal);
ALTER TABLE project ADD PRIMARY KEY (id);
ALTER TABLE project ADD CONSTRAINT project_slug_key UNIQUE (slug);
ALTER TABLE project_participant ADD PRIMARY KEY (id);
ALTER TABLE project_participant ADD FOREIGN KEY (project_id) REFERENCES project (id);
ALTER TABLE project_participant ADD FOREIGN KEY (company_id) REFERENCES company (id);
CREATE INDEX project_participant_company_id ON project_participant (company_id, id);
CREATE INDEX project_participant_project_id ON project_participant (project_id, id);
ALTER TABLE capacity_measurement ADD PRIMARY KEY (id);
ALTER TABLE capacity_measurement ADD FOREIGN KEY (project_id) REFERENCES project (id);
CREATE INDEX capacity_measurement_project_id ON capacity_measurement (project_id, ordinal);
ANALYZE;
`

// pgExport is the data of the export, read from the store.
type pgExport struct {
	companies    []*db.Company // in the gateway's default order
	nameKeys     []string      // by company: its name, or "" when another has it too
	projects     []*db.Project
	participants []*db.ProjectParticipant // by id
	capacity     []pgMeasurement
}

// pgMeasurement is a capacity figure and its place in its project's list.
type pgMeasurement struct {
	*db.Measurement
	ordinal int
}

// exportBatch is how many ids one batch read asks for.
const exportBatch = 500

// readExport reads the export's data from the store, as the gateway's
// resolvers read it.
func readExport(ctx context.Context, store *db.Store) (*pgExport, error) {
	var e pgExport
	var err error
	if e.companies, err = allPages(func(p db.PageArgs) (*db.Page[*db.Company], error) {
		return store.FindCompanies(ctx, db.CompanyFilter{}, db.Order{}, p)
	}); err != nil {
		return nil, err
	}
	if e.projects, err = allPages(func(p db.PageArgs) (*db.Page[*db.Project], error) {
		return store.FindProjects(ctx, db.ProjectFilter{}, db.Order{}, p)
	}); err != nil {
		return nil, err
	}
	e.nameKeys = nameKeys(e.companies)
	companyIDs := make([]int64, len(e.companies))
	for i, c := range e.companies {
		companyIDs[i] = c.ID
	}
	for ids := range slices.Chunk(companyIDs, exportBatch) {
		byCompany, err := store.FindParticipantsByCompanyIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			e.participants = append(e.participants, byCompany[id]...)
		}
	}
	slices.SortFunc(e.participants, func(a, b *db.ProjectParticipant) int { return int(a.ID - b.ID) })
	projectIDs := make([]int64, len(e.projects))
	for i, p := range e.projects {
		projectIDs[i] = p.ID
	}
	for ids := range slices.Chunk(projectIDs, exportBatch) {
		byProject, err := store.FindMeasurementsByProjectIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			n := 0
			for _, m := range byProject[id] {
				if m.Metric.IsCapacity() {
					e.capacity = append(e.capacity, pgMeasurement{Measurement: m, ordinal: n})
					n++
				}
			}
		}
	}
	return &e, nil
}

// nameKeys returns each company's name where no other company has it, and
// "" (NULL in PostgreSQL) where one does: PostGraphile looks Q1's company
// up by name through the unique constraint on these keys.
func nameKeys(companies []*db.Company) []string {
	n := map[string]int{}
	for _, c := range companies {
		n[c.Name]++
	}
	keys := make([]string, len(companies))
	for i, c := range companies {
		if n[c.Name] == 1 {
			keys[i] = c.Name
		}
	}
	return keys
}

// allPages reads a whole list a page at a time.
func allPages[T any](page func(db.PageArgs) (*db.Page[T], error)) ([]T, error) {
	var all []T
	p := db.PageArgs{First: db.MaxPageSize}
	for {
		got, err := page(p)
		if err != nil {
			return nil, err
		}
		all = append(all, got.Items...)
		if !got.HasNextPage || len(got.Cursors) == 0 {
			return all, nil
		}
		after := got.Cursors[len(got.Cursors)-1]
		p.After = &after
	}
}

// writeSQL writes the psql script that creates and fills the tables: COPY
// blocks in PostgreSQL's text format, then the keys and indexes.
func (e *pgExport) writeSQL(out io.Writer) error {
	w := bufio.NewWriter(out)
	fmt.Fprintln(w, "BEGIN;")
	w.WriteString(pgSchema)
	copyRows(w, "company (id, slug, name, name_key, ordinal)", len(e.companies), func(i int) []string {
		c := e.companies[i]
		key := copyNull
		if i < len(e.nameKeys) && e.nameKeys[i] != "" {
			key = e.nameKeys[i]
		}
		return []string{id(c.ID), c.Slug, c.Name, key, strconv.Itoa(i)}
	})
	copyRows(w, "project (id, slug, name)", len(e.projects), func(i int) []string {
		p := e.projects[i]
		return []string{id(p.ID), p.Slug, p.Name}
	})
	copyRows(w, "project_participant (id, project_id, company_id, role)", len(e.participants), func(i int) []string {
		p := e.participants[i]
		return []string{id(p.ID), id(p.ProjectID), id(p.CompanyID), string(p.Role)}
	})
	copyRows(w, "capacity_measurement (id, project_id, ordinal, metric, value, unit, as_of, status)", len(e.capacity), func(i int) []string {
		m := e.capacity[i]
		return []string{id(m.ID), id(*m.ProjectID), strconv.Itoa(m.ordinal), string(m.Metric),
			strconv.FormatFloat(m.Value, 'g', -1, 64), m.Unit, m.AsOf.String(), string(m.Status)}
	})
	w.WriteString(pgKeys)
	fmt.Fprintln(w, "COMMIT;")
	return w.Flush()
}

// copyRows writes one COPY ... FROM stdin block of n rows.
func copyRows(w *bufio.Writer, table string, n int, row func(int) []string) {
	fmt.Fprintf(w, "COPY %s FROM stdin;\n", table)
	for i := range n {
		for j, v := range row(i) {
			if j > 0 {
				w.WriteByte('\t')
			}
			if v == copyNull {
				w.WriteString(`\N`)
			} else {
				w.WriteString(copyEscaper.Replace(v))
			}
		}
		w.WriteByte('\n')
	}
	w.WriteString("\\.\n")
}

// copyNull is the value copyRows writes as NULL; no text holds a NUL byte,
// which PostgreSQL refuses in text.
const copyNull = "\x00"

// copyEscaper escapes a value for COPY's text format.
var copyEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)

func id(n int64) string { return strconv.FormatInt(n, 10) }
