package seed_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// source is a file's source section: slug aaaa, three paragraphs.
const source = `source:
  slug: "aaaa"
  title: "Test article"
  publishedOn: "2024-05-01"
  paragraphs: 3
`

// source2 is a second file's source section: slug bbbb, five paragraphs.
const source2 = `source:
  slug: "bbbb"
  title: "Second test article"
  publishedOn: "2024-06"
  paragraphs: 5
`

const acme = `companies:
  - slug: acme
    name: "Acme"
    kind: COMPANY
    country: KZ
    cite: [1]
`

// plant is a project operated by acme, with one figure.
const plant = `projects:
  - slug: plant
    name: "Plant"
    sector: REFINING
    status: PROPOSED
    cite: [2]
    participants:
      - company: acme
        role: OPERATOR
        cite: [2]
    measurements:
      - metric: PRODUCTION_CAPACITY
        value: 1000
        unit: "t/yr"
        asOf: "2024-05"
        status: TARGET
        cite: 3
`

// mapFS makes a seed directory of name → YAML text.
func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// parse parses files and fails the test on an error.
func parse(t *testing.T, files map[string]string) *db.Dataset {
	t.Helper()
	d, err := seed.Parse(mapFS(files))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return d
}

func TestParse_Valid(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		d := parse(t, map[string]string{"000_a.yaml": source + acme + plant})
		if len(d.Sources) != 1 || len(d.Companies) != 1 || len(d.Projects) != 1 || len(d.Participants) != 1 || len(d.Measurements) != 1 {
			t.Fatalf("%d sources, %d companies, %d projects, %d participants, %d measurements; want 1 each",
				len(d.Sources), len(d.Companies), len(d.Projects), len(d.Participants), len(d.Measurements))
		}
		m := d.Measurements[0]
		if got, want := m.Approximation, db.Approximation("EXACT"); got != want {
			t.Errorf("approximation = %s, want the default %s", got, want)
		}
		if got, want := m.Citation, (db.Citation{SourceID: d.Sources[0].ID, Paragraph: 3}); got != want {
			t.Errorf("citation = %+v, want %+v", got, want)
		}
		if p := d.Participants[0]; p.CompanyID != d.Companies[0].ID || p.ProjectID != d.Projects[0].ID {
			t.Errorf("participant links company %d and project %d, want %d and %d",
				p.CompanyID, p.ProjectID, d.Companies[0].ID, d.Projects[0].ID)
		}
	})

	t.Run("OKAgreementLinks", func(t *testing.T) {
		d := parse(t, map[string]string{"000_a.yaml": source + acme + plant + `agreements:
  - slug: deal
    title: "Deal"
    kind: AGREEMENT
    parties: [acme]
    projects: [plant]
    cite: [1]
`})
		if len(d.Agreements) != 1 {
			t.Fatalf("%d agreements, want 1", len(d.Agreements))
		}
		a := d.Agreements[0]
		if a.Slug != "deal" || a.Title != "Deal" || a.Kind != "AGREEMENT" {
			t.Errorf("agreement = %+v, want deal, titled Deal, an AGREEMENT", a)
		}
		want := []db.Link{
			{Kind: db.AgreementParty, From: a.ID, To: d.Companies[0].ID},
			{Kind: db.AgreementProject, From: a.ID, To: d.Projects[0].ID},
		}
		var got []db.Link
		for _, l := range d.Links {
			if l.Kind == db.AgreementParty || l.Kind == db.AgreementProject {
				got = append(got, l)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("agreement links = %+v, want %+v: its party and its project", got, want)
		}
	})

	t.Run("OKOtherFilesIgnored", func(t *testing.T) {
		d := parse(t, map[string]string{"000_a.yaml": source + acme, "README.md": "not: [yaml", "000_a.txt": "article"})
		if got, want := len(d.Sources), 1; got != want {
			t.Errorf("%d sources, want %d", got, want)
		}
	})

	t.Run("OKMergeAcrossFiles", func(t *testing.T) {
		d := parse(t, map[string]string{
			"000_a.yaml": source + acme + plant,
			"001_b.yaml": source2 + `companies:
  - slug: acme
    aliases: ["Acme Corp", "Acme"]
    country: KZ
    cite: [5]
projects:
  - slug: plant
    cite: [4]
    participants:
      - company: acme
        role: OPERATOR
        cite: [4]
`,
		})
		if got, want := len(d.Companies), 1; got != want {
			t.Fatalf("%d companies, want %d: one slug is one entity", got, want)
		}
		if got, want := len(d.Participants), 1; got != want {
			t.Fatalf("%d participants, want %d: the same role is merged", got, want)
		}
		count := func(subject db.Subject, id int64) int {
			n := 0
			for _, c := range d.Citations {
				if c.Subject == subject && c.ID == id {
					n++
				}
			}
			return n
		}
		if got, want := count(db.SubjectParticipant, d.Participants[0].ID), 2; got != want {
			t.Errorf("participant has %d citations, want %d (one per file)", got, want)
		}
		if got, want := count(db.SubjectCompany, d.Companies[0].ID), 2; got != want {
			t.Errorf("company has %d citations, want %d", got, want)
		}
		var names []string
		for _, n := range d.Names {
			names = append(names, n.Name)
		}
		// The alias equal to the name is not repeated as an alias.
		if got, want := strings.Join(names, ","), "Acme,Acme Corp,Plant"; got != want {
			t.Errorf("names = %s, want %s", got, want)
		}
	})
}

