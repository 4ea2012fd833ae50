package httpapi

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/investgraph/investgraph/db"
)

// statisticsTimeout bounds reading the store's statistics.
const statisticsTimeout = 5 * time.Second

// statistics keeps the store's statistics (db.Statistics) for the cost
// model, read again whenever the store's data version changes: a request
// checks the version with one atomic load, and only the first request after
// a change reads the statistics.
type statistics struct {
	store  *db.Store
	logger *slog.Logger
	// snapshotVersion takes the version from the request's snapshot,
	// which knows it when the read model looked at it (withLoaders),
	// sparing another look.
	snapshotVersion bool

	mu   sync.Mutex // held while reading
	last atomic.Pointer[versionedStatistics]
}

type versionedStatistics struct {
	version int64
	stats   *db.Statistics
}

func newStatistics(store *db.Store, logger *slog.Logger, snapshotVersion bool) *statistics {
	s := &statistics{store: store, logger: logger, snapshotVersion: snapshotVersion}
	s.current(context.Background())
	return s
}

// current returns the statistics of the data as it is now. If they cannot
// be read it returns the last ones read, or none, so that every list is
// priced at assumedListSize, and tries again on the next call.
func (s *statistics) current(ctx context.Context) *db.Statistics {
	version, ok := int64(0), false
	if s.snapshotVersion {
		version, ok = s.store.ReadVersion(ctx)
	}
	if !ok {
		version = s.store.DataVersion()
	}
	if last := s.last.Load(); last != nil && last.version == version {
		return last.stats
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if last := s.last.Load(); last != nil && last.version == version {
		return last.stats
	}
	// Not the request's context: the statistics serve every request, and
	// their statement is no request's.
	ctx, cancel := context.WithTimeout(context.Background(), statisticsTimeout)
	defer cancel()
	st, err := s.store.Statistics(ctx)
	if err != nil {
		s.logger.Error("reading statistics for query costs", "err", err)
		if last := s.last.Load(); last != nil {
			return last.stats
		}
		return &db.Statistics{}
	}
	s.last.Store(&versionedStatistics{version: version, stats: st})
	return st
}
