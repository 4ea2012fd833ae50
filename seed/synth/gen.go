package main

import (
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/investgraph/investgraph/db"
)

// Shares of the generated entities, in percent, by type.
const (
	sharePercentSources    = 2
	sharePercentCompanies  = 25
	sharePercentPeople     = 22
	sharePercentProjects   = 20
	sharePercentMeetings   = 18
	sharePercentAgreements = 13
)

// generator grows a dataset with synthetic entities and relations. The
// seed's entities are kept as they are and never linked to: the design-card
// query and the seed's neighbourhoods return the same data at every size,
// while the indexes they go through grow.
type generator struct {
	r *rand.Rand
	d *db.Dataset

	// first and last generated id of each table
	sources, companies, people, projects, meetings, agreements span
	paragraphs                                                 []int // of each generated source

	// companyHubs and peopleHubs pick the skewed end of the degree
	// distribution: a few organizations and officials appear everywhere.
	companyHubs, peopleHubs *rand.Zipf

	taken map[string]bool // normalized seed names, which synthetic names avoid

	// early is the percent of facts cited on purpose by a source published
	// before one of the objects they belong to is first reported (see
	// earlyCitation); firstReport and byDate serve it, kept only when early
	// is above 0 so that the default graph draws no extra random numbers.
	early       int
	firstReport map[db.SubjectKey]string // first day of each subject's earliest source
	byDate      []int64                  // generated source indexes, by publication date
}

// span is a range of ids, first to last inclusive.
type span struct{ first, last int64 }

func (s span) len() int64 { return s.last - s.first + 1 }

// newGenerator prepares to add n entities to d, deterministically for seed,
// early percent of the facts cited early on purpose.
func newGenerator(d *db.Dataset, n int64, seed uint64, early int) *generator {
	g := &generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), d: d, taken: map[string]bool{}, early: early}
	if early > 0 {
		g.firstReport = map[db.SubjectKey]string{}
	}
	for _, nm := range d.Names {
		g.taken[db.NormalizeName(nm.Name)] = true
	}
	share := func(percent int64) int64 { return max(1, n*percent/100) }
	g.sources = after(maxID(d.Sources, func(v *db.Source) int64 { return v.ID }), share(sharePercentSources))
	g.companies = after(maxID(d.Companies, func(v *db.Company) int64 { return v.ID }), share(sharePercentCompanies))
	g.people = after(maxID(d.People, func(v *db.Person) int64 { return v.ID }), share(sharePercentPeople))
	g.projects = after(maxID(d.Projects, func(v *db.Project) int64 { return v.ID }), share(sharePercentProjects))
	g.meetings = after(maxID(d.Meetings, func(v *db.Meeting) int64 { return v.ID }), share(sharePercentMeetings))
	rest := n - g.sources.len() - g.companies.len() - g.people.len() - g.projects.len() - g.meetings.len()
	g.agreements = after(maxID(d.Agreements, func(v *db.Agreement) int64 { return v.ID }), max(1, rest))
	// Room for the relations, in the proportions generate makes them, so
	// that appending never copies the large slices.
	d.Citations = slices.Grow(d.Citations, int(n*33/10))
	d.Names = slices.Grow(d.Names, int(n*8/10))
	d.Measurements = slices.Grow(d.Measurements, int(n*3/10))
	d.Participants = slices.Grow(d.Participants, int(n*6/10))
	d.Positions = slices.Grow(d.Positions, int(n*35/100))
	d.Links = slices.Grow(d.Links, int(n*18/10))
	d.Topics = slices.Grow(d.Topics, int(n*4/10))
	g.companyHubs = rand.NewZipf(g.r, 1.2, 2, uint64(g.companies.len()-1))
	g.peopleHubs = rand.NewZipf(g.r, 1.2, 2, uint64(g.people.len()-1))
	return g
}

func after(last, n int64) span { return span{last + 1, last + n} }

func maxID[T any](vs []T, id func(T) int64) int64 {
	var m int64
	for _, v := range vs {
		m = max(m, id(v))
	}
	return m
}

// company picks a generated company: half the time from the hubs' skewed
// distribution, otherwise uniformly.
func (g *generator) company() int64 {
	if g.r.IntN(2) == 0 {
		return g.companies.first + int64(g.companyHubs.Uint64())
	}
	return g.companies.first + g.r.Int64N(g.companies.len())
}

// person picks a generated person the same way.
func (g *generator) person() int64 {
	if g.r.IntN(2) == 0 {
		return g.people.first + int64(g.peopleHubs.Uint64())
	}
	return g.people.first + g.r.Int64N(g.people.len())
}

