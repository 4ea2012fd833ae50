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
		a, err := build(3000, 7)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := build(3000, 7)
		if !reflect.DeepEqual(a, b) {
			t.Error("the same seed gave two different datasets")
		}
		c, _ := build(3000, 8)
		if reflect.DeepEqual(a, c) {
			t.Error("another seed gave the same dataset")
		}
	})

	t.Run("OKSizeAndShape", func(t *testing.T) {
		d, err := build(5000, 1)
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
		d, _ := build(2000, 1)
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
	big, err := build(5000, 1)
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
}
