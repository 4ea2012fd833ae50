package httpapi_test

import (
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/goccy/go-yaml"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/seed"
)

// TestChangesetFormsAgree sends the same changesets to two servers, one as
// YAML text and one in the structured form (converted from the text by
// graphtest.StructuredInput, independently of the server's conversion),
// and checks that every one is answered alike (the same revision counts
// and touched objects, or the same errors at the same places) and that the
// two databases end up with the same rows.
func TestChangesetFormsAgree(t *testing.T) {
	t.Run("SeedFiles", func(t *testing.T) {
		// Every built-in seed file, as a changeset over a seed of one
		// empty source.
		base := fstest.MapFS{"base.yaml": {Data: []byte("source:\n  slug: base\n  title: Base\n  publishedOn: \"2020\"\n  paragraphs: 1\n")}}
		names, err := fs.Glob(seed.Files(), "*.yaml")
		if err != nil || len(names) == 0 {
			t.Fatalf("seed files: %v %v", names, err)
		}
		var texts []string
		for _, name := range names {
			b, err := fs.ReadFile(seed.Files(), name)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, string(b))
		}
		applied := compareForms(t, base, texts)
		if applied != len(names) {
			t.Errorf("%d of %d seed files applied", applied, len(names))
		}
	})
	t.Run("Generated", func(t *testing.T) {
		r := rand.New(rand.NewPCG(12, 2026))
		var texts []string
		for i := range 24 {
			f := generateChangeset(r, i)
			b, err := yaml.Marshal(f) // every field, unlike the server's canonical text
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, string(b))
		}
		applied := compareForms(t, seed.Files(), texts)
		// The generator makes mistakes on purpose; most changesets apply.
		if applied < len(texts)/2 || applied == len(texts) {
			t.Errorf("%d of %d generated changesets applied, want most but not all", applied, len(texts))
		}
	})
}

// compareForms applies texts in order to a server over base as YAML and
// to another in the structured form, compares each answer and then the
// databases, and returns how many were applied.
func compareForms(t *testing.T, base fs.FS, texts []string) int {
	t.Helper()
	dir := t.TempDir()
	servers := make([]*graphtest.Server, 2)
	for i := range servers {
		srv := graphtest.New(t, graphtest.WithSeed(base), graphtest.WithDatabase(filepath.Join(dir, fmt.Sprintf("form%d.db", i))),
			graphtest.WithOptions(httpapi.Options{Logger: quietLogger()}))
		servers[i] = srv.Editor(t, "alice")
	}
	applied := 0
	for i, text := range texts {
		c := graphtest.Changeset{YAML: text, Message: fmt.Sprintf("changeset %d", i), IdempotencyKey: fmt.Sprintf("key-%d", i)}
		s := c.Structured(t)
		for round := range 2 { // the second time, each is a replay
			a, b := servers[0].TryChangeset(t, c), servers[1].TryChangeset(t, s)
			ga, gb := answer(t, a, func(f string) string { return structuredField(f, s.Input) }), answer(t, b, func(f string) string { return f })
			if ga != gb {
				t.Errorf("changeset %d (round %d):\nyaml:       %s\nstructured: %s\n%s", i, round, ga, gb, text)
			}
			if round == 0 && len(a.Errors) == 0 {
				applied++
			}
		}
	}
	for _, srv := range servers {
		srv.Store.Close()
	}
	da, db := dumpTables(t, filepath.Join(dir, "form0.db")), dumpTables(t, filepath.Join(dir, "form1.db"))
	if !reflect.DeepEqual(da, db) {
		for table := range da {
			if !slices.Equal(da[table], db[table]) {
				t.Errorf("table %s differs: %d rows from YAML, %d from the structured form", table, len(da[table]), len(db[table]))
			}
		}
	}
	if len(da["companies"]) == 0 {
		t.Error("the dump has no companies")
	}
	return applied
}

