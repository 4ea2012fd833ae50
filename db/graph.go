package db

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
)

// RelationshipType is the type of a relationship between two objects.
type RelationshipType string

// Relationship is a typed, directed edge of the graph.
type Relationship struct {
	Type          RelationshipType
	Label         string
	From          NodeRef
	To            NodeRef
	Basis         Basis
	InferenceNote *string
}

// key identifies an edge; MET edges are undirected, so both directions
// share a key.
func (r *Relationship) key() string {
	a, b := r.From, r.To
	if r.Type == "MET" && (b.Type < a.Type || (b.Type == a.Type && b.ID < a.ID)) {
		a, b = b, a
	}
	return fmt.Sprint(r.Type, r.Label, a, b)
}

// edgeArm is one kind of relationship: a SELECT of the visible ones (each
// row: type, label, the from end's type and id, the to end's; ?6 is the
// as-of cutoff), and the id columns and types of its two ends. An
// undirected arm's SELECT gives each relationship in both directions.
type edgeArm struct {
	query            string
	from, to         string
	fromType, toType string
	undirected       bool
	groupBy          string
}

var edgeArms = append([]edgeArm{{
	query: `SELECT 'POSITION', x.title, 'Person', x.person_id, 'Company', x.organization_id, x.basis, x.inference_note FROM positions x
	WHERE x.first_reported <= ?6`,
	from: `x.person_id`, fromType: "Person", to: `x.organization_id`, toType: "Company",
}, {
	query: `SELECT 'PARTICIPANT', x.role, 'Company', x.company_id, 'Project', x.project_id, x.basis, x.inference_note FROM project_participants x
	WHERE x.first_reported <= ?6`,
	from: `x.company_id`, fromType: "Company", to: `x.project_id`, toType: "Project",
}, {
	query: `SELECT 'PARTY', a.kind, 'Company', l.company_id, 'Agreement', l.agreement_id, l.basis, l.inference_note
	FROM agreement_parties l JOIN companies c ON c.id = l.company_id JOIN agreements a ON a.id = l.agreement_id
	WHERE c.first_reported <= ?6 AND a.first_reported <= ?6`,
	from: `l.company_id`, fromType: "Company", to: `l.agreement_id`, toType: "Agreement",
}, {
	query: `SELECT 'SIGNATORY', 'signed', 'Person', l.person_id, 'Agreement', l.agreement_id, l.basis, l.inference_note
	FROM agreement_signatories l JOIN people p ON p.id = l.person_id JOIN agreements a ON a.id = l.agreement_id
	WHERE p.first_reported <= ?6 AND a.first_reported <= ?6`,
	from: `l.person_id`, fromType: "Person", to: `l.agreement_id`, toType: "Agreement",
}, {
	query: `SELECT 'COVERS', 'covers', 'Agreement', l.agreement_id, 'Project', l.project_id, l.basis, l.inference_note
	FROM agreement_projects l JOIN agreements a ON a.id = l.agreement_id JOIN projects p ON p.id = l.project_id
	WHERE a.first_reported <= ?6 AND p.first_reported <= ?6`,
	from: `l.agreement_id`, fromType: "Agreement", to: `l.project_id`, toType: "Project",
}, {
	query: `SELECT 'ATTENDED', 'attended', 'Person', l.person_id, 'Meeting', l.meeting_id, l.basis, l.inference_note
	FROM meeting_participants l JOIN people p ON p.id = l.person_id JOIN meetings m ON m.id = l.meeting_id
	WHERE p.first_reported <= ?6 AND m.first_reported <= ?6`,
	from: `l.person_id`, fromType: "Person", to: `l.meeting_id`, toType: "Meeting",
}, {
	query: `SELECT 'REPRESENTED_AT', 'represented', 'Company', l.company_id, 'Meeting', l.meeting_id, l.basis, l.inference_note
	FROM meeting_organizations l JOIN companies c ON c.id = l.company_id JOIN meetings m ON m.id = l.meeting_id
	WHERE c.first_reported <= ?6 AND m.first_reported <= ?6`,
	from: `l.company_id`, fromType: "Company", to: `l.meeting_id`, toType: "Meeting",
}, {
	query: `SELECT 'DISCUSSED', 'discussed', 'Meeting', l.meeting_id, 'Project', l.project_id, l.basis, l.inference_note
	FROM meeting_projects l JOIN meetings m ON m.id = l.meeting_id JOIN projects p ON p.id = l.project_id
	WHERE m.first_reported <= ?6 AND p.first_reported <= ?6`,
	from: `l.meeting_id`, fromType: "Meeting", to: `l.project_id`, toType: "Project",
}, {
	query: `SELECT 'SIGNED_AT', 'signed at', 'Agreement', a.id, 'Meeting', a.meeting_id, ` + attributeBasis("agreement", "a.id", "meeting") + `
	FROM agreements a JOIN meetings m ON m.id = a.meeting_id
	WHERE a.first_reported <= ?6 AND m.first_reported <= ?6`,
	from: `a.id`, fromType: "Agreement", to: `a.meeting_id`, toType: "Meeting",
}, {
	query: `SELECT 'SUBSIDIARY_OF', 'subsidiary of', 'Company', c.id, 'Company', c.parent_id, ` + attributeBasis("company", "c.id", "parent") + `
	FROM companies c JOIN companies parent ON parent.id = c.parent_id
	WHERE c.first_reported <= ?6 AND parent.first_reported <= ?6`,
	from: `c.id`, fromType: "Company", to: `c.parent_id`, toType: "Company",
}, {
	// Two people met on the stated basis when one meeting states both there.
	query: `SELECT 'MET', 'met', 'Person', a.person_id, 'Person', b.person_id,
		CASE WHEN EXISTS (SELECT 1 FROM meeting_participants a2
			JOIN meeting_participants b2 ON b2.meeting_id = a2.meeting_id JOIN meetings m2 ON m2.id = a2.meeting_id
			WHERE a2.person_id = a.person_id AND b2.person_id = b.person_id AND a2.basis = 'STATED' AND b2.basis = 'STATED'
				AND m2.first_reported <= ?6) THEN 'STATED' ELSE 'INFERRED' END,
		CASE WHEN EXISTS (SELECT 1 FROM meeting_participants a2
			JOIN meeting_participants b2 ON b2.meeting_id = a2.meeting_id JOIN meetings m2 ON m2.id = a2.meeting_id
			WHERE a2.person_id = a.person_id AND b2.person_id = b.person_id AND a2.basis = 'STATED' AND b2.basis = 'STATED'
				AND m2.first_reported <= ?6) THEN NULL
			ELSE 'Every meeting that puts them together has an inferred participation (see its participations).' END
	FROM meeting_participants a
	JOIN meeting_participants b ON b.meeting_id = a.meeting_id AND b.person_id <> a.person_id
	JOIN meetings m ON m.id = a.meeting_id JOIN people p ON p.id = b.person_id
	WHERE m.first_reported <= ?6 AND p.first_reported <= ?6`,
	from: `a.person_id`, fromType: "Person", to: `b.person_id`, toType: "Person",
	undirected: true, groupBy: ` GROUP BY a.person_id, b.person_id`,
}, {
	query: `SELECT 'SAID', 'said', 'Person', x.speaker_id, 'Statement', x.id, x.basis, x.inference_note FROM statements x
	WHERE x.reported <= ?6`,
	from: `x.speaker_id`, fromType: "Person", to: `x.id`, toType: "Statement",
}, {
	query: `SELECT 'SAID_AT', 'said at', 'Statement', x.id, 'Meeting', x.meeting_id, x.basis, x.inference_note
	FROM statements x JOIN meetings m ON m.id = x.meeting_id
	WHERE x.reported <= ?6 AND m.first_reported <= ?6`,
	from: `x.id`, fromType: "Statement", to: `x.meeting_id`, toType: "Meeting",
}, {
	query: `SELECT 'SAID_AT', 'said at', 'Statement', x.id, 'Event', x.event_id, x.basis, x.inference_note
	FROM statements x JOIN events e ON e.id = x.event_id
	WHERE x.reported <= ?6 AND e.first_reported <= ?6`,
	from: `x.id`, fromType: "Statement", to: `x.event_id`, toType: "Event",
}, {
	query: `SELECT 'PART_OF', 'part of', 'Meeting', m.id, 'Event', m.event_id, ` + attributeBasis("meeting", "m.id", "event") + `
	FROM meetings m JOIN events e ON e.id = m.event_id
	WHERE m.first_reported <= ?6 AND e.first_reported <= ?6`,
	from: `m.id`, fromType: "Meeting", to: `m.event_id`, toType: "Event",
}, {
	query: `SELECT 'PART_OF', 'part of', 'Agreement', a.id, 'Event', a.event_id, ` + attributeBasis("agreement", "a.id", "event") + `
	FROM agreements a JOIN events e ON e.id = a.event_id
	WHERE a.first_reported <= ?6 AND e.first_reported <= ?6`,
	from: `a.id`, fromType: "Agreement", to: `a.event_id`, toType: "Event",
}, {
	query: `SELECT 'PART_OF', 'part of', 'Event', e.id, 'Event', e.part_of_id, ` + attributeBasis("event", "e.id", "partOf") + `
	FROM events e JOIN events p ON p.id = e.part_of_id
	WHERE e.first_reported <= ?6 AND p.first_reported <= ?6`,
	from: `e.id`, fromType: "Event", to: `e.part_of_id`, toType: "Event",
}, {
	query: `SELECT 'IN_PACKAGE', 'in package', 'Agreement', a.id, 'Agreement', a.part_of_id, ` + attributeBasis("agreement", "a.id", "partOf") + `
	FROM agreements a JOIN agreements p ON p.id = a.part_of_id
	WHERE a.first_reported <= ?6 AND p.first_reported <= ?6`,
	from: `a.id`, fromType: "Agreement", to: `a.part_of_id`, toType: "Agreement",
}}, aboutArms()...)

