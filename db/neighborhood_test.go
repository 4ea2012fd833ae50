package db_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// edgeKey names a relationship; MET is undirected.
func edgeKey(r *db.Relationship) string {
	a, b := r.From, r.To
	if r.Type == "MET" && (b.Type < a.Type || b.Type == a.Type && b.ID < a.ID) {
		a, b = b, a
	}
	return fmt.Sprint(r.Type, " ", r.Label, " ", a, " ", b)
}

// TestNeighborhood_RelationshipsAmongNodes proves that a neighborhood holds
// every relationship among the objects it returns, those among the
// farthest ones included, and no other.
func TestNeighborhood_RelationshipsAmongNodes(t *testing.T) {
	s, d := seededStore(t)
	ctx := t.Context()

	t.Run("OKMeeting", func(t *testing.T) {
		m, err := s.FindMeetingBySlug(ctx, "2023-05-18-tokayev-zhu-hexin")
		if err != nil {
			t.Fatal(err)
		}
		g, err := s.Neighborhood(ctx, db.NodeRef{Type: "Meeting", ID: m.ID}, 1, 100)
		if err != nil {
			t.Fatal(err)
		}
		tokayev := db.NodeRef{Type: "Person", ID: personID(t, s, "kassym-jomart-tokayev")}
		zhu := db.NodeRef{Type: "Person", ID: personID(t, s, "zhu-hexin")}
		kz := db.NodeRef{Type: "Company", ID: companyID(t, s, "kazakhstan")}
		citic := db.NodeRef{Type: "Company", ID: companyID(t, s, "citic-group")}
		for _, want := range [][3]any{{"POSITION", tokayev, kz}, {"POSITION", zhu, citic}, {"MET", tokayev, zhu}} {
			found := false
			for _, r := range g.Relationships {
				found = found || string(r.Type) == want[0] && r.From == want[1] && r.To == want[2]
			}
			if !found {
				t.Errorf("the neighborhood of the meeting lacks %s %v → %v", want[0], want[1], want[2])
			}
		}
	})

	t.Run("OKEveryCenter", func(t *testing.T) {
		var centers []db.NodeRef
		for _, c := range d.Companies {
			centers = append(centers, db.NodeRef{Type: "Company", ID: c.ID})
		}
		for _, p := range d.People {
			centers = append(centers, db.NodeRef{Type: "Person", ID: p.ID})
		}
		for _, m := range d.Meetings {
			centers = append(centers, db.NodeRef{Type: "Meeting", ID: m.ID})
		}
		for _, a := range d.Agreements {
			centers = append(centers, db.NodeRef{Type: "Agreement", ID: a.ID})
		}
		for _, p := range d.Projects {
			centers = append(centers, db.NodeRef{Type: "Project", ID: p.ID})
		}
		for _, center := range centers {
			for depth := 1; depth <= 2; depth++ {
				g, err := s.Neighborhood(ctx, center, depth, db.MaxNeighborhoodLimit)
				if err != nil {
					t.Fatal(err)
				}
				// Every relationship touching a node, kept when both its
				// ends are nodes.
				in := map[db.NodeRef]bool{}
				for _, n := range g.Nodes {
					in[n] = true
				}
				all, err := s.Edges(ctx, g.Nodes)
				if err != nil {
					t.Fatal(err)
				}
				var want, got []string
				for _, r := range all {
					if in[r.From] && in[r.To] {
						want = append(want, edgeKey(r))
					}
				}
				for _, r := range g.Relationships {
					got = append(got, edgeKey(r))
				}
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("%v at depth %d: %d relationships, want the %d among its %d nodes", center, depth, len(got), len(want), len(g.Nodes))
				}
			}
		}
	})
}

// personID returns the id of the person with the slug.
func personID(t *testing.T, s *db.Store, slug string) int64 {
	t.Helper()
	p, err := s.FindPersonBySlug(t.Context(), slug)
	if err != nil {
		t.Fatalf("find person %q: %v", slug, err)
	}
	return p.ID
}
