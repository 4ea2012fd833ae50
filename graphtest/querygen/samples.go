package querygen

import (
	"testing"

	"github.com/investgraph/investgraph/graphtest"
)

// Samples are values that exist on the server under test, which the
// generator mixes with its edge cases so that some arguments find
// something: a lookup by a real ID goes on to resolve the fields beneath
// it, a real cursor pages on.
type Samples struct {
	// IDs are global IDs of existing objects, of every type.
	IDs []string
	// Slugs and Names are slugs and names (or aliases) of existing objects.
	Slugs []string
	Names []string
	// Cursors are cursors of real pages, of several lists and orderings.
	Cursors []string
}

// samplesQuery reads the first page of every list, under two orderings
// for companies, with the IDs, slugs, names and cursors it shows.
const samplesQuery = `{
  companies(first: 100) { edges { cursor node { id slug name aliases } } }
  byCountry: companies(first: 20, orderBy: {field: COUNTRY, direction: DESC}) { edges { cursor } }
  people(first: 100) { edges { cursor node { id slug name aliases } } }
  projects(first: 100) { edges { cursor node { id slug name aliases } } }
  meetings(first: 100) { edges { cursor node { id slug } } }
  agreements(first: 100) { edges { cursor node { id slug title } } }
  sources(first: 100) { edges { cursor node { id title } } }
  search(query: "oil", first: 5) { edges { cursor } }
  timeline(first: 5) { edges { cursor } }
}`

// SamplesFrom collects samples from srv's data, failing the test if it
// cannot.
func SamplesFrom(t testing.TB, srv *graphtest.Server) Samples {
	t.Helper()
	type node struct {
		ID, Slug, Name, Title string
		Aliases               []string
	}
	type conn struct {
		Edges []struct {
			Cursor string
			Node   *node
		}
	}
	var got map[string]conn
	srv.MustQuery(t, samplesQuery, nil, &got)
	var s Samples
	for _, list := range sortedKeys(got) {
		for _, e := range got[list].Edges {
			s.Cursors = append(s.Cursors, e.Cursor)
			if n := e.Node; n != nil {
				s.IDs = append(s.IDs, n.ID)
				s.Slugs = appendNonEmpty(s.Slugs, n.Slug)
				s.Names = appendNonEmpty(s.Names, n.Name, n.Title)
				s.Names = appendNonEmpty(s.Names, n.Aliases...)
			}
		}
	}
	if len(s.IDs) == 0 || len(s.Cursors) == 0 {
		t.Fatalf("querygen: the server has no objects to sample")
	}
	return s
}

func appendNonEmpty(list []string, values ...string) []string {
	for _, v := range values {
		if v != "" {
			list = append(list, v)
		}
	}
	return list
}