// aboutArms are the ABOUT relationships from a statement to each kind of
// object it may be about, one arm per kind so that each end's condition is
// an index lookup.
func aboutArms() []edgeArm {
	var arms []edgeArm
	for _, typ := range []string{"Company", "Person", "Project", "Meeting", "Agreement", "Event"} {
		arms = append(arms, edgeArm{
			query: `SELECT 'ABOUT', 'about', 'Statement', l.statement_id, '` + typ + `', l.subject_id, st.basis, st.inference_note
	FROM statement_subjects l JOIN statements st ON st.id = l.statement_id JOIN ` + nodeTables[typ] + ` o ON o.id = l.subject_id
	WHERE l.subject_type = '` + typ + `' AND st.reported <= ?6 AND o.first_reported <= ?6`,
			from: `l.statement_id`, fromType: "Statement", to: `l.subject_id`, toType: typ,
		})
	}
	return arms
}

// attributeBasis selects the basis and note of an object's attribute that
// is a relation (a company's parent, a meeting's event), by whether
// attribute_inferences lists it.
func attributeBasis(subject, id, attr string) string {
	cond := `FROM attribute_inferences ai WHERE ai.subject = '` + subject + `' AND ai.subject_id = ` + id + ` AND ai.attribute = '` + attr + `'`
	return `CASE WHEN EXISTS (SELECT 1 ` + cond + `) THEN 'INFERRED' ELSE 'STATED' END, (SELECT ai.note ` + cond + `)`
}

