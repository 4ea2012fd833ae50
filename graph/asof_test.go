package graph_test

import (
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graphtest"
)

// TestAsOfLaterText checks that the asOf view of the seed searches, sorts
// and filters by what was reported by its date only.
func TestAsOfLaterText(t *testing.T) {
	srv := graphtest.New(t)

	t.Run("SearchMatchesTextOfTheDay", func(t *testing.T) {
		// Xi Guohua's "Chairman of the Board of Directors" is first
		// reported 2024-08-22; before that his position reads "Chairman".
		var got struct {
			Before, On struct{ Search struct{ TotalCount int } }
		}
		srv.MustQuery(t, `{
			before: asOf(date: "2024-07") { search(query: "directors") { totalCount } }
			on: asOf(date: "2024-08-22") { search(query: "directors") { totalCount } } }`, nil, &got)
		if got.Before.Search.TotalCount != 0 {
			t.Errorf("directors as of 2024-07: %d hits, want 0", got.Before.Search.TotalCount)
		}
		if got.On.Search.TotalCount != 1 {
			t.Errorf("directors as of 2024-08-22: %d hits, want 1", got.On.Search.TotalCount)
		}
	})

	t.Run("AmountOrderByAmountsOfTheDay", func(t *testing.T) {
		// The five-document agreement: $1.6 billion reported 2023-05-20,
		// $2 billion only 2023-10-18.
		var got struct {
			AsOf struct {
				Agreements struct {
					Edges []struct {
						Cursor string
						Node   struct{ Slug string }
					}
				}
			}
		}
		srv.MustQuery(t, `{ asOf(date: "2023-06") { agreements(orderBy: {field: AMOUNT, direction: DESC}, first: 1) {
			edges { cursor node { slug } } } } }`, nil, &got)
		edges := got.AsOf.Agreements.Edges
		if len(edges) != 1 || edges[0].Node.Slug != "citic-five-documents-2023" {
			t.Fatalf("largest agreement as of 2023-06: %+v", edges)
		}
		c, err := db.ParseCursor(edges[0].Cursor)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.Key, "00000001600000000.00"; got != want {
			t.Errorf("cursor key %q, want %q (the amount reported by then)", got, want)
		}
	})

	t.Run("ProjectsReportedFilterStopsAtTheDate", func(t *testing.T) {
		var got struct {
			AsOf     struct{ Projects struct{ TotalCount int } }
			Projects struct{ TotalCount int }
		}
		srv.MustQuery(t, `{ asOf(date: "2023-12") { projects(filter: {from: "2024"}) { totalCount } }
			projects(filter: {from: "2024"}) { totalCount } }`, nil, &got)
		if got.AsOf.Projects.TotalCount != 0 {
			t.Errorf("projects reported from 2024, as of 2023-12: %d, want 0", got.AsOf.Projects.TotalCount)
		}
		if got.Projects.TotalCount == 0 {
			t.Error("projects reported from 2024: none, want some")
		}
	})
}

// TestAsOfPublicationDay checks the cutoff's boundary: what a source
// published on the asOf date reports is visible, and not the day before.
// The seed's first source is published 2023-05-20.
func TestAsOfPublicationDay(t *testing.T) {
	srv := graphtest.New(t)
	type figures struct {
		Edges []struct {
			Node struct{ Measurements []struct{ Value float64 } }
		}
	}
	type view struct {
		Aggregates struct {
			Counts struct{ Companies, Measurements, Amounts, Sources int }
			Money  struct{ Total float64 }
		}
		Companies struct {
			TotalCount int
			figures
		}
		Projects figures
		Company  *struct{ Slug string }
	}
	var got struct{ On, Before view }
	q := `{ companies(first: 100) { totalCount edges { node { measurements { value } } } }
		projects(first: 100) { edges { node { measurements { value } } } }
		aggregates { counts { companies measurements amounts sources } money(groupBy: YEAR) { total } }
		company(slug: "kazakhstan") { slug } }`
	srv.MustQuery(t, `{ on: asOf(date: "2023-05-20") `+q+` before: asOf(date: "2023-05-19") `+q+` }`, nil, &got)
	count := func(f figures) int {
		n := 0
		for _, e := range f.Edges {
			n += len(e.Node.Measurements)
		}
		return n
	}
	on := got.On
	// 13 organizations and the three states ranked above China (002 ¶17).
	if on.Companies.TotalCount != 16 || on.Aggregates.Counts.Companies != 16 {
		t.Errorf("companies as of 2023-05-20: list %d, count %d; want 16", on.Companies.TotalCount, on.Aggregates.Counts.Companies)
	}
	if on.Company == nil {
		t.Error("Kazakhstan not found as of 2023-05-20")
	}
	// Five figures and the ranks of those three states.
	if c := on.Aggregates.Counts; c.Sources != 1 || c.Amounts != 1 || c.Measurements != 8 {
		t.Errorf("as of 2023-05-20: %+v, want 1 source, 1 amount, 8 measurements", c)
	}
	if n := count(on.Companies.figures) + count(on.Projects); n != 8 {
		t.Errorf("figures listed as of 2023-05-20: %d, want 8", n)
	}
	if on.Aggregates.Money.Total != 1.6e9 {
		t.Errorf("money as of 2023-05-20: %v, want 1.6e9", on.Aggregates.Money.Total)
	}
	before := got.Before
	if before.Companies.TotalCount != 0 || before.Company != nil || before.Aggregates.Counts != (struct{ Companies, Measurements, Amounts, Sources int }{}) {
		t.Errorf("as of 2023-05-19, before any source: %+v", before)
	}
}
