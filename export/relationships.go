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
}

// Relationships returns every relationship among the graph's objects, once
// each: the same set Query.neighborhood draws from, MET once per pair of
// people who attended a meeting together (from the one with the smaller
// ID).
func Relationships(g *Graph) []Relationship {
	var rels []Relationship
	seen := map[[4]string]bool{}
	add := func(r Relationship) {
		k := [4]string{r.Type, r.Label, r.From, r.To}
		if !seen[k] {
			seen[k] = true
			rels = append(rels, r)
		}
	}
	for _, c := range g.Companies {
		if c.Parent != nil {
			add(Relationship{Type: "SUBSIDIARY_OF", Label: "subsidiary of", From: c.ID, To: c.Parent.ID, Citations: c.Citations})
		}
		for _, p := range c.Positions {
			add(Relationship{Type: "POSITION", Label: p.Title, From: p.Person.ID, To: c.ID, Citations: p.Citations})
		}
	}
	for _, p := range g.Projects {
		for _, pa := range p.Participants {
			add(Relationship{Type: "PARTICIPANT", Label: pa.Role, From: pa.Company.ID, To: p.ID, Citations: pa.Citations})
		}
	}
	for _, m := range g.Meetings {
		for _, r := range m.Participants {
			add(Relationship{Type: "ATTENDED", Label: "attended", From: r.ID, To: m.ID, Citations: m.Citations})
		}
		for _, r := range m.Organizations {
			add(Relationship{Type: "REPRESENTED_AT", Label: "represented", From: r.ID, To: m.ID, Citations: m.Citations})
		}
		for _, r := range m.Projects {
			add(Relationship{Type: "DISCUSSED", Label: "discussed", From: m.ID, To: r.ID, Citations: m.Citations})
		}
	}
	for _, m := range g.Meetings {
		for i, a := range m.Participants {
			for _, b := range m.Participants[i+1:] {
				from, to := a.ID, b.ID
				if to < from {
					from, to = to, from
				}
				add(Relationship{Type: "MET", Label: "met", From: from, To: to})
			}
		}
	}
	for _, a := range g.Agreements {
		for _, r := range a.Parties {
			add(Relationship{Type: "PARTY", Label: a.Kind, From: r.ID, To: a.ID, Citations: a.Citations})
		}
		for _, r := range a.Signatories {
			add(Relationship{Type: "SIGNATORY", Label: "signed", From: r.ID, To: a.ID, Citations: a.Citations})
		}
		for _, r := range a.Projects {
			add(Relationship{Type: "COVERS", Label: "covers", From: a.ID, To: r.ID, Citations: a.Citations})
		}
		if a.Meeting != nil {
			add(Relationship{Type: "SIGNED_AT", Label: "signed at", From: a.ID, To: a.Meeting.ID, Citations: a.Citations})
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

// Node is an object of the graph with the attributes GraphML carries.
type Node struct {
	ID, Type, Name, Slug string
	// Attrs are the type's own attributes (kind, country, sector, ...).
	Attrs map[string]string
}

// Nodes returns the graph's organizations, people, projects, meetings and
// agreements (the objects relationships join), in that order.
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
		ns = append(ns, Node{a.ID, "Agreement", a.Title, a.Slug, map[string]string{"kind": a.Kind, "date": a.SignedOn}})
	}
	return ns
}
