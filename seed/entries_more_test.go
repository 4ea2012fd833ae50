package seed_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// TestParse_PersonAliases checks that a person's aliases become names.
func TestParse_PersonAliases(t *testing.T) {
	d := parse(t, map[string]string{"000_a.yaml": source + `people:
  - slug: ann
    name: "Ann Example"
    aliases: ["A. Example", " Ann E. "]
    cite: [1]
`})
	var got []string
	for _, n := range d.Names {
		if n.Subject == db.SubjectPerson && n.Alias {
			got = append(got, n.Name)
		}
	}
	slices.Sort(got)
	if want := []string{"A. Example", "Ann E."}; !slices.Equal(got, want) {
		t.Errorf("aliases %q, want %q", got, want)
	}
}

// TestParse_MilestoneErrors checks each refusal of a milestone.
func TestParse_MilestoneErrors(t *testing.T) {
	project := func(milestone string) map[string]string {
		return map[string]string{"000_a.yaml": source + `projects:
  - slug: plant
    name: "Plant"
    sector: REFINING
    status: PROPOSED
    cite: [1]
    milestones:
` + milestone}
	}
	for name, tc := range map[string]struct{ milestone, want string }{
		"BadDate":   {"      - name: \"Start\"\n        date: \"2024-13\"\n        status: PLANNED\n        cite: 1\n", "milestones[0]: date:"},
		"NoName":    {"      - name: \" \"\n        date: \"2024-Q4\"\n        status: PLANNED\n        cite: 1\n", "milestones[0]: name is required"},
		"BadStatus": {"      - name: \"Start\"\n        date: \"2024-Q4\"\n        status: DREAMT\n        cite: 1\n", `milestones[0]: status: "DREAMT" is not one of`},
	} {
		_, err := seed.Parse(mapFS(project(tc.milestone)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to say %q", name, err, tc.want)
		}
	}
	d := parse(t, project("      - name: \"Start\"\n        status: PLANNED\n        cite: 1\n"))
	if len(d.Milestones) != 1 || d.Milestones[0].Date != nil || d.Milestones[0].Name != "Start" {
		t.Errorf("an undated milestone: %+v", d.Milestones)
	}
}
