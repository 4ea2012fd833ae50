package db

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// The graph's walks (Neighborhood, Paths) read one level of relationships
// per step. Within a snapshot whose data version is known, every visible
// relationship of the request's cutoff is read once per data version and
// kept in memory, by the objects it touches (edgeIndex); each level is then
// a lookup. The index holds exactly the rows edgesQuery would return, in
// the same order (edgeOrder): it is read by the same arms, with the same
// visibility conditions, without the frontier condition.

// DefaultEdgeIndexMax is how many relationships an edge index may hold by
// default; a data version with more is walked by its statements.
const DefaultEdgeIndexMax = 300_000

// maxEdgeIndexCutoffs bounds how many cutoffs of one data version keep an
// index at once.
const maxEdgeIndexCutoffs = 8

// allEdgesQuery returns every visible relationship; ?6 is the cutoff.
var allEdgesQuery = unionOf(edgeArms, func(a edgeArm) string { return a.query + a.groupBy })

// armIndex numbers the arms by the types of their rows, which tell them
// apart: (type, from type, to type) is one arm's.
var armIndex = func() map[[3]string]int {
	m := map[[3]string]int{}
	for i, a := range edgeArms {
		typ := strings.SplitN(strings.TrimPrefix(strings.TrimSpace(a.query), "SELECT '"), "'", 2)[0]
		m[[3]string{typ, a.fromType, a.toType}] = i
	}
	return m
}()

// edgeRow is a relationship as an arm returns it, with the arm's number.
type edgeRow struct {
	arm int
	r   Relationship
}

// edgeOrder is the order in which edges returns relationships: by arm,
// then by their ends' ids, label, basis and note. Rows equal by it are
// equal in every field.
func edgeOrder(a, b *edgeRow) int {
	if c := cmp.Compare(a.arm, b.arm); c != 0 {
		return c
	}
	if c := cmp.Compare(a.r.From.ID, b.r.From.ID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.r.To.ID, b.r.To.ID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.r.Label, b.r.Label); c != 0 {
		return c
	}
	if c := cmp.Compare(a.r.Basis, b.r.Basis); c != 0 {
		return c
	}
	an, bn := "", ""
	if a.r.InferenceNote != nil {
		an = "\x00" + *a.r.InferenceNote
	}
	if b.r.InferenceNote != nil {
		bn = "\x00" + *b.r.InferenceNote
	}
	return cmp.Compare(an, bn)
}

// scanEdgeRows reads the rows of an edge statement.
func scanEdgeRows(rows *readRows, max int) ([]edgeRow, error) {
	defer rows.Close()
	var out []edgeRow
	for rows.Next() {
		var (
			e     edgeRow
			basis string
			note  sql.NullString
		)
		r := &e.r
		if err := rows.Scan(&r.Type, &r.Label, &r.From.Type, &r.From.ID, &r.To.Type, &r.To.ID, &basis, &note); err != nil {
			return nil, fmt.Errorf("edges: %w", err)
		}
		r.Basis, r.InferenceNote = scanEvidence(basis, note)
		arm, ok := armIndex[[3]string{string(r.Type), r.From.Type, r.To.Type}]
		if !ok {
			return nil, fmt.Errorf("edges: no arm gives %s from %s to %s", r.Type, r.From.Type, r.To.Type)
		}
		e.arm = arm
		out = append(out, e)
		if max > 0 && len(out) > max {
			return nil, errEdgeIndexTooLarge
		}
	}
	return out, rows.Err()
}

// relationshipsOf returns the relationships of rows, in edgeOrder, of the
// bases kept, each once.
func relationshipsOf(rows []*edgeRow, bases []Basis) []*Relationship {
	seen := map[string]bool{}
	var out []*Relationship
	for _, e := range rows {
		if !KeepBasis(bases, e.r.Basis) {
			continue
		}
		if k := e.r.key(); !seen[k] {
			seen[k] = true
			r := e.r
			out = append(out, &r)
		}
	}
	return out
}

var errEdgeIndexTooLarge = fmt.Errorf("edge index: too many relationships")

// edgeIndex is every visible relationship of one data version and cutoff,
// in edgeOrder, and for each object the positions of the rows that
// edgesQuery returns for a frontier holding it.
type edgeIndex struct {
	rows []edgeRow
	at   map[NodeRef][]int32
}

