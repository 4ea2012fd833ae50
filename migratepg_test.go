package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graphtest"
)

// windYAML brings a project with a capacity figure, which the test then
// retracts.
const windYAML = `source:
  slug: "example-migrate"
  title: "Example report on a wind farm to migrate"
  publishedOn: "2026-12-01"
  paragraphs: 2
companies:
  - slug: example-migrate-wind
    name: "Example Migrate Wind LLP"
    kind: COMPANY
    country: KZ
    cite: [1]
projects:
  - slug: example-migrate-wind-farm
    name: "Example migrate wind farm"
    sector: RENEWABLES
    status: PROPOSED
    cite: [1]
    participants:
      - company: example-migrate-wind
        role: OPERATOR
        cite: [1]
    measurements:
      - metric: PRODUCTION_CAPACITY
        label: "planned generating capacity"
        value: 100
        unit: "MW"
        approximation: EXACT
        asOf: "2026-12"
        status: TARGET
        cite: 2
`

// sqliteWithHistory returns a closed SQLite database holding the seed, a
// changeset, a retraction of one of its figures and the editor token
// that sent both, whose secret it returns too.
func sqliteWithHistory(t *testing.T) (path, secret string) {
	path = t.TempDir() + "/investgraph.db"
	t.Run("Setup", func(t *testing.T) { // its cleanup closes the store
		srv := graphtest.New(t, graphtest.WithDatabase(path))
		secret = srv.NewToken(t, "migrator", db.RoleEditor)
		editor := srv.As(secret)
		editor.ApplyChangeset(t, graphtest.Changeset{YAML: windYAML, Message: "add the wind farm"})
		var out struct {
			Project struct{ Measurements []struct{ ID string } }
		}
		srv.MustQuery(t, `{ project(slug: "example-migrate-wind-farm") { measurements { id } } }`, nil, &out)
		if len(out.Project.Measurements) != 1 {
			t.Fatalf("measurements = %+v", out.Project.Measurements)
		}
		editor.Retract(t, graphtest.Retraction{Fact: out.Project.Measurements[0].ID, Reason: "the report gives 10 MW"})
	})
	if t.Failed() {
		t.FailNow()
	}
	return path, secret
}

// TestMigrate copies an SQLite database with a changeset, a retraction and
// a token into PostgreSQL, and checks that both hold the same rows, that
// the gateway answers the same on both, and that the token still works;
// a second migrate is refused, saying what it found, unless -force.
func TestMigrate(t *testing.T) {
	dsn := newPostgresDatabase(t)
	path, secret := sqliteWithHistory(t)
	var out bytes.Buffer
	if err := run(t.Context(), []string{"migrate", "-from", path, "-to", dsn}, &out, &out, nil); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out.String())
	}
	for _, want := range []string{`\brevisions +2\n`, `\bretractions +1\n`, `\btokens +1\n`, `\bcompanies +[1-9]`, `\d+ tables +\d+`} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}

	want, got := dumpSQLite(t, path), dumpPostgres(t, dsn)
	tables := 0
	for table, rows := range want {
		pg, ok := got[table]
		if !ok {
			continue // the source's own (SQLite's full-text index shadow tables)
		}
		tables++
		if !slices.Equal(rows, pg) {
			t.Errorf("table %s differs: %d rows in SQLite, %d in PostgreSQL\nfirst SQLite: %.300s\nfirst PostgreSQL: %.300s",
				table, len(rows), len(pg), first(rows), first(pg))
		}
	}
	if tables < 30 {
		t.Errorf("compared %d tables, want the 30 and more both have", tables)
	}

	t.Run("SameAnswers", func(t *testing.T) {
		sqliteBase, _ := serve(t, "-db", path, "-rate-limit", "0")
		pgBase, _ := serve(t, "-db", dsn, "-rate-limit", "0")
		for _, q := range []string{
			`{ company(name: "CITIC") { name } }`,
			`{ project(slug: "example-migrate-wind-farm") { name measurements { value } participants { company { name } } } }`,
			`{ project(slug: "example-migrate-wind-farm") { measurements(includeRetracted: true) { value retraction { reason } } } }`,
			`{ revisions { totalCount edges { node { kind author message } } } }`,
			`{ companies(first: 5) { totalCount edges { node { slug name } } } }`,
		} {
			a, b := get(http.DefaultClient, sqliteBase+"/graphql?query="+url.QueryEscape(q)), get(http.DefaultClient, pgBase+"/graphql?query="+url.QueryEscape(q))
			a, b = withoutExtensions(a), withoutExtensions(b)
			if a != b || strings.Contains(a, `"errors"`) {
				t.Errorf("%s\nSQLite:     %s\nPostgreSQL: %s", q, a, b)
			}
		}
	})
	t.Run("TheTokenWorks", func(t *testing.T) {
		s, err := db.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if tok, err := s.Authenticate(t.Context(), secret); err != nil || tok.Name != "migrator" || tok.Role != db.RoleEditor {
			t.Errorf("Authenticate = %+v, %v; want migrator, EDITOR", tok, err)
		}
	})
	t.Run("ErrNotEmpty", func(t *testing.T) {
		err := run(t.Context(), []string{"migrate", "-from", path, "-to", dsn}, &bytes.Buffer{}, &bytes.Buffer{}, nil)
		if err == nil || !strings.Contains(err.Error(), "not empty (") || !strings.Contains(err.Error(), "revisions 2 rows") ||
			!strings.Contains(err.Error(), "-force") {
			t.Errorf("err = %v, want the refusal naming what the target holds and -force", err)
		}
	})
	t.Run("Force", func(t *testing.T) {
		var out2 bytes.Buffer
		if err := run(t.Context(), []string{"migrate", "-from", path, "-to", dsn, "-force"}, &out2, &out2, nil); err != nil {
			t.Fatalf("migrate -force: %v", err)
		}
		if out2.String() != out.String() {
			t.Errorf("migrate -force reported\n%s\nwant the counts of the first\n%s", out2.String(), out.String())
		}
		if again := dumpPostgres(t, dsn); !equalDumps(again, got) {
			t.Error("the data after migrate -force differs from the first copy")
		}
	})
}

