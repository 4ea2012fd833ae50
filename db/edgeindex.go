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
// per step. Within a snapshot whose data version is known, the rows
// edgesQuery returns for each object are kept, per data version and as-of
// cutoff, the first time a walk reads them (edgeIndex): a level is then
// read by a statement over the frontier's objects not yet kept, if any,
// and the rest looked up. The rows edgesQuery returns for a frontier are
// the union of those it returns for each of its objects, which edges puts
// in one order (edgeOrder) either way.

// DefaultEdgeIndexMax is how many relationship rows an edge index may keep
// by default; one that would pass it starts again empty.
const DefaultEdgeIndexMax = 200_000

// maxEdgeIndexCutoffs bounds how many cutoffs of one data version keep an
// index at once.
const maxEdgeIndexCutoffs = 8

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
func scanEdgeRows(rows *readRows) ([]edgeRow, error) {
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

// edgeIndex keeps, for the objects walks have read, the rows edgesQuery
// returns for a frontier of that object alone, of one data version and
// cutoff.
type edgeIndex struct {
	mu   sync.Mutex
	at   map[NodeRef][]*edgeRow
	rows int
}

// touches reports whether edgesQuery returns e for a frontier holding n:
// an undirected arm gives each relationship in both directions and
// matches by its from end only.
func touches(e *edgeRow, n NodeRef) bool {
	return e.r.From == n || !edgeArms[e.arm].undirected && e.r.To == n
}

// edgeIndexKey names an index: a data version and a cutoff.
type edgeIndexKey struct {
	version int64
	cutoff  string
}

// edgeIndexes keeps the indexes of the latest data version read.
type edgeIndexes struct {
	mu      sync.Mutex
	max     int // 0: DefaultEdgeIndexMax; negative: no index
	version int64
	entries map[edgeIndexKey]*edgeIndex
}

// SetEdgeIndexMax sets how many relationship rows the walks' in-memory
// index may keep (DefaultEdgeIndexMax when 0); a negative n turns it off,
// so that every level is read by a statement.
func (s *Store) SetEdgeIndexMax(n int) {
	s.edgeIndexes.mu.Lock()
	defer s.edgeIndexes.mu.Unlock()
	s.edgeIndexes.max = n
	s.edgeIndexes.entries = nil
}

// edgeIndexFor returns the index of ctx's snapshot and cutoff and its
// bound, or nil when there is none to use: no snapshot that knew its data
// version (sharedVersion), a view's reads, a version older than the latest
// read, or the index off.
func (s *Store) edgeIndexFor(ctx context.Context) (*edgeIndex, int) {
	version, ok := s.sharedVersion(ctx)
	if !ok {
		return nil, 0
	}
	c := &s.edgeIndexes
	key := edgeIndexKey{version, cutoff(ctx)}
	c.mu.Lock()
	defer c.mu.Unlock()
	max := c.max
	if max == 0 {
		max = DefaultEdgeIndexMax
	}
	if max < 0 || version < c.version {
		return nil, 0
	}
	if c.entries == nil || version > c.version {
		c.entries, c.version = map[edgeIndexKey]*edgeIndex{}, version
	}
	x, ok := c.entries[key]
	if !ok {
		if len(c.entries) >= maxEdgeIndexCutoffs {
			for k := range c.entries {
				delete(c.entries, k)
				break
			}
		}
		x = &edgeIndex{at: map[NodeRef][]*edgeRow{}}
		c.entries[key] = x
	}
	return x, max
}

// indexedEdges is edges through x: it reads the rows of the frontier's
// objects x does not keep by one statement, keeps them, and returns the
// rows of the whole frontier in edgeOrder.
func (s *Store) indexedEdges(ctx context.Context, x *edgeIndex, max int, frontier []NodeRef, bases []Basis) ([]*Relationship, error) {
	x.mu.Lock()
	var missing []NodeRef
	seen := map[NodeRef]bool{}
	for _, n := range frontier {
		if _, ok := x.at[n]; !ok && !seen[n] {
			seen[n] = true
			missing = append(missing, n)
		}
	}
	x.mu.Unlock()
	var fetched map[NodeRef][]*edgeRow
	if len(missing) > 0 {
		rows, err := s.edgeRows(ctx, edgesQuery, missing)
		if err != nil {
			return nil, err
		}
		fetched = make(map[NodeRef][]*edgeRow, len(missing))
		for _, n := range missing {
			fetched[n] = []*edgeRow{}
		}
		for i := range rows {
			e := &rows[i]
			ends := []NodeRef{e.r.From, e.r.To}
			if e.r.To == e.r.From {
				ends = ends[:1]
			}
			for _, n := range ends {
				if _, ok := fetched[n]; ok && touches(e, n) {
					fetched[n] = append(fetched[n], e)
				}
			}
		}
		x.mu.Lock()
		if x.rows+len(rows) > max {
			clear(x.at) // a new generation
			x.rows = 0
		}
		for n, es := range fetched {
			if _, ok := x.at[n]; !ok {
				x.at[n] = es
				x.rows += len(es)
			}
		}
		x.mu.Unlock()
	}
	var all []*edgeRow
	var lost []NodeRef // kept, then dropped by another read's new generation
	x.mu.Lock()
	for _, n := range frontier {
		es, ok := x.at[n]
		if !ok {
			if es, ok = fetched[n]; !ok {
				lost = append(lost, n)
			}
		}
		all = append(all, es...)
	}
	x.mu.Unlock()
	if len(lost) > 0 {
		rows, err := s.edgeRows(ctx, edgesQuery, lost)
		if err != nil {
			return nil, err
		}
		for i := range rows {
			all = append(all, &rows[i])
		}
	}
	slices.SortFunc(all, edgeOrder)
	// A row touching two objects of the frontier is kept under each.
	all = slices.CompactFunc(all, func(a, b *edgeRow) bool { return edgeOrder(a, b) == 0 })
	return relationshipsOf(all, bases), nil
}