// frontierParams are the parameters holding the frontier's ids, by type,
// as JSON arrays.
var frontierParams = map[string]string{"Company": "?1", "Person": "?2", "Project": "?3", "Meeting": "?4", "Agreement": "?5",
	"Statement": "?8", "Event": "?9"}

// touching is the arm's SELECT of the relationships with an end in the
// frontier.
func (a edgeArm) touching() string {
	cond := a.from + ` IN (SELECT value FROM json_each(` + frontierParams[a.fromType] + `))`
	if !a.undirected {
		cond = `(` + cond + ` OR ` + a.to + ` IN (SELECT value FROM json_each(` + frontierParams[a.toType] + `)))`
	}
	return a.query + ` AND ` + cond + a.groupBy
}

// unionOf joins the SELECTs arm makes of each arm with UNION ALL.
func unionOf(arms []edgeArm, arm func(edgeArm) string) string {
	parts := make([]string, len(arms))
	for i, a := range arms {
		parts[i] = arm(a)
	}
	return strings.Join(parts, "\nUNION ALL\n")
}

// edgesQuery returns every relationship touching the frontier, whose ids
// come as JSON arrays by type (frontierParams); ?6 is the as-of cutoff.
var edgesQuery = unionOf(edgeArms, edgeArm.touching)

// Edges returns the relationships touching the given objects, each once.
func (s *Store) Edges(ctx context.Context, frontier []NodeRef) ([]*Relationship, error) {
	return s.edges(ctx, edgesQuery, frontier, 0, nil)
}

// EdgesWith is Edges keeping only relationships of the given bases (all
// when empty).
func (s *Store) EdgesWith(ctx context.Context, frontier []NodeRef, bases []Basis) ([]*Relationship, error) {
	return s.edges(ctx, edgesQuery, frontier, 0, bases)
}

