package seed

import (
	"fmt"
	"slices"
	"strings"

	"github.com/investgraph/investgraph/db"
)

// inferable lists, by kind of entity, the attributes an `inferred` key may
// name; links are named by one of linkLists and a slug.
var inferable = map[string][]string{
	"company":   {"kind", "country", "founded", "headquarters", "description", "parent"},
	"person":    {"description"},
	"project":   {"sector", "status", "region", "description"},
	"meeting":   {"date", "location", "occasion", "summary", "event"},
	"agreement": {"kind", "signedOn", "summary", "documentCount", "documentCountApproximation", "meeting", "status", "partOf", "event"},
	"event":     {"kind", "start", "end", "location", "description", "partOf"},
}

// linkLists are, by kind of entity, its many-to-many lists and their kinds.
var linkLists = map[string]map[string]db.LinkKind{
	"meeting":   {"participants": db.MeetingParticipant, "organizations": db.MeetingOrganization, "projects": db.MeetingProject},
	"agreement": {"parties": db.AgreementParty, "signatories": db.AgreementSignatory, "projects": db.AgreementProject},
}

// inferenceCheck is an entity's `inferred` map as one entry gave it.
type inferenceCheck struct {
	fc  fileContext
	r   *registry
	e   *entity
	inf Inferred
}

// evidence validates a fact's basis: STATED when empty; an inference must
// say from what, and a note belongs to an inference only.
func (b *builder) evidence(fc fileContext, e Evidence) (db.Basis, *string, bool) {
	basis, note := db.Basis(trimmed(e.Basis)), optional(e.InferenceNote)
	switch {
	case basis == "":
		basis = db.Stated
	case !slices.Contains(db.Bases, basis):
		b.fail(fc.errorf("basis: %v", oneOf(db.Bases)(string(basis))))
		return "", nil, false
	}
	switch {
	case basis == db.Inferred && note == nil:
		b.fail(fc.errorf("basis INFERRED needs an inferenceNote saying what the fact was inferred from"))
		return "", nil, false
	case basis == db.Stated && note != nil:
		b.fail(fc.errorf("inferenceNote is for inferred facts: set basis: INFERRED, or drop the note"))
		return "", nil, false
	}
	return basis, note, true
}

// mergeEvidence combines the bases of one fact reported in two places: a
// fact any paragraph states is stated.
func mergeEvidence(basis *db.Basis, note **string, b db.Basis, n *string) {
	switch {
	case *basis == "":
		*basis, *note = b, n
	case b == db.Stated:
		*basis, *note = db.Stated, nil
	}
}

// actor resolves the slug of a person or organization a fact is
// attributed to, once every file is read.
func (b *builder) actor(fc fileContext, slug string, set func(*db.ActorRef)) {
	if slug = trimmed(slug); slug == "" {
		return
	}
	b.later = append(b.later, func() {
		p, isPerson := b.people.bySlug[slug]
		c, isCompany := b.companies.bySlug[slug]
		switch {
		case isPerson && isCompany:
			b.fail(fc.errorf("attributedTo: %q is both a person and an organization", slug))
		case isPerson:
			set(&db.ActorRef{Type: "Person", ID: p.id})
		case isCompany:
			set(&db.ActorRef{Type: "Company", ID: c.id})
		default:
			b.fail(fc.errorf("attributedTo: no person or organization %q", slug))
		}
	})
}

// inferences records an entry's `inferred` map on its entity; the keys are
// checked once every file is read.
func (b *builder) inferences(fc fileContext, r *registry, e *entity, inf Inferred) {
	for key, note := range inf {
		note = trimmed(note)
		if note == "" {
			b.fail(fc.keyErrorf(key, "inferred %s: the note saying what it was inferred from is empty", key))
			continue
		}
		if old, ok := e.inferred[key]; ok && old != note {
			b.fail(fc.keyErrorf(key, "inferred %s: the note conflicts with one given earlier", key))
			continue
		}
		e.inferred[key] = note
	}
	if len(inf) > 0 {
		b.inferenceChecks = append(b.inferenceChecks, inferenceCheck{fc: fc, r: r, e: e, inf: inf})
	}
}

