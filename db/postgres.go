package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Engine names, as Store.Engine returns them.
const (
	EngineSQLite   = "sqlite"
	EnginePostgres = "postgres"
)

// RevisionChannel is the PostgreSQL notification channel every committed
// revision is announced on, with the revision's id as decimal text, or "0"
// for a reseed or a replaced graph.
const RevisionChannel = "investgraph_revisions"

// postgres is what a PostgreSQL-backed store has beside the SQLite one's
// fields.
type postgres struct {
	// dsn is the address the store was opened with, password included,
	// for the connections opened beside the pools (a LISTEN connection);
	// never for a message, which takes address.
	dsn     string
	address string // host:port, for messages
	// errors counts failed looks at the generation, so that each one
	// gives DataVersion a value of its own.
	errors atomic.Int64
	// listener follows the revisions other processes commit
	// (startListening).
	listener *revisionListener
}

// IsPostgresDSN reports whether dsn names a PostgreSQL database
// (postgres:// or postgresql://) rather than an SQLite file.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Engine returns the engine behind s: EngineSQLite or EnginePostgres.
func (s *Store) Engine() string {
	if s.pg != nil {
		return EnginePostgres
	}
	return EngineSQLite
}

// RedactDSN returns dsn with its password, if any, replaced by xxxxx, for
// messages and logs. A path is returned as it is.
func RedactDSN(dsn string) string {
	if !IsPostgresDSN(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unparsable address)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// openPostgres opens the PostgreSQL database dsn names, applying the
// pending migrations. A DSN it cannot read, or a database whose collation
// is not C, gets an EINVALID error; a server it cannot reach or log in to
// gets an EUNAVAILABLE one naming host:port and the cause.
func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	config, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, Errorf(EINVALID, "database %s: not a PostgreSQL URL that can be used: %s", RedactDSN(dsn), parseCause(err))
	}
	pg := &postgres{dsn: dsn, address: net.JoinHostPort(config.Host, strconv.Itoa(int(config.Port)))}
	write := openPostgresPool(config, true)
	// One connection, as on SQLite: the changeset statements are
	// prepared on it and its temporary table lives on it.
	write.SetMaxOpenConns(1)
	s := &Store{path: RedactDSN(dsn), write: write, pg: pg}
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, pg.connectError(err, config.Password)
	}
	if err := checkCollation(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("migrate %s: %w", s.path, err)
	}
	read := *config
	read.RuntimeParams = map[string]string{}
	for k, v := range config.RuntimeParams {
		read.RuntimeParams[k] = v
	}
	read.RuntimeParams["default_transaction_read_only"] = "on"
	pool := openPostgresPool(&read, false)
	n := max(16, runtime.GOMAXPROCS(0)*4)
	pool.SetMaxOpenConns(n + 2)
	pool.SetMaxIdleConns(n + 2)
	s.reader.Store(&reader{pool: pool, slots: make(chan struct{}, n), done: make(chan struct{})})
	s.startListening()
	return s, nil
}

// parseCause is why pgx could not parse a DSN, without the DSN itself
// (which may hold a password).
func parseCause(err error) string {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) && pe.Unwrap() != nil {
		return pe.Unwrap().Error()
	}
	return "check its form: postgres://user:password@host:port/database"
}

// connectError explains why the server could not be used, naming its
// address and never the password.
func (pg *postgres) connectError(err error, password string) error {
	cause := err.Error()
	var pe *pgconn.PgError
	var ce *pgconn.ConnectError
	switch {
	case errors.As(err, &pe):
		cause = pe.Message
	case errors.As(err, &ce) && ce.Unwrap() != nil:
		cause = ce.Unwrap().Error()
		if errors.As(ce.Unwrap(), &pe) {
			cause = pe.Message
		}
	}
	if password != "" {
		cause = strings.ReplaceAll(cause, password, "xxxxx")
	}
	return Errorf(EUNAVAILABLE, "database server %s cannot be used: %s", pg.address, cause)
}

