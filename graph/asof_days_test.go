package graph_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/seed"
)

// TestAsOfPublicationDays counts every root list as of each source's
// publication day and the day before, and compares the counts with the seed
// files: an object is listed as of a day when a source published on or
// before it cites the object. The day itself counts, so these are the dates
// where a cut-off compared the wrong way shows.
func TestAsOfPublicationDays(t *testing.T) {
	d, err := seed.Parse(seed.Files())
	if err != nil {
		t.Fatal(err)
	}
	published := map[int64]string{}
	var days []string
	for _, s := range d.Sources {
		day := s.PublishedOn.Start()
		published[s.ID] = day
		before, err := time.Parse(time.DateOnly, day)
		if err != nil {
			t.Fatalf("source %s: publication date %s is not a day", s.Slug, s.PublishedOn)
		}
		days = append(days, day, before.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	first := map[db.SubjectKey]string{} // day each object is first cited
	for _, c := range d.Citations {
		if f, ok := first[c.SubjectKey]; !ok || published[c.SourceID] < f {
			first[c.SubjectKey] = published[c.SourceID]
		}
	}
	lists := []struct {
		field   string
		subject db.Subject
		ids     []int64
	}{
		{"companies", db.SubjectCompany, idsOf(d.Companies, func(v *db.Company) int64 { return v.ID })},
		{"people", db.SubjectPerson, idsOf(d.People, func(v *db.Person) int64 { return v.ID })},
		{"projects", db.SubjectProject, idsOf(d.Projects, func(v *db.Project) int64 { return v.ID })},
		{"meetings", db.SubjectMeeting, idsOf(d.Meetings, func(v *db.Meeting) int64 { return v.ID })},
		{"agreements", db.SubjectAgreement, idsOf(d.Agreements, func(v *db.Agreement) int64 { return v.ID })},
	}
	srv := graphtest.New(t)
	for _, day := range days {
		var got struct {
			AsOf map[string]struct{ TotalCount int }
		}
		q := "{ asOf(date: " + fmt.Sprintf("%q", day) + ") { sources { totalCount }"
		for _, l := range lists {
			q += " " + l.field + " { totalCount }"
		}
		srv.MustQuery(t, q+" } }", nil, &got)
		want := 0
		for _, p := range published {
			if p <= day {
				want++
			}
		}
		if n := got.AsOf["sources"].TotalCount; n != want {
			t.Errorf("as of %s: %d sources, want %d", day, n, want)
		}
		var counts struct {
			AsOf struct {
				Aggregates struct{ Counts map[string]int }
			}
		}
		srv.MustQuery(t, `query($d: PartialDate!) { asOf(date: $d) { aggregates { counts { companies people projects meetings agreements } } } }`,
			map[string]any{"d": day}, &counts)
		for _, l := range lists {
			want := 0
			for _, id := range l.ids {
				if f, ok := first[db.SubjectKey{Subject: l.subject, ID: id}]; ok && f <= day {
					want++
				}
			}
			if n := got.AsOf[l.field].TotalCount; n != want {
				t.Errorf("as of %s: %d %s, want %d", day, n, l.field, want)
			}
			if n := counts.AsOf.Aggregates.Counts[l.field]; n != want {
				t.Errorf("as of %s: aggregates count %d %s, want %d", day, n, l.field, want)
			}
		}
	}
}

func idsOf[T any](vs []T, id func(T) int64) []int64 {
	out := make([]int64, len(vs))
	for i, v := range vs {
		out[i] = id(v)
	}
	return out
}

// TestAsOfRelations follows relations and figures as of the day the first
// article about CITIC's document package was published (2023-05-20: CITIC
// Group a party, "over $1.6 billion"), the day of the second (2023-10-18,
// which adds CITIC Construction as a party, the $2 billion figure, CITIC's
// part in two projects, its agreement with KMG and three capacity figures of
// the Caspi Bitum expansion) and the day of the third (2024-07-02, a fourth
// capacity figure), each with the day before.
func TestAsOfRelations(t *testing.T) {
	srv := graphtest.New(t)
	type view struct {
		Agreement struct {
			Parties []struct{ Slug string }
			Amounts []struct{ Amount float64 }
		}
		Company struct {
			Projects   []struct{ Project struct{ Slug string } }
			Agreements []struct{ Slug string }
		}
	}
	for _, tc := range []struct {
		date                                   string
		parties, amounts, projects, agreements string
		figures, money                         string // "" where not checked
	}{
		{"2023-05-20", "[citic-group]", "[1.6e+09]", "[]", "[citic-five-documents-2023]", "0", "1.6e+09"},
		{"2023-10-17", "[citic-group]", "[1.6e+09]", "[]", "[citic-five-documents-2023]", "0", "1.6e+09"},
		// $2 billion replaces the lower bound; $7.7 billion of Sinopec's
		// deals are first reported.
		{"2023-10-18", "[citic-construction citic-group]", "[2e+09 1.6e+09]", "[caspi-bitum-expansion karazhambas-field]",
			"[citic-five-documents-2023 kmg-citic-caspi-bitum-agreement]", "3", "9.7e+09"},
		{"2024-07-01", "[citic-construction citic-group]", "[2e+09 1.6e+09]", "[caspi-bitum-expansion karazhambas-field]",
			"[citic-five-documents-2023 kmg-citic-caspi-bitum-agreement]", "3", "9.7e+09"},
		{"2024-07-02", "[citic-construction citic-group]", "[2e+09 1.6e+09]", "[caspi-bitum-expansion karazhambas-field]",
			"[citic-five-documents-2023 kmg-citic-caspi-bitum-agreement]", "4", ""},
	} {
		var got struct{ AsOf view }
		srv.MustQuery(t, `query($d: PartialDate!) { asOf(date: $d) {
			agreement(slug: "citic-five-documents-2023") { parties { slug } amounts { amount } }
			company(slug: "citic-group") { projects { project { slug } } agreements { slug } } } }`, map[string]any{"d": tc.date}, &got)
		var projects []string
		for _, p := range got.AsOf.Company.Projects {
			projects = append(projects, p.Project.Slug)
		}
		var amounts []float64
		for _, a := range got.AsOf.Agreement.Amounts {
			amounts = append(amounts, a.Amount)
		}
		var figures struct {
			AsOf struct {
				Project    struct{ CapacityHistory []struct{ AsOf string } }
				Aggregates struct{ Money struct{ Total float64 } }
			}
		}
		srv.MustQuery(t, `query($d: PartialDate!) { asOf(date: $d) { project(slug: "caspi-bitum-expansion") { capacityHistory { asOf } }
			aggregates { money(groupBy: YEAR) { total } } } }`, map[string]any{"d": tc.date}, &figures)
		for _, c := range []struct{ what, got, want string }{
			{"figures of the Caspi Bitum expansion", fmt.Sprint(len(figures.AsOf.Project.CapacityHistory)), tc.figures},
			{"money total", fmt.Sprint(figures.AsOf.Aggregates.Money.Total), tc.money},
			{"parties of the document package", fmt.Sprint(slugs(got.AsOf.Agreement.Parties)), tc.parties},
			{"amounts of the document package", fmt.Sprint(amounts), tc.amounts},
			{"CITIC Group's projects", fmt.Sprint(projects), tc.projects},
			{"CITIC Group's agreements", fmt.Sprint(slugs(got.AsOf.Company.Agreements)), tc.agreements},
		} {
			if c.want != "" && c.got != c.want {
				t.Errorf("as of %s, %s = %s, want %s", tc.date, c.what, c.got, c.want)
			}
		}
	}
}
