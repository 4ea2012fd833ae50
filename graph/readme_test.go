package graph_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
)

var update = flag.Bool("update", false, "rewrite testdata/readme.golden.json with the README examples' current results")

// goldenPath holds the result every README example gives on the built-in
// seed, reviewed by hand.
const goldenPath = "testdata/readme.golden.json"

// readmeExample is one README query and the data it answers with.
type readmeExample struct {
	Query string          `json:"query"`
	Data  json.RawMessage `json:"data"`
}

// TestReadmeExamples runs every query in the README's graphql code blocks
// and compares its data with the reviewed result in testdata, so neither the
// documentation nor the answers it promises can drift. After a change that
// is meant to change an answer, rerun with -update and review the diff of
// the golden file.
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
	var got []readmeExample
	for _, doc := range docs {
		resp := srv.Do(t, doc, nil)
		if len(resp.Errors) > 0 {
			t.Errorf("README example failed: %s\nquery: %s", resp.Errors[0].Message, doc)
		}
		got = append(got, readmeExample{Query: doc, Data: resp.Data})
	}
	if *update {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(got); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v: run go test ./graph -run TestReadmeExamples -update, and review the results", err)
	}
	var golden []readmeExample
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatalf("%s: %v", goldenPath, err)
	}
	want := map[string]json.RawMessage{}
	for _, g := range golden {
		want[g.Query] = g.Data
	}
	for _, g := range got {
		w, ok := want[g.Query]
		if !ok {
			t.Errorf("README example has no reviewed result in %s (run with -update and review it):\n%s", goldenPath, g.Query)
			continue
		}
		delete(want, g.Query)
		if !sameJSON(t, g.Data, w) && !sameAnswer(t, g.Data, w) {
			t.Errorf("README example answers differently from %s (if that is meant, run with -update and review the diff):\nquery: %s\n got: %s\nwant: %s",
				goldenPath, g.Query, compact(g.Data), compact(w))
		}
	}
	for q := range want {
		t.Errorf("%s holds a result for a query the README no longer shows (run with -update):\n%s", goldenPath, q)
	}
}

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("decode %s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return reflect.DeepEqual(x, y)
}

func compact(raw json.RawMessage) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return buf.String()
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

// TestSignatureQuery runs the README's signature query and checks its
// answer field by field against the seed: CITIC Group is a partner in the
// Caspi Bitum expansion, whose capacity history lists every reported figure
// in asOf order, actual before target, each citing its article.
func TestSignatureQuery(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## The signature query\n")
	if !ok {
		t.Fatal("README.md has no signature query section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	docs := readmeQueries(section)
	if len(docs) != 1 {
		t.Fatalf("the signature query section has %d queries, want 1", len(docs))
	}
	type source struct{ Title, PublishedOn string }
	type figure struct {
		Metric   string
		Value    float64
		Unit     string
		AsOf     string
		Status   string
		Citation struct {
			Paragraph int
			Source    source
		}
	}
	type milestone struct{ Name, Date, Status string }
	var got struct {
		Company struct {
			Name     string
			Projects []struct {
				Role    string
				Project struct {
					Name            string
					CapacityHistory []figure
					Milestones      []milestone
				}
			}
		}
	}
	graphtest.New(t).MustQuery(t, docs[0], nil, &got)

	c := got.Company
	if c.Name != "CITIC Group" {
		t.Fatalf("company name = %q, want CITIC Group", c.Name)
	}
	if len(c.Projects) != 2 {
		t.Fatalf("CITIC takes part in %d projects, want 2", len(c.Projects))
	}
	if p := c.Projects[1]; p.Role != "PARTNER" || p.Project.Name != "Karazhambas field development" ||
		len(p.Project.CapacityHistory) != 0 || len(p.Project.Milestones) != 0 {
		t.Errorf("second project = %+v, want Karazhambas field development, PARTNER, no figures or milestones", p)
	}
	caspi := c.Projects[0]
	if caspi.Role != "PARTNER" || caspi.Project.Name != "Caspi Bitum plant expansion" {
		t.Fatalf("first project = %s as %s, want Caspi Bitum plant expansion as PARTNER", caspi.Project.Name, caspi.Role)
	}
	beijing := source{"Tokayev holds Beijing talks with CITIC Group and Sinopec leaders", "2023-10-18"}
	bektenov := source{"Prime Minister Bektenov reviews energy and road projects with CNPC and CITIC Group heads", "2024-07-02"}
	kmg := source{"KMG chief signs exploration intent with CNOOC and reviews Caspi Bitum expansion with CITIC Group", "2024-08-22"}
	fig := func(metric string, value float64, asOf, status string, paragraph int, src source) figure {
		f := figure{Metric: metric, Value: value, Unit: "t/yr", AsOf: asOf, Status: status}
		f.Citation.Paragraph, f.Citation.Source = paragraph, src
		return f
	}
	wantFigures := []figure{
		fig("PRODUCTION_CAPACITY", 500_000, "2023-10", "ACTUAL", 6, beijing),
		fig("PROCESSING_CAPACITY", 1_500_000, "2023-10", "TARGET", 4, beijing),
		fig("PRODUCTION_CAPACITY", 750_000, "2023-10", "TARGET", 6, beijing),
		fig("PRODUCTION_CAPACITY", 750_000, "2024-07", "TARGET", 11, bektenov),
		fig("PRODUCTION_CAPACITY", 500_000, "2024-08", "ACTUAL", 4, kmg),
		fig("PRODUCTION_CAPACITY", 750_000, "2024-08", "TARGET", 4, kmg),
	}
	if gotFigures := caspi.Project.CapacityHistory; len(gotFigures) != len(wantFigures) {
		t.Errorf("capacity history has %d figures, want %d: %+v", len(gotFigures), len(wantFigures), gotFigures)
	} else {
		for i, w := range wantFigures {
			if g := gotFigures[i]; g != w {
				t.Errorf("capacity figure %d:\n got %+v\nwant %+v", i, g, w)
			}
		}
	}
	wantMilestones := []milestone{
		{"Start of construction and assembly works", "2024-Q4", "PLANNED"},
		{"Commissioning of the expanded plant, ahead of the road construction season", "2025-03", "PLANNED"},
	}
	if !reflect.DeepEqual(caspi.Project.Milestones, wantMilestones) {
		t.Errorf("milestones:\n got %+v\nwant %+v", caspi.Project.Milestones, wantMilestones)
	}
}
