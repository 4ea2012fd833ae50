package main

import (
	"path/filepath"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// TestMoneyCountedInsteadCounts proves, over a synthetic graph where many
// projects with several reports of their amounts are covered by
// agreements, that every amount a money summary leaves out for another one
// names an amount that counts, under every grouping and at several dates.
func TestMoneyCountedInsteadCounts(t *testing.T) {
	d, err := build(10000, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	store, err := db.Open(t.Context(), filepath.Join(t.TempDir(), "synth.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Replace(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	chains := 0
	for _, asOf := range []string{"", "2015-06", "2020", "2024-H1"} {
		ctx := t.Context()
		if asOf != "" {
			ctx = db.WithAsOf(ctx, db.MustParsePartialDate(asOf))
		}
		for _, g := range []db.MoneyGrouping{db.ByCounterpartyCountry, db.ByCompany, db.BySector, db.ByYear} {
			sum, err := store.MoneySummary(ctx, g, "USD")
			if err != nil {
				t.Fatal(err)
			}
			counted, excluded := map[int64]bool{}, map[int64]bool{}
			for _, grp := range sum.Groups {
				for _, a := range grp.Amounts {
					counted[a.ID] = true
				}
			}
			for _, e := range sum.Excluded {
				excluded[e.Amount.ID] = true
			}
			instead := 0
			for _, e := range sum.Excluded {
				switch c := e.CountedInstead; {
				case c == nil:
				case excluded[c.ID] || !counted[c.ID]:
					t.Errorf("as of %q by %s: amount %d (%s) names %d instead, which does not count", asOf, g, e.Amount.ID, e.Reason, c.ID)
				default:
					instead++
					if e.Reason == db.SameDealReportedAgain && c.AgreementID != nil && e.Amount.ProjectID != nil {
						chains++
					}
				}
			}
			if instead == 0 {
				t.Errorf("as of %q by %s: no amount left out for another one: the test shows nothing", asOf, g)
			}
		}
	}
	if chains == 0 {
		t.Error("no report of a covered project: the graph does not have the case the test is for")
	}
}
