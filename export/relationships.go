package export

import "slices"

// Relationship is a typed, directed edge between two objects, named as
// Query.neighborhood names them (RelationshipType and its labels).
type Relationship struct {
	Type  string
	Label string
	From  string // global ID
	To    string // global ID
	// Citations are the paragraphs that report it, where the API gives them.
	Citations []Citation
	// Fact is whether the sources state it; InferenceNote is empty where
	// the API names an inferred link without a note (a party, signatory,
	// organization or project read through basis: [STATED]).
	Fact
}

var stated = Fact{Basis: "STATED"}

// listed is stated when the stated list holds id, inferred otherwise.
func listed(statedRefs []Ref, id string) Fact {
	for _, r := range statedRefs {
		if r.ID == id {
			return stated
		}
	}
	return Fact{Basis: "INFERRED"}
}

// Relationships returns every relationship among the graph's objects, once
// each: the same set Query.neighborhood draws from, MET once per pair of
// people who attended a meeting together (from the one with the smaller
// ID). A relationship reported several times (a title in two reports) is
// stated when one of them is.
func Relationships(g *Graph) []Relationship {
	var rels []Relationship
	seen := map[[4]string]int{}
	add := func(r Relationship) {
		k := [4]string{r.Type, r.Label, r.From, r.To}
		i, ok := seen[k]
		if !ok {
			seen[k] = len(rels)
			rels = append(rels, r)
			return
		}
		if rels[i].Inferred() && !r.Inferred() {
			rels[i].Fact = r.Fact
		}
	}
	for _, c := range g.Companies {
		if c.Parent != nil {
			add(Relationship{Type: "SUBSIDIARY_OF", Label: "subsidiary of", From: c.ID, To: c.Parent.ID, Citations: c.Citations,
				Fact: attributeFact(c.Evidence, "parent")})
		}
		for _, p := range c.Positions {
			add(Relationship{Type: "POSITION", Label: p.Title, From: p.Person.ID, To: c.ID, Citations: p.Citations, Fact: p.Fact})
		}
	}
	for _, p := range g.Projects {
		for _, pa := range p.Participants {
			add(Relationship{Type: "PARTICIPANT", Label: pa.Role, From: pa.Company.ID, To: p.ID, Citations: pa.Citations, Fact: pa.Fact})
		}
	}
	for _, m := range g.Meetings {
		for _, r := range m.Participations {
			add(Relationship{Type: "ATTENDED", Label: "attended", From: r.Person.ID, To: m.ID, Citations: m.Citations, Fact: r.Fact})
		}
		for _, r := range m.Organizations {
			add(Relationship{Type: "REPRESENTED_AT", Label: "represented", From: r.ID, To: m.ID, Citations: m.Citations,
				Fact: listed(m.StatedOrganizations, r.ID)})
		}
		for _, r := range m.Projects {
			add(Relationship{Type: "DISCUSSED", Label: "discussed", From: m.ID, To: r.ID, Citations: m.Citations,
				Fact: listed(m.StatedProjects, r.ID)})
		}
		if m.Event != nil {
			add(Relationship{Type: "PART_OF", Label: "part of", From: m.ID, To: m.Event.ID, Citations: m.Citations,
				Fact: attributeFact(m.Evidence, "event")})
		}
	}
	for _, m := range g.Meetings {
		for i, a := range m.Participations {
			for _, b := range m.Participations[i+1:] {
				from, to := a.Person.ID, b.Person.ID
				if to < from {
					from, to = to, from
				}
				fact := stated
				if a.Inferred() || b.Inferred() {
					fact = Fact{Basis: "INFERRED", InferenceNote: metNote}
				}
				add(Relationship{Type: "MET", Label: "met", From: from, To: to, Fact: fact})
			}
		}
	}
	for _, a := range g.Agreements {
		for _, r := range a.Parties {
			add(Relationship{Type: "PARTY", Label: a.Kind, From: r.ID, To: a.ID, Citations: a.Citations, Fact: listed(a.StatedParties, r.ID)})
		}
		for _, r := range a.Signatories {
			add(Relationship{Type: "SIGNATORY", Label: "signed", From: r.ID, To: a.ID, Citations: a.Citations, Fact: listed(a.StatedSignatories, r.ID)})
		}
		for _, r := range a.Projects {
			add(Relationship{Type: "COVERS", Label: "covers", From: a.ID, To: r.ID, Citations: a.Citations, Fact: listed(a.StatedProjects, r.ID)})
		}
		if a.Meeting != nil {
			add(Relationship{Type: "SIGNED_AT", Label: "signed at", From: a.ID, To: a.Meeting.ID, Citations: a.Citations,
				Fact: attributeFact(a.Evidence, "meeting")})
		}
		if a.Event != nil {
			add(Relationship{Type: "PART_OF", Label: "part of", From: a.ID, To: a.Event.ID, Citations: a.Citations,
				Fact: attributeFact(a.Evidence, "event")})
		}
		if a.PartOf != nil {
			add(Relationship{Type: "IN_PACKAGE", Label: "in package", From: a.ID, To: a.PartOf.ID, Citations: a.Citations,
				Fact: attributeFact(a.Evidence, "partOf")})
		}
	}
	for _, e := range g.Events {
		if e.PartOf != nil {
			add(Relationship{Type: "PART_OF", Label: "part of", From: e.ID, To: e.PartOf.ID, Citations: e.Citations,
				Fact: attributeFact(e.Evidence, "partOf")})
		}
	}
	for _, st := range g.Statements {
		cites := []Citation{st.Citation}
		add(Relationship{Type: "SAID", Label: "said", From: st.Speaker.ID, To: st.ID, Citations: cites, Fact: st.Fact})
		if st.Meeting != nil {
			add(Relationship{Type: "SAID_AT", Label: "said at", From: st.ID, To: st.Meeting.ID, Citations: cites, Fact: st.Fact})
		}
		if st.Event != nil {
			add(Relationship{Type: "SAID_AT", Label: "said at", From: st.ID, To: st.Event.ID, Citations: cites, Fact: st.Fact})
		}
		for _, r := range st.About {
			add(Relationship{Type: "ABOUT", Label: "about", From: st.ID, To: r.ID, Citations: cites, Fact: st.Fact})
		}
	}
	// An end the view does not hold (a parent not yet reported) leaves the
	// relationship out, as the API does.
	ids := map[string]bool{}
	for _, n := range Nodes(g) {
		ids[n.ID] = true
	}
	return slices.DeleteFunc(rels, func(r Relationship) bool { return !ids[r.From] || !ids[r.To] })
}

