package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
)

// TestEveryOrdering pages through every list with an orderBy argument, in
// every ordering its schema offers and both directions, 3 at a time: each
// walk must list every node of the list once, in the order the schema
// documents (ties broken by slug in the same direction), and its last page
// must say there is no next one.
func TestEveryOrdering(t *testing.T) {
	srv := graphtest.New(t)
	schema := graph.Schema()
	for _, field := range schema.Query.Fields {
		arg := field.Arguments.ForName("orderBy")
		if arg == nil {
			continue
		}
		orderField := schema.Types[schema.Types[arg.Type.Name()].Fields.ForName("field").Type.Name()]
		all := nodeKeys(pageOf(t, srv, field.Name, "", "node { id }", map[string]any{"first": 100}))
		slices.Sort(all)
		for _, v := range orderField.EnumValues {
			key, ok := orderKeys[field.Name+"/"+v.Name]
			if !ok {
				t.Errorf("%s: no sort key for ordering %s", field.Name, v.Name)
				continue
			}
			for _, dir := range []string{"ASC", "DESC"} {
				args := fmt.Sprintf("orderBy: {field: %s, direction: %s}", v.Name, dir)
				t.Run(field.Name+"/"+v.Name+"/"+dir, func(t *testing.T) {
					var walked, ids []string
					var last connectionPage
					vars := map[string]any{"first": 3}
					pages := 0
					for range 100 {
						p := pageOf(t, srv, field.Name, args, "node { id "+key.selection+" }", vars)
						pages++
						last = p
						for _, e := range p.Edges {
							walked = append(walked, key.of(e.Node))
							ids = append(ids, fmt.Sprint(map[string]any{"id": e.Node["id"]}))
						}
						if !p.PageInfo.HasNextPage {
							break
						}
						vars["after"] = *p.PageInfo.EndCursor
					}
					if want := (len(all) + 2) / 3; pages != want || len(last.Edges) == 0 {
						t.Errorf("the walk took %d pages (the last of %d edges), want %d: hasNextPage is wrong", pages, len(last.Edges), want)
					}
					for i := 1; i < len(walked); i++ {
						a, b := walked[i-1], walked[i]
						if dir == "DESC" {
							a, b = b, a
						}
						if a > b {
							t.Errorf("item %d (%q) sorts before item %d (%q) in %s order", i-1, walked[i-1], i, walked[i], dir)
						}
					}
					slices.Sort(ids)
					if !slices.Equal(ids, all) {
						t.Errorf("the walk listed %d nodes, want the list's %d once each: %s", len(ids), len(all), listDiff(ids, all))
					}
				})
			}
		}
	}
}

// orderKey is how a test reads an ordering's sort key from a node: the
// fields to select, and the key as text that sorts as the ordering does.
type orderKey struct {
	selection string
	of        func(node map[string]any) string
}

// orderKeys are the documented orderings of every list, by list and field.
var orderKeys = map[string]orderKey{
	"companies/NAME":           {"name slug", func(n map[string]any) string { return lower(n["name"]) + "\x00" + str(n["slug"]) }},
	"companies/COUNTRY":        {"country slug", func(n map[string]any) string { return str(n["country"]) + "\x00" + str(n["slug"]) }},
	"companies/FIRST_REPORTED": {"slug citations { source { publishedOn } }", firstReported},
	"people/NAME":              {"name slug", func(n map[string]any) string { return lower(n["name"]) + "\x00" + str(n["slug"]) }},
	"people/FIRST_REPORTED":    {"slug citations { source { publishedOn } }", firstReported},
	"projects/NAME":            {"name slug", func(n map[string]any) string { return lower(n["name"]) + "\x00" + str(n["slug"]) }},
	"projects/FIRST_REPORTED":  {"slug citations { source { publishedOn } }", firstReported},
	"meetings/DATE":            {"date slug", func(n map[string]any) string { return start(n["date"]) + "\x00" + str(n["slug"]) }},
	"agreements/SIGNED_ON": {"signedOn slug", func(n map[string]any) string {
		if n["signedOn"] == nil {
			return "\uffff\x00" + str(n["slug"]) // undated last
		}
		return start(n["signedOn"]) + "\x00" + str(n["slug"])
	}},
	"agreements/TITLE": {"title slug", func(n map[string]any) string { return lower(n["title"]) + "\x00" + str(n["slug"]) }},
	"agreements/AMOUNT": {"slug amounts { amount }", func(n map[string]any) string {
		largest := 0.0
		for _, a := range n["amounts"].([]any) {
			largest = max(largest, a.(map[string]any)["amount"].(float64))
		}
		return fmt.Sprintf("%020.2f", largest) + "\x00" + str(n["slug"])
	}},
	"events/START": {"start slug", func(n map[string]any) string {
		if n["start"] == nil {
			return "\uffff\x00" + str(n["slug"]) // undated last
		}
		return start(n["start"]) + "\x00" + str(n["slug"])
	}},
	"events/NAME": {"name slug", func(n map[string]any) string { return lower(n["name"]) + "\x00" + str(n["slug"]) }},
	// Sources have no slug to break ties with: only the dates are checked.
	"sources/PUBLISHED_ON": {"publishedOn", func(n map[string]any) string { return start(n["publishedOn"]) }},
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func lower(v any) string { return strings.ToLower(str(v)) }

// start is the first day of a partial date.
func start(v any) string { return db.MustParsePartialDate(str(v)).Start() }

// firstReported is the publication date of the first source citing the
// node, then its slug.
func firstReported(n map[string]any) string {
	first := "\uffff"
	for _, c := range n["citations"].([]any) {
		first = min(first, start(c.(map[string]any)["source"].(map[string]any)["publishedOn"]))
	}
	return first + "\x00" + str(n["slug"])
}
