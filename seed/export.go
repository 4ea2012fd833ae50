package seed

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/investgraph/investgraph/db"
)

// Export writes a graph back as seed files, one per source in the order of
// the sources' ids, named NNN_SLUG.yaml so that Parse reads them in that
// order. Building the files again (Build, or Parse of a directory holding
// them) gives the same dataset, id for id, for every graph that was built
// from seed files and changesets, which is every graph the server holds:
// each entity is defined in the file of the first source that cites it,
// mentioned again (slug and citations) in the file of every other source
// that cites it, and its positions, participants, figures, milestones and
// amounts are listed in the order that gives them their ids.
//
// A graph not made from seed files (a synthetic one) is written as
// faithfully as the format allows: an object whose fact is cited by a
// source that does not cite the object itself is cited by that fact's
// paragraph too, and ids follow the files.
func Export(d *db.Dataset) ([]Document, error) {
	x, err := newExporter(d)
	if err != nil {
		return nil, err
	}
	width := max(3, len(strconv.Itoa(len(d.Sources)-1)))
	docs := make([]Document, 0, len(d.Sources))
	for i, src := range x.sources {
		f := x.file(i)
		text, err := yaml.MarshalWithOptions(f, yaml.UseLiteralStyleIfMultiline(true))
		if err != nil {
			return nil, fmt.Errorf("export source %s: %w", src.Slug, err)
		}
		docs = append(docs, Document{Name: fmt.Sprintf("%0*d_%s.yaml", width, i, src.Slug), Text: fullNumbers(text)})
	}
	return docs, nil
}

// exponent matches a value or amount YAML writes in exponent form (2e+09).
var exponent = regexp.MustCompile(`(?m)^(\s*(?:- )?(?:value|amount): )(-?[0-9.]+e[-+]?[0-9]+)$`)

// fullNumbers writes figures and sums as full values, as curators do
// (2000000000, not 2e+09); the value is the same float.
func fullNumbers(text []byte) []byte {
	return exponent.ReplaceAllFunc(text, func(m []byte) []byte {
		sub := exponent.FindSubmatch(m)
		v, err := strconv.ParseFloat(string(sub[2]), 64)
		if err != nil {
			return m
		}
		return append(sub[1], strconv.FormatFloat(v, 'f', -1, 64)...)
	})
}

// fact is a row of a fact table by id, owned by the object it is listed
// under in a seed file.
type fact struct{ id, owner int64 }

// exporter indexes a dataset by what each seed file needs.
type exporter struct {
	d       *db.Dataset
	sources []*db.Source
	fileOf  map[int64]int // source id → file index

	// cites are each subject's paragraphs by file.
	cites map[db.SubjectKey]map[int][]int
	// first is the file each object is defined in; fresh the objects each
	// file defines and mentioned those it cites or lists facts under, by
	// file and subject.
	first            map[db.SubjectKey]int
	fresh, mentioned map[int]map[db.Subject][]int64
	slugs            map[db.SubjectKey]string
	aliases          map[db.SubjectKey][]string
	// inferred holds each object's attribute inferences and the link
	// inferences of meetings and agreements, as `inferred` keys.
	inferred map[db.SubjectKey]map[string]string
	links    map[[2]int64][]db.Link // (kind, from) → links
	topics   map[int64][]string
	about    map[int64][]db.NodeRef
	slugUse  map[string]int // how many kinds of object use a slug

	companies  map[int64]*db.Company
	meetings   map[int64]*db.Meeting
	agreements map[int64]*db.Agreement

	// created are the facts each file creates, by kind; listed the
	// positions and participants a later file cites again.
	created map[int]map[string][]fact
	listed  map[int]map[string][]fact
	// fallback is, for an object a file lists facts under without citing
	// it, the paragraphs of those facts.
	fallback map[db.SubjectKey]map[int][]int

	positions    map[int64]*db.Position
	participants map[int64]*db.ProjectParticipant
	measurements map[int64]*db.Measurement
	milestones   map[int64]*db.Milestone
	amounts      map[int64]*db.Amount
}

// The kinds of fact, as listed in seed files.
const (
	kindCompanyFigure = "company measurements"
	kindPosition      = "positions"
	kindParticipant   = "participants"
	kindProjectFigure = "project measurements"
	kindMilestone     = "milestones"
	kindProjectAmount = "project amounts"
	kindDealAmount    = "agreement amounts"
)

