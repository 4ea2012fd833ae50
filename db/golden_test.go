package db_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/db/dbtest"
)

var update = flag.Bool("update", false, "rewrite testdata/answers/*.txt with the store's current answers")

// TestStore_Answers holds every read of the store to reviewed answers:
// for the built-in seed, now and as of a day in its middle,
// testdata/answers holds what each list (in every ordering), lookup,
// relation, citation list, timeline, search, neighborhood, path and money
// summary returns, in the order returned. A change that is meant to change
// an answer reruns with -update and reviews the diff.
func TestStore_Answers(t *testing.T) {
	s, _ := seededStore(t)
	// The current answers, and those as of the day the third source was
	// published: TestStore_AsOfPublicationDay holds the other days to these.
	for _, date := range []string{"", "2023-10-18", "statistics"} {
		name := "current"
		ctx := t.Context()
		switch date {
		case "statistics":
			name = date
		case "":
		default:
			name = "asof-" + date
			ctx = db.WithAsOf(ctx, db.MustParsePartialDate(date))
		}
		var got string
		if date == "statistics" {
			got = statistics(t, s)
		} else {
			got = answers(t, s, ctx)
		}
		path := filepath.Join("testdata", "answers", name+".txt")
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v: run go test ./db -run TestStore_Answers -update and review the answers", err)
		}
		want := string(raw)
		if dbtest.Engine() == db.EnginePostgres {
			got, want = withoutRanking(t, got), withoutRanking(t, want)
		}
		if got != want {
			t.Errorf("%s: the store answers differently (if that is meant, rerun with -update and review the diff):\n%s", path, firstDiff(got, want))
		}
	}
}

// TestStore_AsOfPublicationDay checks the as-of cut-off at its edge: what
// the store answers as of a source's publication day stays the same up to
// the day before the next publication, and as of the last publication day
// it is the current answer, so a source published on the day counts. The
// day before a publication answers differently from the day itself.
func TestStore_AsOfPublicationDay(t *testing.T) {
	s, _ := seededStore(t)
	var days []time.Time
	for _, src := range allSources(t, s) {
		d, err := time.Parse(time.DateOnly, src.PublishedOn.String())
		if err != nil {
			t.Fatalf("source %s published %s: want a day", src.Slug, src.PublishedOn)
		}
		days = append(days, d)
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	days = slices.Compact(days)
	at := func(d time.Time) string {
		return answers(t, s, db.WithAsOf(t.Context(), db.MustParsePartialDate(d.Format(time.DateOnly))))
	}
	for i, day := range days {
		on := at(day)
		if before := at(day.AddDate(0, 0, -1)); before == on {
			t.Errorf("as of %s and the day before: the same answers, though a source was published that day", day.Format(time.DateOnly))
		}
		last := answers(t, s, t.Context())
		if i+1 < len(days) {
			last = at(days[i+1].AddDate(0, 0, -1))
		}
		if last != on {
			t.Errorf("as of %s and up to the next publication: answers differ:\n%s", day.Format(time.DateOnly), firstDiff(on, last))
		}
	}
}

// firstDiff shows the first line where two answers differ.
// withoutRanking keeps of the search sections of answers the totals and
// which objects were found, in order of kind and id: PostgreSQL ranks
// them and cuts their snippets otherwise than SQLite (see Store.Search),
// and the page of a ranked list depends on the ranking.
func withoutRanking(t *testing.T, answers string) string {
	t.Helper()
	var out, hits []string
	section := ""
	flush := func() {
		slices.Sort(hits)
		out, hits = append(out, hits...), nil
	}
	for i, l := range strings.Split(answers, "\n") {
		switch {
		case strings.HasPrefix(l, "## "):
			flush()
			section = l
			out = append(out, l)
		case strings.HasPrefix(section, "## search ") && strings.HasPrefix(l, "{"):
			if section == "## search page" {
				continue
			}
			var h db.SearchHit
			if err := json.Unmarshal([]byte(l), &h); err != nil {
				t.Fatalf("line %d: %v", i+1, err)
			}
			hits = append(hits, fmt.Sprintf("%s %d", h.Kind, h.ID))
		default:
			out = append(out, l)
		}
	}
	flush()
	return strings.Join(out, "\n")
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	section := ""
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if strings.HasPrefix(wl, "## ") {
			section = wl
		}
		if gl != wl {
			return fmt.Sprintf("%s, line %d\n got: %s\nwant: %s", section, i+1, gl, wl)
		}
	}
	return "same"
}