// edges runs query (edgesQuery; ?7 is limit) over the frontier and
// returns the relationships of the bases it finds, each once, in
// edgeOrder. Within a snapshot of a known data version it reads them
// through the version's edge index (edgeIndexFor), which keeps the same
// rows.
func (s *Store) edges(ctx context.Context, query string, frontier []NodeRef, limit int, bases []Basis) ([]*Relationship, error) {
	if query == edgesQuery {
		if x, max := s.edgeIndexFor(ctx); x != nil {
			return s.indexedEdges(ctx, x, max, frontier, bases)
		}
	}
	rows, err := s.edgeRows(ctx, query, frontier)
	if err != nil {
		return nil, err
	}
	ordered := make([]*edgeRow, len(rows))
	for i := range rows {
		ordered[i] = &rows[i]
	}
	slices.SortFunc(ordered, edgeOrder)
	return relationshipsOf(ordered, bases), nil
}

// edgeRows runs query (edgesQuery) over the frontier.
func (s *Store) edgeRows(ctx context.Context, query string, frontier []NodeRef) ([]edgeRow, error) {
	ids := map[string][]int64{}
	for _, n := range frontier {
		ids[n.Type] = append(ids[n.Type], n.ID)
	}
	args := []any{idList(ids["Company"]), idList(ids["Person"]), idList(ids["Project"]),
		idList(ids["Meeting"]), idList(ids["Agreement"]), cutoff(ctx), 0, idList(ids["Statement"]), idList(ids["Event"])}
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("edges: %w", err)
	}
	return scanEdgeRows(rows)
}

// Limits of graph traversal.
const (
	MaxNeighborhoodDepth = 3
	MaxNeighborhoodLimit = 1000
	MaxPathHops          = 6
	MaxPaths             = 20
	// MaxPathVisits bounds how many objects a path search may visit.
	MaxPathVisits = 5000
)

// Subgraph is a set of objects and the relationships among them.
type Subgraph struct {
	Center        NodeRef
	Nodes         []NodeRef
	Relationships []*Relationship
}

// Neighborhood returns the objects within depth relationships of center and
// every relationship among them. It refuses, before reading further, a
// neighborhood of more than limit objects; the relationships among the
// objects it returns are not limited. It runs one statement per level: the
// last one also reads the relationships among the objects it reaches.
func (s *Store) Neighborhood(ctx context.Context, center NodeRef, depth, limit int) (*Subgraph, error) {
	return s.NeighborhoodWith(ctx, center, depth, limit, nil)
}

// NeighborhoodWith is Neighborhood following only relationships of the
// given bases (all when empty).
func (s *Store) NeighborhoodWith(ctx context.Context, center NodeRef, depth, limit int, bases []Basis) (*Subgraph, error) {
	switch {
	case depth < 1 || depth > MaxNeighborhoodDepth:
		return nil, Errorf(EINVALID, "depth must be 1 to %d, got %d", MaxNeighborhoodDepth, depth)
	case limit < 1 || limit > MaxNeighborhoodLimit:
		return nil, Errorf(EINVALID, "limit must be 1 to %d, got %d", MaxNeighborhoodLimit, limit)
	}
	g := &Subgraph{Center: center, Nodes: []NodeRef{center}}
	in := map[NodeRef]bool{center: true}
	seen := map[string]bool{}
	frontier := []NodeRef{center}
	for d := 1; d <= depth+1 && len(frontier) > 0; d++ {
		edges, err := s.edges(ctx, edgesQuery, frontier, limit, bases)
		if err != nil {
			return nil, err
		}
		if d > depth {
			// The objects of the last level are in; what remains is
			// every relationship among them that touches the last
			// level. One statement over the last level, kept in Go:
			// a filter on the union of every arm, pushed down by
			// SQLite, was planned well with 11 arms but took seconds at
			// a million entities with the 24 there are now.
			for _, e := range edges {
				if k := e.key(); in[e.From] && in[e.To] && !seen[k] {
					seen[k] = true
					g.Relationships = append(g.Relationships, e)
				}
			}
			break
		}
		var next []NodeRef
		for _, e := range edges {
			for _, n := range []NodeRef{e.From, e.To} {
				if !in[n] {
					in[n] = true
					next = append(next, n)
					g.Nodes = append(g.Nodes, n)
				}
			}
			if k := e.key(); !seen[k] {
				seen[k] = true
				g.Relationships = append(g.Relationships, e)
			}
		}
		if len(g.Nodes) > limit {
			return nil, Errorf(EINVALID, "the neighborhood at depth %d has more than %d nodes: lower depth or raise limit (at most %d)",
				d, limit, MaxNeighborhoodLimit)
		}
		frontier = next
	}
	return g, nil
}

