package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// tableRows are the rows of one table as insertAll gives them.
type tableRows struct {
	into string // `name (columns)`
	rows [][]any
	keys []string // rowKey of each row
}

// rowCollector keeps the rows insertAll gives, table by table, in order.
type rowCollector struct{ tables []tableRows }

func (c *rowCollector) insert(into string, n int, row func(a []any, i int) []any) {
	t := tableRows{into: into, rows: make([][]any, n), keys: make([]string, n)}
	var key []byte
	for i := range n {
		t.rows[i] = row(nil, i)
		key = appendRowKey(key[:0], t.rows[i])
		t.keys[i] = string(key)
	}
	c.tables = append(c.tables, t)
}

// datasetRows returns the rows Replace writes for d, table by table.
func datasetRows(d *Dataset) []tableRows {
	var c rowCollector
	insertAll(&c, d, newReportDates(d))
	return c.tables
}

// appendRowKey appends the values of a row to b so that two rows have the
// same text exactly when they hold the same values, NULL apart from "".
func appendRowKey(b []byte, row []any) []byte {
	for _, v := range row {
		switch v := v.(type) {
		case nil:
			b = append(b, "\x00N"...)
		case string:
			b = append(append(b, 's'), v...)
		case *string:
			if v == nil {
				b = append(b, "\x00N"...)
			} else {
				b = append(append(b, 's'), *v...)
			}
		case int64:
			b = strconv.AppendInt(append(b, 'i'), v, 10)
		case *int64:
			if v == nil {
				b = append(b, "\x00N"...)
			} else {
				b = strconv.AppendInt(append(b, 'i'), *v, 10)
			}
		case int:
			b = strconv.AppendInt(append(b, 'i'), int64(v), 10)
		case float64:
			b = strconv.AppendFloat(append(b, 'f'), v, 'g', -1, 64)
		case bool:
			b = strconv.AppendBool(append(b, 'b'), v)
		default:
			rv := reflect.ValueOf(v)
			for rv.Kind() == reflect.Pointer && !rv.IsNil() {
				rv = rv.Elem()
			}
			if rv.Kind() == reflect.Pointer {
				b = append(b, "\x00N"...)
			} else {
				b = fmt.Appendf(b, "%d:%v", rv.Kind(), rv.Interface())
			}
		}
		b = append(b, '\x1f')
	}
	return b
}

// writtenGraph is what the last changeset this store committed left in the
// tables, with what identifies the state it left: the latest revision's id
// and time, and the write connection's data_version, which another
// connection's commit changes (PRAGMA data_version).
type writtenGraph struct {
	at   graphState
	rows []tableRows
}

type graphState struct {
	revision    int64
	createdAt   string
	dataVersion int64
}

// currentState reads the state of the database that tx sees. On
// PostgreSQL the data generation stands for data_version: every commit
// that changes the data moves it (see Store.published).
func (s *Store) currentState(ctx context.Context, tx *sql.Tx) (graphState, error) {
	var st graphState
	err := tx.QueryRowContext(ctx, `SELECT id, created_at FROM revisions ORDER BY id DESC LIMIT 1`).Scan(&st.revision, &st.createdAt)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("latest revision: %w", err)
	}
	version := `PRAGMA data_version`
	if s.pg != nil {
		version = generationQuery
	}
	if err := tx.QueryRowContext(ctx, version).Scan(&st.dataVersion); err != nil {
		return st, fmt.Errorf("data version: %w", err)
	}
	return st, nil
}

// derivedAfterRows are what a changeset derives again once its rows are
// written: the deal facts of the deals it touched (dealFactsTouched) and
// the aggregates' sizes over the whole graph. The visibility updates are not among them, as insertAll's rows
// already satisfy them, nor the search index, whose rows of the objects a
// changeset touches are derived again alone (searchTouched), nor the
// lists' sizes, counted from the rows in memory (writeListSizes).
var derivedAfterRows = slices.Concat(dealFactsTouched, []string{`DELETE FROM aggregate_sizes`}, aggregateSizeStatements)

// The kinds of temp.touched that name deals whose facts a changeset
// derives again (dealFactsTouched): agreements and projects, as deal_facts'
// agreement column tells them apart.
const (
	dealAgreement = "DEAL_AGREEMENT"
	dealProject   = "DEAL_PROJECT"
)

