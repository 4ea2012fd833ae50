package seed

import (
	"strconv"
	"strings"
	"sync"

	"github.com/investgraph/investgraph/db"
)

// datasetView is what a changeset's revision compares of the graphs
// before and after it: the fingerprints of difference and the facts of
// nodeChanges, each of the whole graph.
type datasetView struct {
	prints datasetPrints
	facts  *described
}

// viewKey identifies a graph a revision log builds: the key of its
// documents and the retractions applied to it, in order, each with the
// revision that made it.
type viewKey struct {
	build       buildKey
	retractions string
}

// lastViews keeps the views of the last graphs compared: the graph before
// a changeset is the graph after the one before it, whose view the last
// changeset made, so only the graph after is described again (describing
// both had been a quarter of a changeset's CPU). The views are read, never
// changed, once made.
var lastViews struct {
	mu    sync.Mutex
	keys  [2]viewKey
	views [2]*datasetView
	next  int // the slot the next view replaces
}

// viewOf returns the view of d, the graph of key, made once per key among
// the last two.
func viewOf(key viewKey, d *db.Dataset) *datasetView {
	lastViews.mu.Lock()
	for i, k := range lastViews.keys {
		if k == key && lastViews.views[i] != nil {
			v := lastViews.views[i]
			lastViews.mu.Unlock()
			return v
		}
	}
	lastViews.mu.Unlock()
	v := &datasetView{prints: fingerprints(d), facts: describe(d)}
	lastViews.mu.Lock()
	defer lastViews.mu.Unlock()
	lastViews.keys[lastViews.next], lastViews.views[lastViews.next] = key, v
	lastViews.next = 1 - lastViews.next
	return v
}

// viewKey returns the key of the graph l builds.
func (l *revisionLog) viewKey(build buildKey) viewKey {
	var b strings.Builder
	for _, r := range l.retractions {
		b.WriteString(strconv.FormatInt(r.id, 10))
		b.WriteByte(' ')
		b.WriteString(r.body.Text())
		b.WriteByte('\n')
	}
	return viewKey{build: build, retractions: b.String()}
}