func newEdgeIndex(rows []edgeRow) *edgeIndex {
	slices.SortFunc(rows, func(a, b edgeRow) int { return edgeOrder(&a, &b) })
	x := &edgeIndex{rows: rows, at: map[NodeRef][]int32{}}
	for i := range rows {
		e := &rows[i]
		x.at[e.r.From] = append(x.at[e.r.From], int32(i))
		// An undirected arm gives each relationship in both directions
		// and matches a frontier by its from end only.
		if !edgeArms[e.arm].undirected && e.r.To != e.r.From {
			x.at[e.r.To] = append(x.at[e.r.To], int32(i))
		}
	}
	return x
}

// touching returns the rows edgesQuery returns for frontier, in edgeOrder.
func (x *edgeIndex) touching(frontier []NodeRef) []*edgeRow {
	var pos []int32
	for _, n := range frontier {
		pos = append(pos, x.at[n]...)
	}
	slices.Sort(pos)
	pos = slices.Compact(pos)
	out := make([]*edgeRow, len(pos))
	for i, p := range pos {
		out[i] = &x.rows[p]
	}
	return out
}

// edgeIndexKey names an index: a data version and a cutoff.
type edgeIndexKey struct {
	version int64
	cutoff  string
}

// edgeIndexEntry is an index being built or built; ready is closed once
// idx or err is set.
type edgeIndexEntry struct {
	ready chan struct{}
	idx   *edgeIndex
	err   error
}

// edgeIndexes keeps the indexes of the latest data version read.
type edgeIndexes struct {
	mu      sync.Mutex
	max     int // 0: DefaultEdgeIndexMax; negative: no index
	version int64
	entries map[edgeIndexKey]*edgeIndexEntry
}

// SetEdgeIndexMax sets how many relationships the walks' in-memory index
// may hold (DefaultEdgeIndexMax when 0); a negative n turns it off, so
// that every level is read by a statement.
func (s *Store) SetEdgeIndexMax(n int) {
	s.edgeIndexes.mu.Lock()
	defer s.edgeIndexes.mu.Unlock()
	s.edgeIndexes.max = n
	s.edgeIndexes.entries = nil
}

// edgeIndexFor returns the index of ctx's snapshot and cutoff, building it
// in that snapshot if needed, or nil when there is none to use: no
// snapshot, its data version unknown, the index off or too large.
func (s *Store) edgeIndexFor(ctx context.Context) (*edgeIndex, error) {
	version, ok := s.ReadVersion(ctx)
	if !ok {
		return nil, nil
	}
	c := &s.edgeIndexes
	key := edgeIndexKey{version, cutoff(ctx)}
	c.mu.Lock()
	max := c.max
	if max == 0 {
		max = DefaultEdgeIndexMax
	}
	if max < 0 {
		c.mu.Unlock()
		return nil, nil
	}
	if c.entries == nil || version > c.version {
		c.entries, c.version = map[edgeIndexKey]*edgeIndexEntry{}, version
	}
	e, ok := c.entries[key]
	build := !ok && version == c.version
	if build {
		if len(c.entries) >= maxEdgeIndexCutoffs {
			for k := range c.entries {
				delete(c.entries, k)
				break
			}
		}
		e = &edgeIndexEntry{ready: make(chan struct{})}
		c.entries[key] = e
	}
	c.mu.Unlock()
	if e == nil {
		return nil, nil // an older version than the one kept
	}
	if build {
		rows, err := s.query(ctx, allEdgesQuery, nil, nil, nil, nil, nil, key.cutoff)
		if err == nil {
			var all []edgeRow
			all, err = scanEdgeRows(rows, max)
			if err == nil {
				e.idx = newEdgeIndex(all)
			}
		}
		if err == errEdgeIndexTooLarge {
			err = nil // walked by statements; the entry says so
		}
		if err != nil {
			// Not kept: the next request tries again.
			c.mu.Lock()
			if c.entries[key] == e {
				delete(c.entries, key)
			}
			c.mu.Unlock()
		}
		e.err = err
		close(e.ready)
		if err != nil {
			return nil, fmt.Errorf("edges: %w", err)
		}
		return e.idx, nil
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if e.err != nil {
		return nil, nil // the builder's failure: read by statements
	}
	return e.idx, nil
}
