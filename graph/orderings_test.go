package graph_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
)

// TestEveryOrdering pages through every list with an orderBy argument, in
// every ordering its schema offers and both directions, 3 at a time: each
// walk must list every node of the list once.
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
			for _, dir := range []string{"ASC", "DESC"} {
				args := fmt.Sprintf("orderBy: {field: %s, direction: %s}", v.Name, dir)
				t.Run(field.Name+"/"+v.Name+"/"+dir, func(t *testing.T) {
					var walked []string
					vars := map[string]any{"first": 3}
					for range 100 {
						p := pageOf(t, srv, field.Name, args, "node { id }", vars)
						walked = append(walked, nodeKeys(p)...)
						if !p.PageInfo.HasNextPage {
							break
						}
						vars["after"] = *p.PageInfo.EndCursor
					}
					slices.Sort(walked)
					if !slices.Equal(walked, all) {
						t.Errorf("the walk listed %d nodes, want the list's %d once each: %s", len(walked), len(all), listDiff(walked, all))
					}
				})
			}
		}
	}
}