// dealFactsTouched are dealFactsStatements for the deals in temp.touched:
// their facts are deleted and derived again, each statement restricted to
// them by the deal id it selects.
var dealFactsTouched = func() []string {
	out := []string{`DELETE FROM deal_facts WHERE fact IN ('year', 'party', 'sector', 'project') AND (
		agreement = 1 AND deal_id IN (SELECT id FROM temp.touched WHERE kind = '` + dealAgreement + `')
		OR agreement = 0 AND deal_id IN (SELECT id FROM temp.touched WHERE kind = '` + dealProject + `'))`}
	for _, q := range dealFactsStatements {
		m := dealSelected.FindStringSubmatch(q)
		if m == nil {
			continue // the DELETE of every fact
		}
		kind := dealProject
		if m[1] == "1" {
			kind = dealAgreement
		}
		restrict := ` AND ` + m[2] + ` IN (SELECT id FROM temp.touched WHERE kind = '` + kind + `')`
		if at := strings.Index(q, "GROUP BY"); at >= 0 {
			out = append(out, q[:at]+strings.TrimLeft(restrict, " ")+"\n\t"+q[at:])
		} else {
			out = append(out, q+restrict)
		}
	}
	return out
}()

// dealSelected finds the agreement flag and the deal id a statement of
// dealFactsStatements selects.
var dealSelected = regexp.MustCompile(`(?m)^\s*SELECT '[a-z]+', ([01]), ([a-z]+\.[a-z_]+),`)

// keysAfterRows are the statements that derive the keys of the facts a
// changeset wrote and mark the retracted ones, before anything computed
// from them, as derivedStatements orders them.
var keysAfterRows = slices.Concat(factKeyIncrements, retractionStatements)

// errWriteWhole is what writeDifference returns, before writing anything,
// for a changeset that changes the retractions: their marks reach the
// search rows of objects no changed row names, so the tables are written
// whole instead.
var errWriteWhole = errors.New("write the tables whole")

// touchedTable lists, on the write connection, the objects whose search
// rows a changeset derives again, by search kind.
const touchedTable = `CREATE TEMP TABLE IF NOT EXISTS touched (
	kind TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID`

// searchTouched are the statements that derive again the search rows of
// the objects in temp.touched: searchStatements, each restricted to them,
// after deleting their rows. Each of searchStatements names its kind as
// its first value and ends with the FROM clause of its objects, x.
var searchTouched = func() []string {
	out := []string{`DELETE FROM search WHERE rowid IN (SELECT s.rowid FROM search s
		JOIN temp.touched t ON t.kind = s.kind AND t.id = s.subject_id)`}
	for _, q := range searchStatements {
		m := searchKind.FindStringSubmatch(q)
		if m == nil {
			continue // the DELETE of the whole index
		}
		out = append(out, q+` WHERE x.id IN (SELECT id FROM temp.touched WHERE kind = '`+m[1]+`')`)
	}
	return out
}()

var searchKind = regexp.MustCompile(`(?m)^\s*SELECT '([A-Z]+)', x\.id`)

// touchedBy says which objects' search rows, and which deals' facts, a
// changed row of a table touches: kind, and the column holding the
// object's id; names by subject.
var touchedBy = map[string][][2]string{
	"companies":            {{"COMPANY", "id"}},
	"people":               {{"PERSON", "id"}},
	"projects":             {{"PROJECT", "id"}, {dealProject, "id"}},
	"meetings":             {{"MEETING", "id"}},
	"agreements":           {{"AGREEMENT", "id"}, {dealAgreement, "id"}},
	"sources":              {{"SOURCE", "id"}},
	"statements":           {{"STATEMENT", "id"}},
	"events":               {{"EVENT", "id"}},
	"positions":            {{"PERSON", "person_id"}},
	"meeting_participants": {{"MEETING", "meeting_id"}},
	"meeting_topics":       {{"MEETING", "meeting_id"}},
	// Rows of deals alone (dealFactsTouched); the deals of a changed
	// company or project deal are added by dealsThrough.
	"agreement_parties":    {{dealAgreement, "agreement_id"}},
	"agreement_projects":   {{dealAgreement, "agreement_id"}},
	"amounts":              {{dealAgreement, "agreement_id"}, {dealProject, "project_id"}},
	"project_participants": {{dealProject, "project_id"}},
}

