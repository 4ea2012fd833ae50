package seed_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/seed"
)

// apiTables are the tables that record what came through the API rather
// than the graph: seed files do not carry them.
var apiTables = []string{"revisions", "revision_changes", "tokens"}

// openFile opens a new database file in a temporary directory.
func openFile(t *testing.T) (*db.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "graph.db")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// exportDir writes the graph s holds as seed files into a new directory.
func exportDir(t *testing.T, s *db.Store) (string, []seed.Document) {
	t.Helper()
	return graphtest.ExportSeed(t, s)
}

// reseeded loads the seed files of dir into a new database file.
func reseeded(t *testing.T, dir string) (*db.Store, string) {
	t.Helper()
	s, path := openFile(t)
	if err := seed.LoadFS(t.Context(), s, os.DirFS(dir)); err != nil {
		t.Fatalf("load the exported files: %v", err)
	}
	return s, path
}

// sameTables fails the test for each table whose rows differ, apart from
// those named in except, which must exist in both.
func sameTables(t *testing.T, want, got map[string][]string, except ...string) {
	t.Helper()
	for table, rows := range want {
		if slices.Contains(except, table) {
			continue
		}
		other, ok := got[table]
		switch {
		case !ok:
			t.Errorf("table %s is missing after the round trip", table)
		case !slices.Equal(rows, other):
			t.Errorf("table %s: %d rows before, %d after; first difference:\n%s", table, len(rows), len(other), firstDifference(rows, other))
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d tables before, %d after", len(want), len(got))
	}
}

func firstDifference(a, b []string) string {
	for i := range max(len(a), len(b)) {
		x, y := "(none)", "(none)"
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return "  before: " + x + "\n  after:  " + y
		}
	}
	return ""
}

// TestExport_BuiltInSeed loads the built-in seed, writes it back as seed
// files and loads those: every table holds the same rows, the files have
// the built-in files' names, and exporting again gives the same text.
func TestExport_BuiltInSeed(t *testing.T) {
	s, path := openFile(t)
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	dir, docs := exportDir(t, s)
	r, reloaded := reseeded(t, dir)
	before := graphtest.DumpTables(t, path)
	sameTables(t, before, graphtest.DumpTables(t, reloaded))
	for _, table := range []string{"sources", "companies", "names", "citations", "positions", "measurements",
		"amounts", "events", "statements", "statement_subjects", "attribute_inferences", "meeting_participants"} {
		if len(before[table]) == 0 {
			t.Errorf("the seed has no rows in %s, so the round trip proves nothing of it", table)
		}
	}

	builtIn, err := fs.Glob(seed.Files(), "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range docs {
		names = append(names, d.Name)
	}
	if !slices.Equal(names, builtIn) {
		t.Errorf("exported files %v, want the built-in names %v", names, builtIn)
	}
	_, again := exportDir(t, r)
	for i := range docs {
		if string(docs[i].Text) != string(again[i].Text) {
			t.Errorf("%s differs when exported again from the reloaded database", docs[i].Name)
		}
	}
}

