package seed_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// evidenceCount is how many facts and attributes a file records as stated
// and as inferred.
type evidenceCount struct{ stated, inferred int }

// add counts one fact of basis b ("" is stated).
func (c *evidenceCount) add(b string) {
	if b == string(db.Inferred) {
		c.inferred++
	} else {
		c.stated++
	}
}

// attrs counts an entry's attributes that have a value, by whether its
// `inferred` map names them, and its links, by whether it names list/slug.
func (c *evidenceCount) attrs(inf seed.Inferred, fields map[string]string, links map[string][]string) {
	for name, v := range fields {
		if strings.TrimSpace(v) == "" {
			continue
		}
		if _, ok := inf[name]; ok {
			c.inferred++
		} else {
			c.stated++
		}
	}
	for list, slugs := range links {
		for _, s := range slugs {
			if _, ok := inf[list+"/"+s]; ok {
				c.inferred++
			} else {
				c.stated++
			}
		}
	}
}

// countEvidence walks one seed file: every position, participation, figure,
// milestone, amount and statement, every attribute that is not a name, and
// every link of a meeting or agreement.
func countEvidence(f *seed.File) evidenceCount {
	var c evidenceCount
	for _, e := range f.Companies {
		c.attrs(e.Inferred, map[string]string{"kind": e.Kind, "country": e.Country, "parent": e.Parent, "founded": e.Founded,
			"headquarters": e.Headquarters, "description": e.Description}, nil)
		for _, m := range e.Measurements {
			c.add(m.Basis)
		}
	}
	for _, e := range f.People {
		c.attrs(e.Inferred, map[string]string{"description": e.Description}, nil)
		for _, p := range e.Positions {
			c.add(p.Basis)
		}
	}
	for _, e := range f.Projects {
		c.attrs(e.Inferred, map[string]string{"sector": e.Sector, "status": e.Status, "region": e.Region, "description": e.Description}, nil)
		for _, p := range e.Participants {
			c.add(p.Basis)
		}
		for _, m := range e.Measurements {
			c.add(m.Basis)
		}
		for _, m := range e.Milestones {
			c.add(m.Basis)
		}
		for _, a := range e.Amounts {
			c.add(a.Basis)
		}
	}
	for _, e := range f.Meetings {
		c.attrs(e.Inferred, map[string]string{"date": e.Date, "location": e.Location, "occasion": e.Occasion, "summary": e.Summary,
			"event": e.Event}, map[string][]string{"participants": e.Participants, "organizations": e.Organizations, "projects": e.Projects})
	}
	for _, e := range f.Agreements {
		c.attrs(e.Inferred, map[string]string{"kind": e.Kind, "signedOn": e.SignedOn, "summary": e.Summary, "meeting": e.Meeting,
			"status": e.Status, "partOf": e.PartOf, "event": e.Event, "documentCountApproximation": e.DocumentCountApproximation},
			map[string][]string{"parties": e.Parties, "signatories": e.Signatories, "projects": e.Projects})
		for _, a := range e.Amounts {
			c.add(a.Basis)
		}
	}
	for _, e := range f.Events {
		c.attrs(e.Inferred, map[string]string{"kind": e.Kind, "start": e.Start, "end": e.End, "location": e.Location,
			"description": e.Description, "partOf": e.PartOf}, nil)
	}
	for _, s := range f.Statements {
		c.add(s.Basis)
	}
	return c
}

// articleParagraphs returns the paragraphs (non-empty lines) of each
// source article, by the hex slug of its file name, from
// INVESTGRAPH_ARTICLES or shared/seeds beside the repository.
func articleParagraphs(t *testing.T) map[string][]string {
	t.Helper()
	dir := os.Getenv("INVESTGRAPH_ARTICLES")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "seeds")
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			t.Skipf("no source articles: %s does not exist and INVESTGRAPH_ARTICLES is not set", dir)
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no articles in %s (%v)", dir, err)
	}
	out := map[string][]string{}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var paras []string
		for _, line := range strings.Split(string(text), "\n") {
			if strings.TrimSpace(line) != "" {
				paras = append(paras, line)
			}
		}
		_, hex, _ := strings.Cut(strings.TrimSuffix(filepath.Base(f), ".txt"), "_")
		out[hex] = paras
	}
	return out
}