func newExporter(d *db.Dataset) (*exporter, error) {
	x := &exporter{
		d: d, sources: slices.SortedFunc(slices.Values(d.Sources), func(a, b *db.Source) int { return cmp.Compare(a.ID, b.ID) }),
		fileOf: map[int64]int{}, cites: map[db.SubjectKey]map[int][]int{}, first: map[db.SubjectKey]int{},
		slugs: map[db.SubjectKey]string{}, aliases: map[db.SubjectKey][]string{}, inferred: map[db.SubjectKey]map[string]string{},
		links: map[[2]int64][]db.Link{}, topics: map[int64][]string{}, about: map[int64][]db.NodeRef{}, slugUse: map[string]int{},
		companies: map[int64]*db.Company{}, meetings: map[int64]*db.Meeting{}, agreements: map[int64]*db.Agreement{},
		created: map[int]map[string][]fact{}, listed: map[int]map[string][]fact{}, fallback: map[db.SubjectKey]map[int][]int{},
		positions: map[int64]*db.Position{}, participants: map[int64]*db.ProjectParticipant{},
		measurements: map[int64]*db.Measurement{}, milestones: map[int64]*db.Milestone{}, amounts: map[int64]*db.Amount{},
	}
	for i, s := range x.sources {
		x.fileOf[s.ID] = i
	}
	for _, c := range d.Citations {
		f, ok := x.fileOf[c.SourceID]
		if !ok {
			return nil, fmt.Errorf("export: %s %d cites source %d, which the graph does not hold", c.Subject, c.ID, c.SourceID)
		}
		m := x.cites[c.SubjectKey]
		if m == nil {
			m = map[int][]int{}
			x.cites[c.SubjectKey] = m
		}
		if !slices.Contains(m[f], c.Paragraph) {
			m[f] = append(m[f], c.Paragraph)
		}
	}
	for _, m := range x.cites {
		for _, ps := range m {
			slices.Sort(ps)
		}
	}
	slug := func(s db.Subject, id int64, v string) {
		x.slugs[db.SubjectKey{Subject: s, ID: id}] = v
		x.slugUse[v]++
	}
	for _, v := range d.Companies {
		slug(db.SubjectCompany, v.ID, v.Slug)
		x.companies[v.ID] = v
	}
	for _, v := range d.People {
		slug(db.SubjectPerson, v.ID, v.Slug)
	}
	for _, v := range d.Projects {
		slug(db.SubjectProject, v.ID, v.Slug)
	}
	for _, v := range d.Meetings {
		slug(db.SubjectMeeting, v.ID, v.Slug)
		x.meetings[v.ID] = v
	}
	for _, v := range d.Agreements {
		slug(db.SubjectAgreement, v.ID, v.Slug)
		x.agreements[v.ID] = v
	}
	for _, v := range d.Events {
		slug(db.SubjectEvent, v.ID, v.Slug)
	}
	for _, n := range d.Names {
		if n.Alias {
			k := db.SubjectKey{Subject: n.Subject, ID: n.SubjectID}
			x.aliases[k] = append(x.aliases[k], n.Name)
		}
	}
	for _, a := range d.AttributeInferences {
		x.infer(db.SubjectKey{Subject: a.Subject, ID: a.SubjectID}, a.Attribute, a.Note)
	}
	// A retracted meeting participant is kept with its retraction, not
	// among the links; its meeting lists it again, in the place a link
	// read back from the store has, and the file's retraction withdraws it.
	links, withdrawn := d.Links, map[[2]int64]bool{}
	for _, r := range d.Retractions {
		if r.Link != nil {
			links = append(slices.Clip(links), *r.Link)
			withdrawn[[2]int64{int64(r.Link.Kind), r.Link.From}] = true
		}
	}
	for _, l := range links {
		x.links[[2]int64{int64(l.Kind), l.From}] = append(x.links[[2]int64{int64(l.Kind), l.From}], l)
		if l.Basis == db.Inferred && l.InferenceNote != nil {
			from, list, to := linkNames(l)
			x.infer(db.SubjectKey{Subject: from, ID: l.From}, list+"/"+x.slugs[to(l.To)], *l.InferenceNote)
		}
	}
	for k := range withdrawn {
		slices.SortStableFunc(x.links[k], func(a, b db.Link) int { return cmp.Compare(a.To, b.To) })
	}
	for _, t := range d.Topics {
		x.topics[t.MeetingID] = append(x.topics[t.MeetingID], t.Topic)
	}
	for _, s := range d.StatementSubjects {
		x.about[s.StatementID] = append(x.about[s.StatementID], s.Subject)
	}
	if err := x.facts(); err != nil {
		return nil, err
	}
	return x, x.firstFiles()
}

