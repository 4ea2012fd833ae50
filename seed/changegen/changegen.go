// Package changegen makes valid changesets of generated facts over the
// built-in seed, for the differential tests of incremental writes, the
// write benchmark, the chaos writer and the load harness. A changeset is
// one seed document (see seed/README.md): a new source, new companies,
// people with positions and projects with participants, figures and
// amounts, and citations of entities the seed or earlier changesets hold,
// so that entities merge across changesets and the days they were first
// reported move both ways.
package changegen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Changeset is one generated changeset: its YAML and the slugs of what it
// creates, by which a reader can tell whether it is in the graph.
type Changeset struct {
	YAML       string
	Source     string
	Companies  []string
	People     []string
	Projects   []string
	Meetings   []string
	Items      int // entries of the document: entities, positions, participants, figures, amounts
	Paragraphs int
}

// Generator makes a sequence of changesets; the entities of each are
// available to cite in the next ones. Two generators with different
// prefixes never make the same slug.
type Generator struct {
	r                           *rand.Rand
	prefix                      string
	n                           int
	companies, people, projects []string
}

// seedCompanies, seedPeople and seedProjects are slugs of the built-in
// seed that changesets cite, never setting their fields, so that they
// never conflict with what the seed says.
var (
	seedCompanies = []string{"kazakhstan", "china", "cnpc", "citic-group"}
	seedPeople    = []string{"olzhas-bektenov"}
)

// New returns a generator drawing from seed, whose slugs start with
// prefix (lowercase letters, digits and hyphens).
func New(seed uint64, prefix string) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), prefix: prefix,
		companies: append([]string(nil), seedCompanies...), people: append([]string(nil), seedPeople...)}
}

var (
	kinds    = []string{"COMPANY", "STATE_OWNED_COMPANY", "JOINT_VENTURE", "BANK"}
	sectors  = []string{"OIL_AND_GAS", "REFINING", "POWER", "RENEWABLES", "ROADS", "DIGITAL"}
	statuses = []string{"PROPOSED", "AGREED", "UNDER_CONSTRUCTION", "OPERATING"}
	roles    = []string{"OWNER", "OPERATOR", "PARTNER", "INVESTOR", "CONTRACTOR"}
	words    = []string{"steppe", "copper", "river", "northern", "basin", "grid", "solar", "wind", "rail",
		"terminal", "valley", "eastern", "plant", "field", "corridor", "harbor"}
)

// NewApart returns a generator whose changesets cite only entities of its
// own earlier changesets, never the seed's: queries of the seed's
// entities answer the same however many it applies.
func NewApart(seed uint64, prefix string) *Generator {
	g := New(seed, prefix)
	g.companies, g.people = nil, nil
	return g
}

