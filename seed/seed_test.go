package seed_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// embedded parses the built-in seed.
func embedded(t *testing.T) *db.Dataset {
	t.Helper()
	d, err := seed.Parse(seed.Files())
	if err != nil {
		t.Fatalf("parse the built-in seed: %v", err)
	}
	return d
}

// index looks the entities of a dataset up by slug.
type index struct {
	d         *db.Dataset
	sources   map[string]*db.Source
	sourceIDs map[int64]*db.Source
	companies map[string]*db.Company
	people    map[string]*db.Person
	projects  map[string]*db.Project
	meetings  map[string]*db.Meeting
	agreement map[string]*db.Agreement
}

func newIndex(d *db.Dataset) *index {
	x := &index{d: d, sources: map[string]*db.Source{}, sourceIDs: map[int64]*db.Source{},
		companies: map[string]*db.Company{}, people: map[string]*db.Person{}, projects: map[string]*db.Project{},
		meetings: map[string]*db.Meeting{}, agreement: map[string]*db.Agreement{}}
	for _, v := range d.Sources {
		x.sources[v.Slug], x.sourceIDs[v.ID] = v, v
	}
	for _, v := range d.Companies {
		x.companies[v.Slug] = v
	}
	for _, v := range d.People {
		x.people[v.Slug] = v
	}
	for _, v := range d.Projects {
		x.projects[v.Slug] = v
	}
	for _, v := range d.Meetings {
		x.meetings[v.Slug] = v
	}
	for _, v := range d.Agreements {
		x.agreement[v.Slug] = v
	}
	return x
}

// cite formats a citation as source-slug:paragraph.
func (x *index) cite(c db.Citation) string {
	if s, ok := x.sourceIDs[c.SourceID]; ok {
		return fmt.Sprintf("%s:%d", s.Slug, c.Paragraph)
	}
	return fmt.Sprintf("source %d?:%d", c.SourceID, c.Paragraph)
}

// citations returns the citation list of a subject, formatted by cite.
func (x *index) citations(subject db.Subject, id int64) []string {
	var out []string
	for _, c := range x.d.Citations {
		if c.Subject == subject && c.ID == id {
			out = append(out, x.cite(c.Citation))
		}
	}
	return out
}

// figure formats a measurement's metric, value, unit, approximation, date,
// status and citation.
func (x *index) figure(m *db.Measurement) string {
	return fmt.Sprintf("%s %g %s %s %s %s @%s", m.Metric, m.Value, m.Unit, m.Approximation, m.AsOf, m.Status, x.cite(m.Citation))
}

func (x *index) amount(a *db.Amount) string {
	return fmt.Sprintf("%g %s %s @%s", a.Amount, a.Currency, a.Approximation, x.cite(a.Citation))
}

// The article slugs, by file.
const (
	art000 = "81c1630493b7e74f" // 2023-10-18, Tokayev in Beijing with CITIC and Sinopec
	art001 = "617ef15b8252d5c0" // 2024-07-02, Bektenov with CNPC and CITIC
	art002 = "9c0d6d39aeed9ba5" // 2023-05-20, investment roundtable
	art003 = "0cd24d71fac579ce" // 2024-08-22, KMG with CNOOC and CITIC
	art004 = "70fb8e7c82b53bfa" // 2025-09-05, Tokayev on oil and gas projects
)