// TestSeedWalk_Evidence walks the seed article by article: it pins how many
// facts and attributes each file records as stated and as inferred, checks
// that every inference carries its note, and checks a sample of statements,
// events, attributions and two-sided figures against the paragraphs they
// cite.
func TestSeedWalk_Evidence(t *testing.T) {
	t.Run("CountsPerArticle", func(t *testing.T) {
		// Pinned: a change to what a file states or infers shows up here
		// and must be deliberate.
		want := map[string]evidenceCount{
			"000_81c1630493b7e74f.yaml": {stated: 89, inferred: 16},
			"001_617ef15b8252d5c0.yaml": {stated: 68, inferred: 4},
			"002_9c0d6d39aeed9ba5.yaml": {stated: 183, inferred: 20},
			"003_0cd24d71fac579ce.yaml": {stated: 51, inferred: 6},
			"004_70fb8e7c82b53bfa.yaml": {stated: 58, inferred: 7},
		}
		names, err := fs.Glob(seed.Files(), "*.yaml")
		if err != nil || len(names) != len(want) {
			t.Fatalf("seed files %v (%v), want %d", names, err, len(want))
		}
		for _, name := range names {
			data, err := fs.ReadFile(seed.Files(), name)
			if err != nil {
				t.Fatal(err)
			}
			var f seed.File
			if err := yaml.Unmarshal(data, &f); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got := countEvidence(&f); got != want[name] {
				t.Errorf("%s: %d stated and %d inferred, want %d and %d", name, got.stated, got.inferred, want[name].stated, want[name].inferred)
			}
		}
	})

	d := embedded(t)
	x := newIndex(d)

	t.Run("EveryInferenceHasANote", func(t *testing.T) {
		check := func(what string, b db.Basis, note *string) {
			if b == db.Inferred && (note == nil || strings.TrimSpace(*note) == "") {
				t.Errorf("%s is inferred without a note", what)
			}
			if b != db.Inferred && note != nil {
				t.Errorf("%s is stated but has a note", what)
			}
		}
		for _, p := range d.Positions {
			check("position "+p.Title, p.Basis, p.InferenceNote)
		}
		for _, p := range d.Participants {
			check("participant "+string(p.Role), p.Basis, p.InferenceNote)
		}
		for _, m := range d.Measurements {
			check("figure "+x.figure(m), m.Basis, m.InferenceNote)
		}
		for _, a := range d.Amounts {
			check("amount "+x.amount(a), a.Basis, a.InferenceNote)
		}
		for _, l := range d.Links {
			check("link", l.Basis, l.InferenceNote)
		}
		for _, s := range d.Statements {
			check("statement "+s.Slug, s.Basis, s.InferenceNote)
		}
		for _, a := range d.AttributeInferences {
			if strings.TrimSpace(a.Note) == "" {
				t.Errorf("inferred %s of %s %d has no note", a.Attribute, a.Subject, a.SubjectID)
			}
		}
	})

	paras := articleParagraphs(t)
	// paragraph returns the text a citation points at.
	paragraph := func(c db.Citation) string {
		t.Helper()
		src := x.sourceIDs[c.SourceID]
		p := paras[src.Slug]
		if c.Paragraph < 1 || c.Paragraph > len(p) {
			t.Fatalf("citation %s is outside its article", x.cite(c))
		}
		return p[c.Paragraph-1]
	}
	says := func(what, text string, words ...string) {
		t.Helper()
		for _, w := range words {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the paragraph does not say %q:\n%s", what, w, text)
			}
		}
	}
	statement := func(slug string) *db.Statement {
		t.Helper()
		i := slices.IndexFunc(d.Statements, func(s *db.Statement) bool { return s.Slug == slug })
		if i < 0 {
			t.Fatalf("no statement %s", slug)
		}
		return d.Statements[i]
	}
	personName := func(id int64) string {
		for _, p := range d.People {
			if p.ID == id {
				return p.Name
			}
		}
		return ""
	}

	t.Run("Statements", func(t *testing.T) {
		for _, tt := range []struct {
			slug, speaker string
			words         []string
		}{
			{art000 + "-6-magzum-mirzagaliyev", "Magzum Mirzagaliyev", []string{"Mirzagaliyev", "Karazhambas", "750,000"}},
			{art000 + "-10-ma-yongsheng", "Ma Yongsheng", []string{"Ma informed Tokayev", "second half of 2024", "terephthalic"}},
			{art002 + "-3-yerkin-tukumov", "Yerkin Tukumov", []string{"Tukumov said", "transit"}},
			{art002 + "-4-zhu-hexin", "Zhu Hexin", []string{"According to CITIC Group Chair Zhu Hexin", "five commercial documents"}},
			{art003 + "-6-askhat-khassenov", "Askhat Khassenov", []string{"more than 15 years", "Askhat Khassenov said"}},
			{art004 + "-5-kassym-jomart-tokayev", "Kassym-Jomart Tokayev", []string{"China Development Bank", "about $530 million"}},
		} {
			s := statement(tt.slug)
			if got := personName(s.SpeakerID); got != tt.speaker {
				t.Errorf("%s: speaker %s, want %s", tt.slug, got, tt.speaker)
			}
			says(tt.slug, paragraph(s.Citation), tt.words...)
		}
		// What the article does not date stays undated.
		if s := statement(art002 + "-2-yerkin-tukumov"); s.Date != nil {
			t.Errorf("Tukumov's comment is dated %s; the article gives no date", s.Date)
		}
	})

	t.Run("Events", func(t *testing.T) {
		events := map[string]*db.Event{}
		for _, e := range d.Events {
			events[e.Slug] = e
		}
		for _, tt := range []struct {
			slug, source string
			paragraph    int
			words        []string
		}{
			{"2023-05-tokayev-state-visit-china", art002, 18, []string{"first day of the Kazakh President’s state visit on May 17"}},
			{"2023-05-18-kazakh-chinese-investment-roundtable", art002, 1, []string{"Kazakh-Chinese investment roundtable", "May 18"}},
			{"2024-07-xi-jinping-state-visit-kazakhstan", art001, 1, []string{"Chinese President’s state visit"}},
			{"2024-08-khassenov-working-trip-china", art003, 1, []string{"working trip to China"}},
			{"2025-09-akorda-oil-and-gas-ceremony", art004, 1, []string{"ceremonial event in Akorda"}},
		} {
			e := events[tt.slug]
			if e == nil {
				t.Errorf("no event %s", tt.slug)
				continue
			}
			if !slices.Contains(x.citations(db.SubjectEvent, e.ID), tt.source+":"+strconv.Itoa(tt.paragraph)) {
				t.Errorf("event %s does not cite %s:%d (cites %v)", tt.slug, tt.source, tt.paragraph, x.citations(db.SubjectEvent, e.ID))
			}
			says(tt.slug, paras[tt.source][tt.paragraph-1], tt.words...)
		}
		// The Akorda ceremony's month is the article's: the text gives none.
		var inferredStart bool
		for _, a := range d.AttributeInferences {
			if a.Subject == db.SubjectEvent && a.SubjectID == events["2025-09-akorda-oil-and-gas-ceremony"].ID && a.Attribute == "start" {
				inferredStart = true
			}
		}
		if !inferredStart {
			t.Error("the ceremony's start is not marked inferred")
		}
	})

	t.Run("Attributions", func(t *testing.T) {
		for _, a := range d.Amounts {
			if a.Amount == 1.6e9 {
				if a.AttributedTo == nil || personName(a.AttributedTo.ID) != "Zhu Hexin" {
					t.Errorf("the $1.6 billion is attributed to %v, want Zhu Hexin", a.AttributedTo)
				}
				says("$1.6 billion", paragraph(a.Citation), "According to CITIC Group Chair Zhu Hexin", "$1.6 billion")
			}
		}
		var found bool
		for _, m := range d.Measurements {
			if m.Value == 750000 && x.sourceIDs[m.Citation.SourceID].Slug == art000 {
				found = true
				if m.AttributedTo == nil || personName(m.AttributedTo.ID) != "Magzum Mirzagaliyev" {
					t.Errorf("the 750,000 t of 000 is attributed to %v, want Mirzagaliyev", m.AttributedTo)
				}
				says("750,000 t", paragraph(m.Citation), "said KMG Chairman Magzum Mirzagaliyev", "750,000 tons")
			}
		}
		if !found {
			t.Error("no 750,000 t figure from 000")
		}
	})

	t.Run("TwoSidedFigures", func(t *testing.T) {
		for _, tt := range []struct {
			metric      db.Metric
			of, with    string
			start, end  string
			words       []string
			approx      db.Approximation
			wantFigures int
		}{
			{"BILATERAL_TRADE", "kazakhstan", "china", "2022", "2022", []string{"bilateral trade", "$31 billion in 2022"}, "EXACT", 1},
			{"INVESTMENT_INFLOW", "china", "kazakhstan", "2005", "", []string{"Since 2005", "$23.2 billion"}, "EXACT", 1},
			{"INVESTOR_RANK", "netherlands", "kazakhstan", "2005", "", []string{"after the Netherlands"}, "UP_TO", 1},
			{"PARTNERSHIP_YEARS", "kazakhstan", "citic-group", "", "", []string{"Kazakhstan has been cooperating with CITIC Group", "more than 15 years"}, "AT_LEAST", 1},
		} {
			n := 0
			for _, m := range d.Measurements {
				if m.Metric != tt.metric || m.CompanyID == nil || *m.CompanyID != x.companies[tt.of].ID {
					continue
				}
				n++
				if m.CounterpartyID == nil || *m.CounterpartyID != x.companies[tt.with].ID {
					t.Errorf("%s of %s: counterparty %v, want %s", tt.metric, tt.of, m.CounterpartyID, tt.with)
				}
				if got := dateOr(m.PeriodStart); got != tt.start {
					t.Errorf("%s of %s: period start %q, want %q", tt.metric, tt.of, got, tt.start)
				}
				if got := dateOr(m.PeriodEnd); got != tt.end {
					t.Errorf("%s of %s: period end %q, want %q", tt.metric, tt.of, got, tt.end)
				}
				if m.Approximation != tt.approx {
					t.Errorf("%s of %s: %s, want %s", tt.metric, tt.of, m.Approximation, tt.approx)
				}
				says(string(tt.metric), paragraph(m.Citation), tt.words...)
			}
			if n != tt.wantFigures {
				t.Errorf("%d %s figures of %s, want %d", n, tt.metric, tt.of, tt.wantFigures)
			}
		}
	})

	t.Run("Inferences", func(t *testing.T) {
		// Each inference below is one the text does not state: the cited
		// paragraph says something else, which the check pins.
		for _, p := range d.Participants {
			if p.ProjectID == x.projects["karazhambas-field"].ID && p.CompanyID == x.companies["kazmunaygas"].ID {
				if p.Basis != db.Inferred {
					t.Error("KMG's part in Karazhambas is stated; 000 ¶6 names Kazakhstan")
				}
			}
		}
		says("Karazhambas partners", paras[art000][5], "Kazakhstan and CITIC Group implement two projects")
		// The Caspi Bitum expansion's region: ¶4 names only Aktau.
		if p := paras[art000][3]; strings.Contains(p, "Mangystau") || !strings.Contains(p, "Aktau") {
			t.Errorf("000 ¶4 should name Aktau and not Mangystau:\n%s", p)
		}
		if d.Agreements[slices.IndexFunc(d.Agreements, func(a *db.Agreement) bool { return a.Slug == "cnpc-urea-mou" })].SignedOn != nil {
			t.Error("the urea memorandum is dated; 004 ¶4 gives no date")
		}
	})
}

func dateOr(d *db.PartialDate) string {
	if d == nil {
		return ""
	}
	return d.String()
}
