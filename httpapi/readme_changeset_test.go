package httpapi_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// TestReadmeChangesets applies the README's wind farm report, first as
// YAML and then its second phase as input objects, as the walk-through
// does, and checks the counts the README promises: the structured example
// adds as much as the YAML one (a source, a company, a project and two
// participants) and changes KazMunayGas again.
func TestReadmeChangesets(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	block := func(fence, containing string) string {
		for _, b := range strings.Split(string(readme), "```"+fence+"\n")[1:] {
			b, _, _ = strings.Cut(b, "```")
			if strings.Contains(b, containing) {
				return b
			}
		}
		t.Fatalf("README.md has no %s block with %q", fence, containing)
		return ""
	}
	var structured map[string]any
	if err := json.Unmarshal([]byte(block("json", `"example-0002"`)), &structured); err != nil {
		t.Fatalf("the README's changeset.json: %v", err)
	}
	srv := quietServer(t, httpapi.Options{})
	alice := srv.Editor(t, "alice")
	first, _ := alice.ApplyChangeset(t, graphtest.Changeset{YAML: block("yaml", `"example-0001"`), Message: "add the wind farm report"})
	c := graphtest.Changeset{Input: structured, Message: "add the wind farm report, second phase", IdempotencyKey: "wind-0002"}
	second, replayed := alice.ApplyChangeset(t, c)
	if replayed || second.Added != first.Added || second.Changed != 1 || first.Added != 5 {
		t.Errorf("YAML added %d changed %d; objects added %d changed %d (replayed %v), want 5 and 1 each",
			first.Added, first.Changed, second.Added, second.Changed, replayed)
	}
	again, replayed := alice.ApplyChangeset(t, c)
	if !replayed || again.ID != second.ID {
		t.Errorf("resent: %s replayed %v, want %s replayed", again.ID, replayed, second.ID)
	}
	var got struct {
		Project struct {
			Participants []struct {
				Role    string
				Basis   string
				Company struct{ Slug string }
			}
		}
	}
	srv.MustQuery(t, `{ project(slug: "example-zhanatas-wind-2") { participants { role basis company { slug } } } }`, nil, &got)
	bases := map[string]string{}
	for _, p := range got.Project.Participants {
		bases[p.Company.Slug] = p.Role + " " + p.Basis
	}
	if bases["example-wind-2"] != "OWNER STATED" || bases["kazmunaygas"] != "PARTNER INFERRED" || len(bases) != 2 {
		t.Errorf("participants = %v", bases)
	}
}
