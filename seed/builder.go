package seed

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/investgraph/investgraph/db"
)

// entity is what the seed files say about one slug, merged across files.
type entity struct {
	id      int64
	slug    string
	first   where             // the first entry that mentions the slug
	fields  map[string]string // scalar fields, each given in one place or identically
	aliases []string
	cites   []db.Citation
	// inferred maps inferred attributes and links (list/slug) to their notes.
	inferred map[string]string
	roles    map[string]string // a meeting's participant roles, by person slug
}

// registry holds the entities of one type by slug, in order of appearance.
type registry struct {
	typ    string
	bySlug map[string]*entity
	order  []*entity
}

func newRegistry(typ string) *registry {
	return &registry{typ: typ, bySlug: map[string]*entity{}}
}

func (r *registry) get(slug string, w where) *entity {
	e, ok := r.bySlug[slug]
	if !ok {
		e = &entity{id: int64(len(r.order) + 1), slug: slug, first: w, fields: map[string]string{},
			inferred: map[string]string{}, roles: map[string]string{}}
		r.bySlug[slug] = e
		r.order = append(r.order, e)
	}
	return e
}

// builder merges seed files into a dataset, collecting every problem.
type builder struct {
	errs []error

	// retractions are the files' retractions, applied once the graph is
	// built (retract).
	retractions []fileRetraction

	sources                                           []*db.Source
	sourceSlugs                                       map[string]string // slug → file
	companies, people, projects, meetings, agreements *registry
	events                                            *registry

	positions    []*db.Position
	positionKeys map[string]*db.Position
	participants map[[3]string]*db.ProjectParticipant
	partOrder    []*db.ProjectParticipant
	measurements []*db.Measurement
	milestones   []*db.Milestone
	amounts      []*db.Amount
	citations    []db.SubjectCitation
	cited        map[db.SubjectCitation]bool // the set of citations
	links        map[db.Link]bool
	linkOrder    []db.Link
	topics       map[int64][]string
	statements   []*db.Statement
	stmtSlugs    map[string]string // statement slug → the entry that gave it
	stmtSubjects []db.StatementSubject
	// inferenceChecks are where each entity's inferred keys were given, for
	// the checks that run once every file is read.
	inferenceChecks []inferenceCheck

	// later holds reference checks that must wait until every file is read.
	later []func()
}

func newBuilder() *builder {
	return &builder{
		sourceSlugs:  map[string]string{},
		companies:    newRegistry("company"),
		people:       newRegistry("person"),
		projects:     newRegistry("project"),
		meetings:     newRegistry("meeting"),
		agreements:   newRegistry("agreement"),
		events:       newRegistry("event"),
		stmtSlugs:    map[string]string{},
		positionKeys: map[string]*db.Position{},
		participants: map[[3]string]*db.ProjectParticipant{},
		links:        map[db.Link]bool{},
		topics:       map[int64][]string{},
	}
}

func (b *builder) fail(err error) { b.errs = append(b.errs, err) }

