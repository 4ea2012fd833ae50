package db_test

import (
	"cmp"
	"path/filepath"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// periodDates are dates of every precision around the turn of 2019 to
// 2020, several starting on the same day with different lengths, and a
// leap day.
var periodDates = []string{
	"2019", "2019-H1", "2019-H2", "2019-Q1", "2019-Q3", "2019-01", "2019-07", "2019-12",
	"2019-01-01", "2019-06-30", "2019-07-01", "2019-07-15", "2019-12-31",
	"2020", "2020-H1", "2020-Q1", "2020-02", "2020-02-29", "2020-03-01",
}

// periodRanges are the from/to bounds the tests filter by ("" for none).
var periodRanges = [][2]string{
	{"", ""}, {"2019-08", ""}, {"", "2019-06"}, {"2019-07", "2019-07"}, {"2019-H2", "2019-Q4"},
	{"2019-12-31", "2020-01-01"}, {"2020-02-29", ""}, {"2019-02", "2019-02"}, {"2019-07-02", "2019-07-14"},
}

// periodDataset is the seed with every dated row of every timeline kind
// redated, in turn, to periodDates; the last agreement stays undated.
func periodDataset(t *testing.T) *db.Dataset {
	t.Helper()
	d := seedDataset(t)
	i := 0
	next := func() db.PartialDate {
		i++
		return db.MustParsePartialDate(periodDates[i%len(periodDates)])
	}
	for _, m := range d.Meetings {
		m.Date = next()
	}
	for _, a := range d.Agreements[:len(d.Agreements)-1] {
		v := next()
		a.SignedOn = &v
	}
	d.Agreements[len(d.Agreements)-1].SignedOn = nil
	for _, m := range d.Milestones {
		v := next()
		m.Date = &v
	}
	for _, m := range d.Measurements {
		m.AsOf = next()
	}
	for _, p := range d.Positions {
		p.ReportedOn = next()
	}
	for _, s := range d.Sources {
		s.PublishedOn = next()
	}
	for _, s := range d.Statements {
		v := next()
		s.Date = &v
	}
	for _, e := range d.Events {
		v := next()
		e.Start = &v
	}
	return d
}

// periodsByKind returns the dates of d's events of each timeline kind.
func periodsByKind(d *db.Dataset) map[db.TimelineKind][]db.PartialDate {
	out := map[db.TimelineKind][]db.PartialDate{}
	for _, m := range d.Meetings {
		out["MEETING"] = append(out["MEETING"], m.Date)
	}
	for _, a := range d.Agreements {
		if a.SignedOn != nil {
			out["SIGNING"] = append(out["SIGNING"], *a.SignedOn)
		}
	}
	for _, m := range d.Milestones {
		if m.Date != nil {
			out["MILESTONE"] = append(out["MILESTONE"], *m.Date)
		}
	}
	for _, m := range d.Measurements {
		out["MEASUREMENT"] = append(out["MEASUREMENT"], m.AsOf)
	}
	for _, p := range d.Positions {
		out["POSITION"] = append(out["POSITION"], p.ReportedOn)
	}
	for _, s := range d.Sources {
		out["PUBLICATION"] = append(out["PUBLICATION"], s.PublishedOn)
	}
	for _, s := range d.Statements {
		if s.Date != nil {
			out["STATEMENT"] = append(out["STATEMENT"], *s.Date)
		}
	}
	for _, e := range d.Events {
		if e.Start != nil {
			out["EVENT"] = append(out["EVENT"], *e.Start)
		}
	}
	return out
}

// optionalDate parses s, or returns nil for "".
func optionalDate(s string) *db.PartialDate {
	if s == "" {
		return nil
	}
	d := db.MustParsePartialDate(s)
	return &d
}

// overlaps reports whether the period d overlaps the range [from, to],
// either end open when nil.
func overlaps(d db.PartialDate, from, to *db.PartialDate) bool {
	return (from == nil || d.End() >= from.Start()) && (to == nil || d.Start() <= to.End())
}

// TestTimeline_EveryKindIsAPeriod proves that every kind of event is dated
// by the period its date names: a range keeps the events whose period
// overlaps it, and events sort by the period's first day, then its last,
// then by kind, whatever their kind.
func TestTimeline_EveryKindIsAPeriod(t *testing.T) {
	s, _ := newStore(t)
	d := periodDataset(t)
	if err := s.Replace(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	periods := periodsByKind(d)

	t.Run("OKOverlap", func(t *testing.T) {
		for _, r := range periodRanges {
			from, to := optionalDate(r[0]), optionalDate(r[1])
			for _, kind := range db.TimelineKinds {
				want := 0
				for _, p := range periods[kind] {
					if overlaps(p, from, to) {
						want++
					}
				}
				events, total, err := s.Timeline(t.Context(), db.TimelineFilter{Kinds: []db.TimelineKind{kind}, From: from, To: to}, 0, 1000)
				if err != nil {
					t.Fatal(err)
				}
				if total != want || len(events) != want {
					t.Errorf("%s from %q to %q: %d events (total %d), want %d", kind, r[0], r[1], len(events), total, want)
				}
				for _, e := range events {
					if !overlaps(e.Date, from, to) {
						t.Errorf("%s from %q to %q: %s is outside the range", kind, r[0], r[1], e.Date)
					}
				}
			}
		}
	})

	t.Run("OKOrder", func(t *testing.T) {
		events, total, err := s.Timeline(t.Context(), db.TimelineFilter{}, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, p := range periods {
			want += len(p)
		}
		if total != want || len(events) != want {
			t.Fatalf("%d events of %d, want %d", len(events), total, want)
		}
		kinds := map[db.TimelineKind]bool{}
		for i, e := range events {
			kinds[e.Kind] = true
			if i == 0 {
				continue
			}
			p := events[i-1]
			if c := cmp.Or(cmp.Compare(p.Date.Start(), e.Date.Start()), cmp.Compare(p.Date.End(), e.Date.End()),
				cmp.Compare(p.Kind, e.Kind)); c > 0 {
				t.Errorf("event %d (%s %s) sorts after %s %s", i, e.Kind, e.Date, p.Kind, p.Date)
			}
		}
		if len(kinds) != len(db.TimelineKinds) {
			t.Errorf("the timeline has %d kinds of event, want all %d", len(kinds), len(db.TimelineKinds))
		}
	})
}

// TestFindAgreements_SigningPeriodOverlaps proves that the agreements
// filter keeps those whose signing period overlaps from/to, and leaves out
// undated ones.
func TestFindAgreements_SigningPeriodOverlaps(t *testing.T) {
	t.Run("OKSeed", func(t *testing.T) {
		s, _ := seededStore(t)
		// One agreement is signed "2025", which June 2025 falls in; the two
		// others of the 2025 article are undated and left out.
		page, err := s.FindAgreements(t.Context(), db.AgreementFilter{From: optionalDate("2025-06")}, db.Order{}, db.PageArgs{First: 100})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := totalCount(t, page), 1; got != want {
			t.Errorf("agreements from 2025-06: %d, want %d", got, want)
		}
	})

	t.Run("OKEveryRange", func(t *testing.T) {
		s, _ := newStore(t)
		d := periodDataset(t)
		if err := s.Replace(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		for _, r := range periodRanges {
			from, to := optionalDate(r[0]), optionalDate(r[1])
			want := 0
			for _, a := range d.Agreements {
				if a.SignedOn != nil && overlaps(*a.SignedOn, from, to) || a.SignedOn == nil && from == nil && to == nil {
					want++
				}
			}
			page, err := s.FindAgreements(t.Context(), db.AgreementFilter{From: from, To: to}, db.Order{}, db.PageArgs{First: 100})
			if err != nil {
				t.Fatal(err)
			}
			if got := totalCount(t, page); got != want {
				t.Errorf("agreements from %q to %q: %d, want %d", r[0], r[1], got, want)
			}
		}
	})
}

// TestOpen_UpgradeDerivesPeriodEnds opens a loaded database that predates
// migration 0006: the migration derives the last day of every date it
// finds, the same days a load writes.
func TestOpen_UpgradeDerivesPeriodEnds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(t.Context(), periodDataset(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want := dump(t, path)
	// Take the database back to before migration 0006.
	rollBack(t, path,
		`ALTER TABLE milestones DROP COLUMN date_end`, `ALTER TABLE agreements DROP COLUMN signed_end`,
		`ALTER TABLE positions DROP COLUMN reported_end`, `ALTER TABLE sources DROP COLUMN published_end`,
		`DELETE FROM schema_migrations WHERE version = 6`)
	wantUpgraded(t, path, want)
}

// totalCount counts the whole list a page is of.
func totalCount[T any](t *testing.T, p *db.Page[T]) int {
	t.Helper()
	n, err := p.TotalCount(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
