package db

import (
	"context"
	"sync"
)

// The root reads whose answer depends on the request's arguments (Search,
// Timeline, Count, MoneySummary) keep what they computed, per data version,
// in a memo: a search's whole ranked list, a subject's whole timeline, the
// counts and the money summaries, by their arguments and as-of cutoff.
// A request of the same version then takes its page of the list, or the
// summary, from memory and runs no statement. Only a snapshot whose data
// version it knew before its first read uses the memo (sharedVersion), so
// everything kept was read in a snapshot of that version; a commit moves
// the version and starts an empty memo. Lists too long to keep
// (defaultMemoList) are read by their statements every time.

// DefaultMemoMax is how many rows (list elements, with one more for each
// entry) the memo of a data version may keep by default; one that would
// pass it starts again empty. A row of a money summary, the largest kind,
// takes about 290 bytes (the summary by counterparty country at 1M
// entities: 152,713 amounts counted or left out, 43 MB of heap), so the
// memo holds at most about 60 MB, and that summary fits.
const DefaultMemoMax = 200_000

// defaultMemoList bounds the rows of one search or timeline list the memo
// keeps: a longer one (a broad search, a hub's timeline at scale) is read
// a page at a time by its statement, as without the memo.
const defaultMemoList = 2_000

// memoKey names what a memo entry holds: the kind of read, and its
// arguments and cutoff as text.
type memoKey struct {
	kind string
	args string
}

// memoEntry is a kept result and the rows it counts for; a nil val marks a
// list too long to keep.
type memoEntry struct {
	val  any
	rows int
}

// memo keeps the results of the latest data version read.
type memo struct {
	mu      sync.Mutex
	max     int // 0: DefaultMemoMax; negative: no memo
	list    int // the longest list kept; 0: defaultMemoList
	version int64
	rows    int
	entries map[memoKey]memoEntry
}

// SetMemoMax sets how many rows the per-version memo of search, timeline
// and aggregate results may keep (DefaultMemoMax when 0); a negative n turns
// it off, so that every such read runs its statements.
func (s *Store) SetMemoMax(n int) {
	s.memo.mu.Lock()
	defer s.memo.mu.Unlock()
	s.memo.max = n
	s.memo.entries, s.memo.rows = nil, 0
}

// sharedVersion returns the data version of ctx's snapshot when the
// structures shared between requests of one version (the memo, the edge
// index) may serve reads under ctx: the snapshot knew its version from its
// first read (ReadVersion began it), and the reads go to s, not to a view
// ctx carries. It never begins the snapshot: a request that does not ask
// for its version (one without a read model) reads by statements only.
func (s *Store) sharedVersion(ctx context.Context) (int64, bool) {
	if s.redirect(ctx) != nil {
		return 0, false
	}
	sn := s.snapshotOf(ctx)
	if sn == nil {
		return 0, false
	}
	return sn.knownVersion()
}

// recall returns the memo's entry for k under ctx's version, whether there
// is one, and whether the memo may serve ctx at all (see sharedVersion).
func (s *Store) recall(ctx context.Context, k memoKey) (e memoEntry, found, usable bool) {
	version, ok := s.sharedVersion(ctx)
	if !ok {
		return memoEntry{}, false, false
	}
	m := &s.memo
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.max < 0 || version < m.version {
		return memoEntry{}, false, false
	}
	if version > m.version {
		m.entries, m.rows, m.version = nil, 0, version
	}
	e, found = m.entries[k]
	return e, found, true
}

// keep stores e under k for ctx's version, unless the memo has moved on to
// a later version meanwhile or e alone passes the memo's bound; a memo that
// would pass its bound starts again.
func (s *Store) keep(ctx context.Context, k memoKey, e memoEntry) {
	version, ok := s.sharedVersion(ctx)
	if !ok {
		return
	}
	m := &s.memo
	m.mu.Lock()
	defer m.mu.Unlock()
	max := m.max
	if max == 0 {
		max = DefaultMemoMax
	}
	if max < 0 || version < m.version || e.rows+1 > max {
		return
	}
	if version > m.version || m.entries == nil || m.rows+e.rows+1 > max {
		m.entries, m.rows, m.version = map[memoKey]memoEntry{}, 0, version
	}
	if _, ok := m.entries[k]; !ok {
		m.entries[k] = e
		m.rows += e.rows + 1
	}
}

// memoized returns what read computes for k, from the memo when it holds
// it, keeping what read computes when the memo may serve ctx; read returns
// the result and the rows it counts for.
func memoized[T any](ctx context.Context, s *Store, k memoKey, read func() (T, int, error)) (T, error) {
	e, found, usable := s.recall(ctx, k)
	if found {
		return e.val.(T), nil
	}
	v, rows, err := read()
	if err == nil && usable {
		s.keep(ctx, k, memoEntry{val: v, rows: rows})
	}
	return v, err
}

// memoizedList returns the whole list k names, from the memo when it holds
// it, or by readAll when the memo may serve ctx and the list has not been
// found too long to keep; ok is false when the caller is to read its page
// by its own statements instead. readAll reads at most limit rows and
// returns them, or false when the list has more, which the memo then
// remembers.
func memoizedList[T any](ctx context.Context, s *Store, k memoKey, readAll func(limit int) ([]T, bool, error)) (list []T, ok bool, err error) {
	e, found, usable := s.recall(ctx, k)
	switch {
	case found && e.val != nil:
		return e.val.([]T), true, nil
	case found || !usable:
		return nil, false, nil
	}
	list, fits, err := readAll(s.memoList())
	if err != nil {
		return nil, false, err
	}
	if !fits {
		s.keep(ctx, k, memoEntry{})
		return nil, false, nil
	}
	s.keep(ctx, k, memoEntry{val: list, rows: len(list)})
	return list, true, nil
}

// memoList returns the most rows of one list the memo keeps.
func (s *Store) memoList() int {
	s.memo.mu.Lock()
	defer s.memo.mu.Unlock()
	if s.memo.list > 0 {
		return s.memo.list
	}
	return defaultMemoList
}

// window returns the page of list that offset and limit select, as SQL's
// LIMIT and OFFSET do: a negative limit means no limit, a negative offset
// none.
func window[T any](list []T, offset, limit int) []T {
	offset = min(max(offset, 0), len(list))
	end := len(list)
	if limit >= 0 && limit < end-offset {
		end = offset + limit
	}
	return list[offset:end]
}