func (x *exporter) infer(k db.SubjectKey, key, note string) {
	if x.inferred[k] == nil {
		x.inferred[k] = map[string]string{}
	}
	x.inferred[k][key] = note
}

// linkNames gives a link's subject, its list's name in a seed file and the
// subject key of its target.
func linkNames(l db.Link) (db.Subject, string, func(int64) db.SubjectKey) {
	to := func(s db.Subject) func(int64) db.SubjectKey {
		return func(id int64) db.SubjectKey { return db.SubjectKey{Subject: s, ID: id} }
	}
	switch l.Kind {
	case db.MeetingParticipant:
		return db.SubjectMeeting, "participants", to(db.SubjectPerson)
	case db.MeetingOrganization:
		return db.SubjectMeeting, "organizations", to(db.SubjectCompany)
	case db.MeetingProject:
		return db.SubjectMeeting, "projects", to(db.SubjectProject)
	case db.AgreementParty:
		return db.SubjectAgreement, "parties", to(db.SubjectCompany)
	case db.AgreementSignatory:
		return db.SubjectAgreement, "signatories", to(db.SubjectPerson)
	}
	return db.SubjectAgreement, "projects", to(db.SubjectProject)
}

// facts sorts every fact into the file that creates it, and positions and
// participants also into the files that cite them again.
func (x *exporter) facts() error {
	add := func(m map[int]map[string][]fact, file int, kind string, f fact) {
		if m[file] == nil {
			m[file] = map[string][]fact{}
		}
		m[file][kind] = append(m[file][kind], f)
	}
	owned := func(owner db.SubjectKey, file, paragraph int) {
		if x.fallback[owner] == nil {
			x.fallback[owner] = map[int][]int{}
		}
		x.fallback[owner][file] = append(x.fallback[owner][file], paragraph)
	}
	cited := func(kind string, subject db.Subject, id int64, owner db.SubjectKey) error {
		files := slices.Sorted(maps.Keys(x.cites[db.SubjectKey{Subject: subject, ID: id}]))
		if len(files) == 0 {
			return fmt.Errorf("export: %s %d has no citation, which a seed file needs", subject, id)
		}
		add(x.created, files[0], kind, fact{id, owner.ID})
		for _, f := range files {
			if f != files[0] {
				add(x.listed, f, kind, fact{id, owner.ID})
			}
			owned(owner, f, x.cites[db.SubjectKey{Subject: subject, ID: id}][f][0])
		}
		return nil
	}
	for _, p := range x.d.Positions {
		x.positions[p.ID] = p
		if err := cited(kindPosition, db.SubjectPosition, p.ID, db.SubjectKey{Subject: db.SubjectPerson, ID: p.PersonID}); err != nil {
			return err
		}
	}
	for _, p := range x.d.Participants {
		x.participants[p.ID] = p
		if err := cited(kindParticipant, db.SubjectParticipant, p.ID, db.SubjectKey{Subject: db.SubjectProject, ID: p.ProjectID}); err != nil {
			return err
		}
	}
	inline := func(kind string, id int64, owner db.SubjectKey, c db.Citation) error {
		f, ok := x.fileOf[c.SourceID]
		if !ok {
			return fmt.Errorf("export: %s %d cites source %d, which the graph does not hold", kind, id, c.SourceID)
		}
		add(x.created, f, kind, fact{id, owner.ID})
		owned(owner, f, c.Paragraph)
		return nil
	}
	var err error
	for _, m := range x.d.Measurements {
		x.measurements[m.ID] = m
		if m.CompanyID != nil {
			err = cmp.Or(err, inline(kindCompanyFigure, m.ID, db.SubjectKey{Subject: db.SubjectCompany, ID: *m.CompanyID}, m.Citation))
		} else if m.ProjectID != nil {
			err = cmp.Or(err, inline(kindProjectFigure, m.ID, db.SubjectKey{Subject: db.SubjectProject, ID: *m.ProjectID}, m.Citation))
		}
	}
	for _, m := range x.d.Milestones {
		x.milestones[m.ID] = m
		err = cmp.Or(err, inline(kindMilestone, m.ID, db.SubjectKey{Subject: db.SubjectProject, ID: m.ProjectID}, m.Citation))
	}
	for _, a := range x.d.Amounts {
		x.amounts[a.ID] = a
		if a.ProjectID != nil {
			err = cmp.Or(err, inline(kindProjectAmount, a.ID, db.SubjectKey{Subject: db.SubjectProject, ID: *a.ProjectID}, a.Citation))
		} else if a.AgreementID != nil {
			err = cmp.Or(err, inline(kindDealAmount, a.ID, db.SubjectKey{Subject: db.SubjectAgreement, ID: *a.AgreementID}, a.Citation))
		}
	}
	return err
}

