package db

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Revision is one changeset as it was applied through the API: who sent it
// (a token's name), when, why, the source it brought, and how many objects
// it added to the graph and changed in it.
type Revision struct {
	ID             int64
	Kind           RevisionKind
	Author         string
	CreatedAt      time.Time
	Message        string
	SourceSlug     string
	Added          int
	Changed        int
	IdempotencyKey *string
	// Touched are the objects the revision added or changed, its source
	// first.
	Touched []SlugRef
	// Changes says what it changed in each object it touched; recorded
	// when it is stored, not read back with it (see FindNodeHistories).
	Changes []NodeChange
}

// RevisionKind says what a revision did: apply a changeset or retract a
// fact.
type RevisionKind string

// The kinds of revisions.
const (
	RevisionChangeset  RevisionKind = "changeset"
	RevisionRetraction RevisionKind = "retraction"
)

// LoggedRevision is a revision of the log as a ChangeRequest's Build
// replays it: its id, kind and body (a changeset's seed text, a
// retraction's RetractionBody).
type LoggedRevision struct {
	ID   int64
	Kind RevisionKind
	Body string
}

// SlugRef names an object of the graph by its type name (as NodeRef's
// Type) and slug, which outlive row ids.
type SlugRef struct {
	Type string
	Slug string
}

// Change is what a changeset makes of the graph: the whole graph after it,
// and the revision to record (its ID and time are set when it is stored).
type Change struct {
	Dataset  *Dataset
	Revision Revision
}

// ChangeRequest is a revision to make: its kind (a changeset when empty),
// author, message and idempotency key, its body, and Build, which makes the
// graph after it from the revisions before it, oldest first, given the id
// the new revision will have. Build runs while the store holds the write
// lock, so no other revision comes in between.
type ChangeRequest struct {
	Kind           RevisionKind
	Author         string
	Message        string
	IdempotencyKey string // "" for none
	Body           string
	Build          func(prior []LoggedRevision, next int64) (*Change, error)
}

// RevisionFilter selects revisions, oldest first: those after the id
// After, by Author and of Source when set, at most Limit (all when 0).
type RevisionFilter struct {
	After  int64
	Author *string
	Source *string
	Limit  int
}

// changesetSettings are the settings of the changeset connection, in its
// DSN so that they never change: loadSettings' foreign keys off (Revise
// checks the references of the whole dataset, checkReferences) and
// synchronous=FULL: in WAL mode the store otherwise syncs at checkpoints
// only (synchronous=NORMAL), so a commit is safe from a killed process but
// not from a power loss; FULL syncs the WAL before a changeset is
// acknowledged. Changing foreign_keys on a connection makes SQLite prepare
// its kept statements again, which cost 15% of a changeset's CPU when the
// write connection switched it around every changeset.
var changesetSettings = []string{"_txlock=immediate", "_pragma=foreign_keys(0)", "_pragma=synchronous(full)"}

// changesetCache is the page cache of the changeset connection while it
// writes, as loadSettings' for a load (a cache size does not make SQLite
// prepare statements again).
var changesetCache = [2]string{`PRAGMA cache_size = -1048576`, `PRAGMA cache_size = -2000`}

// changesetConn returns the connection changesets are written on, opening
// it on first use; reviseMu is held.
func (s *Store) changesetConn() (*sql.DB, error) {
	if s.changes != nil {
		return s.changes, nil
	}
	if s.pg != nil {
		// One write connection on PostgreSQL: the settings SQLite's
		// changeset connection has are SQLite's.
		return s.write, nil
	}
	c, err := sql.Open("sqlite", dsn(s.path, changesetSettings...))
	if err != nil {
		return nil, err
	}
	c.SetMaxOpenConns(1)
	c.SetConnMaxIdleTime(0)
	c.SetConnMaxLifetime(0)
	s.changes = c
	return c, nil
}

