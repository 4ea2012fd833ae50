package db_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// revise records a revision over s whose graph is d, touching and
// changing what rev says.
func revise(t *testing.T, s *db.Store, body string, d *db.Dataset, rev db.Revision) *db.Revision {
	t.Helper()
	r, _, err := s.Revise(t.Context(), db.ChangeRequest{Author: "alice", Message: "m", Body: body,
		Build: func([]db.LoggedRevision, int64) (*db.Change, error) {
			return &db.Change{Dataset: d, Revision: rev}, nil
		}})
	if err != nil {
		t.Fatalf("revise: %v", err)
	}
	return r
}

func TestFindNodeHistories(t *testing.T) {
	s, d := seededStore(t)
	citic := db.SlugRef{Type: "Company", Slug: "citic-group"}
	kmg := db.SlugRef{Type: "Company", Slug: "kazmunaygas"}
	r1 := revise(t, s, "one", d, db.Revision{SourceSlug: d.Sources[0].Slug, Touched: []db.SlugRef{citic},
		Changes: []db.NodeChange{{Node: citic, Added: []string{"description"}}}})
	r2 := revise(t, s, "two", d, db.Revision{SourceSlug: d.Sources[0].Slug, Touched: []db.SlugRef{citic, kmg},
		Changes: []db.NodeChange{{Node: citic, Changed: []string{"headquarters"}}, {Node: kmg, Added: []string{"aliases: KMG"}}}})
	got, err := s.FindNodeHistories(t.Context(), []db.SlugRef{citic, kmg, {Type: "Person", Slug: "zhu-hexin"}})
	if err != nil {
		t.Fatal(err)
	}
	if h := got[citic]; len(h) != 2 || h[0].RevisionID != r1.ID || h[1].RevisionID != r2.ID ||
		!slices.Equal(h[0].Added, []string{"description"}) || len(h[0].Changed) != 0 ||
		!slices.Equal(h[1].Changed, []string{"headquarters"}) || len(h[1].Added) != 0 {
		t.Errorf("citic: %+v", h)
	}
	if h := got[kmg]; len(h) != 1 || h[0].RevisionID != r2.ID || !slices.Equal(h[0].Added, []string{"aliases: KMG"}) {
		t.Errorf("kazmunaygas: %+v", h)
	}
	if h := got[db.SlugRef{Type: "Person", Slug: "zhu-hexin"}]; len(h) != 0 {
		t.Errorf("an object no revision touched: %+v", h)
	}
	log, err := s.RevisionLog(t.Context(), r1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].ID != r1.ID || log[0].Body != "one" || log[0].Kind != db.RevisionChangeset {
		t.Errorf("the log up to revision 1 = %+v", log)
	}
}

// TestOpen_UpgradeRecordsRevisionChanges opens a database with revisions
// that predates migration 0011: each revision keeps the objects it
// touched, with no field names.
func TestOpen_UpgradeRecordsRevisionChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	d := seedDataset(t)
	if err := s.Replace(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	citic := db.SlugRef{Type: "Company", Slug: "citic-group"}
	src := db.SlugRef{Type: "Source", Slug: d.Sources[0].Slug}
	r := revise(t, s, "one", d, db.Revision{SourceSlug: src.Slug, Touched: []db.SlugRef{src, citic},
		Changes: []db.NodeChange{{Node: citic, Added: []string{"description"}}}})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	rollBack(t, path, `DROP TABLE revision_changes`, `DELETE FROM schema_migrations WHERE version = 11`)
	s, err = db.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("open after the upgrade: %v", err)
	}
	defer s.Close()
	got, err := s.FindNodeHistories(t.Context(), []db.SlugRef{src, citic})
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []db.SlugRef{src, citic} {
		if h := got[ref]; len(h) != 1 || h[0].RevisionID != r.ID || len(h[0].Added) != 0 || len(h[0].Changed) != 0 {
			t.Errorf("%v: %+v, want revision %d with no field names", ref, h, r.ID)
		}
	}
	// Revisions stored after the upgrade record their changes again.
	r2 := revise(t, s, "two", d, db.Revision{SourceSlug: src.Slug, Touched: []db.SlugRef{citic},
		Changes: []db.NodeChange{{Node: citic, Changed: []string{"description"}}}})
	got, err = s.FindNodeHistories(t.Context(), []db.SlugRef{citic})
	if err != nil {
		t.Fatal(err)
	}
	if h := got[citic]; len(h) != 2 || h[1].RevisionID != r2.ID || !slices.Equal(h[1].Changed, []string{"description"}) {
		t.Errorf("after the upgrade: %+v", h)
	}
}

func TestView(t *testing.T) {
	s, d := seededStore(t)
	r1 := revise(t, s, "one", d, db.Revision{SourceSlug: d.Sources[0].Slug})
	revise(t, s, "two", d, db.Revision{SourceSlug: d.Sources[0].Slug})
	// The view holds another graph: the seed and a company of its own.
	big := seedDataset(t)
	company := &db.Company{ID: 100000, Slug: "view-only-company", Name: "View-only company", Kind: "COMPANY"}
	big.Companies = append(big.Companies, company)
	big.Names = append(big.Names, db.Name{Subject: db.SubjectCompany, SubjectID: company.ID, Name: company.Name})
	big.Citations = append(big.Citations, db.SubjectCitation{SubjectKey: db.SubjectKey{Subject: db.SubjectCompany, ID: company.ID},
		Citation: db.Citation{SourceID: big.Sources[0].ID, Paragraph: 1}})
	v, err := s.View(t.Context(), big, r1.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	ctx := db.WithView(t.Context(), v)
	if _, err := s.FindCompanyBySlug(ctx, company.Slug); err != nil {
		t.Errorf("a company of the view: %v", err)
	}
	if _, err := s.FindCompanyBySlug(t.Context(), company.Slug); db.ErrorCode(err) != db.ENOTFOUND {
		t.Errorf("the live graph lacks it: %v, want ENOTFOUND", err)
	}
	n, err := s.CountRevisions(ctx, db.RevisionFilter{})
	if err != nil || n != 1 {
		t.Errorf("revisions in the view: %d, %v; want 1", n, err)
	}
	if n, err := s.CountRevisions(t.Context(), db.RevisionFilter{}); err != nil || n != 2 {
		t.Errorf("live revisions: %d, %v; want 2", n, err)
	}
	// A nil view reads the live graph again.
	if _, err := s.FindCompanyBySlug(db.WithView(ctx, nil), company.Slug); db.ErrorCode(err) != db.ENOTFOUND {
		t.Errorf("under a nil view: %v", err)
	}
}