// touchedThrough adds the objects whose text shows a touched person: the
// meetings they took part in, named by their participants, and the
// statements they made, found by their speaker's name.
var touchedThrough = []string{
	`INSERT OR IGNORE INTO temp.touched (kind, id) SELECT 'MEETING', l.meeting_id FROM meeting_participants l
		WHERE l.person_id IN (SELECT id FROM temp.touched WHERE kind = 'PERSON')`,
	`INSERT OR IGNORE INTO temp.touched (kind, id) SELECT 'STATEMENT', x.id FROM statements x
		WHERE x.speaker_id IN (SELECT id FROM temp.touched WHERE kind = 'PERSON')`,
}

// dealsThrough adds the deals whose facts show a touched company (its
// slug, name, country and day, as a party) or a touched project deal (its
// sector and day, and whether it has amounts, to the agreements that
// cover it), in that order.
var dealsThrough = []string{
	`INSERT OR IGNORE INTO temp.touched (kind, id) SELECT '` + dealAgreement + `', l.agreement_id FROM agreement_parties l
		WHERE l.company_id IN (SELECT id FROM temp.touched WHERE kind = 'COMPANY')`,
	`INSERT OR IGNORE INTO temp.touched (kind, id) SELECT '` + dealProject + `', l.project_id FROM project_participants l
		WHERE l.company_id IN (SELECT id FROM temp.touched WHERE kind = 'COMPANY')`,
	`INSERT OR IGNORE INTO temp.touched (kind, id) SELECT '` + dealAgreement + `', l.agreement_id FROM agreement_projects l
		WHERE l.project_id IN (SELECT id FROM temp.touched WHERE kind = '` + dealProject + `')`,
}

// preparedForChangesets are the statements every changeset runs.
var preparedForChangesets = slices.Concat(keysAfterRows, derivedAfterRows, searchTouched, touchedThrough, dealsThrough)

// writeDifference turns the tables holding the rows was into the tables
// holding the rows now, both as datasetRows gives them: it deletes the rows
// that are gone or differ, by primary key, inserts the new and changed
// ones, and derives the rest again. The tables end as replaceIn would
// leave them, which the differential tests check by comparing dumps.
func (s *Store) writeDifference(ctx context.Context, tx *sql.Tx, was, now []tableRows) error {
	if len(was) != len(now) {
		return fmt.Errorf("write difference: %d tables, want %d", len(was), len(now))
	}
	changes := make([]changedTable, 0, len(now))
	for i := range now {
		if was[i].into != now[i].into {
			return fmt.Errorf("write difference: table %s, want %s", was[i].into, now[i].into)
		}
		table, columns, _ := strings.Cut(strings.TrimSuffix(now[i].into, ")"), " (")
		c := changedTable{table: strings.TrimSpace(table), columns: strings.Split(columns, ",")}
		for j := range c.columns {
			c.columns[j] = strings.TrimSpace(c.columns[j])
		}
		old := make(map[string]bool, len(was[i].keys))
		for _, k := range was[i].keys {
			old[k] = true
		}
		kept := make(map[string]bool, len(now[i].keys))
		for j, k := range now[i].keys {
			kept[k] = true
			if !old[k] {
				c.added = append(c.added, now[i].rows[j])
			}
		}
		for j, k := range was[i].keys {
			if !kept[k] {
				c.gone = append(c.gone, was[i].rows[j])
			}
		}
		changes = append(changes, c)
	}
	for _, c := range changes {
		if c.table == "retractions" && (len(c.gone) > 0 || len(c.added) > 0) {
			return errWriteWhole
		}
	}
	// Children go before parents, though foreign keys are off while a
	// changeset is written (loadSettings): a row that changes is deleted
	// before its new version is inserted, so unique columns never clash.
	for _, c := range slices.Backward(changes) {
		if len(c.gone) == 0 {
			continue
		}
		key, err := primaryKey(ctx, tx, c.table, s.pg != nil)
		if err != nil {
			return err
		}
		at := make([]int, len(key))
		conds := make([]string, len(key))
		for j, col := range key {
			if at[j] = slices.Index(c.columns, col); at[j] < 0 {
				return fmt.Errorf("write difference: %s: key column %s is not written", c.table, col)
			}
			conds[j] = col + ` = ?`
		}
		st, err := tx.PrepareContext(ctx, `DELETE FROM `+c.table+` WHERE `+strings.Join(conds, ` AND `))
		if err != nil {
			return fmt.Errorf("write difference: %w", err)
		}
		args := make([]any, len(key))
		for _, row := range c.gone {
			for j := range at {
				args[j] = row[at[j]]
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				st.Close()
				return fmt.Errorf("write difference: delete from %s: %w", c.table, err)
			}
		}
		st.Close()
	}
	w := &batchWriter{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}}
	defer w.close()
	for i, c := range changes {
		w.insert(now[i].into, len(c.added), func(a []any, j int) []any { return append(a, c.added[j]...) })
	}
	if w.err != nil {
		return fmt.Errorf("write difference: %w", w.err)
	}
	if err := touch(ctx, tx, changes2touched(changes)); err != nil {
		return fmt.Errorf("write difference: %w", err)
	}
	if err := writeListSizes(ctx, tx, now); err != nil {
		return fmt.Errorf("write difference: %w", err)
	}
	for _, q := range slices.Concat(keysAfterRows, touchedThrough, dealsThrough, searchTouched, derivedAfterRows) {
		st := s.prepared.get(q)
		if st == nil {
			return fmt.Errorf("write difference: derived data: statement not prepared")
		}
		if _, err := tx.StmtContext(ctx, st).ExecContext(ctx); err != nil {
			return fmt.Errorf("write difference: derived data: %w", err)
		}
	}
	return nil
}