var (
	slugPattern     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	countryPattern  = regexp.MustCompile(`^[A-Z]{2}$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
)

// fileContext is what entries of one file share: where they are and which
// source their citations point into.
type fileContext struct {
	where
	source *db.Source
}

func (b *builder) addFile(name string, f *File) {
	w := where{file: name, entry: "source"}
	src := &db.Source{ID: int64(len(b.sources) + 1), Slug: trimmed(f.Source.Slug), Title: trimmed(f.Source.Title),
		Paragraphs: f.Source.Paragraphs, Publisher: optional(f.Source.Publisher), Attribution: optional(f.Source.Attribution)}
	switch {
	case !slugPattern.MatchString(src.Slug):
		b.fail(w.errorf("slug %q must be lowercase letters, digits and hyphens", src.Slug))
		return
	case b.sourceSlugs[src.Slug] != "":
		b.fail(w.errorf("slug %q is already used by %s", src.Slug, b.sourceSlugs[src.Slug]))
		return
	case src.Title == "":
		b.fail(w.errorf("title is required"))
	case src.Paragraphs < 1:
		b.fail(w.errorf("paragraphs must be the article's number of non-empty lines, got %d", src.Paragraphs))
		return
	}
	if !b.addText(w, src, f.Source.Text) {
		return
	}
	d, err := db.ParsePartialDate(trimmed(f.Source.PublishedOn))
	if err != nil {
		b.fail(w.errorf("publishedOn: %v", err))
		return
	}
	src.PublishedOn = d
	b.sourceSlugs[src.Slug] = name
	b.sources = append(b.sources, src)

	fc := fileContext{where: where{file: name}, source: src}
	for i, c := range f.Companies {
		b.addCompany(fc.at("companies[%d] %s", i, c.Slug), c)
	}
	for i, p := range f.People {
		b.addPerson(fc.at("people[%d] %s", i, p.Slug), p)
	}
	for i, p := range f.Projects {
		b.addProject(fc.at("projects[%d] %s", i, p.Slug), p)
	}
	for i, m := range f.Meetings {
		b.addMeeting(fc.at("meetings[%d] %s", i, m.Slug), m)
	}
	for i, a := range f.Agreements {
		b.addAgreement(fc.at("agreements[%d] %s", i, a.Slug), a)
	}
	for i, e := range f.Events {
		b.addEvent(fc.at("events[%d] %s", i, e.Slug), e)
	}
	for i, st := range f.Statements {
		b.addStatement(fc.at("statements[%d]", i), st)
	}
	for i, r := range f.Retractions {
		b.retractions = append(b.retractions, fileRetraction{fc.at("retractions[%d] %s %s", i, r.Type, r.Key), r})
	}
}

// addText gives src the article's paragraphs, if the file has them: one
// non-empty line each, as many as the source's paragraphs.
func (b *builder) addText(w where, src *db.Source, text []string) bool {
	if len(text) == 0 {
		return true
	}
	if len(text) != src.Paragraphs {
		b.fail(w.errorf("text has %d paragraphs, but paragraphs says the article has %d: give every non-empty line of the article, in order, or leave text out", len(text), src.Paragraphs))
		return false
	}
	src.Text = make([]string, len(text))
	for i, p := range text {
		if src.Text[i] = trimmed(p); src.Text[i] == "" {
			b.fail(w.errorf("text[%d] is empty: a paragraph is a non-empty line of the article", i))
			return false
		}
	}
	return true
}

func (fc fileContext) at(format string, args ...any) fileContext {
	fc.where = where{file: fc.file, entry: fmt.Sprintf(format, args...)}
	return fc
}

// entity registers a mention of slug in r with its citations.
func (b *builder) entity(fc fileContext, r *registry, slug string, cite []int) *entity {
	if !slugPattern.MatchString(slug) {
		b.fail(fc.errorf("slug %q must be lowercase letters, digits and hyphens", slug))
		return nil
	}
	e := r.get(slug, fc.where)
	for _, c := range b.cites(fc, cite) {
		if !slices.Contains(e.cites, c) {
			e.cites = append(e.cites, c)
		}
	}
	return e
}

// cites checks a list of paragraph numbers against the file's source.
func (b *builder) cites(fc fileContext, paragraphs []int) []db.Citation {
	if len(paragraphs) == 0 {
		b.fail(fc.errorf("cite is required: list the paragraphs that report this"))
		return nil
	}
	out := make([]db.Citation, 0, len(paragraphs))
	for _, p := range paragraphs {
		out = append(out, b.cite(fc, p))
	}
	return out
}

func (b *builder) cite(fc fileContext, p int) db.Citation {
	if p < 1 || p > fc.source.Paragraphs {
		b.fail(fc.errorf("cite %d is not a paragraph of %s (1 to %d)", p, fc.source.Slug, fc.source.Paragraphs))
	}
	return db.Citation{SourceID: fc.source.ID, Paragraph: p}
}

// set records a scalar field; check (if any) validates it. A field given in
// two places must have the same value in both.
func (b *builder) set(fc fileContext, e *entity, field, value string, check func(string) error) {
	value = trimmed(value)
	if value == "" {
		return
	}
	if check != nil {
		if err := check(value); err != nil {
			b.fail(fc.errorf("%s: %v", field, err))
			return
		}
	}
	if old, ok := e.fields[field]; ok && old != value {
		b.fail(fc.errorf("%s %q conflicts with %q given earlier", field, value, old))
		return
	}
	e.fields[field] = value
}

func (b *builder) addAliases(e *entity, aliases []string) {
	for _, a := range aliases {
		if a = trimmed(a); a != "" && !slices.Contains(e.aliases, a) {
			e.aliases = append(e.aliases, a)
		}
	}
}

// ref resolves a slug in r once every file has been read.
func (b *builder) ref(fc fileContext, r *registry, field, slug string, use func(*entity)) {
	b.later = append(b.later, func() {
		e, ok := r.bySlug[slug]
		if !ok {
			b.fail(fc.errorf("%s: unknown %s %q", field, r.typ, slug))
			return
		}
		use(e)
	})
}

// link records a many-to-many pair, resolving the target slug later.
func (b *builder) link(fc fileContext, kind db.LinkKind, from *entity, r *registry, field string, slugs []string) {
	for _, slug := range slugs {
		b.ref(fc, r, field, trimmed(slug), func(to *entity) {
			l := db.Link{Kind: kind, From: from.id, To: to.id}
			if !b.links[l] {
				b.links[l] = true
				b.linkOrder = append(b.linkOrder, l)
			}
		})
	}
}

func oneOf[T ~string](values []T) func(string) error {
	return func(v string) error {
		if !slices.Contains(values, T(v)) {
			return fmt.Errorf("%q is not one of %v", v, values)
		}
		return nil
	}
}

func isDate(v string) error {
	_, err := db.ParsePartialDate(v)
	return err
}

func isCountry(v string) error {
	if !countryPattern.MatchString(v) {
		return fmt.Errorf("%q is not an ISO 3166-1 alpha-2 code such as KZ or CN", v)
	}
	return nil
}

func isCount(v string) error {
	if n, err := strconv.Atoi(v); err != nil || n < 0 {
		return fmt.Errorf("%q is not a count", v)
	}
	return nil
}

func optional(s string) *string {
	if s = trimmed(s); s == "" {
		return nil
	}
	return &s
}
