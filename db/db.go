// Package db is the store behind investgraph: the domain types of the
// investment graph and the queries that read and replace them, over SQLite
// (a file, the default) or PostgreSQL (a postgres:// address; see
// openPostgres and dialect.go).
package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// Store is the store. Writes go through a single connection so they never
// contend for SQLite's lock; reads use a pool of read-only connections
// beside it, which WAL mode lets run during a write. On PostgreSQL the same
// two pools are opened on the server, and writers of every process take
// turns through an advisory lock (see writeLockKey).
type Store struct {
	path  string
	write *sql.DB

	reader   atomic.Pointer[reader] // the read side over the file at path
	reopenMu sync.Mutex             // held while the reader is replaced

	statements  atomic.Int64
	version     atomic.Int64                 // changes with the data (DataVersion)
	summaries   singleflight.Group           // money summaries being computed (MoneySummary)
	revisions   revisionSignal               // closed on each revision (RevisionCommitted)
	written     atomic.Pointer[writtenGraph] // the rows the last changeset left (Revise)
	prepared    preparedStatements           // statements kept on the changeset connection
	changes     *sql.DB                      // the changeset connection (see changesetConn), opened by the first Revise
	increments  atomic.Int64                 // changesets written as a difference (Revise)
	closeView   func()                       // closes a view's connections (View)
	edgeIndexes edgeIndexes                  // the walks' relationships by data version (edgeIndexFor)
	memo        memo                         // search, timeline and aggregate results by data version (memoized)
	pg          *postgres                    // set when the store is on PostgreSQL (see openPostgres)
}

// Open opens (creating if needed) the database at path and applies any
// pending migrations. A path it cannot use gets an EINVALID error saying
// why: its directory is missing or not writable, it is a directory, it
// cannot be read and written, or it is not an SQLite database; a corrupt
// file gets one with ErrCorrupt in its chain. It is refused at once
// (ECONFLICT) while another process writes the database (see LockWriter).
//
// A path beginning postgres:// or postgresql:// is a PostgreSQL database
// instead (see openPostgres), with the same methods and behaviour.
func Open(ctx context.Context, path string) (*Store, error) {
	if IsPostgresDSN(path) {
		return openPostgres(ctx, path)
	}
	if path == "" || path == ":memory:" {
		return nil, Errorf(EINVALID, "database path %q: a file path is required", path)
	}
	if err := checkFile(path); err != nil {
		return nil, err
	}
	release, err := lockForOpening(path)
	if err != nil {
		return nil, err
	}
	defer release()
	write, err := sql.Open("sqlite", dsn(path, "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	s := &Store{path: path, write: write}
	if err = s.migrate(ctx); err == nil {
		err = checkIntegrity(ctx, write, path)
	}
	if err != nil {
		write.Close()
		return nil, openError(path, err)
	}
	// The read pool is opened after migrating so that it never sees a file
	// that is still being created.
	r, err := openReader(ctx, path)
	if err != nil {
		write.Close()
		return nil, err
	}
	s.reader.Store(r)
	return s, nil
}

// dsn builds a modernc.org/sqlite DSN. Pragmas go in the DSN because they are
// per connection: every connection the pool opens gets them.
func dsn(path string, extra ...string) string {
	params := []string{
		"_pragma=foreign_keys(1)",
		"_pragma=busy_timeout(5000)",
		"_pragma=journal_mode(wal)",
		"_pragma=synchronous(normal)",
	}
	// A pragma in extra replaces the default of the same name.
	for _, e := range extra {
		name, _, _ := strings.Cut(e, "(")
		params = slices.DeleteFunc(params, func(p string) bool { return strings.HasPrefix(p, name+"(") })
	}
	params = append(params, extra...)
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + strings.Join(params, "&")
}

// Close closes both connection pools.
func (s *Store) Close() error {
	if s.closeView != nil {
		s.closeView()
		return nil
	}
	s.stopListening()
	var errs []error
	if r := s.reader.Load(); r != nil {
		errs = append(errs, r.close())
	}
	errs = append(errs, s.prepared.close(), s.write.Close())
	if s.changes != nil {
		errs = append(errs, s.changes.Close())
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.queryRow(ctx, `SELECT 1`).Scan(&one)
}

// Statements returns how many SQL statements the store has run since it
// was opened.
func (s *Store) Statements() int64 { return s.statements.Load() }

// migrate applies the embedded migrations that the database has not recorded,
// each in its own transaction. Migrations are numbered and forward-only.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name    TEXT NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	dir := s.migrationDir()
	names, err := fs.Glob(migrationFS, dir+"*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	versions := make([]int, len(names))
	for i, name := range names {
		base := strings.TrimPrefix(name, dir)
		if versions[i], err = strconv.Atoi(strings.SplitN(base, "_", 2)[0]); err != nil {
			return fmt.Errorf("migration %s: name must start with a number", base)
		}
	}
	applied := map[int]bool{}
	rows, err := s.write.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	// The statements deriving data are today's, which read the tables of
	// every migration: of the pending migrations with data, only the last
	// derives it, once its tables exist.
	last := 0
	for _, v := range versions {
		if !applied[v] && migrationData[v] != nil && s.pg == nil {
			last = v
		}
	}
	for i, name := range names {
		var data []string
		if versions[i] == last {
			data = migrationData[last]
		}
		if err := s.applyMigration(ctx, versions[i], name, data); err != nil {
			return fmt.Errorf("migration %s: %w", strings.TrimPrefix(name, dir), err)
		}
	}
	return nil
}

// migrationData holds, by migration version, the statements that derive a
// new table's rows from the data already loaded, run after the migration's
// SQL in its transaction: they are the ones Replace runs, kept in one place.
// Each later entry derives everything an earlier one does.
var migrationData = map[int][]string{
	3: dealFactsStatements,
	4: statisticsStatements,
	5: derivedStatements,
	7: derivedStatements,
	9: derivedStatements,
}

// migrationDir is the directory of the migrations of s's engine.
func (s *Store) migrationDir() string {
	if s.pg != nil {
		return "migrations/postgres/"
	}
	return "migrations/"
}

func (s *Store) applyMigration(ctx context.Context, version int, name string, data []string) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return nil
	}
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return err
	}
	if s.pg != nil {
		body = append([]byte(pgVerbatim), body...)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if err := execAll(ctx, tx, data); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, version, name); err != nil {
		return err
	}
	return tx.Commit()
}