// metNote is why two people met on the inferred basis, as the API says it.
const metNote = "Every meeting that puts them together has an inferred participation (see its participations)."

// Node is an object of the graph with the attributes GraphML carries.
type Node struct {
	ID, Type, Name, Slug string
	// Attrs are the type's own attributes (kind, country, sector, ...).
	Attrs map[string]string
}

// Nodes returns the graph's organizations, people, projects, meetings,
// agreements, events and statements (the objects relationships join), in
// that order.
func Nodes(g *Graph) []Node {
	var ns []Node
	for _, c := range g.Companies {
		ns = append(ns, Node{c.ID, "Company", c.Name, c.Slug, map[string]string{"kind": c.Kind, "country": c.Country}})
	}
	for _, p := range g.People {
		ns = append(ns, Node{p.ID, "Person", p.Name, p.Slug, nil})
	}
	for _, p := range g.Projects {
		ns = append(ns, Node{p.ID, "Project", p.Name, p.Slug, map[string]string{"sector": p.Sector, "status": p.Status, "region": p.Region}})
	}
	for _, m := range g.Meetings {
		name := m.Occasion
		if name == "" {
			name = "Meeting " + m.Location
		}
		ns = append(ns, Node{m.ID, "Meeting", name, m.Slug, map[string]string{"date": m.Date, "location": m.Location}})
	}
	for _, a := range g.Agreements {
		ns = append(ns, Node{a.ID, "Agreement", a.Title, a.Slug, map[string]string{"kind": a.Kind, "date": a.SignedOn, "status": a.Status}})
	}
	for _, e := range g.Events {
		ns = append(ns, Node{e.ID, "Event", e.Name, e.Slug, map[string]string{"kind": e.Kind, "date": e.Start, "end": e.End, "location": e.Location}})
	}
	for _, st := range g.Statements {
		date := st.Date
		if date == "" {
			date = st.ReportedOn
		}
		ns = append(ns, Node{st.ID, "Statement", st.Summary, st.Slug, map[string]string{"date": date,
			"basis": st.Basis, "inferenceNote": st.InferenceNote}})
	}
	return ns
}
