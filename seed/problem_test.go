package seed_test

import (
	"errors"
	"testing"

	"github.com/investgraph/investgraph/seed"
)

func TestProblemPath(t *testing.T) {
	for _, tc := range []struct {
		entry, message, want string
	}{
		{"projects[2] caspi-bitum participants[0]", `company: unknown company "x"`, "projects[2].participants[0].company"},
		{"projects[0] p", "cite 14 is not a paragraph of s (1 to 3)", "projects[0].cite"},
		{"companies[1] kazmunaygas", `kind "BANK" conflicts with "STATE_OWNED_COMPANY" given earlier`, "companies[1].kind"},
		{"companies[0] x", `company "x" has no kind in any file: give it where the company is first described`, "companies[0].kind"},
		{"source", `slug "s" is already used by a.yaml`, "source.slug"},
		{"people[3] zhu-hexin positions[1]", "reportedOn: bad date", "people[3].positions[1].reportedOn"},
		{"meetings[0] m", "something else entirely", "meetings[0]"},
	} {
		p := &seed.Problem{File: "input.yaml", Entry: tc.entry, Message: tc.message}
		if got := p.Path(); got != tc.want {
			t.Errorf("Path(%q, %q) = %q, want %q", tc.entry, tc.message, got, tc.want)
		}
	}
}

// TestBuildOrder merges documents in the order given, not by name: the
// first to describe an entity defines it.
func TestBuildOrder(t *testing.T) {
	a := seed.Document{Name: "z.yaml", Text: []byte("source: {slug: a, title: A, publishedOn: '2024', paragraphs: 1}\ncompanies:\n  - {slug: acme, name: Acme, kind: COMPANY, cite: [1]}\n")}
	b := seed.Document{Name: "a.yaml", Text: []byte("source: {slug: b, title: B, publishedOn: '2024', paragraphs: 1}\ncompanies:\n  - {slug: acme, kind: BANK, cite: [1]}\n")}
	if _, err := seed.Build([]seed.Document{a}); err != nil {
		t.Fatal(err)
	}
	_, err := seed.Build([]seed.Document{a, b})
	var v *seed.ValidationError
	if !errors.As(err, &v) || len(v.Problems) != 1 || v.Problems[0].File != "a.yaml" || v.Problems[0].Path() != "companies[0].kind" {
		t.Fatalf("err = %v", err)
	}
}
