package db

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// A view is a read-only store of the graph as it stood at some point of
// the database's history (after a revision): built in memory from a
// dataset, with the revisions up to that point, and read like any store.
// Reads under a context that carries a view (WithView) go to it, whichever
// store they are made on, so the resolvers and loaders beneath a scope
// read the view without being told.

type viewKey struct{}

// WithView returns a context under which every read of any store goes to
// the view v instead; a nil v ends an outer view's scope.
func WithView(ctx context.Context, v *Store) context.Context {
	return context.WithValue(ctx, viewKey{}, v)
}

// ViewOf returns the view reads under ctx go to, or nil.
func ViewOf(ctx context.Context) *Store {
	v, _ := ctx.Value(viewKey{}).(*Store)
	return v
}

// redirect returns the view that reads of s under ctx go to, or nil.
func (s *Store) redirect(ctx context.Context) *Store {
	if v := ViewOf(ctx); v != nil && v != s {
		return v
	}
	return nil
}

var viewCount atomic.Int64

// viewConns are a view's connections, closed once: by Close, or when the
// view is no longer reachable.
type viewConns struct {
	once  sync.Once
	read  *reader
	write *sql.DB
}

func (c *viewConns) close() {
	c.once.Do(func() {
		c.read.close()
		c.write.Close()
	})
}

// View builds a view holding d and the revisions of s up to the id upTo
// (with what each changed), for the graph as it stood after that revision.
// It lives in memory (SQLite's memdb) and closes itself once nothing
// refers to it any more, so a cache may drop it while requests still read
// it; Close frees it at once.
func (s *Store) View(ctx context.Context, d *Dataset, upTo int64) (*Store, error) {
	// The revisions are read from s itself, not from a view ctx may carry.
	ctx = WithView(ctx, nil)
	revs, err := queryAll(ctx, s, scanRows(11), `SELECT id, kind, author, created_at, message, source_slug, added, changed,
		idempotency_key, body, touched FROM revisions WHERE id <= ? ORDER BY id`, upTo)
	if err != nil {
		return nil, fmt.Errorf("view: %w", err)
	}
	changes, err := queryAll(ctx, s, scanRows(5), `SELECT revision_id, node_type, node_slug, added, changed
		FROM revision_changes WHERE revision_id <= ? ORDER BY revision_id, node_type, node_slug`, upTo)
	if err != nil {
		return nil, fmt.Errorf("view: %w", err)
	}
	name := fmt.Sprintf("/investgraph-view-%d", viewCount.Add(1))
	file := "file:" + name + "?vfs=memdb"
	write, err := sql.Open("sqlite", file+"&_pragma=foreign_keys(1)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("view: %w", err)
	}
	write.SetMaxOpenConns(1)
	v := &Store{path: name, write: write}
	// The schema comes from a migrated empty database, copied: running
	// the migrations takes longer than loading the seed.
	if err := copySchema(ctx, write, file); err != nil {
		write.Close()
		return nil, fmt.Errorf("view: %w", err)
	}
	if err := v.migrate(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("view: %w", err)
	}
	if err := v.replaceWith(ctx, d, loadSettings); err != nil {
		write.Close()
		return nil, fmt.Errorf("view: %w", err)
	}
	if err := copyRows(ctx, write, `INSERT INTO revisions (id, kind, author, created_at, message, source_slug, added, changed,
		idempotency_key, body, touched) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, revs); err != nil {
		write.Close()
		return nil, fmt.Errorf("view: %w", err)
	}
	if err := copyRows(ctx, write, `INSERT INTO revision_changes (revision_id, node_type, node_slug, added, changed)
		VALUES (?, ?, ?, ?, ?)`, changes); err != nil {
		write.Close()
		return nil, fmt.Errorf("view: %w", err)
	}
	pool, err := sql.Open("sqlite", file+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("view: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	pool.SetMaxOpenConns(n + 2)
	pool.SetMaxIdleConns(n + 2)
	r := &reader{pool: pool, slots: make(chan struct{}, n), done: make(chan struct{})}
	v.reader.Store(r)
	conns := &viewConns{read: r, write: write}
	v.closeView = conns.close
	runtime.AddCleanup(v, func(c *viewConns) { c.close() }, conns)
	return v, nil
}

// scanRows scans rows of n columns as they are.
func scanRows(n int) func(rowScanner) ([]any, error) {
	return func(r rowScanner) ([]any, error) {
		vals := make([]any, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		return vals, r.Scan(ptrs...)
	}
}

// copyRows inserts rows with insert in one transaction.
func copyRows(ctx context.Context, conn *sql.DB, insert string, rows [][]any) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, insert)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, row := range rows {
		if _, err := st.ExecContext(ctx, row...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// viewSchema is an empty in-memory database with every migration applied,
// which each view starts as a copy of; opened once, and kept.
var viewSchema struct {
	once sync.Once
	conn *sql.DB
	err  error
}

// copySchema fills the empty in-memory database file, open on conn, with
// a copy of viewSchema.
func copySchema(ctx context.Context, conn *sql.DB, file string) error {
	viewSchema.once.Do(func() {
		c, err := sql.Open("sqlite", "file:/investgraph-view-schema?vfs=memdb&_txlock=immediate")
		if err == nil {
			c.SetMaxOpenConns(1)
			c.SetConnMaxLifetime(0)
			c.SetConnMaxIdleTime(0)
			err = (&Store{path: "/investgraph-view-schema", write: c}).migrate(context.Background())
		}
		viewSchema.conn, viewSchema.err = c, err
	})
	if viewSchema.err != nil {
		return viewSchema.err
	}
	if err := conn.PingContext(ctx); err != nil {
		return err
	}
	_, err := viewSchema.conn.ExecContext(ctx, `VACUUM INTO ?`, file)
	return err
}
