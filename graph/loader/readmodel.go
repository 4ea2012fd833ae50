package loader

import (
	"sync"
	"sync/atomic"

	"github.com/investgraph/investgraph/db"
)

// ReadModel keeps what the loaders read from the store, shared by every
// request that reads the same data version: the rows of the objects, lists
// and links the prefetch steps load, held in Go and filled key by key as
// requests first ask for them, so that a request whose keys an earlier one
// of the same version already read runs no statement for them. The store
// stays the source of truth: a key is only ever filled by a read of the
// store in the snapshot of a request of that version, under the same as-of
// cutoff, so a value the model holds is the value that read would return.
//
// Each data version has a generation of its own, with one set of loaders
// per as-of cutoff the version's requests read at. A request of a later
// version starts a new generation, and the old one is dropped once its
// requests end; a request of an earlier version than the current
// generation's (it began before a commit another request saw first) reads
// with loaders of its own. The model is bounded by the number of values
// (objects and list elements, with one for each key) its generation holds:
// once that passes max, the next request starts a fresh generation of the
// same version, so memory stays near max values however large the
// database, and a working set larger than that costs a refill from time to
// time, never a wrong answer.
type ReadModel struct {
	max int64

	mu  sync.Mutex
	cur *generation

	generations atomic.Int64 // started so far
}

// NewReadModel returns a read model that holds about max values.
func NewReadModel(max int64) *ReadModel { return &ReadModel{max: max} }

// Generations returns how many generations m has started: one per data
// version read, and one more each time a generation filled up.
func (m *ReadModel) Generations() int64 { return m.generations.Load() }

// generation returns the generation for data version v of s, starting one
// when v is later than the current generation's or the current one is
// full, and nil when v is earlier.
func (m *ReadModel) generation(s *db.Store, v int64) *generation {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch g := m.cur; {
	case g != nil && v < g.version:
		return nil
	case g != nil && v == g.version && g.size.Load() <= m.max:
		return g
	}
	m.cur = &generation{store: s, version: v, views: map[string]*Loaders{}}
	m.generations.Add(1)
	return m.cur
}

// generation is the read model of one data version.
type generation struct {
	store   *db.Store
	version int64
	size    atomic.Int64 // values held

	mu    sync.Mutex
	views map[string]*Loaders // by as-of cutoff; noAsOf for the live graph
}

// view returns the generation's loaders for the as-of cutoff key.
func (g *generation) view(key string) *Loaders {
	g.mu.Lock()
	defer g.mu.Unlock()
	l, ok := g.views[key]
	if !ok {
		l = newLoaders(g.store, g)
		g.views[key] = l
	}
	return l
}

// grew records that a fetch added n values to the generation.
func (g *generation) grew(n int64) { g.size.Add(n) }