// checkInferences checks that every inferred key names an attribute that
// has a value or a link that exists.
func (b *builder) checkInferences() {
	for _, c := range b.inferenceChecks {
		for _, key := range sortedKeys(c.inf) {
			list, slug, isLink := strings.Cut(key, "/")
			if !isLink {
				if !slices.Contains(inferable[c.r.typ], key) {
					b.fail(c.fc.keyErrorf(key, "inferred %s: a %s has no such attribute (one of %v, or a link as list/slug)", key, c.r.typ, inferable[c.r.typ]))
				} else if c.e.fields[key] == "" {
					b.fail(c.fc.keyErrorf(key, "inferred %s: the %s has no %s to infer", key, c.r.typ, key))
				}
				continue
			}
			kind, ok := linkLists[c.r.typ][list]
			if !ok {
				b.fail(c.fc.keyErrorf(key, "inferred %s: a %s has no list %q", key, c.r.typ, list))
				continue
			}
			if _, ok := b.findLink(kind, c.e, slug); !ok {
				b.fail(c.fc.keyErrorf(key, "inferred %s: %q is not in the %s %s", key, slug, c.r.typ, list))
			}
		}
	}
	for _, e := range b.meetings.order {
		for _, slug := range sortedKeys(e.roles) {
			if _, ok := b.findLink(db.MeetingParticipant, e, slug); !ok {
				b.fail(e.first.keyErrorf(slug, "roles: %q is not a participant of meeting %q", slug, e.slug))
			}
		}
	}
}

// linkTargets are the registries the links of each kind point into.
func (b *builder) linkTargets(kind db.LinkKind) *registry {
	switch kind {
	case db.MeetingParticipant, db.AgreementSignatory:
		return b.people
	case db.MeetingOrganization, db.AgreementParty:
		return b.companies
	}
	return b.projects
}