// firstFiles finds the file each object is defined in: the first that
// cites it or lists a fact under it.
func (x *exporter) firstFiles() error {
	x.fresh, x.mentioned = map[int]map[db.Subject][]int64{}, map[int]map[db.Subject][]int64{}
	add := func(m map[int]map[db.Subject][]int64, file int, k db.SubjectKey) {
		if m[file] == nil {
			m[file] = map[db.Subject][]int64{}
		}
		m[file][k.Subject] = append(m[file][k.Subject], k.ID)
	}
	for k := range x.slugs {
		files := slices.Collect(maps.Keys(x.cites[k]))
		files = append(files, slices.Collect(maps.Keys(x.fallback[k]))...)
		if len(files) == 0 {
			return fmt.Errorf("export: %s %q has no citation, which a seed file needs", k.Subject, x.slugs[k])
		}
		x.first[k] = slices.Min(files)
		add(x.fresh, x.first[k], k)
		for _, f := range slices.Compact(slices.Sorted(slices.Values(files))) {
			add(x.mentioned, f, k)
		}
	}
	return nil
}

// group is one entry of a section: an object and the facts listed under
// it there, by kind.
type group struct {
	owner int64
	facts map[string][]int64
}

// arrange orders the entries of one section of a file so that building it
// gives its new objects (fresh, in id order) and the facts it creates (by
// kind, each in id order) the ids they have: the builder numbers each in
// the order it meets them. An object is listed again when its facts are
// interleaved with another's.
func arrange(fresh []int64, kinds []string, facts map[string][]fact) []group {
	isFresh := map[int64]bool{}
	for _, id := range fresh {
		isFresh[id] = true
	}
	registered := map[int64]bool{}
	heads := map[string]int{}
	ownsHead := func(o int64) bool {
		for _, k := range kinds {
			if h := heads[k]; h < len(facts[k]) && facts[k][h].owner == o {
				return true
			}
		}
		return false
	}
	var out []group
	for {
		x, found := int64(0), false
		if len(fresh) > 0 && ownsHead(fresh[0]) {
			x, found = fresh[0], true
		}
		for _, k := range kinds {
			if h := heads[k]; !found && h < len(facts[k]) {
				if o := facts[k][h].owner; !isFresh[o] || registered[o] {
					x, found = o, true
				}
			}
		}
		if !found && len(fresh) > 0 {
			x, found = fresh[0], true
		}
		if !found {
			return out
		}
		if len(fresh) > 0 && fresh[0] == x {
			fresh, registered[x] = fresh[1:], true
		}
		g := group{owner: x, facts: map[string][]int64{}}
		for _, k := range kinds {
			for heads[k] < len(facts[k]) && facts[k][heads[k]].owner == x {
				g.facts[k] = append(g.facts[k], facts[k][heads[k]].id)
				heads[k]++
			}
		}
		out = append(out, g)
	}
}

