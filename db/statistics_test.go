package db_test

import (
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// hubDataset has one hub, company 1 ("hub", also known as "The Hub"),
// taking part in every one of projects projects alongside one of others
// other companies, which take part in one project each at most.
func hubDataset(projects, others int) *db.Dataset {
	d := &db.Dataset{
		Sources:   []*db.Source{{ID: 1, Slug: "s", Title: "Source", PublishedOn: db.MustParsePartialDate("2024"), Paragraphs: 1}},
		Companies: []*db.Company{{ID: 1, Slug: "hub", Name: "Hub", Kind: "COMPANY"}},
		Names:     []db.Name{{Subject: db.SubjectCompany, SubjectID: 1, Name: "Hub"}, {Subject: db.SubjectCompany, SubjectID: 1, Name: "The Hub", Alias: true}},
	}
	for i := range others {
		id := int64(2 + i)
		d.Companies = append(d.Companies, &db.Company{ID: id, Slug: fmt.Sprintf("c%d", id), Name: fmt.Sprintf("C%d", id), Kind: "COMPANY"})
	}
	for i := range projects {
		id := int64(1 + i)
		d.Projects = append(d.Projects, &db.Project{ID: id, Slug: fmt.Sprintf("p%d", id), Name: fmt.Sprintf("P%d", id), Sector: "POWER", Status: "OPERATING"})
		d.Participants = append(d.Participants,
			&db.ProjectParticipant{ID: 2*id - 1, ProjectID: id, CompanyID: 1, Role: "INVESTOR"},
			&db.ProjectParticipant{ID: 2 * id, ProjectID: id, CompanyID: 2 + int64(i%others), Role: "OPERATOR"})
	}
	return d
}

// listSize computes what Statistics should say of a relation: parents
// counts the children of each parent, all parents included.
func listSize(parents map[int64]int64, all int) db.ListSize {
	var n []int64
	var size db.ListSize
	for _, c := range parents {
		n = append(n, c)
		size.Children += c
	}
	for len(n) < all {
		n = append(n, 0)
	}
	slices.Sort(n)
	slices.Reverse(n)
	size.Parents = int64(all)
	if len(n) > 0 {
		size.Max = n[0]
		size.P99 = n[all/100]
	}
	return size
}

func TestStore_Statistics(t *testing.T) {
	t.Run("OKSeed", func(t *testing.T) {
		s, d := seededStore(t)
		st, err := s.Statistics(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		byCompany, byProject := map[int64]int64{}, map[int64]int64{}
		for _, p := range d.Participants {
			byCompany[p.CompanyID]++
			byProject[p.ProjectID]++
		}
		for list, want := range map[string]db.ListSize{
			"Company.projects":     listSize(byCompany, len(d.Companies)),
			"Project.participants": listSize(byProject, len(d.Projects)),
		} {
			if got := st.Lists[list]; got != want {
				t.Errorf("%s: %+v, want %+v", list, got, want)
			}
		}
		for _, list := range []string{"Company.subsidiaries", "Person.positions", "Meeting.participants", "Agreement.parties", "TimelineEvent.citations"} {
			if _, ok := st.Lists[list]; !ok {
				t.Errorf("no statistics of %s", list)
			}
		}
		if got, want := st.Aggregates["money COMPANY"].Scanned, int64(len(d.Amounts)); got <= want {
			t.Errorf("a money summary reads %d rows, want more than its %d amounts", got, want)
		}
	})

	t.Run("OKHubs", func(t *testing.T) {
		s, _ := newStore(t)
		if err := s.Replace(t.Context(), hubDataset(30, 300)); err != nil {
			t.Fatal(err)
		}
		st, err := s.Statistics(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		// 301 companies: the 99th percentile is the third largest list.
		if got, want := st.Lists["Company.projects"], (db.ListSize{Parents: 301, Children: 60, Max: 30, P99: 1}); got != want {
			t.Errorf("Company.projects: %+v, want %+v", got, want)
		}
		for _, tc := range []struct {
			slug, name string
			want       int64
		}{
			{"hub", "", 30},
			{"", "the hub", 30},
			{"", "HUB", 30},
			{"c2", "", 1},
			{"", "C2", 1},
			{"nobody", "", 1},
		} {
			if got, _ := st.ChildrenOf("Company.projects", tc.slug, tc.name); got != tc.want {
				t.Errorf("ChildrenOf(Company.projects, %q, %q) = %d, want %d", tc.slug, tc.name, got, tc.want)
			}
		}
		if _, ok := st.ChildrenOf("Company.friends", "hub", ""); ok {
			t.Error("a list without statistics has some")
		}
	})

	t.Run("OKRefreshedByReplace", func(t *testing.T) {
		s, _ := seededStore(t)
		if err := s.Replace(t.Context(), hubDataset(30, 300)); err != nil {
			t.Fatal(err)
		}
		if err := s.Replace(t.Context(), hubDataset(50, 300)); err != nil {
			t.Fatal(err)
		}
		st, err := s.Statistics(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if got, want := st.Lists["Company.projects"].Max, int64(50); got != want {
			t.Errorf("after replacing the data, the most projects of a company = %d, want %d", got, want)
		}
		if got, _ := st.ChildrenOf("Company.projects", "citic-group", ""); got != 1 {
			t.Errorf("a company the data no longer has keeps %d projects", got)
		}
		if got, want := st.Lists["Project.milestones"], (db.ListSize{Parents: 50}); got != want {
			t.Errorf("Project.milestones: %+v, want %+v: the seed's are gone", got, want)
		}
	})

	t.Run("OKRefreshedByLoadNew", func(t *testing.T) {
		// LoadNew, which seed/synth writes new databases with, derives the
		// same statistics as Replace.
		path := filepath.Join(t.TempDir(), "x.db")
		if err := db.LoadNew(t.Context(), path, hubDataset(30, 300)); err != nil {
			t.Fatal(err)
		}
		st, err := openStore(t, path).Statistics(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if got, want := st.Lists["Company.projects"], (db.ListSize{Parents: 301, Children: 60, Max: 30, P99: 1}); got != want {
			t.Errorf("Company.projects after LoadNew: %+v, want %+v", got, want)
		}
		if got, _ := st.ChildrenOf("Company.projects", "hub", ""); got != 30 {
			t.Errorf("after LoadNew, the hub has %d projects, want 30", got)
		}
	})

	t.Run("OKMigratesExistingData", func(t *testing.T) {
		// A database made before migration 0004 gets the statistics of the
		// data it holds.
		s, path := newSQLiteStore(t)
		if err := s.Replace(t.Context(), hubDataset(30, 300)); err != nil {
			t.Fatal(err)
		}
		want, err := s.Statistics(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`DROP TABLE list_sizes`, `DROP TABLE list_hubs`, `DROP TABLE aggregate_sizes`,
			`DELETE FROM schema_migrations WHERE version = 4`} {
			if _, err := conn.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		conn.Close()
		s, err = db.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		got, err := s.Statistics(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if got.Lists["Company.projects"] != want.Lists["Company.projects"] || len(got.Lists) != len(want.Lists) {
			t.Errorf("after migrating: %+v, want %+v", got.Lists["Company.projects"], want.Lists["Company.projects"])
		}
		if n, _ := got.ChildrenOf("Company.projects", "hub", ""); n != 30 {
			t.Errorf("after migrating, the hub has %d projects, want 30", n)
		}
	})
}
