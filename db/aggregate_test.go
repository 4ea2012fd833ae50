package db_test

import (
	"context"
	"errors"
	"maps"
	"reflect"
	"sync"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// dealsDataset is a small graph that exercises every rule of MoneySummary:
// an agreement between a Kazakh and a Chinese company (the Chinese one first
// reported in 2022) that covers a project, and a project of a multilateral
// bank reported three times.
func dealsDataset() *db.Dataset {
	cite := func(s db.Subject, id, source int64) db.SubjectCitation {
		return db.SubjectCitation{SubjectKey: db.SubjectKey{Subject: s, ID: id}, Citation: db.Citation{SourceID: source, Paragraph: 1}}
	}
	amount := func(id int64, project, agreement *int64, v float64, approx db.Approximation) *db.Amount {
		return &db.Amount{ID: id, ProjectID: project, AgreementID: agreement, Amount: v, Currency: "USD",
			Approximation: approx, Citation: db.Citation{SourceID: 1, Paragraph: 1}}
	}
	one, two := int64(1), int64(2)
	return &db.Dataset{
		Sources: []*db.Source{
			{ID: 1, Slug: "early", Title: "Early", PublishedOn: db.MustParsePartialDate("2020-01-01"), Paragraphs: 1},
			{ID: 2, Slug: "late", Title: "Late", PublishedOn: db.MustParsePartialDate("2022-06-01"), Paragraphs: 1},
		},
		Companies: []*db.Company{
			{ID: 1, Slug: "kz-co", Name: "KZ Co", Kind: "COMPANY", Country: new("KZ")},
			{ID: 2, Slug: "cn-co", Name: "CN Co", Kind: "COMPANY", Country: new("CN")},
			{ID: 3, Slug: "bank", Name: "Bank", Kind: "BANK"},
		},
		Projects: []*db.Project{
			{ID: 1, Slug: "plant", Name: "Plant", Sector: "POWER", Status: "PROPOSED"},
			{ID: 2, Slug: "refinery", Name: "Refinery", Sector: "REFINING", Status: "PROPOSED"},
		},
		Agreements:   []*db.Agreement{{ID: 1, Slug: "deal", Title: "Deal", Kind: "AGREEMENT", SignedOn: new(db.MustParsePartialDate("2021-03"))}},
		Participants: []*db.ProjectParticipant{{ID: 1, ProjectID: 2, CompanyID: 3, Role: "FINANCIER"}},
		Links: []db.Link{
			{Kind: db.AgreementParty, From: 1, To: 1}, {Kind: db.AgreementParty, From: 1, To: 2},
			{Kind: db.AgreementProject, From: 1, To: 1},
		},
		Amounts: []*db.Amount{
			amount(1, nil, &one, 100, "EXACT"),
			amount(2, &one, nil, 80, "ABOUT"),
			amount(3, &two, nil, 50, "AT_LEAST"),
			amount(4, &two, nil, 40, "EXACT"),
			amount(5, &two, nil, 500, "UP_TO"),
		},
		Citations: []db.SubjectCitation{
			cite(db.SubjectCompany, 1, 1), cite(db.SubjectCompany, 2, 2), cite(db.SubjectCompany, 3, 1),
			cite(db.SubjectProject, 1, 1), cite(db.SubjectProject, 2, 1), cite(db.SubjectAgreement, 1, 1),
			cite(db.SubjectParticipant, 1, 1),
		},
	}
}

func TestMoneySummary_Rules(t *testing.T) {
	s, _ := newStore(t)
	if err := s.Replace(t.Context(), dealsDataset()); err != nil {
		t.Fatal(err)
	}
	groups := func(ctx context.Context, g db.MoneyGrouping) map[string]float64 {
		t.Helper()
		sum, err := s.MoneySummary(ctx, g, "USD")
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, grp := range sum.Groups {
			out[grp.Key] = grp.Total
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		g     db.MoneyGrouping
		wants map[string]float64
	}{
		{"OKCountry", t.Context(), db.ByCounterpartyCountry, map[string]float64{"CN": 100, "MULTILATERAL": 40}},
		{"OKCountryBeforeCounterpartyReported", db.WithAsOf(t.Context(), db.MustParsePartialDate("2021")),
			db.ByCounterpartyCountry, map[string]float64{"UNKNOWN": 100, "MULTILATERAL": 40}},
		{"OKCompany", t.Context(), db.ByCompany, map[string]float64{"kz-co": 100, "cn-co": 100, "bank": 40}},
		{"OKSector", t.Context(), db.BySector, map[string]float64{"POWER": 100, "REFINING": 40}},
		// The project's amount has no date: it is not put in a year.
		{"OKYear", t.Context(), db.ByYear, map[string]float64{"2021": 100, "UNDATED": 40}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := groups(tc.ctx, tc.g)
			if len(got) != len(tc.wants) {
				t.Errorf("groups %v, want %v", got, tc.wants)
			}
			for k, want := range tc.wants {
				if got[k] != want {
					t.Errorf("group %s: %v, want %v (all: %v)", k, got[k], want, got)
				}
			}
		})
	}

	t.Run("OKYearByReportYear", func(t *testing.T) {
		sum, err := s.MoneySummaryWith(t.Context(), db.ByYear, "USD", db.MoneyOptions{UndatedByReportYear: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, g := range sum.Groups {
			got[g.Key] = g.ByReportYear
		}
		if want := map[string]bool{"2021": false, "REPORTED-2020": true}; !maps.Equal(got, want) {
			t.Errorf("groups by whether they stand for a report year: %v, want %v", got, want)
		}
	})

	t.Run("OKExcluded", func(t *testing.T) {
		sum, err := s.MoneySummary(t.Context(), db.ByCounterpartyCountry, "USD")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := sum.Total, 140.0; got != want {
			t.Errorf("total %v, want %v", got, want)
		}
		want := map[float64]db.ExclusionReason{80: db.CoveredByAgreement, 50: db.SameDealReportedAgain, 500: db.UpperBoundOnly}
		if len(sum.Excluded) != len(want) {
			t.Errorf("%d amounts excluded, want %d", len(sum.Excluded), len(want))
		}
		for _, e := range sum.Excluded {
			if got := e.Reason; got != want[e.Amount.Amount] {
				t.Errorf("%v excluded as %s, want %s", e.Amount.Amount, got, want[e.Amount.Amount])
			}
		}
	})
}

// TestMoneySummary_Concurrent runs one summary from many goroutines at once,
// as dashboards do: whether they share a computation or not, each gets the
// whole, same answer, and a caller that gives up does not spoil the others'.
func TestMoneySummary_Concurrent(t *testing.T) {
	s, _ := newStore(t)
	if err := s.Replace(t.Context(), dealsDataset()); err != nil {
		t.Fatal(err)
	}
	want, err := s.MoneySummary(t.Context(), db.ByCompany, "USD")
	if err != nil {
		t.Fatal(err)
	}
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	const callers = 16
	sums, errs := make([]*db.MoneySummary, callers), make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		ctx := t.Context()
		if i%4 == 0 {
			ctx = canceled
		}
		wg.Go(func() { sums[i], errs[i] = s.MoneySummary(ctx, db.ByCompany, "USD") })
	}
	wg.Wait()
	for i := range callers {
		if i%4 == 0 {
			if !errors.Is(errs[i], context.Canceled) {
				t.Errorf("caller %d with a canceled context: err = %v, want context.Canceled", i, errs[i])
			}
			continue
		}
		if errs[i] != nil {
			t.Errorf("caller %d: %v", i, errs[i])
		} else if !reflect.DeepEqual(sums[i], want) {
			t.Errorf("caller %d got %+v, want %+v", i, sums[i], want)
		}
	}
}