func TestParse_Embedded(t *testing.T) {
	d := embedded(t)
	x := newIndex(d)

	t.Run("Counts", func(t *testing.T) {
		// Pinned: a change to the seed that adds or drops an entry shows
		// up here and must be deliberate.
		for _, tt := range []struct {
			name      string
			got, want int
		}{
			{"sources", len(d.Sources), 5},
			{"companies", len(d.Companies), 23},
			{"people", len(d.People), 16},
			{"projects", len(d.Projects), 20},
			{"meetings", len(d.Meetings), 16},
			{"agreements", len(d.Agreements), 7},
			{"positions", len(d.Positions), 22},
			{"participants", len(d.Participants), 23},
			{"measurements", len(d.Measurements), 27},
			{"milestones", len(d.Milestones), 5},
			{"amounts", len(d.Amounts), 6},
		} {
			if tt.got != tt.want {
				t.Errorf("%d %s, want %d", tt.got, tt.name, tt.want)
			}
		}
	})

	t.Run("Sources", func(t *testing.T) {
		for _, tt := range []struct {
			slug       string
			published  string
			paragraphs int
		}{
			{art000, "2023-10-18", 12},
			{art001, "2024-07-02", 12},
			{art002, "2023-05-20", 18},
			{art003, "2024-08-22", 11},
			{art004, "2025-09-05", 5},
		} {
			s, ok := x.sources[tt.slug]
			if !ok {
				t.Errorf("no source %s", tt.slug)
				continue
			}
			if got, want := s.PublishedOn.String(), tt.published; got != want {
				t.Errorf("source %s published %s, want %s", tt.slug, got, want)
			}
			if got, want := s.Paragraphs, tt.paragraphs; got != want {
				t.Errorf("source %s has %d paragraphs, want %d (its non-empty lines)", tt.slug, got, want)
			}
		}
	})

	t.Run("UniqueIDsAndSlugs", func(t *testing.T) {
		check := func(table string, ids []int64, slugs []string) {
			if len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
				t.Errorf("%s: duplicate ids", table)
			}
			if len(slices.Compact(slices.Sorted(slices.Values(slugs)))) != len(slugs) {
				t.Errorf("%s: duplicate slugs", table)
			}
		}
		var ids []int64
		var slugs []string
		for _, c := range d.Companies {
			ids, slugs = append(ids, c.ID), append(slugs, c.Slug)
		}
		check("companies", ids, slugs)
		ids, slugs = nil, nil
		for _, p := range d.Projects {
			ids, slugs = append(ids, p.ID), append(slugs, p.Slug)
		}
		check("projects", ids, slugs)
		ids = nil
		for _, p := range d.Positions {
			ids = append(ids, p.ID)
		}
		check("positions", ids, nil)
	})

	t.Run("CaspiBitumCapacity", func(t *testing.T) {
		p := x.projects["caspi-bitum-expansion"]
		if p == nil {
			t.Fatal("no project caspi-bitum-expansion")
		}
		var got []string
		for _, m := range d.Measurements {
			if m.ProjectID != nil && *m.ProjectID == p.ID {
				got = append(got, x.figure(m))
			}
		}
		for _, want := range []string{
			// 000 ¶6: "reaches 500,000 tons ... increase ... to 750,000 tons"
			"PRODUCTION_CAPACITY 500000 t/yr EXACT 2023-10 ACTUAL @" + art000 + ":6",
			"PRODUCTION_CAPACITY 750000 t/yr EXACT 2023-10 TARGET @" + art000 + ":6",
			// 000 ¶4: "on oil processing up to 1.5 million tonnes per year"
			"PROCESSING_CAPACITY 1.5e+06 t/yr UP_TO 2023-10 TARGET @" + art000 + ":4",
			// 001 ¶11: "to 750,000 tons per year"
			"PRODUCTION_CAPACITY 750000 t/yr EXACT 2024-07 TARGET @" + art001 + ":11",
			// 003 ¶4: "increased from 500,000 to 750,000 tons"
			"PRODUCTION_CAPACITY 500000 t/yr EXACT 2024-08 ACTUAL @" + art003 + ":4",
			"PRODUCTION_CAPACITY 750000 t/yr EXACT 2024-08 TARGET @" + art003 + ":4",
		} {
			if !slices.Contains(got, want) {
				t.Errorf("missing figure %s", want)
			}
		}
		if len(got) != 6 {
			t.Errorf("%d Caspi Bitum figures, want 6: %v", len(got), got)
		}
	})

	t.Run("CaspiBitumMilestones", func(t *testing.T) {
		p := x.projects["caspi-bitum-expansion"]
		var got []string
		for _, m := range d.Milestones {
			if m.ProjectID == p.ID && m.Date != nil {
				got = append(got, fmt.Sprintf("%s %s @%s", m.Date, m.Status, x.cite(m.Citation)))
			}
		}
		// 003 ¶4: "in the fourth quarter of the year"; ¶7: "in March 2025".
		want := []string{"2024-Q4 PLANNED @" + art003 + ":4", "2025-03 PLANNED @" + art003 + ":7"}
		if !slices.Equal(got, want) {
			t.Errorf("milestones = %v, want %v", got, want)
		}
	})

	t.Run("CITICChairmen", func(t *testing.T) {
		citic := x.companies["citic-group"]
		var got []string
		for _, p := range d.Positions {
			if p.OrganizationID != citic.ID {
				continue
			}
			var who string
			for _, person := range d.People {
				if person.ID == p.PersonID {
					who = person.Slug
				}
			}
			got = append(got, fmt.Sprintf("%s %s %q %v", p.ReportedOn, who, p.Title, x.citations(db.SubjectPosition, p.ID)))
		}
		slices.Sort(got)
		want := []string{
			fmt.Sprintf("2023-05-20 zhu-hexin \"Chairman\" [%s:4]", art002),
			fmt.Sprintf("2023-10-18 zhu-hexin \"Chairman\" [%s:2]", art000),
			fmt.Sprintf("2024-07-02 xi-guohua \"Chairman\" [%s:8]", art001),
			fmt.Sprintf("2024-08-22 xi-guohua \"Chairman of the Board of Directors\" [%s:4]", art003),
		}
		if !slices.Equal(got, want) {
			t.Errorf("CITIC Group positions:\n got %q\nwant %q", got, want)
		}
	})

	t.Run("CITICFiveDocuments", func(t *testing.T) {
		a := x.agreement["citic-five-documents-2023"]
		if a == nil {
			t.Fatal("no agreement citic-five-documents-2023")
		}
		if a.Kind != "COMMERCIAL_DOCUMENTS" || a.DocumentCount == nil || *a.DocumentCount != 5 {
			t.Errorf("kind %s, document count %v; want COMMERCIAL_DOCUMENTS of 5", a.Kind, a.DocumentCount)
		}
		if a.SignedOn == nil || a.SignedOn.String() != "2023-05" {
			t.Errorf("signed on %v, want 2023-05 (000 ¶3: \"In May\")", a.SignedOn)
		}
		var got []string
		for _, am := range d.Amounts {
			if am.AgreementID != nil && *am.AgreementID == a.ID {
				got = append(got, x.amount(am))
			}
		}
		// Two articles disagree; both figures stay, each with its source.
		want := []string{
			"2e+09 USD EXACT @" + art000 + ":3",      // "total investment of $2 billion"
			"1.6e+09 USD AT_LEAST @" + art002 + ":4", // "worth over $1.6 billion"
		}
		if !slices.Equal(got, want) {
			t.Errorf("amounts = %v, want %v", got, want)
		}
		var parties []string
		for _, l := range d.Links {
			if l.Kind == db.AgreementParty && l.From == a.ID {
				for _, c := range d.Companies {
					if c.ID == l.To {
						parties = append(parties, c.Slug)
					}
				}
			}
		}
		slices.Sort(parties)
		if want := []string{"citic-construction", "citic-group"}; !slices.Equal(parties, want) {
			t.Errorf("parties = %v, want %v", parties, want)
		}
	})

	t.Run("CNPCFigures", func(t *testing.T) {
		cnpc := x.companies["cnpc"]
		var got []string
		for _, m := range d.Measurements {
			if m.CompanyID != nil && *m.CompanyID == cnpc.ID {
				got = append(got, x.figure(m))
			}
		}
		// 001 ¶6: "invested over $45 billion ... employs more than 30,000
		// people ..., 98.3% of whom are Kazakh citizens."
		want := []string{
			"INVESTMENT 4.5e+10 USD AT_LEAST 2024-07 ACTUAL @" + art001 + ":6",
			"EMPLOYEES 30000 people AT_LEAST 2024-07 ACTUAL @" + art001 + ":6",
			"LOCAL_EMPLOYEE_SHARE 98.3 % EXACT 2024-07 ACTUAL @" + art001 + ":6",
		}
		if !slices.Equal(got, want) {
			t.Errorf("CNPC figures:\n got %v\nwant %v", got, want)
		}
	})

	t.Run("CDBFinancing", func(t *testing.T) {
		a := x.agreement["cdb-pipeline-financing"]
		if a == nil {
			t.Fatal("no agreement cdb-pipeline-financing")
		}
		var got []string
		for _, am := range d.Amounts {
			if am.AgreementID != nil && *am.AgreementID == a.ID {
				got = append(got, x.amount(am))
			}
		}
		// 004 ¶5: "amounting to about $530 million"
		if want := []string{"5.3e+08 USD ABOUT @" + art004 + ":5"}; !slices.Equal(got, want) {
			t.Errorf("amounts = %v, want %v", got, want)
		}
		if got, want := a.Kind, db.AgreementKind("FINANCING_AGREEMENT"); got != want {
			t.Errorf("kind = %s, want %s", got, want)
		}
	})

	t.Run("Names", func(t *testing.T) {
		kmg := x.companies["kazmunaygas"]
		var canonical, aliases []string
		for _, n := range d.Names {
			if n.Subject == db.SubjectCompany && n.SubjectID == kmg.ID {
				if n.Alias {
					aliases = append(aliases, n.Name)
				} else {
					canonical = append(canonical, n.Name)
				}
			}
		}
		if want := []string{"KazMunayGas"}; !slices.Equal(canonical, want) {
			t.Errorf("canonical names = %q, want %q", canonical, want)
		}
		slices.Sort(aliases)
		// Aliases merge across files: 000 gives KMG and Kazmunaygas, 003 the long form.
		if want := []string{"KMG", "KazMunayGas National Company", "Kazmunaygas"}; !slices.Equal(aliases, want) {
			t.Errorf("aliases = %q, want %q", aliases, want)
		}
	})

	t.Run("EveryCitationInRange", func(t *testing.T) {
		check := func(what string, c db.Citation) {
			s, ok := x.sourceIDs[c.SourceID]
			if !ok {
				t.Errorf("%s cites unknown source %d", what, c.SourceID)
			} else if c.Paragraph < 1 || c.Paragraph > s.Paragraphs {
				t.Errorf("%s cites paragraph %d of %s, which has %d", what, c.Paragraph, s.Slug, s.Paragraphs)
			}
		}
		for _, c := range d.Citations {
			check(fmt.Sprintf("%s %d", c.Subject, c.ID), c.Citation)
		}
		for _, m := range d.Measurements {
			check(fmt.Sprintf("measurement %d", m.ID), m.Citation)
		}
		for _, m := range d.Milestones {
			check(fmt.Sprintf("milestone %d", m.ID), m.Citation)
		}
		for _, a := range d.Amounts {
			check(fmt.Sprintf("amount %d", a.ID), a.Citation)
		}
	})

	t.Run("EverythingCited", func(t *testing.T) {
		cited := map[db.SubjectKey]bool{}
		for _, c := range d.Citations {
			cited[c.SubjectKey] = true
		}
		check := func(subject db.Subject, id int64, slug string) {
			if !cited[db.SubjectKey{Subject: subject, ID: id}] {
				t.Errorf("%s %s has no citation", subject, slug)
			}
		}
		for _, v := range d.Companies {
			check(db.SubjectCompany, v.ID, v.Slug)
		}
		for _, v := range d.People {
			check(db.SubjectPerson, v.ID, v.Slug)
		}
		for _, v := range d.Projects {
			check(db.SubjectProject, v.ID, v.Slug)
		}
		for _, v := range d.Meetings {
			check(db.SubjectMeeting, v.ID, v.Slug)
		}
		for _, v := range d.Agreements {
			check(db.SubjectAgreement, v.ID, v.Slug)
		}
		for _, v := range d.Positions {
			check(db.SubjectPosition, v.ID, fmt.Sprint(v.ID))
		}
		for _, v := range d.Participants {
			check(db.SubjectParticipant, v.ID, fmt.Sprint(v.ID))
		}
	})
}

// TestParse_Deterministic parses the seed twice: ids and order must not
// depend on map iteration, or reseeding would churn the database.
func TestParse_Deterministic(t *testing.T) {
	a, b := embedded(t), embedded(t)
	if !reflect.DeepEqual(a, b) {
		t.Error("two parses of the same seed differ")
	}
}
