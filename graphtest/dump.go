package graphtest

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver
	_ "modernc.org/sqlite"             // the driver the store uses

	"github.com/investgraph/investgraph/db"
)

// DumpTables reads every row of every table of the database file at path
// through a connection of its own, each table's rows as text in sorted
// order, so that two dumps are equal exactly when the tables hold the same
// rows. Columns are taken by name, so a column a later migration added
// compares too.
//
// On PostgreSQL (path is a postgres:// DSN) the rows are written as
// SQLite's quote() writes them, so that the dumps of both engines compare;
// the columns only PostgreSQL has (the search index's rowid and doc) and
// its data_generation table are left out.
func DumpTables(t testing.TB, path string) map[string][]string {
	t.Helper()
	if db.IsPostgresDSN(path) {
		return dumpPostgres(t, path)
	}
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer conn.Close()
	tables, err := textColumn(conn, `SELECT name FROM pragma_table_list
		WHERE schema = 'main' AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatalf("list tables of %s: %v", path, err)
	}
	out := make(map[string][]string, len(tables))
	for _, table := range tables {
		cols, err := textColumn(conn, `SELECT name FROM pragma_table_info(?) ORDER BY name`, table)
		if err != nil {
			t.Fatalf("columns of %s: %v", table, err)
		}
		quoted := make([]string, len(cols))
		for i, c := range cols {
			quoted[i] = `quote("` + c + `")`
		}
		rows, err := textColumn(conn, `SELECT `+strings.Join(quoted, ` || ',' || `)+` AS row FROM "`+table+`" ORDER BY row`)
		if err != nil {
			t.Fatalf("rows of %s: %v", table, err)
		}
		out[table] = rows
	}
	return out
}

func textColumn(conn *sql.DB, query string, args ...any) ([]string, error) {
	rows, err := conn.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// dumpPostgres is DumpTables on PostgreSQL.
func dumpPostgres(t testing.TB, dsn string) map[string][]string {
	t.Helper()
	conn, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open %s: %v", db.RedactDSN(dsn), err)
	}
	defer conn.Close()
	tables, err := textColumn(conn, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'data_generation' ORDER BY table_name`)
	if err != nil {
		t.Fatalf("list tables of %s: %v", db.RedactDSN(dsn), err)
	}
	out := make(map[string][]string, len(tables))
	for _, table := range tables {
		cols, err := textColumn(conn, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name = $1 AND NOT (table_name = 'search' AND column_name IN ('rowid', 'doc'))
			ORDER BY column_name COLLATE "C"`, table)
		if err != nil {
			t.Fatalf("columns of %s: %v", table, err)
		}
		quoted := make([]string, len(cols))
		for i, c := range cols {
			quoted[i] = `"` + c + `"`
		}
		rows, err := conn.Query(`SELECT ` + strings.Join(quoted, ", ") + ` FROM "` + table + `"`)
		if err != nil {
			t.Fatalf("rows of %s: %v", table, err)
		}
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("rows of %s: %v", table, err)
			}
			parts := make([]string, len(vals))
			for i, v := range vals {
				parts[i] = sqliteQuote(v)
			}
			lines = append(lines, strings.Join(parts, ","))
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("rows of %s: %v", table, err)
		}
		rows.Close()
		sort.Strings(lines)
		out[table] = lines
	}
	return out
}

// sqliteQuote writes a value as SQLite's quote() does.
func sqliteQuote(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case []byte:
		return "X'" + strings.ToUpper(hex.EncodeToString(v)) + "'"
	case int64:
		return strconv.FormatInt(v, 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case float64:
		s := strconv.FormatFloat(v, 'g', 15, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return s
	case bool:
		if v {
			return "1"
		}
		return "0"
	}
	return fmt.Sprint(v)
}