// reviseMu keeps one changeset of this process at a time on the write
// connection, whose settings a changeset changes for its duration.
var reviseMu sync.Mutex

// Revise applies a changeset in one transaction on the write connection:
// the graph becomes the dataset req.Build makes, and the revision is
// recorded, or nothing changes at all. A request whose idempotency key an
// earlier revision has returns that revision with replayed set and changes
// nothing, provided it carries the same text; another text under the same
// key is EINVALID. A graph that would lose a source the database holds is
// refused with ECONFLICT: the database was loaded from other files than
// the changesets are applied over.
func (s *Store) Revise(ctx context.Context, req ChangeRequest) (rev *Revision, replayed bool, err error) {
	lock, err := s.lockWriter()
	if err != nil {
		return nil, false, err
	}
	defer lock.Release()
	reviseMu.Lock()
	defer reviseMu.Unlock()
	conn, err := s.changesetConn()
	if err != nil {
		return nil, false, fmt.Errorf("revise: %w", err)
	}
	if _, err := conn.ExecContext(ctx, changesetCache[0]); err != nil {
		return nil, false, fmt.Errorf("revise: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), changesetCache[1])
	if _, err := conn.ExecContext(ctx, touchedTable); err != nil {
		return nil, false, fmt.Errorf("revise: %w", err)
	}
	if err := s.prepared.prepare(ctx, conn, preparedForChangesets); err != nil {
		return nil, false, fmt.Errorf("revise: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, fmt.Errorf("revise: %w", err)
	}
	defer tx.Rollback()
	if req.IdempotencyKey != "" {
		prev, body, err := revisionByKey(ctx, tx, req.IdempotencyKey)
		switch {
		case err == nil && body == req.Body:
			return prev, true, nil
		case err == nil:
			return nil, false, &Error{Code: EINVALID, Field: "input.idempotencyKey", Message: fmt.Sprintf(
				"idempotency key %s was used by revision %d for a different changeset: send a new key with a new changeset", Quote(req.IdempotencyKey), prev.ID)}
		case !errors.Is(err, sql.ErrNoRows):
			return nil, false, fmt.Errorf("revise: %w", err)
		}
	}
	prior, err := revisionLog(ctx, tx)
	if err != nil {
		return nil, false, fmt.Errorf("revise: %w", err)
	}
	next := int64(1)
	if len(prior) > 0 {
		next = prior[len(prior)-1].ID + 1
	}
	change, err := req.Build(prior, next)
	if err != nil {
		return nil, false, err
	}
	if err := keepsSources(ctx, tx, change.Dataset); err != nil {
		return nil, false, err
	}
	if err := checkReferences(change.Dataset); err != nil {
		return nil, false, fmt.Errorf("revise: %w", err)
	}
	state, err := s.currentState(ctx, tx)
	if err != nil {
		return nil, false, fmt.Errorf("revise: %w", err)
	}
	rows := datasetRows(change.Dataset)
	// The tables are written incrementally when they hold what the last
	// changeset of this store left, and no other connection has committed
	// since; otherwise they are replaced whole. Both leave the same rows.
	err = errWriteWhole
	if was := s.written.Swap(nil); was != nil && was.at == state {
		if err = s.writeDifference(ctx, tx, was.rows, rows); err == nil {
			s.increments.Add(1)
			if err = writeTexts(ctx, tx, change.Dataset); err == nil {
				err = checkRetractions(ctx, tx)
			}
		}
	}
	if errors.Is(err, errWriteWhole) {
		err = s.replaceIn(ctx, tx, change.Dataset)
	}
	if err != nil {
		return nil, false, fmt.Errorf("revise: %w", err)
	}
	r := change.Revision
	r.ID, r.Kind = next, cmp.Or(req.Kind, RevisionChangeset)
	if r.Kind == RevisionRetraction {
		owners, err := retractionTouched(ctx, tx, change.Dataset, next)
		if err != nil {
			return nil, false, fmt.Errorf("revise: %w", err)
		}
		r.Touched = append(r.Touched, owners...)
	}
	r.Author, r.Message, r.CreatedAt = req.Author, req.Message, time.Now().UTC()
	if req.IdempotencyKey != "" {
		r.IdempotencyKey = &req.IdempotencyKey
	}
	touched, err := json.Marshal(nodeRefStrings(r.Touched))
	if err != nil {
		return nil, false, fmt.Errorf("revise: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO revisions
		(id, kind, author, created_at, message, source_slug, added, changed, idempotency_key, body, touched)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, string(r.Kind), r.Author, r.CreatedAt.Format(time.RFC3339Nano), r.Message, r.SourceSlug, r.Added, r.Changed,
		r.IdempotencyKey, req.Body, string(touched)); err != nil {
		return nil, false, fmt.Errorf("revise: record revision: %w", err)
	}
	if err := insertChanges(ctx, tx, r.ID, changesOf(r, req.Body)); err != nil {
		return nil, false, fmt.Errorf("revise: record changes: %w", err)
	}
	if err := s.published(ctx, tx, r.ID, true); err != nil {
		return nil, false, fmt.Errorf("revise: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, false, fmt.Errorf("revise: commit: %w", err)
	}
	state.revision, state.createdAt = r.ID, r.CreatedAt.Format(time.RFC3339Nano)
	if s.pg != nil {
		// The commit moved the generation by one (published), which
		// the next changeset then finds, unless another process commits.
		state.dataVersion++
	}
	s.written.Store(&writtenGraph{at: state, rows: rows})
	s.version.Add(1)
	s.revisionCommitted()
	return &r, false, nil
}

// keepsSources refuses a dataset that lacks a source the database holds.
func keepsSources(ctx context.Context, tx *sql.Tx, d *Dataset) error {
	held, err := txColumn(ctx, tx, `SELECT slug FROM sources ORDER BY id`)
	if err != nil {
		return fmt.Errorf("revise: %w", err)
	}
	kept := map[string]bool{}
	for _, src := range d.Sources {
		kept[src.Slug] = true
	}
	var lost []string
	for _, slug := range held {
		if !kept[slug] {
			lost = append(lost, slug)
		}
	}
	if len(lost) > 0 {
		return Errorf(ECONFLICT, "the database holds %d source(s) that neither the seed files nor earlier changesets give (%s): it was loaded from other files, and a changeset would drop them; reseed it from the seed first",
			len(lost), strings.Join(lost[:min(len(lost), 5)], ", "))
	}
	return nil
}

// revisionLog reads every revision's id, kind and body, oldest first.
func revisionLog(ctx context.Context, tx *sql.Tx) ([]LoggedRevision, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, kind, body FROM revisions ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LoggedRevision
	for rows.Next() {
		var l LoggedRevision
		if err := rows.Scan(&l.ID, &l.Kind, &l.Body); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func txColumn(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

const revisionColumns = `id, kind, author, created_at, message, source_slug, added, changed, idempotency_key, touched`

func revisionByKey(ctx context.Context, tx *sql.Tx, key string) (*Revision, string, error) {
	var body string
	r, err := scanRevision(tx.QueryRowContext(ctx, `SELECT `+revisionColumns+`, body FROM revisions WHERE idempotency_key = ?`, key), &body)
	return r, body, err
}

// FindRevisionByID returns the revision with the id, or ENOTFOUND.
func (s *Store) FindRevisionByID(ctx context.Context, id int64) (*Revision, error) {
	r, err := scanRevision(s.queryRow(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "revision %d", id)
	}
	return r, nil
}

// FindRevisions returns the revisions f selects, oldest first.
func (s *Store) FindRevisions(ctx context.Context, f RevisionFilter) ([]*Revision, error) {
	conds, args := []string{`id > ?`}, []any{f.After}
	if f.Author != nil {
		conds, args = append(conds, `author = ?`), append(args, *f.Author)
	}
	if f.Source != nil {
		conds, args = append(conds, `source_slug = ?`), append(args, *f.Source)
	}
	query := `SELECT ` + revisionColumns + ` FROM revisions WHERE ` + strings.Join(conds, ` AND `) + ` ORDER BY id`
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rs, err := queryAll(ctx, s, func(r rowScanner) (*Revision, error) { return scanRevision(r) }, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find revisions: %w", err)
	}
	return rs, nil
}

// LatestRevisionID returns the id of the last revision, 0 when there is
// none.
func (s *Store) LatestRevisionID(ctx context.Context) (int64, error) {
	var id int64
	if err := s.queryRow(ctx, `SELECT coalesce(max(id), 0) FROM revisions`).Scan(&id); err != nil {
		return 0, fmt.Errorf("latest revision: %w", err)
	}
	return id, nil
}

// CountRevisions counts the revisions f selects, ignoring After and Limit.
func (s *Store) CountRevisions(ctx context.Context, f RevisionFilter) (int, error) {
	conds, args := []string{`1 = 1`}, []any{}
	if f.Author != nil {
		conds, args = append(conds, `author = ?`), append(args, *f.Author)
	}
	if f.Source != nil {
		conds, args = append(conds, `source_slug = ?`), append(args, *f.Source)
	}
	var n int
	if err := s.queryRow(ctx, `SELECT count(*) FROM revisions WHERE `+strings.Join(conds, ` AND `), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count revisions: %w", err)
	}
	return n, nil
}

func scanRevision(r rowScanner, extra ...any) (*Revision, error) {
	var (
		rev              Revision
		created, touched string
		key              sql.NullString
	)
	if err := r.Scan(append([]any{&rev.ID, &rev.Kind, &rev.Author, &created, &rev.Message, &rev.SourceSlug,
		&rev.Added, &rev.Changed, &key, &touched}, extra...)...); err != nil {
		return nil, err
	}
	t, err := time.Parse(time.RFC3339Nano, created)
	if err != nil {
		return nil, fmt.Errorf("revision %d: created_at: %w", rev.ID, err)
	}
	rev.CreatedAt, rev.IdempotencyKey = t, nullString(key)
	var refs []string
	if err := json.Unmarshal([]byte(touched), &refs); err != nil {
		return nil, fmt.Errorf("revision %d: touched: %w", rev.ID, err)
	}
	for _, ref := range refs {
		typ, slug, _ := strings.Cut(ref, ":")
		rev.Touched = append(rev.Touched, SlugRef{Type: typ, Slug: slug})
	}
	return &rev, nil
}

func nodeRefStrings(refs []SlugRef) []string {
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		if s := r.Type + ":" + r.Slug; !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// revisionSignal is closed, and replaced, whenever this process commits a
// revision.
type revisionSignal struct {
	mu sync.Mutex
	ch chan struct{}
}

// RevisionCommitted returns a channel that is closed when this process
// next commits a revision. Revisions other processes commit show in
// DataVersion instead.
func (s *Store) RevisionCommitted() <-chan struct{} {
	s.revisions.mu.Lock()
	defer s.revisions.mu.Unlock()
	if s.revisions.ch == nil {
		s.revisions.ch = make(chan struct{})
	}
	return s.revisions.ch
}

func (s *Store) revisionCommitted() {
	s.revisions.mu.Lock()
	defer s.revisions.mu.Unlock()
	if s.revisions.ch != nil {
		close(s.revisions.ch)
		s.revisions.ch = nil
	}
}

// NotifyRevision wakes this process's subscribers as a commit of its own
// does (RevisionCommitted): a process that had another one commit for it,
// a writer process, knows of the revision before any poll would see it.
func (s *Store) NotifyRevision() { s.revisionCommitted() }