func TestParse_Errors(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error
	}{
		{"ErrNoFiles", map[string]string{}, []string{"no .yaml files"}},
		{"ErrUnknownCompany", map[string]string{"000_a.yaml": source + acme + `projects:
  - slug: plant
    name: "Plant"
    sector: REFINING
    status: PROPOSED
    cite: [2]
    participants:
      - company: nope
        role: OPERATOR
        cite: [2]
`}, []string{"000_a.yaml", "projects[0]", "participants[0]", `unknown company "nope"`}},
		{"ErrUnknownPerson", map[string]string{"000_a.yaml": source + acme + `meetings:
  - slug: 2024-05-01-meeting
    date: "2024-05-01"
    participants: [ghost]
    organizations: [acme]
    cite: [1]
`}, []string{"000_a.yaml", "meetings[0]", `unknown person "ghost"`}},
		{"ErrUnknownParent", map[string]string{"000_a.yaml": source + `companies:
  - slug: acme
    name: "Acme"
    kind: COMPANY
    parent: acme-holding
    cite: [1]
`}, []string{"companies[0]", "parent", `"acme-holding"`}},
		{"ErrUnknownMeeting", map[string]string{"000_a.yaml": source + acme + `agreements:
  - slug: deal
    title: "Deal"
    kind: AGREEMENT
    parties: [acme]
    meeting: 2024-01-01-nothing
    cite: [1]
`}, []string{"agreements[0]", `unknown meeting "2024-01-01-nothing"`}},
		{"ErrAgreementTitleRequired", map[string]string{"000_a.yaml": source + acme + `agreements:
  - slug: deal
    kind: AGREEMENT
    parties: [acme]
    cite: [1]
`}, []string{"000_a.yaml", "agreements[0]", `agreement "deal" has no title`}},
		{"ErrAgreementKindRequired", map[string]string{"000_a.yaml": source + acme + `agreements:
  - slug: deal
    title: "Deal"
    parties: [acme]
    cite: [1]
`}, []string{"000_a.yaml", "agreements[0]", `agreement "deal" has no kind`}},
		{"ErrCiteRequired", map[string]string{"000_a.yaml": source + `companies:
  - slug: acme
    name: "Acme"
    kind: COMPANY
`}, []string{"000_a.yaml", "companies[0]", "cite is required"}},
		{"ErrPositionCiteRequired", map[string]string{"000_a.yaml": source + acme + `people:
  - slug: john-doe
    name: "John Doe"
    cite: [1]
    positions:
      - organization: acme
        title: "Chairman"
`}, []string{"people[0]", "positions[0]", "cite is required"}},
		{"ErrCiteOutOfRange", map[string]string{"000_a.yaml": source + `companies:
  - slug: acme
    name: "Acme"
    kind: COMPANY
    cite: [1, 4]
`}, []string{"000_a.yaml", "companies[0]", "cite 4", "1 to 3"}},
		{"ErrCiteZero", map[string]string{"000_a.yaml": source + acme + `projects:
  - slug: plant
    name: "Plant"
    sector: REFINING
    status: PROPOSED
    cite: [2]
    milestones:
      - name: "Start"
        date: "2024-Q4"
        status: PLANNED
`}, []string{"projects[0]", "milestones[0]", "cite 0"}},
		{"ErrBadMeetingDate", map[string]string{"000_a.yaml": source + acme + `meetings:
  - slug: 2024-13-meeting
    date: "2024-13"
    organizations: [acme]
    cite: [1]
`}, []string{"000_a.yaml", "meetings[0]", `"2024-13"`}},
		{"ErrBadAsOf", map[string]string{"000_a.yaml": source + acme + `projects:
  - slug: plant
    name: "Plant"
    sector: REFINING
    status: PROPOSED
    cite: [2]
    measurements:
      - metric: PRODUCTION_CAPACITY
        value: 1
        unit: "t/yr"
        asOf: "2024-Q5"
        status: ACTUAL
        cite: 2
`}, []string{"measurements[0]", "asOf", `"2024-Q5"`}},
		{"ErrBadPublishedOn", map[string]string{"000_a.yaml": `source:
  slug: "aaaa"
  title: "Test article"
  publishedOn: "2024-02-30"
  paragraphs: 3
`}, []string{"000_a.yaml", "publishedOn", `"2024-02-30"`}},
		{"ErrBadReportedOn", map[string]string{"000_a.yaml": source + acme + `people:
  - slug: john-doe
    name: "John Doe"
    cite: [1]
    positions:
      - organization: acme
        title: "Chairman"
        reportedOn: "2024-H3"
        cite: [1]
`}, []string{"people[0]", "positions[0]", "reportedOn", `"2024-H3"`}},
		{"ErrMeetingDateMissing", map[string]string{"000_a.yaml": source + acme + `meetings:
  - slug: undated-meeting
    organizations: [acme]
    cite: [1]
`}, []string{"meetings[0]", `"undated-meeting"`, "has no date"}},
		{"ErrNegativeDocumentCount", map[string]string{"000_a.yaml": source + acme + `agreements:
  - slug: deal
    title: "Deal"
    kind: COMMERCIAL_DOCUMENTS
    documentCount: -2
    parties: [acme]
    cite: [1]
`}, []string{"agreements[0]", "documentCount", `"-2"`}},
		{"ErrUnknownKind", map[string]string{"000_a.yaml": source + `companies:
  - slug: acme
    name: "Acme"
    kind: CORPORATION
    cite: [1]
`}, []string{"companies[0]", "kind", `"CORPORATION"`}},
		{"ErrUnknownRole", map[string]string{"000_a.yaml": source + acme + `projects:
  - slug: plant
    name: "Plant"
    sector: REFINING
    status: PROPOSED
    cite: [2]
    participants:
      - company: acme
        role: SPONSOR
        cite: [2]
`}, []string{"participants[0]", "role", `"SPONSOR"`}},
		{"ErrUnknownSector", map[string]string{"000_a.yaml": source + `projects:
  - slug: plant
    name: "Plant"
    sector: MINING
    status: PROPOSED
    cite: [2]
`}, []string{"projects[0]", "sector", `"MINING"`}},
		{"ErrUnknownApproximation", map[string]string{"000_a.yaml": source + acme + `agreements:
  - slug: deal
    title: "Deal"
    kind: AGREEMENT
    parties: [acme]
    cite: [1]
    amounts:
      - amount: 100
        currency: USD
        approximation: ROUGHLY
        cite: 1
`}, []string{"agreements[0]", "amounts[0]", `"ROUGHLY"`}},
		{"ErrUnknownMetric", map[string]string{"000_a.yaml": source + `companies:
  - slug: acme
    name: "Acme"
    kind: COMPANY
    cite: [1]
    measurements:
      - metric: WEIGHT
        value: 1
        unit: "t"
        asOf: "2024"
        status: ACTUAL
        cite: 1
`}, []string{"companies[0]", "measurements[0]", `"WEIGHT"`}},
		{"ErrBadCountry", map[string]string{"000_a.yaml": source + `companies:
  - slug: acme
    name: "Acme"
    kind: COMPANY
    country: Kazakhstan
    cite: [1]
`}, []string{"companies[0]", "country", `"Kazakhstan"`}},
		{"ErrBadCurrencyCountryCode", map[string]string{"000_a.yaml": source + acme + `agreements:
  - slug: deal
    title: "Deal"
    kind: AGREEMENT
    parties: [acme]
    cite: [1]
    amounts:
      - amount: 100
        currency: US
        cite: 1
`}, []string{"agreements[0]", "amounts[0]", `currency "US"`}},
		{"ErrBadCurrencyLowercase", map[string]string{"000_a.yaml": source + acme + `agreements:
  - slug: deal
    title: "Deal"
    kind: AGREEMENT
    parties: [acme]
    cite: [1]
    amounts:
      - amount: 100
        currency: usd
        cite: 1
`}, []string{"agreements[0]", "amounts[0]", `currency "usd"`}},
		{"ErrAmountNotPositive", map[string]string{"000_a.yaml": source + acme + `agreements:
  - slug: deal
    title: "Deal"
    kind: AGREEMENT
    cite: [1]
    amounts:
      - amount: 0
        currency: USD
        cite: 1
`}, []string{"amounts[0]", "must be positive"}},
		{"ErrUnknownKey", map[string]string{"000_a.yaml": source + `companies:
  - slug: acme
    nmae: "Acme"
    kind: COMPANY
    cite: [1]
`}, []string{"000_a.yaml", "nmae"}},
		{"ErrYAMLSyntax", map[string]string{"000_a.yaml": source + "companies: [\n"}, []string{"000_a.yaml"}},
		{"ErrBadSlug", map[string]string{"000_a.yaml": source + `companies:
  - slug: Acme Corp
    name: "Acme"
    kind: COMPANY
    cite: [1]
`}, []string{"companies[0]", `slug "Acme Corp"`}},
		{"ErrConflictingScalar", map[string]string{
			"000_a.yaml": source + acme,
			"001_b.yaml": source2 + `companies:
  - slug: acme
    country: CN
    cite: [2]
`,
		}, []string{"001_b.yaml", "companies[0]", "country", `"CN"`, `"KZ"`}},
		{"ErrNameMissing", map[string]string{
			"000_a.yaml": source + acme,
			"001_b.yaml": source2 + `companies:
  - slug: ghost-co
    cite: [2]
projects:
  - slug: plant
    name: "Plant"
    sector: REFINING
    status: PROPOSED
    cite: [2]
    participants:
      - company: ghost-co
        role: PARTNER
        cite: [2]
`,
		}, []string{"001_b.yaml", "companies[0]", `"ghost-co"`, "has no name", "has no kind"}},
		{"ErrProjectStatusMissing", map[string]string{"000_a.yaml": source + `projects:
  - slug: plant
    name: "Plant"
    sector: REFINING
    cite: [2]
`}, []string{"projects[0]", `"plant"`, "has no status"}},
		{"ErrDuplicateSource", map[string]string{
			"000_a.yaml": source + acme,
			"001_b.yaml": source,
		}, []string{"001_b.yaml", `"aaaa"`, "000_a.yaml"}},
		{"ErrParentCycle", map[string]string{"000_a.yaml": source + `companies:
  - slug: acme
    name: "Acme"
    kind: COMPANY
    parent: acme-holding
    cite: [1]
  - slug: acme-holding
    name: "Acme Holding"
    kind: COMPANY
    parent: acme
    cite: [1]
`}, []string{"own ancestor"}},
		{"ErrEveryProblemReported", map[string]string{"000_a.yaml": source + `companies:
  - slug: acme
    name: "Acme"
    kind: CORPORATION
    cite: [9]
  - slug: other
    name: "Other"
    kind: COMPANY
`}, []string{`"CORPORATION"`, "cite 9", "companies[1] other: cite is required"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := seed.Parse(mapFS(tt.files))
			if err == nil {
				t.Fatalf("Parse succeeded with %d companies, want an error mentioning %q", len(d.Companies), tt.want)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not mention %q:\n%v", want, err)
				}
			}
		})
	}
}
