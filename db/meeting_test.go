package db_test

import (
	"slices"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestStore_FindMeetings(t *testing.T) {
	s, d := seededStore(t)
	date := func(v string) *db.PartialDate {
		pd := db.MustParsePartialDate(v)
		return &pd
	}
	all := db.PageArgs{First: db.MaxPageSize}

	t.Run("OKDateOrder", func(t *testing.T) {
		page, err := s.FindMeetings(t.Context(), db.MeetingFilter{}, db.Order{}, all)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(page.Items), len(d.Meetings); got != want {
			t.Fatalf("%d meetings, want %d", got, want)
		}
		// Ordered by the first day each date covers, worked out here from
		// the date's text (the seed's meetings give years, months or days).
		firstDay := func(m *db.Meeting) string {
			v := m.Date.String()
			return v + "-01-01"[len(v)-4:]
		}
		for i := 1; i < len(page.Items); i++ {
			a, b := page.Items[i-1], page.Items[i]
			if firstDay(a) > firstDay(b) {
				t.Errorf("%s (%s) listed before %s (%s)", a.Slug, a.Date, b.Slug, b.Date)
			}
		}
	})

	// Each range lists the meetings whose dates overlap it; a meeting known
	// only to the year or month overlaps every range that touches it.
	for _, tt := range []struct {
		name     string
		from, to string
		want     []string
	}{
		{"OKYear", "2024", "2024-12", []string{
			"2024-07-02-bektenov-dai-houliang", "2024-07-bektenov-xi-guohua",
			"2024-08-khassenov-wang-dongjin", "2024-08-khassenov-xi-guohua",
		}},
		{"OKMonth", "2023-10", "2023-10", []string{
			"2023-10-17-tokayev-ma-yongsheng", "2023-10-17-tokayev-zhu-hexin",
		}},
		{"OKOpenEndedFrom", "2025-03", "", []string{
			"2025-kazakh-chinese-business-council", "2025-tokayev-xi-jinping",
		}},
		{"OKQuarterFindsMonth", "2024-Q3", "2024-Q3", []string{
			"2024-07-02-bektenov-dai-houliang", "2024-07-bektenov-xi-guohua",
			"2024-08-khassenov-wang-dongjin", "2024-08-khassenov-xi-guohua",
		}},
		{"OKDayFindsMonth", "2024-08-15", "2024-08-15", []string{
			"2024-08-khassenov-wang-dongjin", "2024-08-khassenov-xi-guohua",
		}},
		{"OKOpenEndedTo", "", "2023-05-17", []string{
			"2023-05-17-tokayev-xi-jinping",
		}},
		{"OKDay", "2023-05-18", "2023-05-18", []string{
			"2023-05-18-tokayev-dai-houliang", "2023-05-18-tokayev-jin-liqun", "2023-05-18-tokayev-liang-hua",
			"2023-05-18-tokayev-qian-zhimin", "2023-05-18-tokayev-wu-zheng", "2023-05-18-tokayev-zhang-jinjun",
			"2023-05-18-tokayev-zhu-hexin",
		}},
		{"OKDayAfterMeeting", "2024-07-03", "2024-07-31", []string{
			"2024-07-bektenov-xi-guohua",
		}},
		{"OKNone", "2022", "2022", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var f db.MeetingFilter
			if tt.from != "" {
				f.From = date(tt.from)
			}
			if tt.to != "" {
				f.To = date(tt.to)
			}
			page, err := s.FindMeetings(t.Context(), f, db.Order{}, all)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range page.Items {
				got = append(got, m.Slug)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("meetings from %q to %q:\n got %v\nwant %v", tt.from, tt.to, got, tt.want)
			}
			n, err := page.TotalCount(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := n, len(tt.want); got != want {
				t.Errorf("TotalCount = %d, want %d", got, want)
			}
		})
	}

	for _, tt := range []struct{ name, from, to string }{
		{"ErrFromAfterToYear", "2025", "2024"},
		{"ErrFromAfterToQuarter", "2024-Q4", "2024-Q3"},
		{"ErrFromAfterToDay", "2023-05-18", "2023-05-17"},
		{"ErrFromAfterToDayInMonth", "2024-07-31", "2024-07-02"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.FindMeetings(t.Context(), db.MeetingFilter{From: date(tt.from), To: date(tt.to)}, db.Order{}, all)
			wantCode(t, err, db.EINVALID)
		})
	}
}
