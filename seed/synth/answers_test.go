package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/seed"
)

var update = flag.Bool("update", false, "rewrite testdata/synthetic.jsonl with the graph build generates")

// TestBuild_Answers holds a small synthetic graph (the seed and 150 more
// entities from random seed 3, 40% of facts reported before their
// objects) to the reviewed testdata/synthetic.jsonl: the generated rows,
// one JSON line each, after the seed's. After a change to the generator
// meant to change it, rerun with -update and review the diff.
func TestBuild_Answers(t *testing.T) {
	base, err := seed.Parse(seed.Files())
	if err != nil {
		t.Fatal(err)
	}
	d, err := build(int64(entityCount(base))+150, 3, 40)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := entityCount(d), entityCount(base)+150; got != want {
		t.Errorf("%d entities, want %d", got, want)
	}
	var b bytes.Buffer
	lists := func(v any) map[string][]json.RawMessage {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string][]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	seedRows, rows := lists(base), lists(d)
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		// The seed's rows come first and unchanged (TestBuild checks them);
		// only the generated ones are written.
		fmt.Fprintf(&b, "# %s: %d seed rows\n", k, len(seedRows[k]))
		for i, r := range rows[k] {
			if i < len(seedRows[k]) {
				if !bytes.Equal(r, seedRows[k][i]) {
					t.Errorf("%s[%d] of the seed changed", k, i)
				}
				continue
			}
			b.Write(r)
			b.WriteByte('\n')
		}
	}
	const path = "testdata/synthetic.jsonl"
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run go test ./seed/synth -run TestBuild_Answers -update and review it", err)
	}
	if got := b.String(); got != string(want) {
		g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(g), len(w)) {
			if i >= len(g) || i >= len(w) || g[i] != w[i] {
				t.Fatalf("%s differs at line %d (if that is meant, rerun with -update and review the diff)\n got: %.300s\nwant: %.300s",
					path, i+1, line(g, i), line(w, i))
			}
		}
	}
}

func line(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end)"
}