// Next returns a changeset of about items entries.
func (g *Generator) Next(items int) Changeset {
	g.n++
	paragraphs := 20
	c := Changeset{Source: fmt.Sprintf("%s-src-%d", g.prefix, g.n), Paragraphs: paragraphs}
	var b strings.Builder
	day := fmt.Sprintf("%04d-%02d-%02d", 2015+g.r.IntN(12), 1+g.r.IntN(12), 1+g.r.IntN(28))
	fmt.Fprintf(&b, "source:\n  slug: %q\n  title: %q\n  publishedOn: %q\n  paragraphs: %d\n",
		c.Source, "Generated report "+g.phrase(3), day, paragraphs)
	cite := func() string { return fmt.Sprintf("[%d]", 1+g.r.IntN(paragraphs)) }
	budget := max(items, 4)
	newCompanies := budget / 4
	var companies, people, projects strings.Builder
	for i := range newCompanies {
		slug := fmt.Sprintf("%s-co-%d-%d", g.prefix, g.n, i)
		fmt.Fprintf(&companies, "  - slug: %s\n    name: %q\n    kind: %s\n    description: %q\n    cite: %s\n",
			slug, "Generated "+g.phrase(2)+fmt.Sprintf(" %d-%d", g.n, i), pick(g.r, kinds), g.phrase(6), cite())
		c.Companies = append(c.Companies, slug)
		c.Items++
	}
	for range min(3, len(g.companies)) {
		fmt.Fprintf(&companies, "  - slug: %s\n    cite: %s\n", pick(g.r, g.companies), cite())
		c.Items++
	}
	g.companies = append(g.companies, c.Companies...)
	for i := 0; c.Items < budget*2/4; i++ {
		slug := fmt.Sprintf("%s-person-%d-%d", g.prefix, g.n, i)
		fmt.Fprintf(&people, "  - slug: %s\n    name: %q\n    cite: %s\n    positions:\n", slug,
			"Person "+g.phrase(2)+fmt.Sprintf(" %d-%d", g.n, i), cite())
		for j := range 2 {
			fmt.Fprintf(&people, "      - organization: %s\n        title: %q\n        cite: %s\n",
				pick(g.r, g.companies), fmt.Sprintf("director %d %s", j, g.phrase(1)), cite())
		}
		c.People = append(c.People, slug)
		c.Items += 3
	}
	for range min(2, len(g.people)) {
		fmt.Fprintf(&people, "  - slug: %s\n    cite: %s\n", pick(g.r, g.people), cite())
		c.Items++
	}
	g.people = append(g.people, c.People...)
	for range min(2, len(g.projects)) {
		fmt.Fprintf(&projects, "  - slug: %s\n    cite: %s\n", pick(g.r, g.projects), cite())
		c.Items++
	}
	for i := 0; c.Items < budget; i++ {
		slug := fmt.Sprintf("%s-project-%d-%d", g.prefix, g.n, i)
		fmt.Fprintf(&projects, "  - slug: %s\n    name: %q\n    sector: %s\n    status: %s\n    cite: %s\n    participants:\n",
			slug, "Project "+g.phrase(2)+fmt.Sprintf(" %d-%d", g.n, i), pick(g.r, sectors), pick(g.r, statuses), cite())
		seen := map[string]bool{}
		for range 2 {
			co := pick(g.r, g.companies)
			if seen[co] {
				continue
			}
			seen[co] = true
			fmt.Fprintf(&projects, "      - company: %s\n        role: %s\n        cite: %s\n", co, pick(g.r, roles), cite())
			c.Items++
		}
		fmt.Fprintf(&projects, "    measurements:\n      - metric: INVESTMENT\n        value: %d\n        unit: \"USD\"\n"+
			"        approximation: ABOUT\n        asOf: %q\n        status: TARGET\n        cite: %d\n",
			(1+g.r.IntN(900))*1000000, day[:7], 1+g.r.IntN(paragraphs))
		fmt.Fprintf(&projects, "    amounts:\n      - amount: %d\n        currency: USD\n        approximation: EXACT\n        label: %q\n        cite: %d\n",
			(1+g.r.IntN(500))*1000000, "financing "+g.phrase(1), 1+g.r.IntN(paragraphs))
		c.Projects = append(c.Projects, slug)
		c.Items += 3
	}
	g.projects = append(g.projects, c.Projects...)
	var meetings, statements strings.Builder
	if len(g.people) > 0 {
		meeting := fmt.Sprintf("%s-meeting-%d", g.prefix, g.n)
		first, second := pick(g.r, g.people), pick(g.r, g.people)
		participants := first
		if second != first {
			participants += ", " + second
		}
		fmt.Fprintf(&meetings, "  - slug: %s\n    date: %q\n    location: %q\n    participants: [%s]\n    topics: [%q, %q]\n    cite: %s\n",
			meeting, day, "Astana "+g.phrase(1), participants, g.phrase(2), g.phrase(2), cite())
		fmt.Fprintf(&statements, "  - slug: %s-statement-%d\n    speaker: %s\n    date: %q\n    meeting: %s\n    about: [%s]\n    summary: %q\n    cite: %d\n",
			g.prefix, g.n, first, day, meeting, pick(g.r, g.companies), "Spoke of "+g.phrase(4), 1+g.r.IntN(paragraphs))
		c.Meetings = append(c.Meetings, meeting)
		c.Items += 2
	}
	for _, part := range []struct {
		name string
		b    *strings.Builder
	}{{"companies", &companies}, {"people", &people}, {"projects", &projects}, {"meetings", &meetings}, {"statements", &statements}} {
		if part.b.Len() > 0 {
			b.WriteString(part.name + ":\n" + part.b.String())
		}
	}
	c.YAML = b.String()
	return c
}

func (g *Generator) phrase(n int) string {
	out := make([]string, n)
	for i := range out {
		out[i] = pick(g.r, words)
	}
	return strings.Join(out, " ")
}

func pick[T any](r *rand.Rand, vs []T) T { return vs[r.IntN(len(vs))] }
