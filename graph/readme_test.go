package graph_test

import (
	"os"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
)

// TestReadmeExamples runs every query in the README's graphql code blocks,
// so the documentation cannot drift from the schema.
func TestReadmeExamples(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	docs := readmeQueries(string(readme))
	if len(docs) < 10 {
		t.Fatalf("found %d example queries in README.md, expected more", len(docs))
	}
	srv := graphtest.New(t)
	for _, doc := range docs {
		resp := srv.Do(t, doc, nil)
		if len(resp.Errors) > 0 {
			t.Errorf("README example failed: %s\nquery: %s", resp.Errors[0].Message, doc)
		}
	}
}

// readmeQueries splits the ```graphql blocks of a Markdown text into
// top-level documents by balancing braces.
func readmeQueries(md string) []string {
	var docs []string
	for _, block := range strings.Split(md, "```graphql\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		depth, start := 0, -1
		for i, r := range block {
			switch r {
			case '{':
				if depth == 0 {
					start = i
				}
				depth++
			case '}':
				depth--
				if depth == 0 && start >= 0 {
					docs = append(docs, block[start:i+1])
					start = -1
				}
			}
		}
	}
	return docs
}
