package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The PostgreSQL store runs the same database/sql code as the SQLite one,
// over pgx's database/sql driver wrapped by pgConnector: every statement
// text goes through translatePostgres on its way to the server, so the
// store's queries are written once.

// writeLockKey is the advisory lock every write transaction on PostgreSQL
// takes first: writers of every process take turns, as SQLite's one write
// lock makes them, so that a changeset reads the revision log and writes
// the next revision with no other writer in between.
const writeLockKey = 7_315_052_015

// pgConnector opens connections translating the store's SQL.
type pgConnector struct {
	inner driver.Connector
	// write makes every transaction that is not read-only take
	// writeLockKey first.
	write bool
}

// openPostgresPool opens a connection pool on config.
func openPostgresPool(config *pgx.ConnConfig, write bool) *sql.DB {
	return sql.OpenDB(&pgConnector{inner: stdlib.GetConnector(*config), write: write})
}

// Connect opens a connection.
func (c *pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{Conn: conn.(*stdlib.Conn), write: c.write}, nil
}

// Driver returns the wrapped connector's driver.
func (c *pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is a pgx connection whose statements are translated.
type pgConn struct {
	*stdlib.Conn
	write bool
}

// Prepare prepares a translated statement.
func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext prepares a translated statement.
func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st := translatePostgres(query)
	if st.none {
		return noStmt{}, nil
	}
	inner, err := c.Conn.PrepareContext(ctx, st.sql)
	if err != nil {
		return nil, err
	}
	return &pgStmt{Stmt: inner.(*stdlib.Stmt), st: st}, nil
}

// ExecContext runs a translated statement.
func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	st := translatePostgres(query)
	if st.none {
		return driver.RowsAffected(0), nil
	}
	args, err := st.convert(args)
	if err != nil {
		return nil, err
	}
	return c.Conn.ExecContext(ctx, st.sql, args)
}

// QueryContext runs a translated query.
func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	st := translatePostgres(query)
	if st.none {
		return nil, fmt.Errorf("no PostgreSQL equivalent of %q", query)
	}
	args, err := st.convert(args)
	if err != nil {
		return nil, err
	}
	return c.Conn.QueryContext(ctx, st.sql, args)
}

// Begin begins a transaction.
func (c *pgConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx begins a transaction; on a write pool, one that may write
// takes the write lock first.
func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.Conn.BeginTx(ctx, opts)
	if err != nil || !c.write || opts.ReadOnly {
		return tx, err
	}
	if _, err := c.Conn.Conn().Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(writeLockKey)); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("take the write lock: %w", err)
	}
	return tx, nil
}

// convert sends the JSON arrays of st's array parameters as PostgreSQL
// arrays, and booleans as the integers 1 and 0, which is what SQLite
// stores for them and what the schema's flag columns hold.
func (st *pgStatement) convert(args []driver.NamedValue) ([]driver.NamedValue, error) {
	var out []driver.NamedValue
	for i, a := range args {
		if s, ok := a.Value.(string); ok && strings.IndexByte(s, 0) >= 0 {
			// PostgreSQL's text cannot hold NUL, which SQLite's can but
			// the store never writes: a value holding one is refused.
			return nil, Errorf(EINVALID, "text may not contain the NUL character (\\x00)")
		}
		if b, ok := a.Value.(bool); ok {
			if out == nil {
				out = append([]driver.NamedValue(nil), args...)
			}
			out[i].Value = int64(0)
			if b {
				out[i].Value = int64(1)
			}
		}
	}
	if len(st.arrays) == 0 && st.keep == nil {
		if out == nil {
			return args, nil
		}
		return out, nil
	}
	if out == nil {
		out = append([]driver.NamedValue(nil), args...)
	}
	for _, i := range st.arrays {
		if i >= len(out) {
			continue
		}
		s, ok := out[i].Value.(string)
		if !ok {
			return nil, fmt.Errorf("parameter %d: a JSON array is wanted, not %T", i+1, out[i].Value)
		}
		lit, ok := pgArrayLiteral(s)
		if !ok {
			return nil, fmt.Errorf("parameter %d: not a JSON array of numbers and strings", i+1)
		}
		out[i].Value = lit
	}
	if st.keep != nil {
		kept := make([]driver.NamedValue, 0, len(st.keep))
		for _, i := range st.keep {
			if i < len(out) {
				a := out[i]
				a.Ordinal = len(kept) + 1
				kept = append(kept, a)
			}
		}
		out = kept
	}
	return out, nil
}

// pgStmt is a prepared translated statement.
type pgStmt struct {
	*stdlib.Stmt
	st *pgStatement
}

// NumInput returns -1, as the statement may be given parameters it does
// not use (see pgStatement.keep).
func (s *pgStmt) NumInput() int { return -1 }

// ExecContext runs the statement.
func (s *pgStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	args, err := s.st.convert(args)
	if err != nil {
		return nil, err
	}
	return s.Stmt.ExecContext(ctx, args)
}

// QueryContext runs the query.
func (s *pgStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	args, err := s.st.convert(args)
	if err != nil {
		return nil, err
	}
	return s.Stmt.QueryContext(ctx, args)
}

// noStmt is a statement PostgreSQL has no use for: running it does
// nothing.
type noStmt struct{}

func (noStmt) Close() error  { return nil }
func (noStmt) NumInput() int { return -1 }
func (noStmt) Exec([]driver.Value) (driver.Result, error) {
	return driver.RowsAffected(0), nil
}
func (noStmt) Query([]driver.Value) (driver.Rows, error) {
	return nil, fmt.Errorf("no PostgreSQL equivalent of a PRAGMA")
}
