package seed

import (
	"slices"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestNodeChanges(t *testing.T) {
	desc := func(s string) *string { return &s }
	before := &db.Dataset{
		Sources:   []*db.Source{{ID: 1, Slug: "s1", Title: "One", Paragraphs: 3}},
		Companies: []*db.Company{{ID: 1, Slug: "acme", Name: "Acme", Kind: "COMPANY", Description: desc("old words")}},
		Projects:  []*db.Project{{ID: 1, Slug: "plant", Name: "Plant", Sector: "REFINING", Status: "PLANNED"}},
		Participants: []*db.ProjectParticipant{
			{ID: 1, ProjectID: 1, CompanyID: 1, Role: "OPERATOR", Basis: db.Stated},
		},
		Citations: []db.SubjectCitation{
			{SubjectKey: db.SubjectKey{Subject: db.SubjectParticipant, ID: 1}, Citation: db.Citation{SourceID: 1, Paragraph: 1}},
		},
	}
	after := &db.Dataset{
		Sources:   []*db.Source{before.Sources[0], {ID: 2, Slug: "s2", Title: "Two", PublishedOn: db.MustParsePartialDate("2026-12"), Paragraphs: 2}},
		Companies: []*db.Company{{ID: 1, Slug: "acme", Name: "Acme", Kind: "COMPANY", Description: desc("new words"), Country: desc("KZ")}},
		Projects:  before.Projects,
		Participants: []*db.ProjectParticipant{
			{ID: 1, ProjectID: 1, CompanyID: 1, Role: "OPERATOR", Basis: db.Stated},
		},
		Citations: []db.SubjectCitation{
			{SubjectKey: db.SubjectKey{Subject: db.SubjectParticipant, ID: 1}, Citation: db.Citation{SourceID: 1, Paragraph: 1}},
			{SubjectKey: db.SubjectKey{Subject: db.SubjectParticipant, ID: 1}, Citation: db.Citation{SourceID: 2, Paragraph: 2}},
		},
		Names: []db.Name{{Subject: db.SubjectCompany, SubjectID: 1, Name: "Acme Ltd", Alias: true}},
		Measurements: []*db.Measurement{{ID: 1, ProjectID: ptr(int64(1)), Metric: "PROCESSING_CAPACITY", Value: 2.5, Unit: "Mt",
			AsOf: db.MustParsePartialDate("2025"), Status: "TARGET", Citation: db.Citation{SourceID: 2, Paragraph: 1}, Basis: db.Stated}},
	}
	got := map[db.SlugRef]db.NodeChange{}
	var order []db.SlugRef
	for _, c := range nodeChanges(before, after) {
		got[c.Node] = c
		order = append(order, c.Node)
	}
	acme, plant, s2 := db.SlugRef{Type: "Company", Slug: "acme"}, db.SlugRef{Type: "Project", Slug: "plant"}, db.SlugRef{Type: "Source", Slug: "s2"}
	if want := []db.SlugRef{s2, acme, plant}; !slices.Equal(order, want) {
		t.Fatalf("objects = %v, want %v (s1 is unchanged)", order, want)
	}
	if c := got[acme]; !slices.Equal(c.Added, []string{"country", "aliases: Acme Ltd"}) ||
		!slices.Equal(c.Changed, []string{"description", "projects: plant OPERATOR"}) {
		t.Errorf("acme: added %q, changed %q", c.Added, c.Changed)
	}
	if c := got[plant]; !slices.Equal(c.Added, []string{"figures: PROCESSING_CAPACITY 2025 TARGET 2.5 Mt"}) ||
		!slices.Equal(c.Changed, []string{"participants: acme OPERATOR"}) {
		t.Errorf("plant: added %q, changed %q", c.Added, c.Changed)
	}
	if c := got[s2]; !slices.Equal(c.Added, []string{"title", "publishedOn", "paragraphs"}) || len(c.Changed) != 0 {
		t.Errorf("s2: added %q, changed %q", c.Added, c.Changed)
	}
	touched := touchedBy([]db.SlugRef{s2, acme}, nodeChanges(before, after))
	if want := []db.SlugRef{s2, acme, plant}; !slices.Equal(touched, want) {
		t.Errorf("touched = %v, want %v", touched, want)
	}
}

func ptr[T any](v T) *T { return &v }