func allSources(t *testing.T, s *db.Store) []*db.Source {
	t.Helper()
	p, err := s.FindSources(t.Context(), db.Order{}, db.PageArgs{First: db.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

// answerBook writes sections of answers: a heading, then one JSON line
// per item.
type answerBook struct {
	t *testing.T
	b strings.Builder
}

func (a *answerBook) section(format string, args ...any) {
	fmt.Fprintf(&a.b, "## "+format+"\n", args...)
}

func (a *answerBook) line(v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		a.t.Fatal(err)
	}
	a.b.Write(raw)
	a.b.WriteByte('\n')
}

// brief writes v with every object that has a slug replaced by the slug:
// objects' fields are in the lists; relations need only say which.
func (a *answerBook) brief(v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		a.t.Fatal(err)
	}
	var x any
	if err := json.Unmarshal(raw, &x); err != nil {
		a.t.Fatal(err)
	}
	a.line(slugsFor(x))
}

func slugsFor(x any) any {
	switch x := x.(type) {
	case map[string]any:
		if slug, ok := x["Slug"]; ok {
			if _, ok := x["ID"]; ok {
				return slug
			}
		}
		for k, v := range x {
			x[k] = slugsFor(v)
		}
	case []any:
		for i, v := range x {
			x[i] = slugsFor(v)
		}
	}
	return x
}

// graph writes a subgraph or path compactly: its nodes, and its
// relationships as from -TYPE(label)-> to.
func (a *answerBook) graph(nodes []db.NodeRef, rels []*db.Relationship) {
	var b strings.Builder
	for _, n := range nodes {
		fmt.Fprintf(&b, "%s:%d ", n.Type, n.ID)
	}
	b.WriteString("|")
	for _, r := range rels {
		fmt.Fprintf(&b, " %s:%d-%s(%s)->%s:%d", r.From.Type, r.From.ID, r.Type, r.Label, r.To.Type, r.To.ID)
	}
	a.b.WriteString(b.String() + "\n")
}

func (a *answerBook) err(err error) {
	a.b.WriteString("error: " + db.ErrorCode(err) + "\n")
}

// lines writes a map from ids to values in id order.
func lines[V any](a *answerBook, m map[int64]V, err error) {
	if err != nil {
		a.err(err)
		return
	}
	for _, k := range slices.Sorted(func(yield func(int64) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}) {
		a.brief(map[string]any{"key": k, "value": m[k]})
	}
}

// list pages through a root list in pages of 7 and writes each item, then
// the total count.
func list[T any](a *answerBook, ctx context.Context, full bool, find func(context.Context, db.PageArgs) (*db.Page[T], error)) []T {
	var all []T
	p := db.PageArgs{First: 7}
	for {
		page, err := find(ctx, p)
		if err != nil {
			a.err(err)
			return all
		}
		all = append(all, page.Items...)
		for _, it := range page.Items {
			if full {
				a.line(it)
			} else {
				a.brief(it)
			}
		}
		if !page.HasNextPage {
			n, err := page.TotalCount(ctx)
			if err != nil {
				a.err(err)
			}
			a.line(map[string]int{"totalCount": n})
			return all
		}
		c := page.Cursors[len(page.Cursors)-1]
		p.After = &c
	}
}

// answers is everything the store answers under ctx, as text.
func answers(t *testing.T, s *db.Store, ctx context.Context) string {
	t.Helper()
	a := &answerBook{t: t}
	for _, o := range []string{"", "NAME", "COUNTRY", "KIND", "FIRST_REPORTED"} {
		for _, desc := range []bool{false, true} {
			a.section("companies %s desc=%v", o, desc)
			list(a, ctx, o == "" && !desc, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Company], error) {
				return s.FindCompanies(ctx, db.CompanyFilter{}, db.Order{Field: o, Desc: desc}, p)
			})
		}
	}
	for _, o := range []string{"NAME", "FIRST_REPORTED"} {
		for _, desc := range []bool{false, true} {
			a.section("people %s desc=%v", o, desc)
			list(a, ctx, o == "NAME" && !desc, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Person], error) {
				return s.FindPeople(ctx, db.PersonFilter{}, db.Order{Field: o, Desc: desc}, p)
			})
		}
	}
	for _, o := range []string{"NAME", "SECTOR", "STATUS", "FIRST_REPORTED"} {
		for _, desc := range []bool{false, true} {
			a.section("projects %s desc=%v", o, desc)
			list(a, ctx, o == "NAME" && !desc, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Project], error) {
				return s.FindProjects(ctx, db.ProjectFilter{}, db.Order{Field: o, Desc: desc}, p)
			})
		}
	}
	for _, desc := range []bool{false, true} {
		a.section("meetings desc=%v", desc)
		list(a, ctx, !desc, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Meeting], error) {
			return s.FindMeetings(ctx, db.MeetingFilter{}, db.Order{Field: "DATE", Desc: desc}, p)
		})
	}
	for _, o := range []string{"SIGNED_ON", "TITLE", "AMOUNT"} {
		for _, desc := range []bool{false, true} {
			a.section("agreements %s desc=%v", o, desc)
			list(a, ctx, o == "SIGNED_ON" && !desc, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Agreement], error) {
				return s.FindAgreements(ctx, db.AgreementFilter{}, db.Order{Field: o, Desc: desc}, p)
			})
		}
	}
	for _, desc := range []bool{false, true} {
		a.section("sources desc=%v", desc)
		list(a, ctx, !desc, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Source], error) {
			return s.FindSources(ctx, db.Order{Field: "PUBLISHED_ON", Desc: desc}, p)
		})
	}
	// Relations, asked for every object the unrestricted store holds, so
	// that one not yet visible shows as missing.
	all := allIDs(t, s)
	companies, people, projects, meetings, agreements := all.ids["Company"], all.ids["Person"], all.ids["Project"], all.ids["Meeting"], all.ids["Agreement"]
	rel := func(name string, keys []int64, find func(context.Context, []int64) (map[int64][]*db.Company, error)) {
		a.section("%s", name)
		m, err := find(ctx, keys)
		lines(a, m, err)
	}
	rel("subsidiaries", companies, s.FindSubsidiaries)
	rel("agreement parties", agreements, s.FindAgreementParties)
	rel("meeting organizations", meetings, s.FindMeetingOrganizations)
	relP := func(name string, keys []int64, find func(context.Context, []int64) (map[int64][]*db.Person, error)) {
		a.section("%s", name)
		m, err := find(ctx, keys)
		lines(a, m, err)
	}
	relP("meeting participants", meetings, s.FindMeetingParticipants)
	relP("agreement signatories", agreements, s.FindAgreementSignatories)
	relPr := func(name string, keys []int64, find func(context.Context, []int64) (map[int64][]*db.Project, error)) {
		a.section("%s", name)
		m, err := find(ctx, keys)
		lines(a, m, err)
	}
	relPr("meeting projects", meetings, s.FindMeetingProjects)
	relPr("agreement projects", agreements, s.FindAgreementProjects)
	relA := func(name string, keys []int64, find func(context.Context, []int64) (map[int64][]*db.Agreement, error)) {
		a.section("%s", name)
		m, err := find(ctx, keys)
		lines(a, m, err)
	}
	relA("agreements by company", companies, s.FindAgreementsByCompanyIDs)
	relA("agreements by project", projects, s.FindAgreementsByProjectIDs)
	relA("agreements by meeting", meetings, s.FindAgreementsByMeetingIDs)
	relM := func(name string, keys []int64, find func(context.Context, []int64) (map[int64][]*db.Meeting, error)) {
		a.section("%s", name)
		m, err := find(ctx, keys)
		lines(a, m, err)
	}
	relM("meetings by person", people, s.FindMeetingsByPersonIDs)
	relM("meetings by company", companies, s.FindMeetingsByCompanyIDs)
	relM("meetings by project", projects, s.FindMeetingsByProjectIDs)

	filters(a, s, ctx, all)

	a.section("by ids")
	for _, f := range []func() (any, error){
		func() (any, error) { return s.FindCompaniesByIDs(ctx, companies) },
		func() (any, error) { return s.FindPeopleByIDs(ctx, people) },
		func() (any, error) { return s.FindProjectsByIDs(ctx, projects) },
		func() (any, error) { return s.FindMeetingsByIDs(ctx, meetings) },
		func() (any, error) { return s.FindAgreementsByIDs(ctx, agreements) },
		func() (any, error) { return s.FindSourcesByIDs(ctx, all.ids["Source"]) },
		func() (any, error) { return s.FindMeetingTopics(ctx, meetings) },
		func() (any, error) { return s.FindMeasurementsByCompanyIDs(ctx, companies) },
		func() (any, error) { return s.FindMeasurementsByProjectIDs(ctx, projects) },
		func() (any, error) { return s.FindMilestonesByProjectIDs(ctx, projects) },
		func() (any, error) { return s.FindAmountsByProjectIDs(ctx, projects) },
		func() (any, error) { return s.FindAmountsByAgreementIDs(ctx, agreements) },
		func() (any, error) { return s.FindParticipantsByProjectIDs(ctx, projects) },
		func() (any, error) { return s.FindParticipantsByCompanyIDs(ctx, companies) },
	} {
		v, err := f()
		if err != nil {
			a.err(err)
		} else {
			a.brief(v)
		}
	}
	a.section("positions")
	pos, err := s.FindPositionsByPersonIDs(ctx, people)
	lines(a, pos, err)
	posOrg, err := s.FindPositionsByOrganizationIDs(ctx, companies)
	lines(a, posOrg, err)

	a.section("aliases")
	for _, subject := range []db.Subject{db.SubjectCompany, db.SubjectPerson, db.SubjectProject} {
		m, err := s.FindAliases(ctx, subject, all.ids[map[db.Subject]string{db.SubjectCompany: "Company", db.SubjectPerson: "Person", db.SubjectProject: "Project"}[subject]])
		a.line(subject)
		lines(a, m, err)
	}
	a.section("citations")
	var keys []db.SubjectKey
	for subject, ids := range map[db.Subject][]int64{db.SubjectCompany: companies, db.SubjectPerson: people, db.SubjectProject: projects,
		db.SubjectMeeting: meetings, db.SubjectAgreement: agreements, db.SubjectPosition: all.ids["Position"], db.SubjectParticipant: all.ids["Participant"]} {
		for _, id := range ids {
			keys = append(keys, db.SubjectKey{Subject: subject, ID: id})
		}
	}
	slices.SortFunc(keys, func(x, y db.SubjectKey) int {
		if x.Subject != y.Subject {
			return strings.Compare(string(x.Subject), string(y.Subject))
		}
		return int(x.ID - y.ID)
	})
	cites, err := s.FindCitations(ctx, keys)
	if err != nil {
		a.err(err)
	}
	for _, k := range keys {
		if c, ok := cites[k]; ok {
			a.line(map[string]any{"subject": k.Subject, "id": k.ID, "citations": c})
		}
	}

	a.section("lookups")
	for _, slug := range all.slugs["Company"] {
		c, err := s.FindCompanyBySlug(ctx, slug)
		a.line(map[string]any{"company": slug, "found": c != nil, "code": db.ErrorCode(err)})
	}
	for _, slug := range all.slugs["Person"] {
		p, err := s.FindPersonBySlug(ctx, slug)
		a.line(map[string]any{"person": slug, "found": p != nil, "code": db.ErrorCode(err)})
	}
	for _, slug := range all.slugs["Project"] {
		p, err := s.FindProjectBySlug(ctx, slug)
		a.line(map[string]any{"project": slug, "found": p != nil, "code": db.ErrorCode(err)})
	}
	for _, slug := range all.slugs["Meeting"] {
		m, err := s.FindMeetingBySlug(ctx, slug)
		a.line(map[string]any{"meeting": slug, "found": m != nil, "code": db.ErrorCode(err)})
	}
	for _, slug := range all.slugs["Agreement"] {
		x, err := s.FindAgreementBySlug(ctx, slug)
		a.line(map[string]any{"agreement": slug, "found": x != nil, "code": db.ErrorCode(err)})
	}
	for _, slug := range all.slugs["Source"] {
		x, err := s.FindSourceBySlug(ctx, slug)
		a.line(map[string]any{"source": slug, "found": x != nil, "code": db.ErrorCode(err)})
	}
	for _, name := range all.names["Company"] {
		c, err := s.FindCompanyByName(ctx, name)
		a.brief(map[string]any{"company name": name, "found": c, "code": db.ErrorCode(err)})
	}
	for _, name := range all.names["Person"] {
		p, err := s.FindPersonByName(ctx, name)
		a.brief(map[string]any{"person name": name, "found": p, "code": db.ErrorCode(err)})
	}
	for _, name := range all.names["Project"] {
		p, err := s.FindProjectByName(ctx, name)
		a.brief(map[string]any{"project name": name, "found": p, "code": db.ErrorCode(err)})
	}

	a.section("counts")
	n, err := s.Count(ctx)
	if err != nil {
		a.err(err)
	}
	a.line(n)
	for _, g := range []db.MoneyGrouping{db.ByCounterpartyCountry, db.ByCompany, db.BySector, db.ByYear} {
		for _, cur := range []string{"USD", "CNY"} {
			a.section("money by %s in %s", g, cur)
			m, err := s.MoneySummary(ctx, g, cur)
			if err != nil {
				a.err(err)
				continue
			}
			a.line(m)
		}
	}

	a.section("timeline")
	events, total, err := s.Timeline(ctx, db.TimelineFilter{}, 0, 1000)
	if err != nil {
		a.err(err)
	}
	a.line(total)
	for _, e := range events {
		a.line(e)
	}
	for _, r := range [][2]string{{"2024-08", ""}, {"", "2023"}, {"2023-10-17", "2023-10-18"}, {"2024-H2", "2024-H2"}, {"2019", "2023-06"}} {
		var f db.TimelineFilter
		if r[0] != "" {
			d := db.MustParsePartialDate(r[0])
			f.From = &d
		}
		if r[1] != "" {
			d := db.MustParsePartialDate(r[1])
			f.To = &d
		}
		a.section("timeline from %q to %q", r[0], r[1])
		events, total, err := s.Timeline(ctx, f, 0, 1000)
		if err != nil {
			a.err(err)
		}
		a.line(total)
		for _, e := range events {
			a.b.WriteString(fmt.Sprintf("%s %s %s\n", e.Kind, e.Date, e.Title))
		}
	}
	for _, typ := range []string{"Company", "Person", "Project", "Meeting", "Agreement"} {
		for _, id := range all.ids[typ] {
			a.section("timeline of %s %d", typ, id)
			events, total, err := s.Timeline(ctx, db.TimelineFilter{Subject: &db.NodeRef{Type: typ, ID: id}}, 0, 1000)
			if err != nil {
				a.err(err)
			}
			a.line(total)
			for _, e := range events {
				a.b.WriteString(fmt.Sprintf("%s %s %s\n", e.Kind, e.Date, e.Title))
			}
		}
	}
	a.section("timeline page")
	page, total, err := s.Timeline(ctx, db.TimelineFilter{}, 5, 4)
	if err != nil {
		a.err(err)
	}
	a.line(total)
	for _, e := range page {
		a.b.WriteString(fmt.Sprintf("%s %s %s\n", e.Kind, e.Date, e.Title))
	}

	for _, q := range []string{"directors", "bitu*", "citic", "pipeline", `"caspi bitum"`, "chairman", "gas", "kazakhstan", "memorandum", "oil refinery"} {
		for _, kinds := range [][]string{nil, {"Project", "Company"}, {"Person"}} {
			a.section("search %s %v", q, kinds)
			hits, total, err := s.Search(ctx, q, kinds, 0, 100)
			if err != nil {
				a.err(err)
				continue
			}
			a.line(total)
			for _, h := range hits {
				a.line(h)
			}
		}
	}
	a.section("search page")
	hits, total, err := s.Search(ctx, "kazakhstan", nil, 2, 3)
	if err != nil {
		a.err(err)
	}
	a.line(total)
	for _, h := range hits {
		a.line(h)
	}

	for _, typ := range []string{"Company", "Person", "Project", "Meeting", "Agreement"} {
		for _, id := range all.ids[typ] {
			for _, depth := range []int{1, 2} {
				if depth == 2 && id != all.ids[typ][0] {
					continue
				}
				a.section("neighborhood of %s %d depth %d", typ, id, depth)
				g, err := s.Neighborhood(ctx, db.NodeRef{Type: typ, ID: id}, depth, 1000)
				if err != nil {
					a.err(err)
					continue
				}
				a.graph(append([]db.NodeRef{g.Center}, g.Nodes...), g.Relationships)
			}
		}
	}
	var ends []db.NodeRef
	for _, typ := range []string{"Company", "Person", "Project"} {
		for _, id := range all.ids[typ][:min(4, len(all.ids[typ]))] {
			ends = append(ends, db.NodeRef{Type: typ, ID: id})
		}
	}
	for i, from := range ends {
		for _, to := range ends[i+1:] {
			a.section("paths %v %v", from, to)
			paths, err := s.Paths(ctx, from, to, 4, 10)
			if err != nil {
				a.err(err)
				continue
			}
			for _, p := range paths {
				a.graph(p.Nodes, p.Relationships)
			}
		}
	}
	return a.b.String()
}

