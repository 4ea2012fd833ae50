package main

import (
	"context"
	"testing"
	"time"

	"github.com/investgraph/investgraph/bench/pgtemp"
	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/db/dbtest"
)

// needPostgres skips the test unless the suite runs on PostgreSQL
// (go run ./bench/pgtemp/with -- go test ./...): without PostgreSQL the
// SQLite suite runs alone.
func needPostgres(t *testing.T) {
	t.Helper()
	if dbtest.Engine() != db.EnginePostgres {
		t.Skip("a PostgreSQL test: the suite runs on SQLite (set " + dbtest.EnvPostgres + ")")
	}
}

// newPostgresDatabase returns a new, migrated and empty database of the
// suite's PostgreSQL server, dropped when the test ends, or skips the
// test as needPostgres.
func newPostgresDatabase(t *testing.T) string {
	t.Helper()
	needPostgres(t)
	return dbtest.NewDatabase(t)
}

// ownCluster starts a PostgreSQL cluster for the test alone, for a test
// that stops it or sets its authentication, stopped when the test ends.
// It runs with the PostgreSQL suite, as needPostgres.
func ownCluster(t *testing.T, opts pgtemp.Options) *pgtemp.Cluster {
	t.Helper()
	needPostgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := pgtemp.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	})
	return c
}
