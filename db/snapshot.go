package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// reader is the read side of the store over one database file: a pool of
// read-only connections with their prepared statements, and one connection
// of it that watches the file for commits (see Store.DataVersion).
//
// A snapshot (WithSnapshot) holds one of the pool's connections for as long
// as it lasts, so the number of open snapshots is bounded by slots, and the
// pool has two connections more: the watch, and one for the statements that
// run outside a snapshot and for preparing statements, which therefore never
// wait for a snapshot to end.
type reader struct {
	pool     *sql.DB
	prepared statementCache
	file     os.FileInfo // the file the pool was opened on

	slots   chan struct{} // one token per open snapshot
	retired atomic.Bool   // replaced by a reader over a new file
	done    chan struct{} // closed once retired and closed

	watchMu sync.Mutex
	watch   *sql.Conn
	version *sql.Stmt // PRAGMA data_version, prepared on watch
	seen    int64     // its last value
}

// dataVersionTimeout bounds one look at the data version.
const dataVersionTimeout = 5 * time.Second

// openReader opens the read side over path.
func openReader(ctx context.Context, path string) (*reader, error) {
	// The file is looked at before it is opened: if it is replaced in
	// between, the pool reads the new file while file names the old one,
	// and the next look opens the new file again, which is harmless. The
	// other order could miss the replacement for good.
	file, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	pool, err := sql.Open("sqlite", dsn(path, "_pragma=query_only(1)"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// A snapshot holds its connection for the whole request, including
	// the time spent in Go between statements, so there are several per
	// core: the few requests one client may have running at once
	// (-max-in-flight) cannot take them all.
	n := max(16, runtime.GOMAXPROCS(0)*4)
	pool.SetMaxOpenConns(n + 2)
	pool.SetMaxIdleConns(n + 2)
	return &reader{pool: pool, file: file, slots: make(chan struct{}, n), done: make(chan struct{})}, nil
}

// changedLocked reports whether a commit has been made to the file since the
// last call, reading PRAGMA data_version on the watch connection: SQLite
// changes it whenever another connection, of this process or another one,
// commits; r.watchMu is held. The first call opens the watch connection and reports no
// change: until then there was nothing to compare with, and a store about
// to be loaded with LoadNew must not hold the file open before it is.
func (r *reader) changedLocked(ctx context.Context) (bool, error) {
	first := r.watch == nil
	if first {
		conn, err := r.pool.Conn(ctx)
		if err != nil {
			return false, err
		}
		st, err := conn.PrepareContext(ctx, `PRAGMA data_version`)
		if err != nil {
			conn.Close()
			return false, err
		}
		r.watch, r.version = conn, st
	}
	var v int64
	if err := r.version.QueryRowContext(ctx).Scan(&v); err != nil {
		return false, err
	}
	changed := !first && v != r.seen
	r.seen = v
	return changed, nil
}

// replaced reports whether path now names another file than the one r
// reads, as when a new database was renamed into its place: r's
// connections keep reading the old one.
func (r *reader) replaced(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !os.SameFile(st, r.file)
}

// acquire takes a snapshot slot of the store's current reader, waiting for
// one while ctx allows.
func (s *Store) acquire(ctx context.Context) (*reader, error) {
	for {
		r := s.reader.Load()
		select {
		case r.slots <- struct{}{}:
			if !r.retired.Load() {
				return r, nil
			}
			<-r.slots // replaced meanwhile: take the new one
		case <-r.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// retire closes r once the snapshots open on it have ended.
func (r *reader) retire() {
	r.retired.Store(true)
	for range cap(r.slots) {
		r.slots <- struct{}{}
	}
	r.close()
	close(r.done)
}

func (r *reader) close() error {
	r.prepared.close()
	r.watchMu.Lock()
	if r.watch != nil {
		r.version.Close()
		r.watch.Close()
	}
	r.watchMu.Unlock()
	return r.pool.Close()
}

// DataVersion returns a number that changes whenever the database's data
// does, so that caches of what was read from it know when to drop it. It
// follows every commit to the file, whichever process or connection made
// it, and a new file renamed into the database's place, which it opens for
// the reads that follow.
//
// The number is SQLite's own PRAGMA data_version, read on a connection
// kept for it: SQLite changes it on every commit another connection makes,
// so no writer has to remember to, and nothing is written to read it. A
// new file renamed into place is seen by the file's identity (device and
// inode) changing, as the connections open on the old file cannot see it.
// Each call looks at both, for a few microseconds: a change committed
// before the call is always seen.
func (s *Store) DataVersion() int64 {
	if s.pg != nil {
		return s.pgDataVersion()
	}
	r := s.reader.Load()
	if r.replaced(s.path) {
		s.reopen(r)
		return s.version.Load()
	}
	// The pragma only reads the file's header: it runs with no deadline,
	// which spares setting one up for each look.
	ctx := context.Background()
	// An error counts as a change: the caches start again rather than
	// serve what they may no longer know to be current. The version moves
	// before the watch is released, so a concurrent call that saw no
	// change of its own returns the moved version.
	r.watchMu.Lock()
	defer r.watchMu.Unlock()
	if changed, err := r.changedLocked(ctx); changed || err != nil {
		s.version.Add(1)
	}
	return s.version.Load()
}

// reopen replaces the reader old, whose file has been replaced, by one
// over the file now at the store's path. Snapshots open on old go on
// reading it until they end. If the new file cannot be opened, old stays.
func (s *Store) reopen(old *reader) {
	s.reopenMu.Lock()
	defer s.reopenMu.Unlock()
	if s.reader.Load() != old {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), dataVersionTimeout)
	defer cancel()
	r, err := openReader(ctx, s.path)
	if err != nil {
		return
	}
	s.reader.Store(r)
	s.version.Add(1)
	go old.retire()
}

// errSnapshotEnded is returned for a read under a snapshot that has ended.
var errSnapshotEnded = errors.New("read after the request's snapshot ended")

type snapshotKey struct{}

// snapshot is one read transaction, begun by the first read under its
// context and ended by the function WithSnapshot returned.
type snapshot struct {
	store *Store
	ctx   context.Context

	mu      sync.Mutex
	r       *reader
	tx      *sql.Tx
	version int64 // the data version it reads, or -1 if not known
	err     error // why it could not begin
	ended   bool
	stmts   map[string][]*snapshotStmt
}

// snapshotStmt is a statement prepared on a snapshot's connection. A
// statement runs once at a time: its rows are read from the statement
// itself, so a second read of the same text while the first one's rows
// are open gets a statement of its own.
type snapshotStmt struct {
	st   *sql.Stmt
	busy bool
}

// WithSnapshot returns a context under which every read of s sees the same
// snapshot of the database, whatever is committed meanwhile, and a function
// that ends it, to call once the reads are done. Nothing is read until the
// first statement runs; it then begins a read transaction (WAL lets
// writers commit beside it) on a connection kept for the snapshot. Reads
// under the context may run from several goroutines at once, and while
// other rows are open: they take turns on the connection, one SQLite call
// at a time, and a read of a statement whose rows are still open gets a
// statement of its own. Under a context that already has a snapshot of s,
// WithSnapshot returns that one and a function that does nothing.
//
// The transaction's own statements (begin and end, and the first read
// that fixes the snapshot when its data version is wanted) are not counted
// by Statements or StatementCount.
func (s *Store) WithSnapshot(ctx context.Context) (context.Context, func()) {
	if sn, ok := ctx.Value(snapshotKey{}).(*snapshot); ok && sn.store == s {
		return ctx, func() {}
	}
	sn := &snapshot{store: s, ctx: ctx}
	return context.WithValue(ctx, snapshotKey{}, sn), sn.end
}

// snapshotOf returns the snapshot of s that ctx carries, if any.
func (s *Store) snapshotOf(ctx context.Context) *snapshot {
	if sn, ok := ctx.Value(snapshotKey{}).(*snapshot); ok && sn.store == s {
		return sn
	}
	return nil
}

// snapshotFirstRead is the statement that fixes a snapshot when its data
// version is wanted: BEGIN is deferred, and the read transaction starts
// with the first statement that reads the file.
const snapshotFirstRead = `SELECT count(*) FROM schema_migrations`

// begin starts the read transaction; sn.mu is held. Its first statement
// fixes the snapshot. When the data version it reads is wanted, begin
// fixes it at once, between two looks at the data version: if they agree,
// no commit came in between, and the snapshot reads that version. Otherwise
// the version stays unknown (-1), which spares the looks and the first
// read to the requests that do not need it.
func (sn *snapshot) begin(wantVersion bool) error {
	switch {
	case sn.ended:
		return errSnapshotEnded
	case sn.tx != nil:
		return nil
	case sn.err != nil:
		return sn.err
	}
	s := sn.store
	if s.pg != nil {
		return sn.beginPostgres(wantVersion)
	}
	var before int64
	if wantVersion {
		before = s.DataVersion()
	}
	r, err := s.acquire(sn.ctx)
	if err != nil {
		sn.err = err
		return err
	}
	tx, err := r.pool.BeginTx(sn.ctx, nil)
	if err == nil && wantVersion {
		// Prepared once per connection, as every statement is: parsing
		// it for each request cost as much as the rest of the begin.
		var n int
		var row *sql.Row
		if ps := r.prepared.get(sn.ctx, r.pool, snapshotFirstRead); ps != nil {
			row = tx.StmtContext(sn.ctx, ps).QueryRowContext(sn.ctx)
		} else {
			row = tx.QueryRowContext(sn.ctx, snapshotFirstRead)
		}
		if err = row.Scan(&n); err != nil {
			tx.Rollback()
		}
	}
	if err != nil {
		<-r.slots
		sn.err = fmt.Errorf("begin snapshot: %w", err)
		return sn.err
	}
	sn.version = -1
	if wantVersion && s.DataVersion() == before {
		sn.version = before
	}
	sn.r, sn.tx, sn.stmts = r, tx, map[string][]*snapshotStmt{}
	return nil
}

// stmt returns a statement of the snapshot for query that no read is
// using, beginning the snapshot if it has not begun; release gives it back.
func (sn *snapshot) stmt(ctx context.Context, query string) (*snapshotStmt, error) {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if err := sn.begin(false); err != nil {
		return nil, err
	}
	for _, ss := range sn.stmts[query] {
		if !ss.busy {
			ss.busy = true
			return ss, nil
		}
	}
	// A statement the pool has prepared is reused on the snapshot's
	// connection, prepared there once for all the snapshots that use it;
	// the transaction finds the same one every time, so a second one at
	// once is prepared for the snapshot alone.
	var st *sql.Stmt
	if ps := sn.r.prepared.get(ctx, sn.r.pool, query); ps != nil && len(sn.stmts[query]) == 0 {
		st = sn.tx.StmtContext(ctx, ps)
	} else {
		var err error
		if st, err = sn.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	ss := &snapshotStmt{st: st, busy: true}
	if ctx.Err() == nil {
		sn.stmts[query] = append(sn.stmts[query], ss)
	}
	return ss, nil
}

// release gives back a statement stmt returned.
func (sn *snapshot) release(ss *snapshotStmt) {
	sn.mu.Lock()
	ss.busy = false
	sn.mu.Unlock()
}

// dataVersion returns the data version the snapshot reads, beginning it if
// needed, and false if it is not known (it began without looking).
func (sn *snapshot) dataVersion() (int64, bool) {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if sn.begin(true) != nil || sn.version < 0 {
		return 0, false
	}
	return sn.version, true
}

// knownVersion returns the data version the snapshot reads if it began
// knowing it, without beginning it.
func (sn *snapshot) knownVersion() (int64, bool) {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if sn.tx == nil || sn.version < 0 {
		return 0, false
	}
	return sn.version, true
}

// end ends the read transaction, if it began. The transaction waits for
// the rows still being read, outside sn.mu, so that the reads in progress
// can finish.
func (sn *snapshot) end() {
	sn.mu.Lock()
	tx, r := sn.tx, sn.r
	sn.ended, sn.tx, sn.stmts = true, nil, nil
	sn.mu.Unlock()
	if tx != nil {
		tx.Rollback()
		<-r.slots
	}
}

// snapshotError explains an error of a read under sn: once the request's
// context is done, the transaction is gone, and the context says why.
func snapshotError(ctx context.Context, err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return errSnapshotEnded
	}
	return err
}

// query runs a read in the snapshot.
func (sn *snapshot) query(ctx context.Context, query string, args ...any) (*readRows, error) {
	if sn.store.pg != nil {
		return sn.queryBuffered(ctx, query, args...)
	}
	ss, err := sn.stmt(ctx, query)
	if err != nil {
		return nil, snapshotError(ctx, err)
	}
	rows, err := ss.st.QueryContext(ctx, args...)
	if err != nil {
		sn.release(ss)
		return nil, snapshotError(ctx, err)
	}
	return &readRows{Rows: rows, sn: sn, ss: ss}, nil
}

// snapshotRow is a row to read under a snapshot, read when scanned.
type snapshotRow struct {
	sn    *snapshot
	ctx   context.Context
	query string
	args  []any
}

func (r snapshotRow) Scan(dest ...any) error {
	if r.sn.store.pg != nil {
		return r.sn.scanBuffered(r.ctx, r.query, r.args, dest)
	}
	ss, err := r.sn.stmt(r.ctx, r.query)
	if err != nil {
		return snapshotError(r.ctx, err)
	}
	defer r.sn.release(ss)
	return snapshotError(r.ctx, ss.st.QueryRowContext(r.ctx, r.args...).Scan(dest...))
}

// readVersion names the version of the data reads under ctx see, for
// sharing what is computed from them: the snapshot's data version, or,
// when that is not known, the snapshot itself, which nothing else reads.
func (s *Store) readVersion(ctx context.Context) string {
	if v := s.redirect(ctx); v != nil {
		return fmt.Sprintf("w%p.", v) + v.readVersion(ctx) // a view's versions are its own
	}
	sn := s.snapshotOf(ctx)
	if sn == nil {
		return fmt.Sprintf("v%d", s.DataVersion())
	}
	if v, ok := sn.dataVersion(); ok {
		return fmt.Sprintf("v%d", v)
	}
	return fmt.Sprintf("s%p", sn)
}

// ReadVersion returns the data version the reads under ctx see, for caches
// shared between requests that read the same data: the version of ctx's
// snapshot, which it begins now if no statement has begun it yet. It
// returns false when the version cannot be known: ctx has no snapshot (its
// reads may each see another version), a commit came in while the snapshot
// began, or the snapshot began without looking. A snapshot that knows its
// version also lets the store serve reads under ctx from what it keeps per
// version (the walks' edge index, the memo of searches, timelines and
// aggregates); one begun without looking reads by statements only.
func (s *Store) ReadVersion(ctx context.Context) (int64, bool) {
	sn := s.snapshotOf(ctx)
	if sn == nil {
		return 0, false
	}
	return sn.dataVersion()
}