// findLink returns the index in linkOrder of the link of kind from e to slug.
func (b *builder) findLink(kind db.LinkKind, e *entity, slug string) (int, bool) {
	to, ok := b.linkTargets(kind).bySlug[slug]
	if !ok {
		return 0, false
	}
	i := slices.IndexFunc(b.linkOrder, func(l db.Link) bool { return l.Kind == kind && l.From == e.id && l.To == to.id })
	return i, i >= 0
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (b *builder) addEvent(fc fileContext, ev EventEntry) {
	e := b.entity(fc, b.events, trimmed(ev.Slug), ev.Cite)
	if e == nil {
		return
	}
	b.set(fc, e, "name", ev.Name, nil)
	b.set(fc, e, "kind", ev.Kind, oneOf(db.EventKinds))
	b.set(fc, e, "start", ev.Start, isDate)
	b.set(fc, e, "end", ev.End, isDate)
	b.set(fc, e, "location", ev.Location, nil)
	b.set(fc, e, "description", ev.Description, nil)
	if p := trimmed(ev.PartOf); p != "" {
		b.ref(fc, b.events, "partOf", p, func(pe *entity) { b.set(fc, e, "partOf", pe.slug, nil) })
	}
	b.inferences(fc, b.events, e, ev.Inferred)
}

func (b *builder) addStatement(fc fileContext, s StatementEntry) {
	basis, note, ok := b.evidence(fc, s.Evidence)
	if !ok {
		return
	}
	speaker, summary := trimmed(s.Speaker), trimmed(s.Summary)
	slug := trimmed(s.Slug)
	if slug == "" {
		slug = fmt.Sprintf("%s-%d-%s", fc.source.Slug, s.Cite, speaker)
	}
	fc = fc.at("%s %s", fc.entry, slug)
	switch {
	case summary == "":
		b.fail(fc.errorf("summary is required: say in our own words what was said"))
		return
	case len(s.About) == 0:
		b.fail(fc.errorf("about is required: list what the statement is about"))
		return
	case !slugPattern.MatchString(slug):
		b.fail(fc.errorf("slug %q must be lowercase letters, digits and hyphens", slug))
		return
	case b.stmtSlugs[slug] != "":
		b.fail(fc.errorf("slug %q is already used by %s: give each statement of a paragraph its own slug", slug, b.stmtSlugs[slug]))
		return
	}
	b.stmtSlugs[slug] = fc.file + ": " + fc.entry
	st := &db.Statement{ID: int64(len(b.statements) + 1), Slug: slug, Summary: summary, Citation: b.cite(fc, s.Cite),
		Basis: basis, InferenceNote: note}
	if d := trimmed(s.Date); d != "" {
		pd, err := db.ParsePartialDate(d)
		if err != nil {
			b.fail(fc.errorf("date: %v", err))
			return
		}
		st.Date = &pd
	}
	b.statements = append(b.statements, st)
	b.ref(fc, b.people, "speaker", speaker, func(p *entity) { st.SpeakerID = p.id })
	if m := trimmed(s.Meeting); m != "" {
		b.ref(fc, b.meetings, "meeting", m, func(me *entity) { st.MeetingID = &me.id })
	}
	if ev := trimmed(s.Event); ev != "" {
		b.ref(fc, b.events, "event", ev, func(ee *entity) { st.EventID = &ee.id })
	}
	for i, about := range s.About {
		i, about := i, trimmed(about)
		b.later = append(b.later, func() {
			ref, err := b.nodeBySlug(about)
			if err != nil {
				b.fail(fc.errorf("about[%d]: %v", i, err))
				return
			}
			b.stmtSubjects = append(b.stmtSubjects, db.StatementSubject{StatementID: st.ID, Subject: ref})
		})
	}
}

// nodeBySlug finds the object a slug names, optionally qualified by its
// kind (`event:2025-tokayev-visit-china`) where several kinds use it.
func (b *builder) nodeBySlug(slug string) (db.NodeRef, error) {
	kinds := []struct {
		typ string
		r   *registry
	}{{"Company", b.companies}, {"Person", b.people}, {"Project", b.projects}, {"Meeting", b.meetings},
		{"Agreement", b.agreements}, {"Event", b.events}}
	want, bare, qualified := strings.Cut(slug, ":")
	if qualified {
		slug = bare
	}
	var found []db.NodeRef
	for _, k := range kinds {
		if qualified && !strings.EqualFold(k.r.typ, want) {
			continue
		}
		if e, ok := k.r.bySlug[slug]; ok {
			found = append(found, db.NodeRef{Type: k.typ, ID: e.id})
		}
	}
	switch len(found) {
	case 0:
		return db.NodeRef{}, fmt.Errorf("no object %q", slug)
	case 1:
		return found[0], nil
	}
	return db.NodeRef{}, fmt.Errorf("%q names several kinds of object: write KIND:%s", slug, slug)
}

// evidenceData adds to d the events, statements, inferred attributes,
// link bases and meeting roles.
func (b *builder) evidenceData(d *db.Dataset) {
	for _, e := range b.events.order {
		ev := &db.Event{ID: e.id, Slug: e.slug, Name: e.fields["name"], Kind: db.EventKind(e.fields["kind"]),
			Start: date(e, "start"), End: date(e, "end"), Location: opt(e, "location"), Description: opt(e, "description")}
		if p := e.fields["partOf"]; p != "" {
			ev.PartOfID = &b.events.bySlug[p].id
		}
		d.Events = append(d.Events, ev)
	}
	d.Statements = b.statements
	// Subjects come in statement order, each statement's in the order listed.
	slices.SortStableFunc(b.stmtSubjects, func(x, y db.StatementSubject) int { return int(x.StatementID - y.StatementID) })
	d.StatementSubjects = b.stmtSubjects

	subjects := []struct {
		r       *registry
		subject db.Subject
	}{{b.companies, db.SubjectCompany}, {b.people, db.SubjectPerson}, {b.projects, db.SubjectProject},
		{b.meetings, db.SubjectMeeting}, {b.agreements, db.SubjectAgreement}, {b.events, db.SubjectEvent}}
	for _, s := range subjects {
		for _, e := range s.r.order {
			for _, key := range sortedKeys(e.inferred) {
				list, slug, isLink := strings.Cut(key, "/")
				if !isLink {
					d.AttributeInferences = append(d.AttributeInferences,
						db.AttributeInference{Subject: s.subject, SubjectID: e.id, Attribute: key, Note: e.inferred[key]})
					continue
				}
				if i, ok := b.findLink(linkLists[s.r.typ][list], e, slug); ok {
					note := e.inferred[key]
					d.Links[i].Basis, d.Links[i].InferenceNote = db.Inferred, &note
				}
			}
		}
	}
	for _, e := range b.meetings.order {
		for slug, role := range e.roles {
			if i, ok := b.findLink(db.MeetingParticipant, e, slug); ok {
				r := db.MeetingRole(role)
				d.Links[i].Role = &r
			}
		}
	}
}