// section arranges the entries of the objects of one subject in file i:
// the groups, then every other object the file cites or lists facts
// under, in id order. first reports an object's first entry in the file.
func (x *exporter) section(i int, subject db.Subject, kinds ...string) (groups []group, first map[int]bool) {
	fresh, mentioned := x.fresh[i][subject], x.mentioned[i][subject]
	slices.Sort(fresh)
	slices.Sort(mentioned)
	groups = arrange(fresh, kinds, x.created[i])
	seen := map[int64]bool{}
	first = map[int]bool{}
	for j, g := range groups {
		if !seen[g.owner] {
			first[j], seen[g.owner] = true, true
		}
	}
	for _, id := range mentioned {
		if !seen[id] {
			first[len(groups)], seen[id] = true, true
			groups = append(groups, group{owner: id, facts: map[string][]int64{}})
		}
	}
	return groups, first
}

// relisted are the facts of a kind created by an earlier file that file i
// cites again under owner.
func (x *exporter) relisted(i int, kind string, owner int64) []int64 {
	var out []int64
	for _, f := range x.listed[i][kind] {
		if f.owner == owner {
			out = append(out, f.id)
		}
	}
	return out
}

// cite is the paragraphs of file i that cite an object.
func (x *exporter) cite(i int, k db.SubjectKey) []int {
	if ps := x.cites[k][i]; len(ps) > 0 {
		return ps
	}
	ps := slices.Clone(x.fallback[k][i])
	slices.Sort(ps)
	return slices.Compact(ps)
}

// defines reports whether entry j of file i defines the object: its
// first entry in the first file that mentions it.
func (x *exporter) defines(i int, k db.SubjectKey, isFirst bool) bool {
	return isFirst && x.first[k] == i
}

func (x *exporter) file(i int) File {
	src := x.sources[i]
	f := File{Source: SourceEntry{Slug: src.Slug, Title: src.Title, Publisher: deref(src.Publisher),
		Attribution: deref(src.Attribution), PublishedOn: src.PublishedOn.String(), Paragraphs: src.Paragraphs, Text: src.Text}}
	groups, first := x.section(i, db.SubjectCompany, kindCompanyFigure)
	for j, g := range groups {
		f.Companies = append(f.Companies, x.company(i, g, first[j]))
	}
	groups, first = x.section(i, db.SubjectPerson, kindPosition)
	for j, g := range groups {
		f.People = append(f.People, x.person(i, g, first[j]))
	}
	groups, first = x.section(i, db.SubjectProject, kindParticipant, kindProjectFigure, kindMilestone, kindProjectAmount)
	for j, g := range groups {
		f.Projects = append(f.Projects, x.project(i, g, first[j]))
	}
	groups, first = x.section(i, db.SubjectMeeting)
	for j, g := range groups {
		f.Meetings = append(f.Meetings, x.meeting(i, g, first[j]))
	}
	groups, first = x.section(i, db.SubjectAgreement, kindDealAmount)
	for j, g := range groups {
		f.Agreements = append(f.Agreements, x.agreement(i, g, first[j]))
	}
	groups, first = x.section(i, db.SubjectEvent)
	for j, g := range groups {
		f.Events = append(f.Events, x.event(i, g, first[j]))
	}
	for _, st := range x.d.Statements {
		if x.fileOf[st.Citation.SourceID] == i {
			f.Statements = append(f.Statements, x.statement(src, st))
		}
	}
	f.Retractions = x.retractions(i)
	return f
}

