package db_test

import (
	"context"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestStore_Replace(t *testing.T) {
	t.Run("OKIdempotent", func(t *testing.T) {
		s, path := newStore(t)
		d := seedDataset(t)
		if err := s.Replace(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		first := dump(t, path)
		for table, n := range map[string]int{
			"sources": len(d.Sources), "companies": len(d.Companies), "people": len(d.People),
			"projects": len(d.Projects), "meetings": len(d.Meetings), "agreements": len(d.Agreements),
			"positions": len(d.Positions), "project_participants": len(d.Participants),
			"measurements": len(d.Measurements), "milestones": len(d.Milestones), "amounts": len(d.Amounts),
			"names": len(d.Names), "citations": len(d.Citations), "meeting_topics": len(d.Topics),
		} {
			if got := len(first[table]); got != n {
				t.Errorf("%s has %d rows, want %d", table, got, n)
			}
		}

		if err := s.Replace(t.Context(), d); err != nil {
			t.Fatalf("second replace: %v", err)
		}
		if diff := diffDumps(first, dump(t, path)); diff != "" {
			t.Errorf("replacing with the same dataset changed the rows: %s", diff)
		}
		if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
			t.Fatalf("replace with a freshly parsed seed: %v", err)
		}
		if diff := diffDumps(first, dump(t, path)); diff != "" {
			t.Errorf("replacing with a fresh parse of the same seed changed the rows: %s", diff)
		}
	})

	t.Run("OKReplacesEverything", func(t *testing.T) {
		s, path := newStore(t)
		if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		seeded := dump(t, path)

		tiny := &db.Dataset{
			Sources:   []*db.Source{{ID: 1, Slug: "only", Title: "Only source", PublishedOn: db.MustParsePartialDate("2020"), Paragraphs: 1}},
			Companies: []*db.Company{{ID: 1, Slug: "acme", Name: "Acme", Kind: "COMPANY"}},
			Names:     []db.Name{{Subject: db.SubjectCompany, SubjectID: 1, Name: "Acme"}},
			Citations: []db.SubjectCitation{{SubjectKey: db.SubjectKey{Subject: db.SubjectCompany, ID: 1}, Citation: db.Citation{SourceID: 1, Paragraph: 1}}},
		}
		if err := s.Replace(t.Context(), tiny); err != nil {
			t.Fatal(err)
		}
		after := dump(t, path)
		for table, n := range map[string]int{
			"sources": 1, "companies": 1, "names": 1, "citations": 1,
			"people": 0, "projects": 0, "meetings": 0, "agreements": 0, "positions": 0, "project_participants": 0,
			"measurements": 0, "milestones": 0, "amounts": 0, "meeting_topics": 0, "meeting_participants": 0,
			"meeting_organizations": 0, "meeting_projects": 0, "agreement_parties": 0, "agreement_signatories": 0,
			"agreement_projects": 0,
		} {
			if got := len(after[table]); got != n {
				t.Errorf("%s has %d rows after replacing with a one-company dataset, want %d", table, got, n)
			}
		}
		if _, err := s.FindCompanyByName(t.Context(), "KMG"); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("KMG after the replace: err = %v, want ENOTFOUND", err)
		}

		if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		if diff := diffDumps(seeded, dump(t, path)); diff != "" {
			t.Errorf("reseeding did not restore the seeded rows: %s", diff)
		}
	})

	// Each case breaks a freshly parsed seed so that Replace fails part-way:
	// a constraint checked at once, or a foreign key checked only at commit.
	for _, tt := range []struct {
		name  string
		spoil func(d *db.Dataset)
	}{
		{"ErrDanglingPositionOrganization", func(d *db.Dataset) { d.Positions[0].OrganizationID = 9999 }},
		{"ErrDanglingParent", func(d *db.Dataset) {
			id := int64(9999)
			d.Companies[len(d.Companies)-1].ParentID = &id
		}},
		{"ErrDanglingCitationSource", func(d *db.Dataset) { d.Citations[len(d.Citations)-1].SourceID = 9999 }},
		{"ErrDanglingLink", func(d *db.Dataset) {
			d.Links = append(d.Links, db.Link{Kind: db.AgreementSignatory, From: d.Agreements[0].ID, To: 9999})
		}},
		{"ErrDuplicateSlug", func(d *db.Dataset) { d.Companies[len(d.Companies)-1].Slug = d.Companies[0].Slug }},
		{"ErrDuplicateID", func(d *db.Dataset) {
			dup := *d.Projects[0]
			dup.Slug = "another-slug"
			d.Projects = append(d.Projects, &dup)
		}},
		{"ErrDuplicateLinkLast", func(d *db.Dataset) { d.Links = append(d.Links, d.Links[0]) }},
		{"ErrMeasurementWithoutSubject", func(d *db.Dataset) {
			m := d.Measurements[len(d.Measurements)-1]
			m.CompanyID, m.ProjectID = nil, nil
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, path := newStore(t)
			if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
				t.Fatal(err)
			}
			before := dump(t, path)

			bad := seedDataset(t)
			tt.spoil(bad)
			if err := s.Replace(t.Context(), bad); err == nil {
				t.Fatal("Replace with a broken dataset succeeded")
			}
			if diff := diffDumps(before, dump(t, path)); diff != "" {
				t.Errorf("a failed Replace changed the database: %s", diff)
			}
			c, err := s.FindCompanyByName(t.Context(), "KMG")
			if err != nil {
				t.Fatalf("lookup after a failed Replace: %v", err)
			}
			if got, want := c.Slug, "kazmunaygas"; got != want {
				t.Errorf("KMG = %s, want %s", got, want)
			}
			// The store still writes: the failed transaction is gone.
			if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
				t.Fatalf("Replace after a failed Replace: %v", err)
			}
			if diff := diffDumps(before, dump(t, path)); diff != "" {
				t.Errorf("reseeding after a failed Replace: %s", diff)
			}
		})
	}

	t.Run("ErrOnEmptyStoreLeavesItEmpty", func(t *testing.T) {
		s, _ := newStore(t)
		bad := seedDataset(t)
		bad.Positions[0].PersonID = 9999
		if err := s.Replace(t.Context(), bad); err == nil {
			t.Fatal("Replace with a dangling person succeeded")
		}
		empty, err := s.IsEmpty(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !empty {
			t.Error("a failed Replace left data in an empty store")
		}
	})

	t.Run("ErrCanceled", func(t *testing.T) {
		s, path := newStore(t)
		if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		before := dump(t, path)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := s.Replace(ctx, &db.Dataset{}); err == nil {
			t.Fatal("Replace with a canceled context succeeded")
		}
		if diff := diffDumps(before, dump(t, path)); diff != "" {
			t.Errorf("a canceled Replace changed the database: %s", diff)
		}
	})
}
