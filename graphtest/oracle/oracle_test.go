package oracle_test

import (
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graphtest/oracle"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/seed"
)

// TestSeedAgreesWithOracle compares the root lists, their totals, each
// company's projects and agreements, each project's participants and
// figures, each meeting's participants and aggregates.counts with the
// oracle on the built-in seed,
// as of every source's publication day, the day before, months, years,
// random days and no date at all.
func TestSeedAgreesWithOracle(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "seed.db")
	store, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := seed.LoadFS(ctx, store, seed.Files()); err != nil {
		t.Fatal(err)
	}
	o, err := oracle.LoadFile(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	limit := 40
	if oracle.Long() {
		limit = 0
	}
	dates := o.Dates(20, limit, 1)
	if n := o.Partial(t, dates); n < 5 {
		t.Fatalf("only %d of %d dates show part of every list", n, len(dates))
	}
	if len(dates) < 20 {
		t.Fatalf("only %d dates to compare", len(dates))
	}
	t.Logf("%d dates, %d of them show part of every list", len(dates), o.Partial(t, dates))
	c := o.Covers(t, dates)
	if c.Figures == 0 || c.Capacity == 0 || c.ProjectParticipants == 0 || c.MeetingParticipants == 0 {
		t.Fatalf("nothing to compare beyond the lists: %+v", c)
	}
	t.Logf("coverage over the dates: %+v", c)
	h := httpapi.NewHandler(store, httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	oracle.Compare(t, h, o, dates)
}

// TestSeedExplorationAgreesWithOracle compares, on the built-in seed, every
// relation of every object, every ordering paged both ways with several
// page sizes, random filters, and lookups of visible and hidden objects
// with the oracle, as of many dates.
func TestSeedExplorationAgreesWithOracle(t *testing.T) {
	h, o := seedHandler(t)
	dates := o.Dates(10, 24, 2)
	if oracle.Long() {
		dates = o.Dates(40, 0, 2)
	}
	oracle.Explore(t, h, o, dates, oracle.ExploreOptions{OrderDates: 8, OrderSizes: []int{1, 3, 100}, Filters: 12, FilterSeed: 7, TimelineSizes: []int{100, 7}})
}

func seedHandler(t *testing.T) (http.Handler, *oracle.Oracle) {
	t.Helper()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "seed.db")
	store, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := seed.LoadFS(ctx, store, seed.Files()); err != nil {
		t.Fatal(err)
	}
	o, err := oracle.LoadFile(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	return httpapi.NewHandler(store, httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}), o
}
