package graph_test

import (
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
)

// TestPartialDatesArePeriods proves that a partial date filters as the
// period it names, for milestones as for agreements.
func TestPartialDatesArePeriods(t *testing.T) {
	srv := graphtest.New(t)
	var got struct {
		Timeline struct {
			TotalCount int
			Edges      []struct{ Node struct{ Date string } }
		}
		Agreements struct {
			TotalCount int
			Edges      []struct{ Node struct{ SignedOn string } }
		}
	}
	srv.MustQuery(t, `{
		timeline(from: "2024-08", kinds: [MILESTONE]) { totalCount edges { node { date } } }
		agreements(filter: {from: "2025-06"}) { totalCount edges { node { signedOn } } }
	}`, nil, &got)
	var dates []string
	for _, e := range got.Timeline.Edges {
		dates = append(dates, e.Node.Date)
	}
	// 2024-H2 runs to December, so August 2024 falls in it.
	if all, want := strings.Join(dates, " "), "2024-H2 2024-Q4 2025-03"; all != want || got.Timeline.TotalCount != 3 {
		t.Errorf("milestones from 2024-08: %s (totalCount %d), want %s", all, got.Timeline.TotalCount, want)
	}
	// One agreement is signed in 2025; the 2025 article dates no other.
	if got.Agreements.TotalCount != 1 {
		t.Errorf("agreements from 2025-06: totalCount %d, want the 1 signed in 2025", got.Agreements.TotalCount)
	}
	for _, e := range got.Agreements.Edges {
		if e.Node.SignedOn != "2025" {
			t.Errorf("agreement signed %q kept from 2025-06", e.Node.SignedOn)
		}
	}
}

// TestCurrencyOneRule proves that a currency means the same wherever it is
// given: an ISO 4217 code in any case, anything else refused naming the
// argument.
func TestCurrencyOneRule(t *testing.T) {
	srv := graphtest.New(t)
	const query = `query($c: String!) {
		agreements(filter: {minAmount: 1, currency: $c}) { totalCount }
		aggregates { money(groupBy: YEAR, currency: $c) { currency total } }
	}`
	type result struct {
		Agreements struct{ TotalCount int }
		Aggregates struct {
			Money struct {
				Currency string
				Total    float64
			}
		}
	}
	var usd result
	srv.MustQuery(t, query, map[string]any{"c": "USD"}, &usd)
	if usd.Agreements.TotalCount == 0 || usd.Aggregates.Money.Total == 0 {
		t.Fatalf("no amounts in USD: %+v", usd)
	}
	t.Run("OKAnyCase", func(t *testing.T) {
		for _, c := range []string{"usd", "Usd", " usd "} {
			var got result
			srv.MustQuery(t, query, map[string]any{"c": c}, &got)
			if got != usd {
				t.Errorf("currency %q: %+v, want as for USD %+v", c, got, usd)
			}
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		for _, c := range []string{"", "US", "US$", "dollars", "U5D"} {
			for field, q := range map[string]string{
				"filter.currency": `query($c: String!) { agreements(filter: {minAmount: 1, currency: $c}) { totalCount } }`,
				"currency":        `query($c: String!) { aggregates { money(groupBy: YEAR, currency: $c) { total } } }`,
			} {
				e := srv.MustFail(t, q, map[string]any{"c": c})
				if e.Code() != "BAD_USER_INPUT" || !strings.HasPrefix(e.Message, field+" ") {
					t.Errorf("%s %q: %s (%s), want BAD_USER_INPUT naming %s", field, c, e.Message, e.Code(), field)
				}
			}
		}
	})
}