func (g *generator) project() int64 { return g.projects.first + g.r.Int64N(g.projects.len()) }

// citation points at a random paragraph of a random generated source.
func (g *generator) citation() db.Citation {
	i := g.r.Int64N(g.sources.len())
	return db.Citation{SourceID: g.sources.first + i, Paragraph: 1 + g.r.IntN(g.paragraphs[i])}
}

// cite gives a subject one to most citations, each a different paragraph.
// The seed cites an entity about twice and a relation about once. A
// relation's first citation may be an early one (factCitation) for the
// objects it joins, given as of.
func (g *generator) cite(subject db.Subject, id int64, most int, of ...db.SubjectKey) {
	first := len(g.d.Citations)
	key := db.SubjectKey{Subject: subject, ID: id}
	for i := range 1 + g.r.IntN(most) {
		var cit db.Citation
		if i == 0 && len(of) > 0 {
			cit = g.factCitation(of...)
		} else {
			cit = g.citation()
		}
		c := db.SubjectCitation{SubjectKey: key, Citation: cit}
		if !slices.Contains(g.d.Citations[first:], c) {
			g.d.Citations = append(g.d.Citations, c)
			g.reported(key, cit)
		}
	}
}

// reported records when a subject was first reported, for early citations.
func (g *generator) reported(key db.SubjectKey, c db.Citation) {
	if g.firstReport == nil {
		return
	}
	day := g.published(c.SourceID)
	if f, ok := g.firstReport[key]; !ok || day < f {
		g.firstReport[key] = day
	}
}

// published is the first day of a generated source's publication date.
func (g *generator) published(sourceID int64) string {
	return g.d.Sources[len(g.d.Sources)-int(g.sources.len())+int(sourceID-g.sources.first)].PublishedOn.Start()
}

// factCitation cites a fact about the objects of: in early percent of the
// cases, by a source published before the latest of their first reports, so
// that the fact is reported before one of its objects is (a store must not
// show it, or that object through it, as of a date in between); otherwise,
// and when no source is that early, by any source.
func (g *generator) factCitation(of ...db.SubjectKey) db.Citation {
	if g.early == 0 || g.r.IntN(100) >= g.early {
		return g.citation()
	}
	latest := ""
	for _, k := range of {
		latest = max(latest, g.firstReport[k])
	}
	if g.byDate == nil {
		g.byDate = make([]int64, g.sources.len())
		for i := range g.byDate {
			g.byDate[i] = int64(i)
		}
		slices.SortStableFunc(g.byDate, func(a, b int64) int {
			return strings.Compare(g.published(g.sources.first+a), g.published(g.sources.first+b))
		})
	}
	earlier, _ := slices.BinarySearchFunc(g.byDate, latest, func(i int64, day string) int {
		if g.published(g.sources.first+i) < day {
			return -1
		}
		return 1
	})
	if earlier == 0 {
		return g.citation()
	}
	i := g.byDate[g.r.IntN(earlier)]
	return db.Citation{SourceID: g.sources.first + i, Paragraph: 1 + g.r.IntN(g.paragraphs[i])}
}

// date makes a partial date between 2012 and 2025 at a random precision.
func (g *generator) date() db.PartialDate {
	d := db.PartialDate{Year: 2012 + g.r.IntN(14)}
	switch p := g.r.IntN(20); {
	case p < 8:
		d.Precision, d.Part, d.Day = db.PrecisionDay, 1+g.r.IntN(12), 1+g.r.IntN(28)
	case p < 14:
		d.Precision, d.Part = db.PrecisionMonth, 1+g.r.IntN(12)
	case p < 16:
		d.Precision, d.Part = db.PrecisionQuarter, 1+g.r.IntN(4)
	case p < 17:
		d.Precision, d.Part = db.PrecisionHalf, 1+g.r.IntN(2)
	default:
		d.Precision = db.PrecisionYear
	}
	return d
}

// name makes a name with make that no seed entity answers to, and records
// it for the subject: lookups of seed names must keep finding the seed's
// entities.
func (g *generator) name(subject db.Subject, id int64, alias bool, make func() string) string {
	for {
		name := make()
		if !g.taken[db.NormalizeName(name)] {
			g.d.Names = append(g.d.Names, db.Name{Subject: subject, SubjectID: id, Name: name, Alias: alias})
			return name
		}
	}
}

func ptr[T any](v T) *T { return &v }

// generate adds every synthetic entity and relation.
func (g *generator) generate() {
	g.addSources()
	g.addCompanies()
	g.addPeople()
	g.addProjects()
	g.addMeetings()
	g.addAgreements()
}
