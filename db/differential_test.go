package db_test

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/db/dbtest"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/seed"
	"github.com/investgraph/investgraph/seed/changegen"
)

// TestEngines_AgreeAfterRevisions seeds an SQLite and a PostgreSQL store,
// applies the same generated changesets and retractions to both, and
// requires the same rows in every table and the same answers from the
// read methods (those of TestStore_Answers, search held to the same hits:
// the engines rank them otherwise), now and as of a past day.
func TestEngines_AgreeAfterRevisions(t *testing.T) {
	if dbtest.Engine() != db.EnginePostgres {
		t.Skipf("compares SQLite with PostgreSQL: set %s to a server's address", dbtest.EnvPostgres)
	}
	lite, litePath := newSQLiteStore(t)
	pg, pgDSN := newStore(t)
	for _, s := range []*db.Store{lite, pg} {
		if err := seed.Load(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s.Engine(), err)
		}
	}
	r := rand.New(rand.NewPCG(15, 1))
	g := changegen.New(15, "engines")
	for step := range 8 {
		c := g.Next(5 + r.IntN(80))
		for _, s := range []*db.Store{lite, pg} {
			if _, _, err := seed.Apply(t.Context(), s, seed.Files(), seed.Changeset{YAML: c.YAML, Message: "generated", Author: "test"}); err != nil {
				t.Fatalf("%s: apply changeset %d: %v", s.Engine(), step+1, err)
			}
		}
		if step%3 == 2 {
			facts := factRefs(t, litePath)
			f := facts[r.IntN(len(facts))]
			for _, s := range []*db.Store{lite, pg} {
				if _, _, err := seed.Retract(t.Context(), s, seed.Files(), seed.Retraction{Fact: f, Reason: "generated", Author: "test"}); err != nil {
					t.Fatalf("%s: retract %v: %v", s.Engine(), f, err)
				}
			}
		}
		want, got := comparableDump(t, litePath), comparableDump(t, pgDSN)
		if d := diffDumps(got, want); d != "" {
			t.Fatalf("after step %d the engines' tables differ (PostgreSQL against SQLite): %s", step+1, d)
		}
	}
	for _, date := range []string{"", "2023-10-18"} {
		liteCtx, pgCtx := t.Context(), t.Context()
		if date != "" {
			liteCtx = db.WithAsOf(liteCtx, db.MustParsePartialDate(date))
			pgCtx = db.WithAsOf(pgCtx, db.MustParsePartialDate(date))
		}
		want := withoutRanking(t, answers(t, lite, liteCtx))
		got := withoutRanking(t, answers(t, pg, pgCtx))
		if got != want {
			t.Errorf("as of %q the engines answer differently (PostgreSQL against SQLite):\n%s", date, firstDiff(got, want))
		}
	}
}

// createdAt matches the times revisions were made at, which differ
// between the two stores.
var createdAt = regexp.MustCompile(`'\d{4}-\d\d-\d\dT[0-9:.]+Z'`)

// comparableDump is the dump of the database at where, without what
// differs between engines by nature: the migrations applied and the times
// the revisions were made at.
func comparableDump(t *testing.T, where string) map[string][]string {
	t.Helper()
	d := graphtest.DumpTables(t, where)
	delete(d, "schema_migrations")
	for i, row := range d["revisions"] {
		d["revisions"][i] = createdAt.ReplaceAllString(row, "'T'")
	}
	if len(d["companies"]) == 0 {
		t.Fatalf("dump of %s has no companies", db.RedactDSN(where))
	}
	return d
}
