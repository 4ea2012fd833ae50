package graph_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/seed"
)

// TestExecutorsEscapeStrings gives a description every character JSON
// must escape (quote, backslash, tab, newline, carriage return, a control
// character) and some it need not (é, —, 中), and requires the same bytes
// from both executors, the text intact.
func TestExecutorsEscapeStrings(t *testing.T) {
	files := fstest.MapFS{}
	err := fs.WalkDir(seed.Files(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(seed.Files(), path)
		if err != nil {
			return err
		}
		text := strings.Replace(string(raw), `description: "Construction arm of CITIC Group."`,
			`description: "Say \"hi\" \\ back\tslash\nnew\rline \u0001 é — 中"`, 1)
		files[path] = &fstest.MapFile{Data: []byte(text)}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	const q = `{ companies(first: 100) { edges { node { slug description } } } }`
	var bodies []string
	for _, executor := range []string{graph.ExecutorCompiled, graph.ExecutorGqlgen} {
		srv := graphtest.New(t, graphtest.WithSeed(files), graphtest.WithOptions(httpapi.Options{Executor: executor}))
		resp := srv.MustQuery(t, q, nil, nil)
		bodies = append(bodies, string(resp.Data))
		var got struct {
			Companies struct {
				Edges []struct {
					Node struct{ Slug, Description string }
				}
			}
		}
		if err := resp.Decode(&got); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range got.Companies.Edges {
			if e.Node.Description == "Say \"hi\" \\ back\tslash\nnew\rline \x01 é — 中" {
				found = true
			}
		}
		if !found {
			t.Errorf("%s executor: the description with escapes is not read back intact: %s", executor, resp.Data)
		}
	}
	if bodies[0] != bodies[1] {
		t.Errorf("the executors write the description differently:\ncompiled: %s\ngqlgen:   %s", bodies[0], bodies[1])
	}
}