// idIndex is what the unrestricted store holds: ids by type, and the
// slugs and names to look objects up by.
type idIndex struct {
	ids          map[string][]int64
	slugs, names map[string][]string
}

func (x idIndex) add(typ string, id int64, slug, name string) {
	x.ids[typ] = append(x.ids[typ], id)
	x.slugs[typ] = append(x.slugs[typ], slug)
	if name != "" {
		// Lookups by name ignore case: ask in upper case too.
		x.names[typ] = append(x.names[typ], name, strings.ToUpper(name))
	}
}

func allIDs(t *testing.T, s *db.Store) idIndex {
	t.Helper()
	ctx := t.Context()
	out := idIndex{slugs: map[string][]string{}, names: map[string][]string{}}
	out.ids = map[string][]int64{}
	page := db.PageArgs{First: db.MaxPageSize}
	cs, err := s.FindCompanies(ctx, db.CompanyFilter{}, db.Order{}, page)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs.Items {
		out.add("Company", c.ID, c.Slug, c.Name)
	}
	ps, err := s.FindPeople(ctx, db.PersonFilter{}, db.Order{}, page)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps.Items {
		out.add("Person", p.ID, p.Slug, p.Name)
	}
	prs, err := s.FindProjects(ctx, db.ProjectFilter{}, db.Order{}, page)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prs.Items {
		out.add("Project", p.ID, p.Slug, p.Name)
	}
	ms, err := s.FindMeetings(ctx, db.MeetingFilter{}, db.Order{}, page)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms.Items {
		out.add("Meeting", m.ID, m.Slug, "")
	}
	as, err := s.FindAgreements(ctx, db.AgreementFilter{}, db.Order{}, page)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range as.Items {
		out.add("Agreement", x.ID, x.Slug, "")
	}
	for _, src := range allSources(t, s) {
		out.add("Source", src.ID, src.Slug, "")
	}
	pos, err := s.FindPositionsByPersonIDs(ctx, out.ids["Person"])
	if err != nil {
		t.Fatal(err)
	}
	for _, list := range pos {
		for _, p := range list {
			out.ids["Position"] = append(out.ids["Position"], p.ID)
		}
	}
	parts, err := s.FindParticipantsByProjectIDs(ctx, out.ids["Project"])
	if err != nil {
		t.Fatal(err)
	}
	for _, list := range parts {
		for _, p := range list {
			out.ids["Participant"] = append(out.ids["Participant"], p.ID)
		}
	}
	for _, ids := range out.ids {
		slices.Sort(ids)
	}
	return out
}