// counter counts the statements run on behalf of one request.
type counter struct{ n atomic.Int64 }

type counterKey struct{}

// WithStatementCounter returns a context that counts the SQL statements the
// store runs on its behalf; StatementCount reads the count.
func WithStatementCounter(ctx context.Context) context.Context {
	return context.WithValue(ctx, counterKey{}, &counter{})
}

// StatementCount returns the number of statements run under ctx since
// WithStatementCounter, or 0 if ctx carries no counter.
func StatementCount(ctx context.Context) int64 {
	if c, ok := ctx.Value(counterKey{}).(*counter); ok {
		return c.n.Load()
	}
	return 0
}

func (s *Store) count(ctx context.Context) {
	s.statements.Add(1)
	if c, ok := ctx.Value(counterKey{}).(*counter); ok {
		c.n.Add(1)
	}
}

// query runs a read, in ctx's snapshot if it has one (WithSnapshot), or
// in ctx's view (WithView).
func (s *Store) query(ctx context.Context, query string, args ...any) (*readRows, error) {
	if v := s.redirect(ctx); v != nil {
		return v.query(ctx, query, args...)
	}
	s.count(ctx)
	if sn := s.snapshotOf(ctx); sn != nil {
		return sn.query(ctx, query, args...)
	}
	r := s.reader.Load()
	var rows *sql.Rows
	var err error
	if st := r.prepared.get(ctx, r.pool, query); st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = r.pool.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return nil, err
	}
	return &readRows{Rows: rows}, nil
}

