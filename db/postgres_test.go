package db_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/db/dbtest"
	"github.com/investgraph/investgraph/seed"
	"github.com/investgraph/investgraph/seed/changegen"
)

func TestRedactDSN(t *testing.T) {
	for _, tc := range []struct{ dsn, want string }{
		{"postgres://alice:s3cret@db.example:5433/graph?sslmode=disable", "postgres://alice:xxxxx@db.example:5433/graph?sslmode=disable"},
		{"postgresql://alice@db.example/graph", "postgresql://alice@db.example/graph"},
		{"postgres://db.example/graph?password=s3cret&user=alice", "postgres://db.example/graph?password=xxxxx&user=alice"},
		{"/var/lib/investgraph.db", "/var/lib/investgraph.db"},
	} {
		if got := db.RedactDSN(tc.dsn); got != tc.want {
			t.Errorf("RedactDSN(%q) = %q, want %q", tc.dsn, got, tc.want)
		}
	}
}

// TestOpen_PostgresBadInput: a server that does not answer and a DSN that
// cannot be read are told apart, with the address and never the password.
func TestOpen_PostgresBadInput(t *testing.T) {
	t.Run("ErrUnreachable", func(t *testing.T) {
		_, err := db.Open(t.Context(), "postgres://alice:s3cret@127.0.0.1:1/graph?connect_timeout=5")
		wantCode(t, err, db.EUNAVAILABLE)
		if msg := err.Error(); !strings.Contains(msg, "127.0.0.1:1") || strings.Contains(msg, "s3cret") {
			t.Errorf("message %q: want the address and no password", msg)
		}
	})
	t.Run("ErrBadPort", func(t *testing.T) {
		_, err := db.Open(t.Context(), "postgres://alice:s3cret@127.0.0.1:port/graph")
		wantCode(t, err, db.EINVALID)
		if msg := err.Error(); strings.Contains(msg, "s3cret") {
			t.Errorf("message %q holds the password", msg)
		}
	})
}

// TestStore_PostgresConnectionLost: a snapshot whose connection the server
// ended fails with EUNAVAILABLE, and the next request reads again, on new
// connections, with no restart.
func TestStore_PostgresConnectionLost(t *testing.T) {
	if dbtest.Engine() != db.EnginePostgres {
		t.Skipf("a PostgreSQL test: set %s to a server's address", dbtest.EnvPostgres)
	}
	s, dsn := newStore(t)
	if err := s.Replace(t.Context(), tinyDataset()); err != nil {
		t.Fatal(err)
	}
	ctx, end := s.WithSnapshot(t.Context())
	defer end()
	if _, err := s.IsEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var ended int
	if err := admin.QueryRow(`SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()) x`).Scan(&ended); err != nil {
		t.Fatal(err)
	}
	if ended == 0 {
		t.Fatal("no connection of the store to end")
	}
	_, err = s.IsEmpty(ctx)
	if got := db.ErrorCode(err); got != db.EUNAVAILABLE {
		t.Fatalf("read in a snapshot whose connection ended: code %q (%v), want %q", got, err, db.EUNAVAILABLE)
	}
	if got := db.ErrorMessage(err); got != db.UnavailableMessage {
		t.Errorf("message %q, want %q", got, db.UnavailableMessage)
	}
	end()
	next, endNext := s.WithSnapshot(t.Context())
	defer endNext()
	if empty, err := s.IsEmpty(next); err != nil || empty {
		t.Fatalf("the next snapshot: empty %v, err %v; want the data back", empty, err)
	}
	if _, err := s.FindCompanies(t.Context(), db.CompanyFilter{}, db.Order{}, db.PageArgs{First: 5}); err != nil {
		t.Fatalf("a read outside a snapshot: %v", err)
	}
}

// TestStore_PostgresAnnouncesRevisions: each commit is announced on
// db.RevisionChannel, with the revision's id, or 0 for a replaced graph,
// and moves the data version every process reads.
func TestStore_PostgresAnnouncesRevisions(t *testing.T) {
	if dbtest.Engine() != db.EnginePostgres {
		t.Skipf("a PostgreSQL test: set %s to a server's address", dbtest.EnvPostgres)
	}
	s, dsn := newStore(t)
	listener, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close(context.Background())
	if _, err := listener.Exec(t.Context(), `LISTEN `+db.RevisionChannel); err != nil {
		t.Fatal(err)
	}
	next := func() string {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		n, err := listener.WaitForNotification(ctx)
		if err != nil {
			t.Fatalf("no notification: %v", err)
		}
		return n.Payload
	}
	v := s.DataVersion()
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if got := next(); got != "0" {
		t.Errorf("replace announced %q, want 0", got)
	}
	if s.DataVersion() == v {
		t.Errorf("DataVersion stayed %d after a replace", v)
	}
	rev, _, err := seed.Apply(t.Context(), s, seed.Files(), seed.Changeset{YAML: changegen.New(3, "n").Next(10).YAML, Message: "generated", Author: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := next(), strconv.FormatInt(rev.ID, 10); got != want {
		t.Errorf("changeset announced %q, want %q", got, want)
	}
}
