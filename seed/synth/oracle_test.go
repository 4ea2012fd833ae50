package main

import (
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graphtest/oracle"
	"github.com/investgraph/investgraph/httpapi"
)

// TestSyntheticAgreesWithOracle compares the root lists, their totals,
// each company's projects and agreements, each project's participants and
// figures, each meeting's participants and aggregates.counts with the
// oracle on small synthetic graphs whose facts are often cited before the
// objects they belong to (-early-facts), so relations must wait for both
// their ends and figures for their owner.
func TestSyntheticAgreesWithOracle(t *testing.T) {
	n, limit, earlies := int64(1000), 25, []int{0, 100}
	if oracle.Long() {
		n, limit, earlies = 5000, 0, []int{0, 50, 100}
	}
	for _, early := range earlies {
		d, err := build(n, 3, early)
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		path := filepath.Join(t.TempDir(), "synth.db")
		store, err := db.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		if err := store.Replace(ctx, d); err != nil {
			t.Fatal(err)
		}
		o, err := oracle.LoadFile(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		h := httpapi.NewHandler(store, httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		dates := o.Dates(limit, limit, uint64(early)+1)
		if n := o.Partial(t, dates); n < limit/2 {
			t.Fatalf("early facts %d%%: only %d of %d dates show part of every list", early, n, len(dates))
		}
		t.Logf("early facts %d%%: %d dates, %d of them show part of every list", early, len(dates), o.Partial(t, dates))
		c := o.Covers(t, dates)
		if c.Figures == 0 || c.Capacity == 0 || c.ProjectParticipants == 0 || c.MeetingParticipants == 0 || early > 0 && c.Waiting == 0 {
			t.Fatalf("early facts %d%%: too little to compare beyond the lists: %+v", early, c)
		}
		t.Logf("early facts %d%%: coverage over the dates: %+v", early, c)
		oracle.Compare(t, h, o, dates)
	}
}

// TestSyntheticExplorationAgreesWithOracle compares every relation, every
// ordering paged both ways, random filters and lookups with the oracle on
// a synthetic graph whose facts are often cited before their objects.
func TestSyntheticExplorationAgreesWithOracle(t *testing.T) {
	n, limit := int64(600), 10
	if oracle.Long() {
		n, limit = 3000, 40
	}
	h, o := synthHandler(t, n, 100)
	dates := o.Dates(limit, limit, 5)
	oracle.Explore(t, h, o, dates, oracle.ExploreOptions{OrderDates: 4, OrderSizes: []int{17, 100}, Filters: 10, FilterSeed: 9, TimelineSizes: []int{100, 37}, LookupDates: 4})
}

// synthHandler builds a synthetic graph of n entities, early percent of
// whose facts are cited before their objects, and serves it.
func synthHandler(t *testing.T, n int64, early int) (http.Handler, *oracle.Oracle) {
	t.Helper()
	d, err := build(n, 3, early)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "synth.db")
	store, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Replace(ctx, d); err != nil {
		t.Fatal(err)
	}
	o, err := oracle.LoadFile(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	return httpapi.NewHandler(store, httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}), o
}