// queryRow runs a read of one row, in ctx's snapshot if it has one.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	if v := s.redirect(ctx); v != nil {
		return v.queryRow(ctx, query, args...)
	}
	s.count(ctx)
	if sn := s.snapshotOf(ctx); sn != nil {
		return snapshotRow{sn: sn, ctx: ctx, query: query, args: args}
	}
	r := s.reader.Load()
	if st := r.prepared.get(ctx, r.pool, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.pool.QueryRowContext(ctx, query, args...)
}

// readRows are the rows of a read. Under a snapshot, their statement is
// given back once they are read to the end or closed.
// On PostgreSQL, a read under a snapshot is read whole (buf; see
// queryBuffered).
type readRows struct {
	*sql.Rows
	sn  *snapshot
	ss  *snapshotStmt
	buf *bufferedRows
}

// Next prepares the next row, as sql.Rows.Next does.
func (r *readRows) Next() bool {
	if r.buf != nil {
		r.buf.next++
		return r.buf.next <= len(r.buf.rows)
	}
	if r.Rows.Next() {
		return true
	}
	r.done()
	return false
}

// Scan copies the columns of the current row into dest, as sql.Rows.Scan
// does.
func (r *readRows) Scan(dest ...any) error {
	if r.buf != nil {
		return r.buf.scan(dest)
	}
	return r.Rows.Scan(dest...)
}

// Err returns the error that ended the rows, if any.
func (r *readRows) Err() error {
	if r.buf != nil {
		return nil
	}
	return r.Rows.Err()
}

// Close closes the rows.
func (r *readRows) Close() error {
	if r.buf != nil {
		return nil
	}
	err := r.Rows.Close()
	r.done()
	return err
}

func (r *readRows) done() {
	if r.sn != nil {
		r.sn.release(r.ss)
		r.sn = nil
	}
}

// maxPreparedStatements bounds the statement cache. The store's statement
// texts are constants and a few variants of each list query, far fewer.
const maxPreparedStatements = 512

// statementCache keeps the read pool's statements prepared. Parsing and
// planning a statement costs more than running one of these lookups, and
// database/sql prepares a cached statement once per connection.
type statementCache struct {
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// get returns the prepared statement for query, preparing it on first use,
// or nil when it cannot be cached (the cache is full, or preparing failed:
// running the query unprepared then reports the error).
func (c *statementCache) get(ctx context.Context, pool *sql.DB, query string) *sql.Stmt {
	c.mu.RLock()
	st, ok := c.stmts[query]
	full := len(c.stmts) >= maxPreparedStatements
	c.mu.RUnlock()
	if ok || full {
		return st
	}
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.stmts[query]; ok {
		st.Close()
		return prev
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st
}

func (c *statementCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// rowScanner is what *sql.Rows and *sql.Row have in common.
type rowScanner interface {
	Scan(dest ...any) error
}

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, s *Store, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// queryGrouped runs a query whose first column is a key and groups the
// values scan makes of the remaining columns by it, keeping row order.
func queryGrouped[T any](ctx context.Context, s *Store, scan func(r rowScanner, key *int64) (T, error), query string, args ...any) (map[int64][]T, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64][]T)
	for rows.Next() {
		var key int64
		v, err := scan(rows, &key)
		if err != nil {
			return nil, err
		}
		out[key] = append(out[key], v)
	}
	return out, rows.Err()
}

// idList encodes ids as a JSON array for `IN (SELECT value FROM json_each(?))`,
// which keeps one statement text for any number of keys.
func idList(ids []int64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(']')
	return b.String()
}

// byID indexes values by the id get returns, for batch lookups.
func byID[T any](vs []T, get func(T) int64) map[int64]T {
	out := make(map[int64]T, len(vs))
	for _, v := range vs {
		out[get(v)] = v
	}
	return out
}

// MigrationsDigest is a hash of every embedded migration of both engines,
// which changes whenever one is added: a database built by them once can
// be named by it and copied.
func MigrationsDigest() string {
	h := sha256.New()
	fs.WalkDir(migrationFS, "migrations", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := migrationFS.ReadFile(name)
			fmt.Fprintf(h, "%s %d\n", name, len(b))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}
