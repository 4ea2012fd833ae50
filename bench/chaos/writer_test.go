package main

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/db/dbtest"
	"github.com/investgraph/investgraph/seed"
	"github.com/investgraph/investgraph/seed/changegen"
)

// TestCheckChangesets checks the writer's check on databases it can judge
// (an SQLite file, or PostgreSQL when dbtest.EnvPostgres is set): one
// holding what was acknowledged passes; an acknowledgement it lacks, and a
// changeset of which a company is missing, fail.
func TestCheckChangesets(t *testing.T) {
	path := dbtest.NewDatabase(t)
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	g := changegen.New(1, "check")
	applied := &sent{key: "k1", cs: g.Next(30)}
	rev, _, err := seed.Apply(t.Context(), s, seed.Files(), seed.Changeset{YAML: applied.cs.YAML, Message: "m", IdempotencyKey: "k1", Author: "t"})
	if err != nil {
		t.Fatal(err)
	}
	applied.ack = rev.ID
	notSent := &sent{key: "k2", cs: g.Next(30)}
	s.Close()

	if err := checkChangesets(t.Context(), path, []*sent{applied, notSent}); err != nil {
		t.Fatalf("a file holding the acknowledged changeset: %v", err)
	}
	lost := &sent{key: "k3", cs: g.Next(30), ack: rev.ID + 1}
	if err := checkChangesets(t.Context(), path, []*sent{applied, lost}); err == nil || !strings.Contains(err.Error(), "acknowledged") {
		t.Errorf("an acknowledged revision the file lacks: got %v, want an error", err)
	}
	conn, err := sql.Open("sqlite", "file:"+path)
	remove := `DELETE FROM companies WHERE slug = ?`
	if db.IsPostgresDSN(path) {
		conn, err = sql.Open("pgx", path)
		// Renamed rather than deleted: rows elsewhere refer to it.
		remove = `UPDATE companies SET slug = slug || '-gone' WHERE slug = $1`
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(remove, applied.cs.Companies[0]); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if err := checkChangesets(t.Context(), path, []*sent{applied}); err == nil || !strings.Contains(err.Error(), "half there") {
		t.Errorf("a changeset missing a company: got %v, want an error", err)
	}
}