// checkCollation refuses a database whose default collation is not C:
// the store compares and orders text byte by byte, as SQLite does.
func checkCollation(ctx context.Context, conn *sql.DB) error {
	var name, collate string
	if err := conn.QueryRowContext(ctx, `SELECT current_database(), datcollate FROM pg_database WHERE datname = current_database()`).Scan(&name, &collate); err != nil {
		return fmt.Errorf("read the database's collation: %w", err)
	}
	if collate != "C" && collate != "POSIX" {
		return Errorf(EINVALID, "database %s has collation %s, and the store needs C (byte order, as SQLite compares): create it with CREATE DATABASE %s TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'",
			name, collate, pgx.Identifier{name}.Sanitize())
	}
	return nil
}

// published records, inside tx, that it commits a change of the data: the
// generation DataVersion reads moves on, and the revision's id (0 for a
// replaced graph) is announced on RevisionChannel, both at commit. It does
// nothing on SQLite, whose data version follows commits by itself.
func (s *Store) published(ctx context.Context, tx *sql.Tx, revision int64, announce bool) error {
	if s.pg == nil {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE data_generation SET generation = generation + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("move the data generation: %w", err)
	}
	if !announce {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_notify(?, ?)`, RevisionChannel, strconv.FormatInt(revision, 10)); err != nil {
		return fmt.Errorf("announce revision %d: %w", revision, err)
	}
	return nil
}

// generationQuery reads the data generation.
const generationQuery = `SELECT generation FROM data_generation WHERE id = 1`

// pgDataVersion is DataVersion on PostgreSQL: the generation every
// process's commits move. A failed look counts as a change, with a value
// that no generation has.
func (s *Store) pgDataVersion() int64 {
	ctx, cancel := context.WithTimeout(context.Background(), dataVersionTimeout)
	defer cancel()
	r := s.reader.Load()
	var g int64
	var err error
	if st := r.prepared.get(ctx, r.pool, generationQuery); st != nil {
		err = st.QueryRowContext(ctx).Scan(&g)
	} else {
		err = r.pool.QueryRowContext(ctx, generationQuery).Scan(&g)
	}
	if err != nil {
		return -1 - s.pg.errors.Add(1)
	}
	return g
}

// isUnavailable reports whether err says the PostgreSQL server went away
// or cannot be reached: a connection error, an administrator's shutdown
// (57P01..57P03) or a connection exception (class 08).
func isUnavailable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) ||
		pgconn.Timeout(err) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) ||
		errors.Is(err, driver.ErrBadConn)
}

// snapshotOptions are those of a request's read transaction on
// PostgreSQL: one snapshot for all its statements, read-only.
var snapshotOptions = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}

// beginPostgres is snapshot.begin on PostgreSQL: a REPEATABLE READ READ
// ONLY transaction, whose snapshot is fixed by its first statement. When
// the data version is wanted, that statement reads the generation, which
// is then exactly the version the snapshot reads. sn.mu is held.
func (sn *snapshot) beginPostgres(wantVersion bool) error {
	s := sn.store
	r, err := s.acquire(sn.ctx)
	if err != nil {
		sn.err = err
		return err
	}
	tx, err := r.pool.BeginTx(sn.ctx, snapshotOptions)
	sn.version = -1
	if err == nil && wantVersion {
		var g int64
		var row *sql.Row
		if ps := r.prepared.get(sn.ctx, r.pool, generationQuery); ps != nil {
			row = tx.StmtContext(sn.ctx, ps).QueryRowContext(sn.ctx)
		} else {
			row = tx.QueryRowContext(sn.ctx, generationQuery)
		}
		if err = row.Scan(&g); err != nil {
			tx.Rollback()
		} else {
			sn.version = g
		}
	}
	if err != nil {
		<-r.slots
		sn.err = fmt.Errorf("begin snapshot: %w", err)
		return sn.err
	}
	sn.r, sn.tx, sn.stmts = r, tx, map[string][]*snapshotStmt{}
	return nil
}

// openSQL opens the database at path (a file or a postgres:// DSN) with no
// store around it, its statements translated as the store's are: for
// tests that look at the tables themselves.
func openSQL(path string) (*sql.DB, error) {
	if !IsPostgresDSN(path) {
		return sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	}
	config, err := pgx.ParseConfig(path)
	if err != nil {
		return nil, Errorf(EINVALID, "database %s: %s", RedactDSN(path), parseCause(err))
	}
	return openPostgresPool(config, false), nil
}