// answer describes a response to applyChangeset apart from what differs by
// nature between two servers (revision times): the revision's counts,
// touched objects and replay flag, or the codes, fields (as field gives
// them in the structured form's terms) and messages of its errors.
func answer(t *testing.T, resp *graphtest.Response, field func(string) string) string {
	t.Helper()
	if len(resp.Errors) > 0 {
		var out []string
		for _, e := range resp.Errors {
			f, _ := e.Extensions["field"].(string)
			out = append(out, fmt.Sprintf("%s %s %s", e.Code(), field(f), e.Message))
		}
		return strings.Join(out, "\n")
	}
	var got struct {
		ApplyChangeset struct {
			Replayed bool
			Revision graphtest.Revision
		}
	}
	if err := resp.Decode(&got); err != nil {
		t.Fatalf("decode %s: %v", resp.Raw, err)
	}
	rev := got.ApplyChangeset.Revision
	return fmt.Sprintf("%s replayed=%v added=%d changed=%d source=%v touched=%v key=%v",
		rev.ID, got.ApplyChangeset.Replayed, rev.Added, rev.Changed, rev.Source, rev.Touched, *rev.IdempotencyKey)
}

// yamlMapEntry matches the place of a problem with an entry of a map of the
// YAML form, which the structured form gives as a list.
var yamlMapEntry = regexp.MustCompile(`^input\.yaml\.(\w+)\[(\d+)\]\.(inferred|roles)\.(.+)$`)

// structuredField is where the structured form input has what the YAML
// form has at field: the same path under input.changeset, but for an entry
// of inferred or roles, named by its key in YAML and by its index in the
// list of input.
func structuredField(field string, input map[string]any) string {
	if m := yamlMapEntry.FindStringSubmatch(field); m != nil {
		i, _ := strconv.Atoi(m[2])
		list, _ := input[m[1]].([]any)
		if i < len(list) {
			entry, _ := list[i].(map[string]any)
			pairs, _ := entry[m[3]].([]any)
			name := map[string]string{"inferred": "key", "roles": "participant"}[m[3]]
			for j, p := range pairs {
				if p.(map[string]any)[name] == m[4] {
					return fmt.Sprintf("input.changeset.%s[%d].%s[%d]", m[1], i, m[3], j)
				}
			}
		}
	}
	return strings.Replace(field, "input.yaml", "input.changeset", 1)
}

// dumpTables reads every row of every table of the database at path, as
// text in sorted order, but for the tables that differ between two servers
// by nature: tokens (random secrets) and revisions (times and, for the
// structured form, the canonical text), which answer compares.
func dumpTables(t *testing.T, path string) map[string][]string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tables := queryColumn(t, conn, `SELECT name FROM pragma_table_list
		WHERE schema = 'main' AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite_%' AND name NOT IN ('tokens', 'revisions') ORDER BY name`)
	out := map[string][]string{}
	for _, table := range tables {
		cols := queryColumn(t, conn, `SELECT name FROM pragma_table_info(?) ORDER BY name`, table)
		quoted := make([]string, len(cols))
		for i, c := range cols {
			quoted[i] = `quote("` + c + `")`
		}
		out[table] = queryColumn(t, conn, `SELECT `+strings.Join(quoted, ` || ',' || `)+` AS row FROM "`+table+`" ORDER BY row`)
	}
	return out
}

