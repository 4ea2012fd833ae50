package db

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// TableCount is the number of rows of one table.
type TableCount struct {
	Table string
	Rows  int64
}

// NotEmptyError is CopyToPostgres's refusal of a target that holds data:
// the tables that do, with their row counts.
type NotEmptyError struct{ Found []TableCount }

func (e *NotEmptyError) Error() string {
	parts := make([]string, len(e.Found))
	for i, c := range e.Found {
		parts[i] = fmt.Sprintf("%s %d rows", c.Table, c.Rows)
	}
	return "the target database is not empty (" + strings.Join(parts, ", ") + "); pass -force to replace its data, or give an empty database"
}

// copyColumn is a column of a target table, with its PostgreSQL type.
type copyColumn struct {
	name, pgType string
}

// copyTable is a table both databases have: the target's columns that the
// source has too and that are not computed by the target.
type copyTable struct {
	name    string
	columns []copyColumn
}

// CopyToPostgres copies the rows of the SQLite database at path into the
// PostgreSQL database of dsn, whose schema must be the store's (Open
// creates it): every table both have, with the columns both have, which
// leaves out what each engine derives on its own (SQLite's full-text
// index, PostgreSQL's generated columns). A target holding rows in any of
// those tables is refused with a *NotEmptyError unless force, which
// empties them first. It is one transaction: tables in the order of their
// foreign keys, each by COPY; then the sequences are moved past the copied
// ids, the row counts of both sides compared (a difference rolls the copy
// back), and the store's replicas told that the data changed, as a reseed
// tells them. It returns the counts, by table name.
func CopyToPostgres(ctx context.Context, path, dsn string, force bool) ([]TableCount, error) {
	src, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer src.Close()
	// One snapshot of the source for the whole copy.
	srcTx, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer srcTx.Rollback()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", RedactDSN(dsn), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	tables, err := copyTables(ctx, srcTx, tx)
	if err != nil {
		return nil, err
	}
	found, err := countTargetRows(ctx, tx, tables)
	if err != nil {
		return nil, err
	}
	if len(found) > 0 {
		if !force {
			return nil, &NotEmptyError{Found: found}
		}
		names := make([]string, len(tables))
		for i, t := range tables {
			names[i] = pgx.Identifier{t.name}.Sanitize()
		}
		if _, err := tx.Exec(ctx, `TRUNCATE `+strings.Join(names, ", ")+` RESTART IDENTITY CASCADE`); err != nil {
			return nil, fmt.Errorf("empty the target: %w", err)
		}
	}
	counts := make([]TableCount, 0, len(tables))
	for _, t := range tables {
		n, err := copyTableRows(ctx, srcTx, tx, t)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t.name, err)
		}
		counts = append(counts, TableCount{Table: t.name, Rows: n})
	}
	if err := advanceSequences(ctx, tx); err != nil {
		return nil, err
	}
	if err := verifyCounts(ctx, srcTx, tx, counts); err != nil {
		return nil, err
	}
	// As a reseed: the generation the caches key on moves, and the
	// replicas' subscribers are woken.
	if _, err := tx.Exec(ctx, `UPDATE data_generation SET generation = generation + 1 WHERE id = 1`); err != nil {
		return nil, fmt.Errorf("move the data generation: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, '0')`, RevisionChannel); err != nil {
		return nil, fmt.Errorf("notify the replicas: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	slices.SortFunc(counts, func(a, b TableCount) int { return strings.Compare(a.Table, b.Table) })
	return counts, nil
}

// copyTables lists the tables to copy, parents before the tables whose
// foreign keys refer to them.
func copyTables(ctx context.Context, src *sql.Tx, dst pgx.Tx) ([]copyTable, error) {
	srcTables, err := txColumn(ctx, src, `SELECT name FROM pragma_table_list
		WHERE schema = 'main' AND type IN ('table', 'virtual')
		AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'`)
	if err != nil {
		return nil, fmt.Errorf("list the source's tables: %w", err)
	}
	var tables []copyTable
	for _, name := range srcTables {
		srcCols, err := txColumn(ctx, src, `SELECT name FROM pragma_table_info(?)`, name)
		if err != nil {
			return nil, fmt.Errorf("columns of %s: %w", name, err)
		}
		pgRows, err := dst.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
			ORDER BY ordinal_position`, name)
		if err != nil {
			return nil, fmt.Errorf("columns of the target's %s: %w", name, err)
		}
		t := copyTable{name: name}
		for pgRows.Next() {
			var c copyColumn
			if err := pgRows.Scan(&c.name, &c.pgType); err != nil {
				pgRows.Close()
				return nil, fmt.Errorf("columns of the target's %s: %w", name, err)
			}
			if slices.Contains(srcCols, c.name) {
				t.columns = append(t.columns, c)
			}
		}
		if err := pgRows.Err(); err != nil {
			return nil, fmt.Errorf("columns of the target's %s: %w", name, err)
		}
		if len(t.columns) > 0 {
			tables = append(tables, t)
		}
	}
	return orderByForeignKeys(ctx, dst, tables)
}

// orderByForeignKeys sorts tables so that each comes after the tables its
// foreign keys refer to. A table referring to itself is fine: PostgreSQL
// checks a COPY's foreign keys once the COPY is done.
func orderByForeignKeys(ctx context.Context, dst pgx.Tx, tables []copyTable) ([]copyTable, error) {
	rows, err := dst.Query(ctx, `SELECT c.relname, p.relname FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid
		JOIN pg_class p ON p.oid = k.confrelid
		WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, fmt.Errorf("list the target's foreign keys: %w", err)
	}
	parents := map[string][]string{}
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list the target's foreign keys: %w", err)
		}
		if child != parent {
			parents[child] = append(parents[child], parent)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list the target's foreign keys: %w", err)
	}
	byName := map[string]copyTable{}
	for _, t := range tables {
		byName[t.name] = t
	}
	var out []copyTable
	state := map[string]int{} // 1: being placed, 2: placed
	var place func(name string) error
	place = func(name string) error {
		switch state[name] {
		case 1:
			return fmt.Errorf("the foreign keys of %s make a cycle", name)
		case 2:
			return nil
		}
		state[name] = 1
		for _, p := range parents[name] {
			if _, ok := byName[p]; ok {
				if err := place(p); err != nil {
					return err
				}
			}
		}
		state[name] = 2
		out = append(out, byName[name])
		return nil
	}
	for _, t := range tables {
		if err := place(t.name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// countTargetRows returns the tables of the target that hold rows.
func countTargetRows(ctx context.Context, dst pgx.Tx, tables []copyTable) ([]TableCount, error) {
	var found []TableCount
	for _, t := range tables {
		var n int64
		if err := dst.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{t.name}.Sanitize()).Scan(&n); err != nil {
			return nil, fmt.Errorf("count the target's %s: %w", t.name, err)
		}
		if n > 0 {
			found = append(found, TableCount{Table: t.name, Rows: n})
		}
	}
	slices.SortFunc(found, func(a, b TableCount) int { return strings.Compare(a.Table, b.Table) })
	return found, nil
}

// copyTableRows streams the rows of one table from the source into the target
// with COPY in text format, which PostgreSQL parses into each column's
// type, and returns how many it copied.
func copyTableRows(ctx context.Context, src *sql.Tx, dst pgx.Tx, t copyTable) (int64, error) {
	srcCols := make([]string, len(t.columns))
	dstCols := make([]string, len(t.columns))
	for i, c := range t.columns {
		srcCols[i] = `"` + strings.ReplaceAll(c.name, `"`, `""`) + `"`
		dstCols[i] = pgx.Identifier{c.name}.Sanitize()
	}
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(srcCols, ", ")+` FROM "`+strings.ReplaceAll(t.name, `"`, `""`)+`"`)
	if err != nil {
		return 0, fmt.Errorf("read: %w", err)
	}
	defer rows.Close()
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		w := bufio.NewWriterSize(pw, 64<<10)
		vals := make([]any, len(t.columns))
		ptrs := make([]any, len(t.columns))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var err error
		for err == nil && rows.Next() {
			if err = rows.Scan(ptrs...); err != nil {
				break
			}
			for i, v := range vals {
				if i > 0 {
					w.WriteByte('\t')
				}
				if err = writeCopyValue(w, v, t.columns[i]); err != nil {
					break
				}
			}
			w.WriteByte('\n')
		}
		if err == nil {
			err = rows.Err()
		}
		if err == nil {
			err = w.Flush()
		}
		pw.CloseWithError(err)
	}()
	tag, err := dst.Conn().PgConn().CopyFrom(ctx, pr, `COPY `+pgx.Identifier{t.name}.Sanitize()+` (`+strings.Join(dstCols, ", ")+`) FROM STDIN`)
	pr.CloseWithError(errors.New("copy ended")) // stops the writer if COPY failed first
	<-done
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

// writeCopyValue writes one value of the source in COPY's text format for
// the target column: NULL as \N, SQLite's integer booleans as t or f, its
// Unix-second integers as timestamps where the target has a timestamp,
// blobs as bytea hex, and the characters COPY gives a meaning escaped.
func writeCopyValue(w *bufio.Writer, v any, c copyColumn) error {
	var s string
	switch v := v.(type) {
	case nil:
		_, err := w.WriteString(`\N`)
		return err
	case int64:
		switch {
		case c.pgType == "boolean":
			s = strconv.FormatBool(v != 0)
		case strings.HasPrefix(c.pgType, "timestamp"):
			s = time.Unix(v, 0).UTC().Format(time.RFC3339)
		default:
			s = strconv.FormatInt(v, 10)
		}
	case float64:
		s = strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		s = v
	case []byte:
		if c.pgType == "bytea" {
			s = `\x` + hex.EncodeToString(v)
		} else {
			s = string(v)
		}
	case bool:
		s = strconv.FormatBool(v)
	case time.Time:
		s = v.UTC().Format(time.RFC3339Nano)
	default:
		return fmt.Errorf("column %s: a value of an unexpected kind, %T", c.name, v)
	}
	_, err := copyEscaper.WriteString(w, s)
	return err
}

// copyEscaper escapes what COPY's text format gives a meaning.
var copyEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`, "\t", `\t`)

// advanceSequences moves every sequence that numbers a column past the
// largest value copied into it, so that the next row the store inserts
// gets a new id.
func advanceSequences(ctx context.Context, dst pgx.Tx) error {
	rows, err := dst.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema()
		AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')`)
	if err != nil {
		return fmt.Errorf("list the target's sequences: %w", err)
	}
	type col struct{ table, column string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.column); err != nil {
			rows.Close()
			return fmt.Errorf("list the target's sequences: %w", err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list the target's sequences: %w", err)
	}
	for _, c := range cols {
		table := pgx.Identifier{c.table}.Sanitize()
		if _, err := dst.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(max(`+pgx.Identifier{c.column}.Sanitize()+`), 0) + 1, false) FROM `+table,
			table, c.column); err != nil {
			return fmt.Errorf("advance the sequence of %s.%s: %w", c.table, c.column, err)
		}
	}
	return nil
}

// verifyCounts compares the row count of each copied table in both
// databases.
func verifyCounts(ctx context.Context, src *sql.Tx, dst pgx.Tx, counts []TableCount) error {
	var diffs []string
	for _, c := range counts {
		var want, got int64
		if err := src.QueryRowContext(ctx, `SELECT count(*) FROM "`+strings.ReplaceAll(c.Table, `"`, `""`)+`"`).Scan(&want); err != nil {
			return fmt.Errorf("count the source's %s: %w", c.Table, err)
		}
		if err := dst.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{c.Table}.Sanitize()).Scan(&got); err != nil {
			return fmt.Errorf("count the target's %s: %w", c.Table, err)
		}
		if got != want {
			diffs = append(diffs, fmt.Sprintf("%s: %d in the source, %d in the target", c.Table, want, got))
		}
	}
	if len(diffs) > 0 {
		return fmt.Errorf("the row counts differ, so nothing was copied: %s", strings.Join(diffs, "; "))
	}
	return nil
}