// slugs pages through a filtered list and writes its slugs in order and
// its total count on one line.
func slugs[T any](a *answerBook, ctx context.Context, slug func(T) string, find func(context.Context, db.PageArgs) (*db.Page[T], error)) {
	page, err := find(ctx, db.PageArgs{First: db.MaxPageSize})
	if err != nil {
		a.err(err)
		return
	}
	n, err := page.TotalCount(ctx)
	if err != nil {
		a.err(err)
		return
	}
	var out []string
	for _, it := range page.Items {
		out = append(out, slug(it))
	}
	fmt.Fprintf(&a.b, "%d %s\n", n, strings.Join(out, " "))
}

// filters writes the lists under every filter field, one value at a time
// and a few together.
func filters(a *answerBook, s *db.Store, ctx context.Context, all idIndex) {
	date := func(s string) *db.PartialDate {
		if s == "" {
			return nil
		}
		d := db.MustParsePartialDate(s)
		return &d
	}
	amount := func(v float64) *float64 { return &v }
	company := func(f db.CompanyFilter) {
		a.section("companies filtered %+v", f)
		slugs(a, ctx, func(c *db.Company) string { return c.Slug }, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Company], error) {
			return s.FindCompanies(ctx, f, db.Order{}, p)
		})
	}
	for _, k := range db.CompanyKinds {
		company(db.CompanyFilter{Kinds: []db.CompanyKind{k}})
	}
	company(db.CompanyFilter{Kinds: []db.CompanyKind{"STATE", "BANK"}})
	for _, c := range []string{"KZ", "CN", "US"} {
		company(db.CompanyFilter{Countries: []string{c}})
	}
	company(db.CompanyFilter{Countries: []string{"KZ", "CN"}, Kinds: []db.CompanyKind{"STATE_OWNED_COMPANY"}})
	for _, text := range []string{"kaz", "CITIC", "kmg", "bank", "zzz"} {
		company(db.CompanyFilter{Text: text})
	}
	person := func(f db.PersonFilter) {
		a.section("people filtered text=%q organization=%v", f.Text, deref(f.OrganizationID))
		slugs(a, ctx, func(p *db.Person) string { return p.Slug }, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Person], error) {
			return s.FindPeople(ctx, f, db.Order{}, p)
		})
	}
	for _, text := range []string{"zhu", "tokayev", "li", "zzz"} {
		person(db.PersonFilter{Text: text})
	}
	for _, id := range all.ids["Company"] {
		person(db.PersonFilter{OrganizationID: &id})
	}
	project := func(f db.ProjectFilter) {
		a.section("projects filtered %v %v region=%q company=%v from=%v to=%v text=%q", f.Sectors, f.Statuses, f.Region, deref(f.CompanyID), f.From, f.To, f.Text)
		slugs(a, ctx, func(p *db.Project) string { return p.Slug }, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Project], error) {
			return s.FindProjects(ctx, f, db.Order{}, p)
		})
	}
	for _, sec := range db.ProjectSectors {
		project(db.ProjectFilter{Sectors: []db.ProjectSector{sec}})
	}
	for _, st := range db.ProjectStatuses {
		project(db.ProjectFilter{Statuses: []db.ProjectStatus{st}})
	}
	project(db.ProjectFilter{Sectors: []db.ProjectSector{"REFINING", "PIPELINES"}, Statuses: []db.ProjectStatus{"OPERATING", "AGREED", "UNDER_CONSTRUCTION"}})
	for _, r := range []string{"Mangystau", "mangy", "Atyrau", "zzz"} {
		project(db.ProjectFilter{Region: r})
	}
	for _, id := range all.ids["Company"] {
		project(db.ProjectFilter{CompanyID: &id})
	}
	ranges := [][2]string{{"2023", ""}, {"", "2023-12"}, {"2023-10-18", "2023-10-18"}, {"2024-07-02", "2024-08-22"}, {"2024-H2", ""}, {"2025", "2025"}, {"2019", "2023-05-20"}}
	for _, r := range ranges {
		project(db.ProjectFilter{From: date(r[0]), To: date(r[1])})
	}
	for _, text := range []string{"caspi", "bitum", "gas", "zzz"} {
		project(db.ProjectFilter{Text: text})
	}
	meeting := func(f db.MeetingFilter) {
		a.section("meetings filtered from=%v to=%v participant=%v organization=%v project=%v location=%q", f.From, f.To, deref(f.ParticipantID), deref(f.OrganizationID), deref(f.ProjectID), f.Location)
		slugs(a, ctx, func(m *db.Meeting) string { return m.Slug }, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Meeting], error) {
			return s.FindMeetings(ctx, f, db.Order{}, p)
		})
	}
	for _, r := range ranges {
		meeting(db.MeetingFilter{From: date(r[0]), To: date(r[1])})
	}
	for _, id := range all.ids["Person"] {
		meeting(db.MeetingFilter{ParticipantID: &id})
	}
	for _, id := range all.ids["Company"] {
		meeting(db.MeetingFilter{OrganizationID: &id})
	}
	for _, id := range all.ids["Project"] {
		meeting(db.MeetingFilter{ProjectID: &id})
	}
	for _, l := range []string{"Beijing", "astana", "zzz"} {
		meeting(db.MeetingFilter{Location: l})
	}
	agreement := func(f db.AgreementFilter) {
		a.section("agreements filtered %v party=%v from=%v to=%v amount=%v..%v %s", f.Kinds, deref(f.PartyID), f.From, f.To, deref(f.MinAmount), deref(f.MaxAmount), f.Currency)
		slugs(a, ctx, func(x *db.Agreement) string { return x.Slug }, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Agreement], error) {
			return s.FindAgreements(ctx, f, db.Order{}, p)
		})
	}
	for _, k := range db.AgreementKinds {
		agreement(db.AgreementFilter{Kinds: []db.AgreementKind{k}})
	}
	for _, id := range all.ids["Company"] {
		agreement(db.AgreementFilter{PartyID: &id})
	}
	for _, r := range ranges {
		agreement(db.AgreementFilter{From: date(r[0]), To: date(r[1])})
	}
	for _, r := range [][2]float64{{1e9, 0}, {0, 1e9}, {2e9, 2e9}, {1.6e9, 7.7e9}, {0, 0}} {
		f := db.AgreementFilter{}
		if r[0] > 0 {
			f.MinAmount = amount(r[0])
		}
		if r[1] > 0 {
			f.MaxAmount = amount(r[1])
		}
		agreement(f)
		f.Currency = "cny"
		agreement(f)
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// statistics is what the store's statistics say: each list's and
// aggregate's size, and how many children each object (by slug, and by
// name for organizations) has at most in each list.
func statistics(t *testing.T, s *db.Store) string {
	t.Helper()
	st, err := s.Statistics(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	a := &answerBook{t: t}
	a.section("lists")
	a.line(st.Lists)
	a.section("aggregates")
	a.line(st.Aggregates)
	all := allIDs(t, s)
	for _, list := range slices.Sorted(func(yield func(string) bool) {
		for k := range st.Lists {
			if !yield(k) {
				return
			}
		}
	}) {
		typ, _, _ := strings.Cut(list, ".")
		a.section("children in %s", list)
		var b strings.Builder
		for _, slug := range all.slugs[typ] {
			n, ok := st.ChildrenOf(list, slug, "")
			fmt.Fprintf(&b, "%s=%d/%v ", slug, n, ok)
		}
		for _, name := range all.names[typ] {
			n, ok := st.ChildrenOf(list, "", name)
			fmt.Fprintf(&b, "%q=%d/%v ", name, n, ok)
		}
		a.b.WriteString(b.String() + "\n")
	}
	n, ok := st.ChildrenOf("Planet.moons", "earth", "")
	a.line([]any{"unknown list", n, ok})
	return a.b.String()
}