func queryColumn(t *testing.T, conn *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := conn.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// generateChangeset makes the i-th random changeset: a source with a few of
// every kind of entry, new slugs mixed with the seed's, most facts stated,
// some inferred, and now and then a mistake (a citation past the source's
// end, an unknown reference, a bad vocabulary value, an inference without
// a note) that both forms must refuse alike.
func generateChangeset(r *rand.Rand, i int) *seed.File {
	paragraphs := 3 + r.IntN(10)
	cite := func() int {
		return 1 + r.IntN(paragraphs)
	}
	cites := func() []int { return []int{cite()} }
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	maybe := func(s string) string {
		if r.IntN(2) == 0 {
			return ""
		}
		return s
	}
	evidence := func() seed.Evidence {
		switch r.IntN(10) {
		case 0:
			return seed.Evidence{Basis: "INFERRED", InferenceNote: "From the paragraph before."}
		case 1:
			return seed.Evidence{Basis: "STATED"}
		}
		return seed.Evidence{}
	}
	companies := []string{"kazakhstan", "china", "kazmunaygas", "citic-group", "cnpc"}
	people := []string{}
	f := &seed.File{Source: seed.SourceEntry{Slug: fmt.Sprintf("gen-%02d", i), Title: fmt.Sprintf("Generated report %d", i),
		Publisher: maybe("Example Wire"), Attribution: maybe("Example press office"),
		PublishedOn: fmt.Sprintf("2026-%02d", 1+r.IntN(12)), Paragraphs: paragraphs}}
	for j := range 1 + r.IntN(3) {
		slug := fmt.Sprintf("gen-%d-co-%d", i, j)
		c := seed.CompanyEntry{Slug: slug, Name: fmt.Sprintf("Generated Co %d-%d", i, j), Kind: pick("COMPANY", "BANK", "JOINT_VENTURE"),
			Country: pick("KZ", "CN", ""), Founded: maybe(fmt.Sprint(1990 + r.IntN(30))), Cite: cites()}
		if r.IntN(3) == 0 {
			c.Aliases = []string{fmt.Sprintf("GC%d%d", i, j)}
		}
		if r.IntN(3) == 0 {
			c.Parent = pick(companies...)
			c.Inferred = seed.Inferred{"parent": "From the company's name."}
		}
		if r.IntN(3) == 0 {
			c.Measurements = append(c.Measurements, seed.MeasurementEntry{Metric: "EMPLOYEES", Label: "staff", Value: float64(100 + r.IntN(5000)),
				Unit: "people", Approximation: pick("", "ABOUT", "AT_LEAST"), AsOf: "2026", Status: "ACTUAL", Cite: cite(),
				AttributedTo: maybe(slug), Evidence: evidence()})
		}
		f.Companies = append(f.Companies, c)
		companies = append(companies, slug)
	}
	// An existing company mentioned again, now and then with a scalar that
	// conflicts with the seed's.
	again := seed.CompanyEntry{Slug: pick("kazmunaygas", "kazakhstan", "cnpc"), Cite: cites(), Aliases: []string{fmt.Sprintf("Alias %d", i)}}
	f.Companies = append(f.Companies, again)
	for j := range r.IntN(3) {
		slug := fmt.Sprintf("gen-%d-person-%d", i, j)
		p := seed.PersonEntry{Slug: slug, Name: fmt.Sprintf("Generated Person %d-%d", i, j), Description: maybe("An official."), Cite: cites()}
		p.Positions = append(p.Positions, seed.PositionEntry{Organization: pick(companies...), Title: pick("Chairman", "Minister", "Director"),
			Cite: cites(), AttributedTo: maybe(pick(companies...)), Evidence: evidence()})
		f.People = append(f.People, p)
		people = append(people, slug)
	}
	var projects []string
	for j := range 1 + r.IntN(2) {
		slug := fmt.Sprintf("gen-%d-project-%d", i, j)
		p := seed.ProjectEntry{Slug: slug, Name: fmt.Sprintf("Generated project %d-%d", i, j), Sector: pick("POWER", "REFINING", "ROADS"),
			Status: pick("PROPOSED", "AGREED", "OPERATING"), Region: maybe("Turkistan Region"), Description: maybe("A plant."), Cite: cites()}
		for k := range 1 + r.IntN(3) {
			company := companies[(j+k)%len(companies)]
			role := pick("OWNER", "OPERATOR", "INVESTOR", "CONTRACTOR")
			p.Participants = append(p.Participants, seed.ParticipantEntry{Company: company, Role: role, Cite: cites(), Evidence: evidence()})
		}
		if r.IntN(2) == 0 {
			p.Measurements = append(p.Measurements, seed.MeasurementEntry{Metric: "POWER_CAPACITY", Label: "installed power", Value: float64(1 + r.IntN(900)),
				Unit: "MW", AsOf: "2026", Status: pick("ACTUAL", "TARGET"), Cite: cite(), Counterparty: maybe(pick(companies...)),
				PeriodStart: maybe("2025"), Evidence: evidence()})
		}
		if r.IntN(2) == 0 {
			p.Milestones = append(p.Milestones, seed.MilestoneEntry{Name: "launch", Date: maybe("2027"), Status: "PLANNED", Cite: cite(), Evidence: evidence()})
		}
		if r.IntN(2) == 0 {
			p.Amounts = append(p.Amounts, seed.AmountEntry{Amount: float64(1+r.IntN(900)) * 1e6, Currency: "USD",
				Approximation: pick("", "ABOUT", "UP_TO"), Label: "cost", Cite: cite(), AttributedTo: maybe(pick(companies...)), Evidence: evidence()})
		}
		if r.IntN(3) == 0 {
			p.Inferred = seed.Inferred{"region": "From the city named."}
			if p.Region == "" {
				p.Region = "Turkistan Region"
			}
		}
		f.Projects = append(f.Projects, p)
		projects = append(projects, slug)
	}
	var events []string
	if r.IntN(2) == 0 {
		slug := fmt.Sprintf("gen-%d-visit", i)
		f.Events = append(f.Events, seed.EventEntry{Slug: slug, Name: "A working visit", Kind: pick("VISIT", "TALKS", "CEREMONY"),
			Start: "2026-05", End: maybe("2026-06"), Location: maybe("Astana"), Description: "A visit.", Cite: cites()})
		events = append(events, slug)
	}
	if len(people) > 0 {
		slug := fmt.Sprintf("2026-%d-gen-meeting", 10+i)
		m := seed.MeetingEntry{Slug: slug, Date: "2026-05", Location: maybe("Astana"), Occasion: maybe("talks"), Summary: "They met.",
			Participants: people, Organizations: []string{companies[0], companies[len(companies)-1]}, Topics: []string{"energy"},
			Projects: projects[:1], Cite: cites()}
		m.Roles = map[string]string{people[0]: pick("HOST", "GUEST", "DELEGATION_MEMBER")}
		if len(events) > 0 {
			m.Event = events[0]
		}
		if r.IntN(3) == 0 {
			m.Inferred = seed.Inferred{"participants/" + people[0]: "The paragraph names only the ministry."}
		}
		f.Meetings = append(f.Meetings, m)
		a := seed.AgreementEntry{Slug: fmt.Sprintf("gen-%d-agreement", i), Title: "An agreement", Kind: pick("AGREEMENT", "MEMORANDUM_OF_UNDERSTANDING"),
			SignedOn: maybe("2026-05"), Summary: "They agreed.", Parties: []string{companies[0], companies[len(companies)-1]},
			Signatories: people[:1], Projects: projects[:1], Meeting: slug, Cite: cites(), Status: pick("", "SIGNED", "REACHED")}
		if r.IntN(2) == 0 {
			a.Amounts = []seed.AmountEntry{{Amount: 5e8, Currency: "USD", Label: "value", Cite: cite()}}
		}
		f.Agreements = append(f.Agreements, a)
		f.Statements = append(f.Statements, seed.StatementEntry{Speaker: people[0], Meeting: maybe(slug), About: projects[:1],
			Summary: "Said the project matters.", Cite: cite(), Evidence: evidence()})
	}
	if r.IntN(4) == 0 {
		spoil(r, f)
	}
	return f
}

// spoil makes one of the mistakes the loader refuses.
func spoil(r *rand.Rand, f *seed.File) {
	p := &f.Projects[0]
	switch r.IntN(6) {
	case 0:
		p.Cite = append(p.Cite, f.Source.Paragraphs+2) // past the source's end
	case 1:
		p.Participants[0].Company = "no-such-company"
	case 2:
		p.Participants[0].Role = "LANDLORD"
	case 3:
		p.Participants[0].Evidence = seed.Evidence{Basis: "INFERRED"} // no note
	case 4:
		f.Companies[len(f.Companies)-1].Kind = "BANK" // conflicts with the seed's
	case 5:
		p.Inferred = seed.Inferred{"colour": "No such attribute."}
	}
}
