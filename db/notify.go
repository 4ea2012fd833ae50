package db

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Reconnection backoff of the revision listener: the first retry comes
// after listenBackoffMin, each further one after twice as long, up to
// listenBackoffMax.
const (
	listenBackoffMin = 100 * time.Millisecond
	listenBackoffMax = 5 * time.Second
)

// revisionListener follows the revisions that other processes over the
// same PostgreSQL database commit, so that this process's subscribers see
// them as soon as they would see its own: it LISTENs on RevisionChannel on
// a connection of its own and calls follow for each notification.
//
// Notifications sent while the connection is down are lost, so follow is
// also called after each reconnection, once LISTEN is in place: what
// follow wakes reads the revisions from the database and so catches up
// on whatever it missed. The caches need no notification: they key on
// DataVersion, which reads the database's generation.
type revisionListener struct {
	cancel context.CancelFunc
	done   chan struct{}

	connects atomic.Int64 // successful LISTENs, the first one included
}

// listenRevisions starts a revisionListener on the database of dsn. It
// returns at once: the first connection is made in the background, and
// retried with backoff while the database cannot be reached.
func listenRevisions(dsn string, follow func(payload string)) *revisionListener {
	ctx, cancel := context.WithCancel(context.Background())
	l := &revisionListener{cancel: cancel, done: make(chan struct{})}
	go l.run(ctx, dsn, follow)
	return l
}

// run connects, listens and follows until ctx ends, reconnecting with
// backoff whenever the connection fails.
func (l *revisionListener) run(ctx context.Context, dsn string, follow func(string)) {
	defer close(l.done)
	backoff := listenBackoffMin
	for ctx.Err() == nil {
		// The error is not kept: the next attempt is the remedy, and the
		// store's own requests report a database that went away.
		listened := l.listenOnce(ctx, dsn, follow)
		if ctx.Err() != nil {
			return
		}
		if listened {
			backoff = listenBackoffMin // it worked for a while: retry soon
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, listenBackoffMax)
	}
}

// listenOnce opens a connection, LISTENs, and follows its notifications
// until the connection fails or ctx ends. It reports whether LISTEN took
// effect.
func (l *revisionListener) listenOnce(ctx context.Context, dsn string, follow func(string)) (listened bool) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return false
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+RevisionChannel); err != nil {
		return false
	}
	l.connects.Add(1)
	follow("") // catch up on what was committed while not listening
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true
		}
		follow(n.Payload)
	}
}

// startListening starts the revision listener of a PostgreSQL store:
// each revision another process commits, and each reseed, wakes this
// process's subscribers (RevisionCommitted) as its own commits do. Every
// transaction that commits a revision announces it (published) with
// pg_notify, which PostgreSQL delivers at commit and only then.
func (s *Store) startListening() {
	s.pg.listener = listenRevisions(s.pg.dsn, func(string) { s.revisionCommitted() })
}

// stopListening stops the revision listener, if there is one.
func (s *Store) stopListening() {
	if s.pg != nil && s.pg.listener != nil {
		s.pg.listener.stop()
		s.pg.listener = nil
	}
}

// stop ends the listener and waits for its connection to close.
func (l *revisionListener) stop() {
	l.cancel()
	<-l.done
}
