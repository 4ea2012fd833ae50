package seed_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/seed"
)

var update = flag.Bool("update", false, "rewrite testdata/dataset.jsonl with the dataset the seed files parse to")

// TestParse_Answers holds the dataset the built-in seed parses to, row by
// row, to the reviewed testdata/dataset.jsonl: every entity, relation,
// figure, name, citation and link, with its id. After a change to the seed
// files or the parser meant to change it, rerun with -update and review
// the diff.
func TestParse_Answers(t *testing.T) {
	d, err := seed.Parse(seed.Files())
	if err != nil {
		t.Fatal(err)
	}
	got := datasetLines(t, d)
	const path = "testdata/dataset.jsonl"
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run go test ./seed -run TestParse_Answers -update and review it", err)
	}
	if !bytes.Equal(got, want) {
		g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(g), len(w)) {
			if i >= len(g) || i >= len(w) || g[i] != w[i] {
				t.Fatalf("%s differs at line %d (if that is meant, rerun with -update and review the diff)\n got: %s\nwant: %s",
					path, i+1, at(g, i), at(w, i))
			}
		}
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end)"
}

// datasetLines writes each list of the dataset as a heading line and one
// JSON line per row.
func datasetLines(t *testing.T, d any) []byte {
	t.Helper()
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var lists map[string]json.RawMessage
	if err := json.Unmarshal(raw, &lists); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range lists {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b bytes.Buffer
	for _, k := range keys {
		b.WriteString("# " + k + "\n")
		var rows []json.RawMessage
		if err := json.Unmarshal(lists[k], &rows); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		for _, r := range rows {
			b.Write(r)
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}
