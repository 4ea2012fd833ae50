package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/seed"
)

func TestBuild(t *testing.T) {
	t.Run("OKDeterministic", func(t *testing.T) {
		a, err := build(3000, 7, 0)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := build(3000, 7, 0)
		if !reflect.DeepEqual(a, b) {
			t.Error("the same seed gave two different datasets")
		}
		c, _ := build(3000, 8, 0)
		if reflect.DeepEqual(a, c) {
			t.Error("another seed gave the same dataset")
		}
	})

	t.Run("OKSizeAndShape", func(t *testing.T) {
		d, err := build(5000, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := entityCount(d); got != 5000 {
			t.Errorf("%d entities, want 5000", got)
		}
		if got := relationCount(d); got < 5*entityCount(d) {
			t.Errorf("%d relation rows for %d entities: fewer than the seed's proportions", got, entityCount(d))
		}
		// Skewed degrees: the busiest company takes part in far more
		// projects than the typical one.
		degree := map[int64]int{}
		for _, p := range d.Participants {
			degree[p.CompanyID]++
		}
		top := 0
		for _, n := range degree {
			top = max(top, n)
		}
		if mean := float64(len(d.Participants)) / float64(len(degree)); float64(top) < 10*mean {
			t.Errorf("busiest company has %d projects, mean %.1f: degrees are not skewed", top, mean)
		}
	})

	t.Run("OKSeedKept", func(t *testing.T) {
		s, err := seed.Parse(seed.Files())
		if err != nil {
			t.Fatal(err)
		}
		d, _ := build(2000, 1, 0)
		for i, c := range s.Companies {
			if !reflect.DeepEqual(c, d.Companies[i]) {
				t.Errorf("seed company %s changed", c.Slug)
			}
		}
		if got, want := len(d.Participants) > len(s.Participants), true; got != want {
			t.Error("no participants generated")
		}
	})
}

// TestLoadAndQuery writes a small synthetic graph through Replace and runs
// the design-card query on it: it answers exactly as on the seed alone.
func TestLoadAndQuery(t *testing.T) {
	ctx := context.Background()
	query := `{"query":"{ company(name: \"CITIC\") { name projects { project { name capacityHistory { value asOf } } } } }"}`
	answer := func(d *db.Dataset) string {
		t.Helper()
		store, err := db.Open(ctx, filepath.Join(t.TempDir(), "synth.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		if err := store.Replace(ctx, d); err != nil {
			t.Fatal(err)
		}
		h := httpapi.NewHandler(store, httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader([]byte(query)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || strings.Contains(body, `"errors"`) {
			t.Fatalf("status %d: %s", rec.Code, body)
		}
		data, _, _ := strings.Cut(body, `"extensions"`)
		return data
	}
	seedOnly, err := seed.Parse(seed.Files())
	if err != nil {
		t.Fatal(err)
	}
	big, err := build(5000, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	want, got := answer(seedOnly), answer(big)
	if !strings.Contains(want, "Caspi Bitum") {
		t.Fatalf("design card on the seed: %s", want)
	}
	if got != want {
		t.Errorf("design card on 5,000 entities:\n%s\nwant, as on the seed:\n%s", got, want)
	}
	early, err := build(5000, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got := answer(early); got != want {
		t.Errorf("design card on 5,000 entities with early facts:\n%s\nwant, as on the seed:\n%s", got, want)
	}
}

// earlyShares computes, from the dataset's citations and sources alone, the
// share of each kind of fact first reported before one of the objects it
// belongs to.
func earlyShares(d *db.Dataset) map[string]float64 {
	published := map[int64]string{}
	for _, s := range d.Sources {
		published[s.ID] = s.PublishedOn.Start()
	}
	first := map[db.SubjectKey]string{}
	for _, c := range d.Citations {
		if f, ok := first[c.SubjectKey]; !ok || published[c.SourceID] < f {
			first[c.SubjectKey] = published[c.SourceID]
		}
	}
	key := func(s db.Subject, id int64) db.SubjectKey { return db.SubjectKey{Subject: s, ID: id} }
	early, all := map[string]int{}, map[string]int{}
	count := func(kind, reported string, of ...db.SubjectKey) {
		all[kind]++
		for _, k := range of {
			if reported < first[k] {
				early[kind]++
				return
			}
		}
	}
	for _, p := range d.Participants {
		count("participants", first[key(db.SubjectParticipant, p.ID)], key(db.SubjectProject, p.ProjectID), key(db.SubjectCompany, p.CompanyID))
	}
	for _, p := range d.Positions {
		count("positions", first[key(db.SubjectPosition, p.ID)], key(db.SubjectPerson, p.PersonID), key(db.SubjectCompany, p.OrganizationID))
	}
	for _, m := range d.Measurements {
		if m.ProjectID != nil {
			count("measurements", published[m.Citation.SourceID], key(db.SubjectProject, *m.ProjectID))
		}
	}
	for _, m := range d.Milestones {
		count("milestones", published[m.Citation.SourceID], key(db.SubjectProject, m.ProjectID))
	}
	for _, a := range d.Amounts {
		if a.AgreementID != nil {
			count("amounts", published[a.Citation.SourceID], key(db.SubjectAgreement, *a.AgreementID))
		}
	}
	shares := map[string]float64{}
	for kind, n := range all {
		shares[kind] = float64(early[kind]) / float64(n)
	}
	return shares
}

func TestEarlyFacts(t *testing.T) {
	build := func(early int) *db.Dataset {
		t.Helper()
		d, err := build(5000, 1, early)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	random, half, all := earlyShares(build(0)), earlyShares(build(50)), earlyShares(build(100))
	for _, kind := range []string{"participants", "positions", "measurements", "milestones", "amounts"} {
		t.Logf("%s reported early: %.0f%% at random, %.0f%% at -early-facts 50, %.0f%% at 100", kind, 100*random[kind], 100*half[kind], 100*all[kind])
	}
	for _, kind := range []string{"participants", "positions", "measurements", "milestones", "amounts"} {
		// At 100, every fact with a source old enough is early: all but
		// those whose objects were first reported by the oldest sources.
		if all[kind] < 0.95 {
			t.Errorf("-early-facts 100: %.0f%% of %s reported early, want nearly all", 100*all[kind], kind)
		}
		if !(random[kind] < half[kind] && half[kind] < all[kind]) {
			t.Errorf("%s reported early: %.0f%% at random, %.0f%% at 50, %.0f%% at 100; want more with each", kind,
				100*random[kind], 100*half[kind], 100*all[kind])
		}
	}
	if a, b := build(50), build(50); !reflect.DeepEqual(a, b) {
		t.Error("-early-facts 50 gave two different datasets for one seed")
	}
	for _, bad := range []string{"-1", "101"} {
		err := run(context.Background(), []string{"-entities", "10", "-early-facts", bad, "-db", filepath.Join(t.TempDir(), "x.db")}, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "-early-facts must be a percent from 0 to 100") {
			t.Errorf("-early-facts %s: error %v", bad, err)
		}
	}
}