// touchedRow is an object whose search rows a changeset derives again.
type touchedRow struct {
	kind string
	id   any
}

// changedTable is what changed in one table: the rows gone or changed, by
// their old values, and the rows added or changed, by their new ones.
type changedTable struct {
	table   string
	columns []string
	gone    [][]any
	added   [][]any
}

func changes2touched(changes []changedTable) []touchedRow {
	var out []touchedRow
	for _, c := range changes {
		for _, by := range touchedBy[c.table] {
			col := slices.Index(c.columns, by[1])
			for _, rows := range [][][]any{c.gone, c.added} {
				for _, row := range rows {
					if id, set := idValue(row[col]); set {
						out = append(out, touchedRow{by[0], id})
					}
				}
			}
		}
		if c.table != "names" {
			continue
		}
		subject, id := slices.Index(c.columns, "subject"), slices.Index(c.columns, "subject_id")
		for _, rows := range [][][]any{c.gone, c.added} {
			for _, row := range rows {
				if kind, ok := row[subject].(string); ok {
					out = append(out, touchedRow{strings.ToUpper(kind), row[id]})
				}
			}
		}
	}
	return out
}

// touch fills temp.touched with rows.
func touch(ctx context.Context, tx *sql.Tx, rows []touchedRow) error {
	for _, q := range []string{touchedTable, `DELETE FROM temp.touched`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("touched objects: %w", err)
		}
	}
	w := &batchWriter{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}}
	defer w.close()
	seen := map[touchedRow]bool{}
	var unique []touchedRow
	for _, r := range rows {
		if !seen[r] {
			seen[r] = true
			unique = append(unique, r)
		}
	}
	w.insert(`temp.touched (kind, id)`, len(unique), func(a []any, i int) []any { return append(a, unique[i].kind, unique[i].id) })
	return w.err
}

// preparedStatements are statements a changeset runs every time, prepared
// once on the write connection: preparing the statements that derive data
// took as long as running them. A transaction on the write connection uses
// them as they are (sql.Tx.StmtContext).
type preparedStatements struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// prepare prepares the queries not yet prepared. It takes the write
// connection, so it runs outside a transaction.
func (p *preparedStatements) prepare(ctx context.Context, db *sql.DB, queries []string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, q := range queries {
		if _, ok := p.stmts[q]; ok {
			continue
		}
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		if p.stmts == nil {
			p.stmts = map[string]*sql.Stmt{}
		}
		p.stmts[q] = st
	}
	return nil
}

// get returns the statement prepared for query, or nil.
func (p *preparedStatements) get(query string) *sql.Stmt {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stmts[query]
}

func (p *preparedStatements) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, st := range p.stmts {
		errs = append(errs, st.Close())
	}
	p.stmts = nil
	return errors.Join(errs...)
}

// primaryKey returns the columns of table's primary key, in key order.
func primaryKey(ctx context.Context, tx *sql.Tx, table string, postgres bool) ([]string, error) {
	query := `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`
	if postgres {
		query = `SELECT a.attname FROM pg_index i
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = CAST(? AS regclass) AND i.indisprimary
			ORDER BY array_position(i.indkey, a.attnum)`
	}
	cols, err := txColumn(ctx, tx, query, table)
	if err != nil {
		return nil, fmt.Errorf("primary key of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("primary key of %s: none", table)
	}
	return cols, nil
}
