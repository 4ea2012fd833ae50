package db_test

import (
	"context"
	"slices"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// Days on which the sources of lateDataset are published.
const (
	early = "2020-01-01"
	mid   = "2021-06-01"
	late  = "2022-01-01"
)

// lateDataset is a small graph whose relations and figures are reported
// before one of the objects they tie together: source 1 (early) reports a
// position, a participation, a parent, a meeting, figures and amounts whose
// other ends only source 3 (late) reports; source 2 (mid) reports a title.
//
//	companies 1 "Alpha" (early, parent 2), 2 "Beta" (late)
//	people    1 "Pat Late" (late), 2 "Dana Early" (early)
//	projects  1 "Late Line" (late), 2 "Early Plant" (early, cited again late)
//	meetings  1 (late), 2 (early, attended by Pat Late and Dana Early); agreements 1 "Early Deal" (early, at meeting 1), 2 "Late Deal" (late), 3 "Other Deal" (early)
//	positions 1 Pat Late at Alpha (early), 2 Dana Early "Board of Directors" at Alpha (mid)
//	participants 1 Alpha in Late Line (early)
//	milestone and measurement of Late Line (early)
//	amounts: Early Deal 5 (early) and 100 (mid), Late Deal 70 (early), Other Deal 50 (early)
func lateDataset() *db.Dataset {
	src := func(id int64, day string) *db.Source {
		return &db.Source{ID: id, Slug: "s" + day, Title: "Report of " + day, PublishedOn: db.MustParsePartialDate(day), Paragraphs: 3}
	}
	cite := func(s db.Subject, id, source int64) db.SubjectCitation {
		return db.SubjectCitation{SubjectKey: db.SubjectKey{Subject: s, ID: id}, Citation: db.Citation{SourceID: source, Paragraph: 1}}
	}
	ptr := func(id int64) *int64 { return &id }
	at := func(source int64) db.Citation { return db.Citation{SourceID: source, Paragraph: 2} }
	day := db.MustParsePartialDate("2020-01")
	return &db.Dataset{
		Sources: []*db.Source{src(1, early), src(2, mid), src(3, late)},
		Companies: []*db.Company{
			{ID: 1, Slug: "alpha", Name: "Alpha", Kind: "COMPANY", ParentID: ptr(2)},
			{ID: 2, Slug: "beta", Name: "Beta", Kind: "COMPANY"},
		},
		People: []*db.Person{{ID: 1, Slug: "pat-late", Name: "Pat Late"}, {ID: 2, Slug: "dana-early", Name: "Dana Early"}},
		Projects: []*db.Project{
			{ID: 1, Slug: "late-line", Name: "Late Line", Sector: "PIPELINES", Status: "PROPOSED"},
			{ID: 2, Slug: "early-plant", Name: "Early Plant", Sector: "POWER", Status: "PROPOSED"},
		},
		Meetings: []*db.Meeting{{ID: 1, Slug: "late-meeting", Date: day}, {ID: 2, Slug: "early-meeting", Date: day}},
		Agreements: []*db.Agreement{
			{ID: 1, Slug: "early-deal", Title: "Early Deal", Kind: "AGREEMENT", SignedOn: &day, MeetingID: ptr(1)},
			{ID: 2, Slug: "late-deal", Title: "Late Deal", Kind: "AGREEMENT"},
			{ID: 3, Slug: "other-deal", Title: "Other Deal", Kind: "AGREEMENT"},
		},
		Positions: []*db.Position{
			{ID: 1, PersonID: 1, OrganizationID: 1, Title: "Chairman", ReportedOn: day},
			{ID: 2, PersonID: 2, OrganizationID: 1, Title: "Chairman of the Board of Directors", ReportedOn: day},
		},
		Participants: []*db.ProjectParticipant{{ID: 1, ProjectID: 1, CompanyID: 1, Role: "OWNER"}},
		Measurements: []*db.Measurement{{ID: 1, ProjectID: ptr(1), Metric: "POWER_CAPACITY", Value: 10, Unit: "MW",
			Approximation: "EXACT", AsOf: day, Status: "TARGET", Citation: at(1)}},
		Milestones: []*db.Milestone{{ID: 1, ProjectID: 1, Name: "Start", Date: &day, Status: "PLANNED", Citation: at(1)}},
		Amounts: []*db.Amount{
			{ID: 1, AgreementID: ptr(1), Amount: 5, Currency: "USD", Approximation: "EXACT", Citation: at(1)},
			{ID: 2, AgreementID: ptr(1), Amount: 100, Currency: "USD", Approximation: "EXACT", Citation: at(2)},
			{ID: 3, AgreementID: ptr(2), Amount: 70, Currency: "USD", Approximation: "EXACT", Citation: at(1)},
			{ID: 4, AgreementID: ptr(3), Amount: 50, Currency: "USD", Approximation: "EXACT", Citation: at(1)},
		},
		Citations: []db.SubjectCitation{
			cite(db.SubjectCompany, 1, 1), cite(db.SubjectCompany, 2, 3),
			cite(db.SubjectPerson, 1, 3), cite(db.SubjectPerson, 2, 1),
			cite(db.SubjectProject, 1, 3), cite(db.SubjectProject, 2, 1), cite(db.SubjectProject, 2, 3),
			cite(db.SubjectMeeting, 1, 3), cite(db.SubjectMeeting, 2, 1),
			cite(db.SubjectAgreement, 1, 1), cite(db.SubjectAgreement, 2, 3), cite(db.SubjectAgreement, 3, 1),
			cite(db.SubjectPosition, 1, 1), cite(db.SubjectPosition, 2, 2),
			cite(db.SubjectParticipant, 1, 1),
		},
		Links: []db.Link{{Kind: db.AgreementParty, From: 1, To: 1}, {Kind: db.AgreementParty, From: 1, To: 2},
			{Kind: db.MeetingParticipant, From: 2, To: 1}, {Kind: db.MeetingParticipant, From: 2, To: 2}},
	}
}

// lateStore returns a store holding lateDataset.
func lateStore(t *testing.T) *db.Store {
	t.Helper()
	s, _ := newStore(t)
	if err := s.Replace(t.Context(), lateDataset()); err != nil {
		t.Fatalf("replace: %v", err)
	}
	return s
}

func asOf(t *testing.T, date string) context.Context {
	return db.WithAsOf(t.Context(), db.MustParsePartialDate(date))
}

// TestAsOfRelationNeedsBothEnds checks that a relation reported before one
// of its ends stays hidden until that end is reported too.
func TestAsOfRelationNeedsBothEnds(t *testing.T) {
	s := lateStore(t)
	before, after := asOf(t, "2021-05"), asOf(t, late)

	t.Run("CompanyParent", func(t *testing.T) {
		for _, tc := range []struct {
			ctx  context.Context
			want int
		}{{before, 0}, {after, 1}} {
			got, err := s.FindCompaniesByIDs(tc.ctx, []int64{2})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want {
				t.Errorf("parent of Alpha: %d visible, want %d", len(got), tc.want)
			}
		}
	})
	t.Run("AgreementMeeting", func(t *testing.T) {
		got, err := s.FindMeetingsByIDs(before, []int64{1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 {
			t.Errorf("meeting of Early Deal visible before it is reported: %v", got)
		}
	})
	t.Run("PositionPersonAndOrganization", func(t *testing.T) {
		for _, tc := range []struct {
			ctx  context.Context
			want []int64
		}{{before, []int64{}}, {asOf(t, mid), []int64{2}}, {after, []int64{1, 2}}} {
			got, err := s.FindPositionsByOrganizationIDs(tc.ctx, []int64{1})
			if err != nil {
				t.Fatal(err)
			}
			if ids := sorted(personIDs(got[1])); !slices.Equal(ids, tc.want) {
				t.Errorf("people holding positions at Alpha: %v, want %v", ids, tc.want)
			}
		}
		got, err := s.FindPeopleByIDs(before, []int64{1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 {
			t.Errorf("Pat Late visible before reported: %v", got)
		}
	})
	t.Run("ParticipantCompanyAndProject", func(t *testing.T) {
		got, err := s.FindParticipantsByCompanyIDs(before, []int64{1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got[1]) != 0 {
			t.Errorf("Alpha takes part in %d projects before Late Line is reported, want 0", len(got[1]))
		}
		got, err = s.FindParticipantsByCompanyIDs(after, []int64{1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got[1]) != 1 {
			t.Errorf("Alpha takes part in %d projects once Late Line is reported, want 1", len(got[1]))
		}
	})
	t.Run("Figures", func(t *testing.T) {
		ms, err := s.FindMeasurementsByProjectIDs(before, []int64{1})
		if err != nil {
			t.Fatal(err)
		}
		mi, err := s.FindMilestonesByProjectIDs(before, []int64{1})
		if err != nil {
			t.Fatal(err)
		}
		am, err := s.FindAmountsByAgreementIDs(before, []int64{2})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms[1])+len(mi[1])+len(am[2]) != 0 {
			t.Errorf("figures of unreported objects: %d measurements, %d milestones, %d amounts", len(ms[1]), len(mi[1]), len(am[2]))
		}
	})
	t.Run("Timeline", func(t *testing.T) {
		events, total, err := s.Timeline(before, db.TimelineFilter{}, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.Subject == (db.NodeRef{Type: "Project", ID: 1}) || e.Subject == (db.NodeRef{Type: "Person", ID: 1}) {
				t.Errorf("timeline event %s %q about an unreported subject %v", e.Kind, e.Title, e.Subject)
			}
		}
		// Dana Early's position is reported mid, after 2021-05; what is
		// left: the early source's publication, the Early Deal signing and
		// the early meeting, attended by Dana Early only as yet.
		want := []string{"Meeting: Dana Early", "Published: Report of 2020-01-01", "Signed: Early Deal"}
		if got := eventTitles(events); total != len(want) || !sameSet(got, want) {
			t.Errorf("timeline as of 2021-05: %d events %q, want %q", total, got, want)
		}
	})
	t.Run("Edges", func(t *testing.T) {
		edges, err := s.Edges(before, []db.NodeRef{{Type: "Company", ID: 1}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range edges {
			for _, end := range []db.NodeRef{e.From, e.To} {
				if end == (db.NodeRef{Type: "Person", ID: 1}) || end == (db.NodeRef{Type: "Project", ID: 1}) ||
					end == (db.NodeRef{Type: "Company", ID: 2}) {
					t.Errorf("edge %s to an unreported %v", e.Type, end)
				}
			}
		}
		if len(edges) != 1 { // Alpha, party to Early Deal
			t.Errorf("edges of Alpha as of 2021-05: %d, want 1", len(edges))
		}
	})
	t.Run("CountsAndMoney", func(t *testing.T) {
		c, err := s.Count(before)
		if err != nil {
			t.Fatal(err)
		}
		if c.Measurements != 0 || c.Amounts != 2 {
			t.Errorf("counts as of 2021-05: %d measurements, %d amounts; want 0 and 2", c.Measurements, c.Amounts)
		}
		m, err := s.MoneySummary(before, db.ByYear, "USD")
		if err != nil {
			t.Fatal(err)
		}
		excluded := 0
		for _, x := range m.Excluded {
			if x.Amount != nil && x.Amount.Amount == 70 {
				excluded++
			}
		}
		if m.Total != 55 || excluded != 0 {
			t.Errorf("money as of 2021-05: total %v (want 55, Early Deal's 5 and Other Deal's 50), Late Deal's amount listed %d times", m.Total, excluded)
		}
	})
}

func eventTitles(events []*db.TimelineEvent) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Title)
	}
	return out
}

// TestAsOfSearch checks that search under asOf matches only the text
// reported by then: a title reported mid is found from that day on.
func TestAsOfSearch(t *testing.T) {
	s := lateStore(t)
	for _, tc := range []struct {
		date, query string
		want        int
	}{
		{"2021-05", "directors", 0}, {mid, "directors", 1}, {"", "directors", 1},
		{"2021-05", "dana chairman", 0}, {mid, "dana chairman", 1},
		{"2021-05", "chairman", 0}, {late, "chairman", 1}, // Pat Late's title
	} {
		ctx := t.Context()
		if tc.date != "" {
			ctx = asOf(t, tc.date)
		}
		hits, total, err := s.Search(ctx, tc.query, []string{"PERSON"}, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if tc.query == "chairman" && tc.date == late {
			tc.want = 2 // both people, each once
		}
		if total != tc.want || len(hits) != tc.want {
			t.Errorf("search %q as of %q: %d hits, total %d, want %d", tc.query, tc.date, len(hits), total, tc.want)
		}
	}
	// A meeting is found by its participants' names once they are reported.
	for _, tc := range []struct {
		date string
		want int
	}{{"2021-05", 0}, {late, 1}} {
		_, total, err := s.Search(asOf(t, tc.date), "pat", []string{"MEETING"}, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if total != tc.want {
			t.Errorf("meetings attended by Pat as of %s: %d, want %d", tc.date, total, tc.want)
		}
	}
}

// TestAsOfAmountOrder checks that agreements sort by the amounts reported
// by the cutoff, and that their cursors carry those amounts.
func TestAsOfAmountOrder(t *testing.T) {
	s := lateStore(t)
	o := db.Order{Field: "AMOUNT", Desc: true}
	for _, tc := range []struct {
		date string
		want []string
		key  string // the cursor key of Early Deal
	}{
		{"2021-05", []string{"other-deal", "early-deal"}, "5.00"},
		{late, []string{"early-deal", "late-deal", "other-deal"}, "100.00"},
	} {
		p, err := s.FindAgreements(asOf(t, tc.date), db.AgreementFilter{}, o, db.PageArgs{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for i, a := range p.Items {
			slugs = append(slugs, a.Slug)
			if a.Slug == "early-deal" {
				if got := p.Cursors[i].Key; trimZeros(got) != tc.key {
					t.Errorf("as of %s, Early Deal's cursor key is %q, want %s", tc.date, got, tc.key)
				}
			}
		}
		if !slices.Equal(slugs, tc.want) {
			t.Errorf("as of %s by amount: %v, want %v", tc.date, slugs, tc.want)
		}
		// The second page continues from the first's cursor in the same order.
		next, err := s.FindAgreements(asOf(t, tc.date), db.AgreementFilter{}, o, db.PageArgs{First: 10, After: &p.Cursors[0]})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(next.Items); got != len(tc.want)-1 {
			t.Errorf("as of %s after the first: %d agreements, want %d", tc.date, got, len(tc.want)-1)
		}
	}
}

func trimZeros(key string) string {
	for len(key) > 1 && key[0] == '0' && key[1] != '.' {
		key = key[1:]
	}
	return key
}

// TestAsOfProjectsReportedFilter checks that projects(filter:{from,to})
// counts only the reports published by the cutoff.
func TestAsOfProjectsReportedFilter(t *testing.T) {
	s := lateStore(t)
	from := db.MustParsePartialDate("2022")
	for _, tc := range []struct {
		ctx  context.Context
		want int
	}{{asOf(t, "2021-12"), 0}, {asOf(t, late), 2}, {t.Context(), 2}} {
		p, err := s.FindProjects(tc.ctx, db.ProjectFilter{From: &from}, db.Order{}, db.PageArgs{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		n, err := p.TotalCount(tc.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != tc.want {
			t.Errorf("projects reported from 2022: %d, want %d", n, tc.want)
		}
	}
}

// TestOpen_UpgradeDerivesVisibility opens a loaded database that predates
// migration 0005, whose relations and figures are visible from their own
// first report and whose search index has one row per entity: the
// migration gives them the days Replace writes.
func TestOpen_UpgradeDerivesVisibility(t *testing.T) {
	s, path := newSQLiteStore(t)
	if err := s.Replace(t.Context(), lateDataset()); err != nil {
		t.Fatal(err)
	}
	want := dump(t, path)
	rollBack(t, path,
		`UPDATE positions SET first_reported = CASE id WHEN 1 THEN '`+early+`' ELSE '`+mid+`' END`,
		`UPDATE project_participants SET first_reported = '`+early+`'`,
		`UPDATE measurements SET reported = '`+early+`'`,
		`UPDATE milestones SET reported = '`+early+`'`,
		`UPDATE amounts SET reported = CASE id WHEN 2 THEN '`+mid+`' ELSE '`+early+`' END`,
		`DROP TABLE search`,
		`CREATE VIRTUAL TABLE search USING fts5 (kind UNINDEXED, subject_id UNINDEXED, reported UNINDEXED, name, body)`,
		`DELETE FROM schema_migrations WHERE version = 5`)
	if diff := diffDumps(want, dump(t, path)); diff == "" {
		t.Fatal("taking the database back before migration 0005 changed nothing: the test shows nothing")
	}
	wantUpgraded(t, path, want)
}

// TestAsOfCompanyTimelineNeedsParticipation checks that a company's
// timeline reaches a project's milestones and figures only through
// participations visible as of the date: Alpha's part in Early Plant is
// reported late, the plant and its milestone early.
func TestAsOfCompanyTimelineNeedsParticipation(t *testing.T) {
	d := lateDataset()
	day := db.MustParsePartialDate("2020-02")
	d.Participants = append(d.Participants, &db.ProjectParticipant{ID: 2, ProjectID: 2, CompanyID: 1, Role: "OWNER"})
	d.Milestones = append(d.Milestones, &db.Milestone{ID: 2, ProjectID: 2, Name: "Ground", Date: &day, Status: "PLANNED",
		Citation: db.Citation{SourceID: 1, Paragraph: 2}})
	d.Measurements = append(d.Measurements, &db.Measurement{ID: 2, ProjectID: new(int64(2)), Metric: "POWER_CAPACITY", Value: 7,
		Unit: "MW", Approximation: "EXACT", AsOf: day, Status: "TARGET", Citation: db.Citation{SourceID: 1, Paragraph: 2}})
	d.Citations = append(d.Citations, db.SubjectCitation{SubjectKey: db.SubjectKey{Subject: db.SubjectParticipant, ID: 2},
		Citation: db.Citation{SourceID: 3, Paragraph: 1}})
	s, _ := newStore(t)
	if err := s.Replace(t.Context(), d); err != nil {
		t.Fatalf("replace: %v", err)
	}
	alpha := db.NodeRef{Type: "Company", ID: 1}
	for _, tc := range []struct {
		date string
		want int
	}{{mid, 0}, {late, 2}} {
		events, _, err := s.Timeline(asOf(t, tc.date), db.TimelineFilter{Subject: &alpha,
			Kinds: []db.TimelineKind{"MILESTONE", "MEASUREMENT"}}, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range events {
			if e.Subject == (db.NodeRef{Type: "Project", ID: 2}) {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("Alpha's timeline as of %s: %d events of Early Plant %q, want %d", tc.date, n, eventTitles(events), tc.want)
		}
	}
}
