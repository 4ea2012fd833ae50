package db_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/db/dbtest"
)

// freshPostgres returns a new database of the PostgreSQL server the
// suite runs on (dbtest), or skips the test on SQLite.
func freshPostgres(t *testing.T) string {
	t.Helper()
	if dbtest.Engine() != db.EnginePostgres {
		t.Skip("a PostgreSQL test: the suite runs on SQLite (set " + dbtest.EnvPostgres + ")")
	}
	return dbtest.NewDatabase(t)
}

// TestRevisionListener sends notifications on the revision channel from
// another connection and checks that the listener follows each one, then
// ends its connection from the server side and checks that it listens
// again, says so with an empty payload, and follows what comes next.
func TestRevisionListener(t *testing.T) {
	dsn := freshPostgres(t)
	got := make(chan string, 16)
	stop, connects := db.ListenRevisions(dsn, func(p string) { got <- p })
	defer stop()
	ctx := t.Context()
	expect := func(want string) {
		t.Helper()
		select {
		case p := <-got:
			if p != want {
				t.Fatalf("followed %q, want %q", p, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("nothing followed within 10s, want %q", want)
		}
	}
	expect("") // listening
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	notify := func(payload string) {
		t.Helper()
		if _, err := conn.Exec(ctx, `SELECT pg_notify('investgraph_revisions', $1)`, payload); err != nil {
			t.Fatal(err)
		}
	}
	notify("41")
	expect("41")

	t.Run("NotOnRollback", func(t *testing.T) {
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `SELECT pg_notify('investgraph_revisions', 'rolled back')`); err != nil {
			t.Fatal(err)
		}
		tx.Rollback(ctx)
		notify("42")
		expect("42")
	})
	t.Run("Reconnects", func(t *testing.T) {
		var ended bool
		if err := conn.QueryRow(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'`).Scan(&ended); err != nil || !ended {
			t.Fatalf("end the listener's connection: %v, %v", ended, err)
		}
		expect("") // listening again
		if n := connects(); n != 2 {
			t.Errorf("listened %d times, want 2", n)
		}
		notify("43")
		expect("43")
	})
}

// TestRevisionCommittedByAnotherStore opens two stores over one
// PostgreSQL database, as two replicas do, and checks that a commit
// through one wakes the other's RevisionCommitted, which only its own
// commits would wake without the listener.
func TestRevisionCommittedByAnotherStore(t *testing.T) {
	dsn := freshPostgres(t)
	open := func() *db.Store {
		s, err := db.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	writer, follower := open(), open()
	// The follower listens once its listener has connected, which Open
	// does not wait for: a first commit may come before. Commit until the
	// channel closes, giving up after 10s.
	woken := follower.RevisionCommitted()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := writer.Replace(t.Context(), seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		select {
		case <-woken:
			return
		case <-time.After(500 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("a commit through another store did not wake RevisionCommitted within 10s")
		}
	}
}
