package seed

import (
	"cmp"
	"strconv"

	"github.com/investgraph/investgraph/db"
)

// resolve runs the deferred reference checks and checks that every entity
// got its required fields from some file.
func (b *builder) resolve() {
	// By index: a check may add another (a position's attribution is
	// resolved once its organization is), which must run too.
	for i := 0; i < len(b.later); i++ {
		b.later[i]()
	}
	required := map[*registry][]string{
		b.companies:  {"name", "kind"},
		b.people:     {"name"},
		b.projects:   {"name", "sector", "status"},
		b.meetings:   {"date"},
		b.agreements: {"title", "kind"},
		b.events:     {"name", "kind"},
	}
	for _, r := range []*registry{b.companies, b.people, b.projects, b.meetings, b.agreements, b.events} {
		for _, e := range r.order {
			for _, field := range required[r] {
				if e.fields[field] == "" {
					b.fail(e.first.errorf("%s %q has no %s in any file: give it where the %s is first described",
						r.typ, e.slug, field, r.typ))
				}
			}
		}
	}
	b.checkParentCycles()
	b.checkInferences()
}

// checkParentCycles rejects a company that is its own ancestor.
func (b *builder) checkParentCycles() {
	for _, e := range b.companies.order {
		seen := map[string]bool{e.slug: true}
		for p := e.fields["parent"]; p != ""; p = b.companies.bySlug[p].fields["parent"] {
			if seen[p] {
				b.fail(e.first.errorf("company %q is its own ancestor through parent %q", e.slug, p))
				break
			}
			seen[p] = true
		}
	}
}

// dataset converts the merged, validated entries to the store's types.
func (b *builder) dataset() *db.Dataset {
	d := &db.Dataset{
		Sources: b.sources, Positions: b.positions, Participants: b.partOrder, Measurements: b.measurements,
		Milestones: b.milestones, Amounts: b.amounts, Links: b.linkOrder,
	}
	entities := func(r *registry, subject db.Subject, named bool) {
		for _, e := range r.order {
			b.addCitations(subject, e.id, e.cites)
			if named {
				d.Names = append(d.Names, db.Name{Subject: subject, SubjectID: e.id, Name: e.fields["name"]})
				for _, a := range e.aliases {
					if a != e.fields["name"] {
						d.Names = append(d.Names, db.Name{Subject: subject, SubjectID: e.id, Name: a, Alias: true})
					}
				}
			}
		}
	}
	entities(b.companies, db.SubjectCompany, true)
	entities(b.people, db.SubjectPerson, true)
	entities(b.projects, db.SubjectProject, true)
	entities(b.meetings, db.SubjectMeeting, false)
	entities(b.agreements, db.SubjectAgreement, false)
	entities(b.events, db.SubjectEvent, false)
	d.Citations = b.citations

	for _, e := range b.companies.order {
		c := &db.Company{ID: e.id, Slug: e.slug, Name: e.fields["name"], Kind: db.CompanyKind(e.fields["kind"]),
			Country: opt(e, "country"), Headquarters: opt(e, "headquarters"), Description: opt(e, "description"),
			Founded: date(e, "founded")}
		if p := e.fields["parent"]; p != "" {
			c.ParentID = &b.companies.bySlug[p].id
		}
		d.Companies = append(d.Companies, c)
	}
	for _, e := range b.people.order {
		d.People = append(d.People, &db.Person{ID: e.id, Slug: e.slug, Name: e.fields["name"], Description: opt(e, "description")})
	}
	for _, e := range b.projects.order {
		d.Projects = append(d.Projects, &db.Project{ID: e.id, Slug: e.slug, Name: e.fields["name"],
			Sector: db.ProjectSector(e.fields["sector"]), Status: db.ProjectStatus(e.fields["status"]),
			Region: opt(e, "region"), Description: opt(e, "description")})
	}
	for _, e := range b.meetings.order {
		m := &db.Meeting{ID: e.id, Slug: e.slug, Date: *date(e, "date"),
			Location: opt(e, "location"), Occasion: opt(e, "occasion"), Summary: opt(e, "summary")}
		if ev := e.fields["event"]; ev != "" {
			m.EventID = &b.events.bySlug[ev].id
		}
		d.Meetings = append(d.Meetings, m)
		for _, t := range b.topics[e.id] {
			d.Topics = append(d.Topics, db.Topic{MeetingID: e.id, Topic: t})
		}
	}
	for _, e := range b.agreements.order {
		a := &db.Agreement{ID: e.id, Slug: e.slug, Title: e.fields["title"], Kind: db.AgreementKind(e.fields["kind"]),
			SignedOn: date(e, "signedOn"), Summary: opt(e, "summary")}
		if s := e.fields["documentCount"]; s != "" {
			n, _ := strconv.Atoi(s) // validated by isCount
			a.DocumentCount = &n
		}
		if s := e.fields["documentCountApproximation"]; s != "" {
			v := db.Approximation(s)
			a.DocumentCountApproximation = &v
		}
		if m := e.fields["meeting"]; m != "" {
			a.MeetingID = &b.meetings.bySlug[m].id
		}
		a.Status = db.AgreementStatus(cmp.Or(e.fields["status"], "SIGNED"))
		if p := e.fields["partOf"]; p != "" {
			a.PartOfID = &b.agreements.bySlug[p].id
		}
		if ev := e.fields["event"]; ev != "" {
			a.EventID = &b.events.bySlug[ev].id
		} else if m := e.fields["meeting"]; m != "" {
			// An agreement signed at a meeting of an event comes out of
			// that event, on the same basis as the meeting's part in it.
			me := b.meetings.bySlug[m]
			if ev := me.fields["event"]; ev != "" {
				a.EventID = &b.events.bySlug[ev].id
				if note, ok := me.inferred["event"]; ok {
					d.AttributeInferences = append(d.AttributeInferences,
						db.AttributeInference{Subject: db.SubjectAgreement, SubjectID: e.id, Attribute: "event", Note: note})
				}
			}
		}
		d.Agreements = append(d.Agreements, a)
	}
	b.evidenceData(d)
	return d
}

func opt(e *entity, field string) *string {
	if v, ok := e.fields[field]; ok {
		return &v
	}
	return nil
}

// date returns a field already checked by isDate.
func date(e *entity, field string) *db.PartialDate {
	v, ok := e.fields[field]
	if !ok {
		return nil
	}
	d := db.MustParsePartialDate(v)
	return &d
}
