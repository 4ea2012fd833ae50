package db_test

import (
	"errors"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// TestReseed: a database without revisions is reseeded; one with a
// revision is refused, with the count, and left as it was, unless the
// revisions are to be dropped, when they go with the old graph.
func TestReseed(t *testing.T) {
	s, path, d := retractStore(t)
	ctx := t.Context()
	if err := s.Reseed(ctx, seedDataset(t), false); err != nil {
		t.Fatalf("reseed without revisions: %v", err)
	}
	retract(t, s, seed.Retraction{Fact: db.FactRef{Type: db.FactAmount, Key: amountKey(t, s, d.Amounts[0])}, Reason: "misread figure"})
	before := dump(t, path)
	err := s.Reseed(ctx, seedDataset(t), false)
	var held *db.RevisionsHeldError
	if !errors.As(err, &held) || held.Count != 1 || db.ErrorCode(err) != db.ECONFLICT {
		t.Fatalf("reseed with one revision: err = %v, want a RevisionsHeldError of 1 (CONFLICT)", err)
	}
	if diff := diffDumps(dump(t, path), before); diff != "" {
		t.Fatalf("a refused reseed changed the database: %s", diff)
	}
	if err := s.Reseed(ctx, seedDataset(t), true); err != nil {
		t.Fatalf("reseed dropping revisions: %v", err)
	}
	if n, err := s.CountRevisions(ctx, db.RevisionFilter{}); err != nil || n != 0 {
		t.Fatalf("revisions after a reseed that drops them: %d, %v; want 0", n, err)
	}
}