// Path is a connection between two objects: Nodes[i] and Nodes[i+1] are
// joined by Relationships[i].
type Path struct {
	Nodes         []NodeRef
	Relationships []*Relationship
}

// Paths returns up to first shortest connections from one object to
// another, of at most maxHops relationships. It reads one level of the graph
// per hop and refuses a search that would visit more than MaxPathVisits
// objects.
func (s *Store) Paths(ctx context.Context, from, to NodeRef, maxHops, first int) ([]*Path, error) {
	return s.PathsWith(ctx, from, to, maxHops, first, nil)
}

// PathsWith is Paths along relationships of the given bases only (all
// when empty).
func (s *Store) PathsWith(ctx context.Context, from, to NodeRef, maxHops, first int, bases []Basis) ([]*Path, error) {
	switch {
	case maxHops < 1 || maxHops > MaxPathHops:
		return nil, Errorf(EINVALID, "maxHops must be 1 to %d, got %d", MaxPathHops, maxHops)
	case first < 1 || first > MaxPaths:
		return nil, Errorf(EINVALID, "first must be 1 to %d, got %d", MaxPaths, first)
	case from == to:
		return []*Path{{Nodes: []NodeRef{from}}}, nil
	}
	// Breadth-first from `from`, remembering every edge that reaches a node
	// at its shortest distance, so that all shortest paths can be rebuilt.
	// The target's own edges are read first: once the frontier touches one
	// of its neighbors the search ends, without expanding the frontier a
	// last time, which would be the largest read of all.
	toEdges, err := s.EdgesWith(ctx, []NodeRef{to}, bases)
	if err != nil {
		return nil, err
	}
	intoTo := map[NodeRef][]*Relationship{} // neighbor of `to` → its edges to `to`
	for _, e := range toEdges {
		if e.From == to && e.To != to {
			intoTo[e.To] = append(intoTo[e.To], e)
		} else if e.To == to && e.From != to {
			intoTo[e.From] = append(intoTo[e.From], e)
		}
	}
	dist := map[NodeRef]int{from: 0}
	parents := map[NodeRef][]*Relationship{}
	frontier := []NodeRef{from}
	for hop := 1; hop <= maxHops && len(frontier) > 0; hop++ {
		for _, n := range frontier {
			if es, ok := intoTo[n]; ok {
				dist[to] = hop
				parents[to] = append(parents[to], es...)
			}
		}
		if _, ok := dist[to]; ok || hop == maxHops {
			break
		}
		edges, err := s.EdgesWith(ctx, frontier, bases)
		if err != nil {
			return nil, err
		}
		var next []NodeRef
		for _, e := range edges {
			for _, pair := range [][2]NodeRef{{e.From, e.To}, {e.To, e.From}} {
				near, far := pair[0], pair[1]
				if d, ok := dist[near]; !ok || d != hop-1 {
					continue
				}
				if d, ok := dist[far]; ok && d < hop {
					continue
				}
				if _, ok := dist[far]; !ok {
					dist[far] = hop
					next = append(next, far)
				}
				parents[far] = append(parents[far], e)
			}
		}
		if len(dist) > MaxPathVisits {
			return nil, Errorf(EINVALID, "the path search visited more than %d objects within %d hops: lower maxHops", MaxPathVisits, hop)
		}
		frontier = next
	}
	if _, ok := dist[to]; !ok {
		return []*Path{}, nil
	}
	for _, ps := range parents {
		slices.SortFunc(ps, func(a, b *Relationship) int { return cmp.Compare(a.key(), b.key()) })
	}
	var paths []*Path
	var walk func(n NodeRef, nodes []NodeRef, rels []*Relationship)
	walk = func(n NodeRef, nodes []NodeRef, rels []*Relationship) {
		if len(paths) >= first {
			return
		}
		if n == from {
			p := &Path{Nodes: slices.Clone(nodes), Relationships: slices.Clone(rels)}
			slices.Reverse(p.Nodes)
			slices.Reverse(p.Relationships)
			paths = append(paths, p)
			return
		}
		for _, e := range parents[n] {
			prev := e.From
			if prev == n {
				prev = e.To
			}
			if dist[prev] != dist[n]-1 {
				continue
			}
			walk(prev, append(nodes, prev), append(rels, e))
		}
	}
	walk(to, []NodeRef{to}, nil)
	return paths, nil
}

// Length is the number of relationships on the path.
func (p *Path) Length() int { return len(p.Relationships) }