// withoutExtensions cuts a response's extensions (statements counts and
// costs differ between engines).
func withoutExtensions(body string) string {
	if i := strings.Index(body, `,"extensions"`); i >= 0 {
		return body[:i] + "}"
	}
	return body
}

func first(rows []string) string {
	if len(rows) == 0 {
		return "(none)"
	}
	return rows[0]
}

func equalDumps(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// dumpValue writes a value of either engine in one form: numbers with
// no fractional part as integers, others in the shortest form, blobs in
// hex.
func dumpValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return strconv.FormatInt(v, 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.FormatInt(int64(v), 10)
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case pgtype.Numeric:
		f, err := v.Float64Value()
		if err != nil || !f.Valid {
			return "NULL"
		}
		return dumpValue(f.Float64)
	case string:
		return strconv.Quote(v)
	case []byte:
		return fmt.Sprintf("x'%x'", v)
	case bool:
		if v {
			return "1"
		}
		return "0"
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

// dumpSQLite is every table of the SQLite file at path, each a sorted
// list of rows with the columns in name order, full-text shadow tables
// and the migrations aside.
func dumpSQLite(t *testing.T, path string) map[string][]string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tables := sqliteStrings(t, conn, `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual')
		AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name`)
	out := map[string][]string{}
	for _, table := range tables {
		cols := sqliteStrings(t, conn, `SELECT name FROM pragma_table_info(?) ORDER BY name`, table)
		rows, err := conn.Query(`SELECT "` + strings.Join(cols, `", "`) + `" FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		out[table] = scanDump(t, cols, rows.Next, rows.Scan, rows.Err)
		rows.Close()
	}
	return out
}

func sqliteStrings(t *testing.T, conn *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := conn.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// dumpPostgres is dumpSQLite for a PostgreSQL database, with the columns
// that SQLite's tables have too: its generated columns and the identity
// of its full-text table aside.
func dumpPostgres(t *testing.T, dsn string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_generated = 'NEVER'
		AND NOT (table_name = 'search' AND column_name = 'rowid')
		AND table_name NOT IN ('schema_migrations', 'data_generation')
		ORDER BY table_name, column_name`)
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		cols[table] = append(cols[table], col)
	}
	rows.Close()
	out := map[string][]string{}
	for table, cs := range cols {
		r, err := conn.Query(ctx, `SELECT "`+strings.Join(cs, `", "`)+`" FROM "`+table+`"`)
		if err != nil {
			t.Fatal(err)
		}
		out[table] = scanDump(t, cs, r.Next, func(dest ...any) error {
			vals, err := r.Values()
			for i := range dest {
				if i < len(vals) {
					*(dest[i].(*any)) = vals[i]
				}
			}
			return err
		}, r.Err)
		r.Close()
	}
	return out
}

// scanDump reads rows into sorted lines of name=value pairs.
func scanDump(t *testing.T, cols []string, next func() bool, scan func(...any) error, errf func() error) []string {
	t.Helper()
	var out []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for next() {
		if err := scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(cols))
		for i, c := range cols {
			parts[i] = c + "=" + dumpValue(vals[i])
		}
		out = append(out, strings.Join(parts, ","))
	}
	if err := errf(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
