package graphtest

import (
	"database/sql"
	"net/url"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // the driver the store uses
)

// DumpTables reads every row of every table of the database file at path
// through a connection of its own, each table's rows as text in sorted
// order, so that two dumps are equal exactly when the tables hold the same
// rows. Columns are taken by name, so a column a later migration added
// compares too.
func DumpTables(t testing.TB, path string) map[string][]string {
	t.Helper()
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