// evidenceChangesets are changesets that use every field of the seed
// format: evidence and its notes, attributions, two-sided figures and
// their periods, roles, events within events, statements, agreement
// status and packages, aliases, partial dates, and facts of the seed's
// objects that a later source reports again.
var evidenceChangesets = []string{`
source: {slug: evidence-one, title: A synthetic report on a plant, publisher: Example Wire, attribution: Example press office, publishedOn: "2025-03", paragraphs: 6}
companies:
  - slug: example-holding
    name: Example Holding
    aliases: [EXH, "Example Holding Group"]
    kind: STATE_OWNED_COMPANY
    country: KZ
    parent: kazmunaygas
    founded: "1999-Q2"
    headquarters: Astana
    description: A holding in a test.
    cite: [1, 2]
    inferred:
      parent: "From the name in paragraph 2."
      founded: "From the founding quarter in paragraph 1."
    measurements:
      - {metric: BILATERAL_TRADE, value: 2500000000, unit: USD, approximation: ABOUT, asOf: "2024", status: ACTUAL, cite: 3, counterparty: china, periodStart: "2024", periodEnd: "2024-H2", attributedTo: zhu-hexin}
      - {metric: EMPLOYEES, value: 1200.5, unit: people, asOf: "2025-03", status: TARGET, cite: 4, basis: INFERRED, inferenceNote: "Summed from paragraph 4."}
  - slug: citic-group
    cite: [5]
    aliases: [CITIC Example]
people:
  - slug: example-person
    name: Example Person
    description: A chair in a test.
    cite: [2]
    inferred: {description: "From paragraph 2's wording."}
    positions:
      - {organization: example-holding, title: Chair, cite: [2], attributedTo: example-holding}
      - {organization: kazmunaygas, title: Adviser, reportedOn: "2024-11", cite: [3], basis: INFERRED, inferenceNote: "Read from paragraph 3."}
  - slug: xi-guohua
    cite: [5]
    positions:
      - {organization: citic-group, title: Chairman, reportedOn: "2024-07-03", cite: [5]}
      - {organization: example-holding, title: Guest, cite: [5]}
projects:
  - slug: example-plant
    name: Example Plant
    sector: REFINING
    status: UNDER_CONSTRUCTION
    region: Atyrau Region
    description: A plant in a test.
    cite: [2, 3]
    inferred: {region: "From the city in paragraph 3."}
    participants:
      - {company: example-holding, role: OWNER, cite: [2]}
      - {company: citic-group, role: CONTRACTOR, cite: [3], basis: INFERRED, inferenceNote: "From paragraph 3's list."}
    measurements:
      - {metric: PRODUCTION_CAPACITY, label: annual output, value: 1500000, unit: t/yr, approximation: UP_TO, asOf: "2026", status: TARGET, cite: 3}
    milestones:
      - {name: start of works, date: "2024-Q4", status: ACHIEVED, cite: 3}
      - {name: launch, date: "", status: PLANNED, cite: 4, basis: INFERRED, inferenceNote: "Paragraph 4 implies it."}
    amounts:
      - {amount: 530000000, currency: USD, approximation: ABOUT, label: cost, cite: 3, attributedTo: example-person}
  - slug: caspi-bitum-expansion
    cite: [6]
    participants:
      - {company: example-holding, role: PARTNER, cite: [6]}
events:
  - slug: example-visit
    name: Example visit
    kind: STATE_VISIT
    start: "2025-02-27"
    end: "2025-03"
    location: Beijing
    description: A visit in a test.
    cite: [1]
    inferred: {end: "From paragraph 1's dates."}
  - slug: example-loan
    name: A signing ceremony that shares the loan's slug
    kind: CEREMONY
    cite: [4]
  - slug: example-roundtable
    name: Example roundtable
    kind: ROUNDTABLE
    start: "2025-02-28"
    partOf: example-visit
    cite: [2]
    inferred: {partOf: "Held on the visit's second day."}
meetings:
  - slug: 2025-02-28-example-person-xi-guohua
    date: "2025-02-28"
    location: Beijing
    occasion: the roundtable
    summary: They met in a test.
    participants: [example-person, xi-guohua, zhu-hexin]
    organizations: [example-holding, citic-group]
    topics: [refining, "trade: volumes"]
    projects: [example-plant]
    roles: {example-person: HOST, xi-guohua: GUEST}
    event: example-roundtable
    cite: [2, 3]
    inferred:
      participants/zhu-hexin: "Named beside them in paragraph 3."
      event: "Same day as the roundtable."
agreements:
  - slug: example-package
    title: Example package
    kind: COMMERCIAL_DOCUMENTS
    documentCount: 12
    documentCountApproximation: AT_LEAST
    signedOn: "2025-02-28"
    summary: Documents in a test.
    parties: [example-holding, citic-group]
    signatories: [example-person]
    meeting: 2025-02-28-example-person-xi-guohua
    cite: [4]
    amounts:
      - {amount: 2000000000, currency: USD, cite: 4}
  - slug: example-loan
    title: Example loan
    kind: FINANCING_AGREEMENT
    status: PLANNED
    partOf: example-package
    parties: [example-holding]
    projects: [example-plant]
    event: example-visit
    cite: [4]
    inferred: {status: "Paragraph 4 speaks of it in the future.", projects/example-plant: "The plant is the only one named."}
statements:
  - {speaker: example-person, summary: Said the plant will open, about: [example-plant, example-holding], cite: 5, date: "2025-02-28", meeting: 2025-02-28-example-person-xi-guohua}
  - {slug: example-third-remark, speaker: example-person, summary: Spoke of the loan, about: ["agreement:example-loan", "event:example-loan"], cite: 4}
  - {slug: example-second-remark, speaker: example-person, summary: Spoke of trade, about: ["event:example-visit"], cite: 5, event: example-visit, basis: INFERRED, inferenceNote: "Paragraph 5 paraphrases him."}
`, `
source:
  slug: evidence-two
  title: A second synthetic report
  publishedOn: "2025-04-02"
  paragraphs: 3
  text:
    - "date 2025-04-02 ASTANA: a dateline line, with a colon and 'quotes'."
    - "- yes: 2025-04 # not a comment, \"escaped\" and a tab\there"
    - "null"
companies:
  - slug: example-holding
    cite: [1]
  - slug: example-newco
    name: Example NewCo
    kind: COMPANY
    cite: [2]
people:
  - slug: example-person
    cite: [1]
    positions:
      - {organization: example-holding, title: Chair, reportedOn: "2025-03", cite: [1]}
      - {organization: example-newco, title: Director, cite: [2]}
projects:
  - slug: example-plant
    cite: [2]
    status: UNDER_CONSTRUCTION
    participants:
      - {company: citic-group, role: CONTRACTOR, cite: [2], basis: INFERRED, inferenceNote: "Again only from a list."}
      - {company: example-newco, role: INVESTOR, cite: [3]}
    measurements:
      - {metric: PRODUCTION_CAPACITY, value: 1600000, unit: t/yr, asOf: "2025-04", status: ACTUAL, cite: 3}
`}