// retractions are the retractions file i lists: those citing its source,
// and, in the first file, those that cite none. Where a retraction is
// listed does not change what it withdraws: the files' retractions apply
// once all of them are built.
func (x *exporter) retractions(i int) []RetractionEntry {
	var out []RetractionEntry
	for _, r := range x.d.Retractions {
		e := RetractionEntry{Type: string(r.Fact.Type), Key: r.Fact.Key, Reason: r.Reason, By: r.Author,
			At: r.At.UTC().Format(time.RFC3339Nano)}
		switch {
		case r.Citation != nil && x.fileOf[r.Citation.SourceID] == i:
			e.Cite = r.Citation.Paragraph
		case r.Citation != nil || i != 0:
			continue
		}
		out = append(out, e)
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func dateText(d *db.PartialDate) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func evidence(b db.Basis, note *string) Evidence {
	if b == db.Inferred {
		return Evidence{Basis: string(b), InferenceNote: deref(note)}
	}
	return Evidence{}
}

func (x *exporter) slug(s db.Subject, id *int64) string {
	if id == nil {
		return ""
	}
	return x.slugs[db.SubjectKey{Subject: s, ID: *id}]
}

func (x *exporter) actor(a *db.ActorRef) string {
	if a == nil {
		return ""
	}
	if a.Type == "Person" {
		return x.slug(db.SubjectPerson, &a.ID)
	}
	return x.slug(db.SubjectCompany, &a.ID)
}

// attributes are an object's inferred attributes (not its links).
func (x *exporter) attributes(k db.SubjectKey, skip ...string) Inferred {
	var out Inferred
	for key, note := range x.inferred[k] {
		if !slices.Contains(skip, key) {
			if out == nil {
				out = Inferred{}
			}
			out[key] = note
		}
	}
	return out
}

func (x *exporter) company(i int, g group, isFirst bool) CompanyEntry {
	k := db.SubjectKey{Subject: db.SubjectCompany, ID: g.owner}
	e := CompanyEntry{Slug: x.slugs[k], Cite: x.cite(i, k)}
	if x.defines(i, k, isFirst) {
		c := x.companies[g.owner]
		e.Name, e.Aliases, e.Kind, e.Country = c.Name, x.aliases[k], string(c.Kind), deref(c.Country)
		e.Parent, e.Founded = x.slug(db.SubjectCompany, c.ParentID), dateText(c.Founded)
		e.Headquarters, e.Description, e.Inferred = deref(c.Headquarters), deref(c.Description), x.attributes(k)
	}
	for _, id := range g.facts[kindCompanyFigure] {
		e.Measurements = append(e.Measurements, x.measurement(x.measurements[id]))
	}
	return e
}

func (x *exporter) person(i int, g group, isFirst bool) PersonEntry {
	k := db.SubjectKey{Subject: db.SubjectPerson, ID: g.owner}
	e := PersonEntry{Slug: x.slugs[k], Cite: x.cite(i, k)}
	if x.defines(i, k, isFirst) {
		p := x.person0(g.owner)
		e.Name, e.Aliases, e.Description, e.Inferred = p.Name, x.aliases[k], deref(p.Description), x.attributes(k)
	}
	ids := g.facts[kindPosition]
	if isFirst {
		ids = append(ids, x.relisted(i, kindPosition, g.owner)...)
	}
	for _, id := range ids {
		p := x.positions[id]
		pe := PositionEntry{Organization: x.slug(db.SubjectCompany, &p.OrganizationID), Title: p.Title,
			Cite: x.cites[db.SubjectKey{Subject: db.SubjectPosition, ID: id}][i], AttributedTo: x.actor(p.AttributedTo),
			Evidence: evidence(p.Basis, p.InferenceNote)}
		if p.ReportedOn != x.sources[i].PublishedOn {
			pe.ReportedOn = p.ReportedOn.String()
		}
		e.Positions = append(e.Positions, pe)
	}
	return e
}

func (x *exporter) person0(id int64) *db.Person {
	i, _ := slices.BinarySearchFunc(x.d.People, id, func(p *db.Person, id int64) int { return cmp.Compare(p.ID, id) })
	if i < len(x.d.People) && x.d.People[i].ID == id {
		return x.d.People[i]
	}
	return &db.Person{}
}

func (x *exporter) project(i int, g group, isFirst bool) ProjectEntry {
	k := db.SubjectKey{Subject: db.SubjectProject, ID: g.owner}
	e := ProjectEntry{Slug: x.slugs[k], Cite: x.cite(i, k)}
	if x.defines(i, k, isFirst) {
		p := x.project0(g.owner)
		e.Name, e.Aliases, e.Sector, e.Status = p.Name, x.aliases[k], string(p.Sector), string(p.Status)
		e.Region, e.Description, e.Inferred = deref(p.Region), deref(p.Description), x.attributes(k)
	}
	ids := g.facts[kindParticipant]
	if isFirst {
		ids = append(ids, x.relisted(i, kindParticipant, g.owner)...)
	}
	for _, id := range ids {
		p := x.participants[id]
		e.Participants = append(e.Participants, ParticipantEntry{Company: x.slug(db.SubjectCompany, &p.CompanyID),
			Role: string(p.Role), Cite: x.cites[db.SubjectKey{Subject: db.SubjectParticipant, ID: id}][i],
			Evidence: evidence(p.Basis, p.InferenceNote)})
	}
	for _, id := range g.facts[kindProjectFigure] {
		e.Measurements = append(e.Measurements, x.measurement(x.measurements[id]))
	}
	for _, id := range g.facts[kindMilestone] {
		m := x.milestones[id]
		e.Milestones = append(e.Milestones, MilestoneEntry{Name: m.Name, Date: dateText(m.Date), Status: string(m.Status),
			Cite: m.Citation.Paragraph, Evidence: evidence(m.Basis, m.InferenceNote)})
	}
	for _, id := range g.facts[kindProjectAmount] {
		e.Amounts = append(e.Amounts, x.amount(x.amounts[id]))
	}
	return e
}

func (x *exporter) project0(id int64) *db.Project {
	i, _ := slices.BinarySearchFunc(x.d.Projects, id, func(p *db.Project, id int64) int { return cmp.Compare(p.ID, id) })
	if i < len(x.d.Projects) && x.d.Projects[i].ID == id {
		return x.d.Projects[i]
	}
	return &db.Project{}
}

func (x *exporter) measurement(m *db.Measurement) MeasurementEntry {
	e := MeasurementEntry{Metric: string(m.Metric), Label: deref(m.Label), Value: m.Value, Unit: m.Unit,
		AsOf: m.AsOf.String(), Status: string(m.Status), Cite: m.Citation.Paragraph, AttributedTo: x.actor(m.AttributedTo),
		Counterparty: x.slug(db.SubjectCompany, m.CounterpartyID), PeriodStart: dateText(m.PeriodStart),
		PeriodEnd: dateText(m.PeriodEnd), Evidence: evidence(m.Basis, m.InferenceNote)}
	if m.Approximation != "EXACT" {
		e.Approximation = string(m.Approximation)
	}
	return e
}

func (x *exporter) amount(a *db.Amount) AmountEntry {
	e := AmountEntry{Amount: a.Amount, Currency: a.Currency, Label: deref(a.Label), Cite: a.Citation.Paragraph,
		AttributedTo: x.actor(a.AttributedTo), Evidence: evidence(a.Basis, a.InferenceNote)}
	if a.Approximation != "EXACT" {
		e.Approximation = string(a.Approximation)
	}
	return e
}

// linked lists the slugs of an object's links of a kind, and sets the
// roles of a meeting's participants.
func (x *exporter) linked(kind db.LinkKind, from int64, roles map[string]string) []string {
	var out []string
	for _, l := range x.links[[2]int64{int64(kind), from}] {
		_, _, to := linkNames(l)
		s := x.slugs[to(l.To)]
		out = append(out, s)
		if l.Role != nil && roles != nil {
			roles[s] = string(*l.Role)
		}
	}
	return out
}

func (x *exporter) meeting(i int, g group, isFirst bool) MeetingEntry {
	k := db.SubjectKey{Subject: db.SubjectMeeting, ID: g.owner}
	e := MeetingEntry{Slug: x.slugs[k], Cite: x.cite(i, k)}
	if x.defines(i, k, isFirst) {
		m := x.meetings[g.owner]
		roles := map[string]string{}
		e.Date, e.Location, e.Occasion, e.Summary = m.Date.String(), deref(m.Location), deref(m.Occasion), deref(m.Summary)
		e.Participants = x.linked(db.MeetingParticipant, m.ID, roles)
		e.Organizations = x.linked(db.MeetingOrganization, m.ID, nil)
		e.Projects = x.linked(db.MeetingProject, m.ID, nil)
		e.Topics, e.Event, e.Inferred = x.topics[m.ID], x.slug(db.SubjectEvent, m.EventID), maps.Clone(x.inferred[k])
		if len(roles) > 0 {
			e.Roles = roles
		}
	}
	return e
}

func (x *exporter) agreement(i int, g group, isFirst bool) AgreementEntry {
	k := db.SubjectKey{Subject: db.SubjectAgreement, ID: g.owner}
	e := AgreementEntry{Slug: x.slugs[k], Cite: x.cite(i, k)}
	if x.defines(i, k, isFirst) {
		a := x.agreements[g.owner]
		e.Title, e.Kind, e.SignedOn, e.Summary = a.Title, string(a.Kind), dateText(a.SignedOn), deref(a.Summary)
		e.Parties = x.linked(db.AgreementParty, a.ID, nil)
		e.Signatories = x.linked(db.AgreementSignatory, a.ID, nil)
		e.Projects = x.linked(db.AgreementProject, a.ID, nil)
		e.Meeting, e.PartOf = x.slug(db.SubjectMeeting, a.MeetingID), x.slug(db.SubjectAgreement, a.PartOfID)
		if a.DocumentCount != nil {
			e.DocumentCount = *a.DocumentCount
		}
		if a.DocumentCountApproximation != nil {
			e.DocumentCountApproximation = string(*a.DocumentCountApproximation)
		}
		var skip []string
		if x.eventFromMeeting(a) {
			skip = []string{"event"}
		} else {
			e.Event = x.slug(db.SubjectEvent, a.EventID)
		}
		inferred := maps.Clone(x.inferred[k])
		for _, key := range skip {
			delete(inferred, key)
		}
		if len(inferred) > 0 {
			e.Inferred = inferred
		}
		if _, ok := inferred["status"]; ok || a.Status != "SIGNED" {
			e.Status = string(a.Status)
		}
	}
	for _, id := range g.facts[kindDealAmount] {
		e.Amounts = append(e.Amounts, x.amount(x.amounts[id]))
	}
	return e
}

// eventFromMeeting reports whether an agreement's event is its meeting's,
// on the same basis, so that the builder gives it without `event:`.
func (x *exporter) eventFromMeeting(a *db.Agreement) bool {
	if a.EventID == nil || a.MeetingID == nil {
		return false
	}
	m := x.meetings[*a.MeetingID]
	if m == nil || m.EventID == nil || *m.EventID != *a.EventID {
		return false
	}
	mine, okMine := x.inferred[db.SubjectKey{Subject: db.SubjectAgreement, ID: a.ID}]["event"]
	theirs, okTheirs := x.inferred[db.SubjectKey{Subject: db.SubjectMeeting, ID: m.ID}]["event"]
	return okMine == okTheirs && mine == theirs
}

func (x *exporter) event(i int, g group, isFirst bool) EventEntry {
	k := db.SubjectKey{Subject: db.SubjectEvent, ID: g.owner}
	e := EventEntry{Slug: x.slugs[k], Cite: x.cite(i, k)}
	if x.defines(i, k, isFirst) {
		i, _ := slices.BinarySearchFunc(x.d.Events, g.owner, func(v *db.Event, id int64) int { return cmp.Compare(v.ID, id) })
		v := x.d.Events[i]
		e.Name, e.Kind, e.Start, e.End = v.Name, string(v.Kind), dateText(v.Start), dateText(v.End)
		e.Location, e.Description, e.PartOf = deref(v.Location), deref(v.Description), x.slug(db.SubjectEvent, v.PartOfID)
		e.Inferred = x.attributes(k)
	}
	return e
}

// subjectOfType maps NodeRef types to subjects, and back for `about`.
var subjectOfType = map[string]db.Subject{
	"Company": db.SubjectCompany, "Person": db.SubjectPerson, "Project": db.SubjectProject,
	"Meeting": db.SubjectMeeting, "Agreement": db.SubjectAgreement, "Event": db.SubjectEvent,
}

func (x *exporter) statement(src *db.Source, st *db.Statement) StatementEntry {
	speaker := x.slug(db.SubjectPerson, &st.SpeakerID)
	e := StatementEntry{Speaker: speaker, Date: dateText(st.Date), Meeting: x.slug(db.SubjectMeeting, st.MeetingID),
		Event: x.slug(db.SubjectEvent, st.EventID), Summary: st.Summary, Cite: st.Citation.Paragraph,
		Evidence: evidence(st.Basis, st.InferenceNote)}
	if st.Slug != fmt.Sprintf("%s-%d-%s", src.Slug, st.Citation.Paragraph, speaker) {
		e.Slug = st.Slug
	}
	for _, ref := range x.about[st.ID] {
		s := x.slug(subjectOfType[ref.Type], &ref.ID)
		if x.slugUse[s] > 1 {
			s = strings.ToLower(ref.Type) + ":" + s
		}
		e.About = append(e.About, s)
	}
	return e
}
