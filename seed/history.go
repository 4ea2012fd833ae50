package seed

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/investgraph/investgraph/db"
)

// nodeChanges says, object by object, what after adds to and changes in
// before (the graph before and after a changeset): the fields given for
// the first time and the facts added (figures, positions, aliases,
// citations, ...) are added, the fields and facts whose values or
// citations differ are changed. An object after adds is all added. Each
// entry is the schema's name of a field, and for a list field the item,
// as "figures: CAPACITY 2024 ACTUAL 1.5 Mt". Objects are listed in the
// dataset's order, sources first; those with nothing added or changed are
// left out.
func nodeChanges(before, after *db.Dataset) []db.NodeChange {
	return nodeChangesOf(describe(before, nil), describe(after, nil))
}

// nodeChangesOf is nodeChanges of the graphs b and a describe.
func nodeChangesOf(b, a *described) []db.NodeChange {
	var out []db.NodeChange
	for _, ref := range a.order {
		old, now := b.nodes[ref], a.nodes[ref]
		if old == nil {
			old = &nodeFacts{}
		}
		var c db.NodeChange
		c.Node = ref
		for _, f := range now.fields {
			prev, ok := old.field(f.name)
			switch {
			case !ok || prev.zero:
				if !f.zero {
					c.Added = append(c.Added, f.name)
				}
			case !reflect.DeepEqual(prev.value, f.value):
				c.Changed = append(c.Changed, f.name)
			}
		}
		for _, item := range now.itemOrder {
			prev, ok := old.items[item]
			switch {
			case !ok:
				c.Added = append(c.Added, item)
			case prev != now.items[item]:
				c.Changed = append(c.Changed, item)
			}
		}
		if len(c.Added) > 0 || len(c.Changed) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// touchedBy adds to touched the objects changes names that it lacks, such
// as a project whose only news is a figure.
func touchedBy(touched []db.SlugRef, changes []db.NodeChange) []db.SlugRef {
	for _, c := range changes {
		if !slices.Contains(touched, c.Node) {
			touched = append(touched, c.Node)
		}
	}
	return touched
}

// nodeFacts are an object's fields and list items.
type nodeFacts struct {
	fields    []fieldValue
	items     map[string]string // item → its print (citations, basis)
	itemOrder []string
}

type fieldValue struct {
	name  string
	value any
	zero  bool
}

func (n *nodeFacts) field(name string) (fieldValue, bool) {
	for _, f := range n.fields {
		if f.name == name {
			return f, true
		}
	}
	return fieldValue{}, false
}

func (n *nodeFacts) item(name, print string) {
	if _, ok := n.items[name]; !ok {
		n.itemOrder = append(n.itemOrder, name)
	}
	n.items[name] += print
}

// described is every object of a dataset with its facts, or those of the
// objects of reach (see reachOf), with the slugs of every object.
type described struct {
	order []db.SlugRef
	nodes map[db.SlugRef]*nodeFacts
	refs  map[db.SubjectKey]db.SlugRef // row id → object
	src   map[int64]string             // source id → slug
	reach reach
}

func (d *described) add(typ string, subject db.Subject, id int64, slug string, row any) {
	ref := db.SlugRef{Type: typ, Slug: slug}
	if subject != "" {
		d.refs[db.SubjectKey{Subject: subject, ID: id}] = ref
		if !d.reach.has(subject, id) {
			return
		}
	}
	n := &nodeFacts{items: map[string]string{}}
	v := reflect.ValueOf(row).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.Name == "ID" || f.Name == "Slug" || !f.IsExported() {
			continue
		}
		n.fields = append(n.fields, fieldValue{name: fieldName(f.Name), value: v.Field(i).Interface(), zero: v.Field(i).IsZero()})
	}
	d.order = append(d.order, ref)
	d.nodes[ref] = n
}

// on adds an item to the object with the row id of subject, if there is one.
func (d *described) on(subject db.Subject, id *int64, item, print string) {
	if id == nil {
		return
	}
	if ref, ok := d.refs[db.SubjectKey{Subject: subject, ID: *id}]; ok && d.nodes[ref] != nil {
		d.nodes[ref].item(item, print)
	}
}

func (d *described) slug(subject db.Subject, id int64) string {
	return d.refs[db.SubjectKey{Subject: subject, ID: id}].Slug
}

func (d *described) cite(c db.Citation) string {
	return d.src[c.SourceID] + " ¶" + strconv.Itoa(c.Paragraph)
}

// describe describes the objects of ds that r holds (nil: every object).
func describe(ds *db.Dataset, r reach) *described {
	d := &described{nodes: map[db.SlugRef]*nodeFacts{}, refs: map[db.SubjectKey]db.SlugRef{}, src: map[int64]string{}, reach: r}
	for _, x := range ds.Sources {
		d.add("Source", "", x.ID, x.Slug, x)
		d.src[x.ID] = x.Slug
	}
	for _, x := range ds.Companies {
		d.add("Company", db.SubjectCompany, x.ID, x.Slug, x)
	}
	for _, x := range ds.People {
		d.add("Person", db.SubjectPerson, x.ID, x.Slug, x)
	}
	for _, x := range ds.Projects {
		d.add("Project", db.SubjectProject, x.ID, x.Slug, x)
	}
	for _, x := range ds.Meetings {
		d.add("Meeting", db.SubjectMeeting, x.ID, x.Slug, x)
	}
	for _, x := range ds.Agreements {
		d.add("Agreement", db.SubjectAgreement, x.ID, x.Slug, x)
	}
	for _, x := range ds.Events {
		d.add("Event", db.SubjectEvent, x.ID, x.Slug, x)
	}
	for _, x := range ds.Statements {
		d.add("Statement", db.SubjectStatement, x.ID, x.Slug, x)
	}
	// Facts kept apart by the citation lists of their own (positions and
	// participants) carry them in their print.
	factCites := map[db.SubjectKey][]string{}
	for _, c := range ds.Citations {
		switch c.Subject {
		case db.SubjectPosition, db.SubjectParticipant:
			factCites[c.SubjectKey] = append(factCites[c.SubjectKey], d.cite(c.Citation))
		default:
			if r.has(c.Subject, c.ID) {
				d.on(c.Subject, &c.ID, "citations: "+d.cite(c.Citation), "")
			}
		}
	}
	for _, n := range ds.Names {
		if n.Alias && r.has(n.Subject, n.SubjectID) {
			d.on(n.Subject, &n.SubjectID, "aliases: "+n.Name, "")
		}
	}
	for _, p := range ds.Positions {
		if !r.hasAny(objectRef{db.SubjectPerson, &p.PersonID}, objectRef{db.SubjectCompany, &p.OrganizationID}) {
			continue
		}
		print := evidencePrint(p.Basis, p.InferenceNote) + strings.Join(factCites[db.SubjectKey{Subject: db.SubjectPosition, ID: p.ID}], ";")
		when := " (" + p.ReportedOn.String() + ")"
		d.on(db.SubjectPerson, &p.PersonID, "positions: "+p.Title+" at "+d.slug(db.SubjectCompany, p.OrganizationID)+when, print)
		d.on(db.SubjectCompany, &p.OrganizationID, "positions: "+d.slug(db.SubjectPerson, p.PersonID)+" as "+p.Title+when, print)
	}
	for _, p := range ds.Participants {
		if !r.hasAny(objectRef{db.SubjectProject, &p.ProjectID}, objectRef{db.SubjectCompany, &p.CompanyID}) {
			continue
		}
		print := evidencePrint(p.Basis, p.InferenceNote) + strings.Join(factCites[db.SubjectKey{Subject: db.SubjectParticipant, ID: p.ID}], ";")
		d.on(db.SubjectProject, &p.ProjectID, "participants: "+d.slug(db.SubjectCompany, p.CompanyID)+" "+string(p.Role), print)
		d.on(db.SubjectCompany, &p.CompanyID, "projects: "+d.slug(db.SubjectProject, p.ProjectID)+" "+string(p.Role), print)
	}
	for _, m := range ds.Measurements {
		if !r.hasAny(objectRef{db.SubjectProject, m.ProjectID}, objectRef{db.SubjectCompany, m.CompanyID},
			objectRef{db.SubjectCompany, m.CounterpartyID}) {
			continue
		}
		item := "figures: " + string(m.Metric) + " " + m.AsOf.String() + " " + string(m.Status) + " " + formatValue(m.Value) + " " + m.Unit
		print := d.cite(m.Citation) + evidencePrint(m.Basis, m.InferenceNote)
		d.on(db.SubjectProject, m.ProjectID, item, print)
		d.on(db.SubjectCompany, m.CompanyID, item, print)
		d.on(db.SubjectCompany, m.CounterpartyID, item, print)
	}
	for _, m := range ds.Milestones {
		if !r.has(db.SubjectProject, m.ProjectID) {
			continue
		}
		date := ""
		if m.Date != nil {
			date = " " + m.Date.String()
		}
		d.on(db.SubjectProject, &m.ProjectID, "milestones: "+m.Name+date, d.cite(m.Citation)+string(m.Status)+evidencePrint(m.Basis, m.InferenceNote))
	}
	for _, a := range ds.Amounts {
		if !r.hasAny(objectRef{db.SubjectProject, a.ProjectID}, objectRef{db.SubjectAgreement, a.AgreementID}) {
			continue
		}
		item := "amounts: " + formatValue(a.Amount) + " " + a.Currency + " " + string(a.Approximation)
		print := d.cite(a.Citation) + evidencePrint(a.Basis, a.InferenceNote)
		d.on(db.SubjectProject, a.ProjectID, item, print)
		d.on(db.SubjectAgreement, a.AgreementID, item, print)
	}
	for _, l := range ds.Links {
		from, to, fromField, toField := linkSides(l.Kind)
		if !r.has(from, l.From) && !r.has(to, l.To) {
			continue
		}
		print := evidencePrint(l.Basis, l.InferenceNote)
		d.on(from, &l.From, fromField+": "+d.slug(to, l.To), print)
		d.on(to, &l.To, toField+": "+d.slug(from, l.From), print)
	}
	for _, t := range ds.Topics {
		if !r.has(db.SubjectMeeting, t.MeetingID) {
			continue
		}
		d.on(db.SubjectMeeting, &t.MeetingID, "topics: "+t.Topic, "")
	}
	for _, s := range ds.StatementSubjects {
		if k, ok := statementSubjectOf(s.Subject.Type); ok && r.has(db.SubjectStatement, s.StatementID) {
			d.on(db.SubjectStatement, &s.StatementID, "about: "+d.slug(k, s.Subject.ID), "")
		}
	}
	for _, a := range ds.AttributeInferences {
		if !r.has(a.Subject, a.SubjectID) {
			continue
		}
		d.on(a.Subject, &a.SubjectID, "inferred: "+a.Attribute, a.Note)
	}
	return d
}

// linkSides names the kinds of row a link joins and the field each side
// lists the other in.
func linkSides(k db.LinkKind) (from, to db.Subject, fromField, toField string) {
	switch k {
	case db.MeetingParticipant:
		return db.SubjectMeeting, db.SubjectPerson, "participants", "meetings"
	case db.MeetingOrganization:
		return db.SubjectMeeting, db.SubjectCompany, "organizations", "meetings"
	case db.MeetingProject:
		return db.SubjectMeeting, db.SubjectProject, "projects", "meetings"
	case db.AgreementParty:
		return db.SubjectAgreement, db.SubjectCompany, "parties", "agreements"
	case db.AgreementSignatory:
		return db.SubjectAgreement, db.SubjectPerson, "signatories", "agreements"
	default:
		return db.SubjectAgreement, db.SubjectProject, "projects", "agreements"
	}
}

func statementSubjectOf(typ string) (db.Subject, bool) {
	for _, s := range []db.Subject{db.SubjectCompany, db.SubjectPerson, db.SubjectProject, db.SubjectMeeting,
		db.SubjectAgreement, db.SubjectEvent, db.SubjectStatement} {
		if strings.EqualFold(string(s), typ) {
			return s, true
		}
	}
	return "", false
}

func evidencePrint(b db.Basis, note *string) string {
	if note == nil {
		return " " + string(b)
	}
	return " " + string(b) + " " + *note
}

func formatValue(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// fieldName is the schema's name of a field of a domain type: ParentID is
// parent, PartOfID partOf, Description description.
func fieldName(goName string) string {
	name := strings.TrimSuffix(goName, "ID")
	if name == "" {
		name = goName
	}
	r := []rune(name)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