// TestExport_Changesets applies changesets through the store, writes the
// graph back as seed files and loads those into a new database: every
// table of the graph holds the same rows, evidence, attributions, periods,
// roles, events and statements included. Only the revisions, which files
// do not carry, are left behind.
func TestExport_Changesets(t *testing.T) {
	s, path := openFile(t)
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	for _, yaml := range evidenceChangesets {
		if _, _, err := seed.Apply(t.Context(), s, seed.Files(), seed.Changeset{YAML: yaml, Message: "add a report", Author: "alice"}); err != nil {
			t.Fatalf("apply: %v", err)
		}
	}
	dir, docs := exportDir(t, s)
	if got, want := len(docs), 7; got != want {
		t.Fatalf("%d files exported, want %d (5 seed files and 2 changesets)", got, want)
	}
	if got, want := docs[6].Name, "006_evidence-two.yaml"; got != want {
		t.Errorf("last file %s, want %s", got, want)
	}
	_, reloaded := reseeded(t, dir)
	before := graphtest.DumpTables(t, path)
	sameTables(t, before, graphtest.DumpTables(t, reloaded), apiTables...)
	if got := len(before["revisions"]); got != 2 {
		t.Errorf("%d revisions recorded, want 2", got)
	}

	// The changesets' fields are in the graph, so the comparison covers them.
	for _, want := range []struct{ table, text string }{
		{"companies", "'1999-Q2'"},
		{"measurements", "'2024-H2'"},
		{"measurements", "'Summed from paragraph 4.'"},
		{"milestones", "'2024-Q4'"},
		{"names", "'Example Holding Group'"},
		{"names", "'CITIC Example'"},
		{"meeting_participants", "'HOST'"},
		{"meeting_participants", "'Named beside them in paragraph 3.'"},
		{"meeting_topics", "'trade: volumes'"},
		{"agreement_projects", "'The plant is the only one named.'"},
		{"agreements", "'PLANNED'"},
		{"attribute_inferences", "'Held on the visit''s second day.'"},
		{"statements", "'example-second-remark'"},
		{"positions", "'Read from paragraph 3.'"},
		{"positions", "'Company'"},
		{"source_texts", "'null'"},
		{"source_texts", "'- yes: 2025-04 # not a comment, \"escaped\" and a tab\there'"},
		{"project_participants", "'From paragraph 3''s list.'"},
	} {
		if !slices.ContainsFunc(before[want.table], func(row string) bool { return strings.Contains(row, want.text) }) {
			t.Errorf("table %s has no row with %s", want.table, want.text)
		}
	}
	text := string(docs[5].Text)
	for _, want := range []string{"value: 2500000000", "counterparty: china", "periodEnd: 2024-H2", "attributedTo: zhu-hexin",
		"participants/zhu-hexin: Named beside them", "about: [example-visit]", `about: ["agreement:example-loan", "event:example-loan"]`, "attributedTo: example-holding"} {
		if !strings.Contains(text, want) {
			t.Errorf("%s does not contain %q:\n%s", docs[5].Name, want, text)
		}
	}
}
