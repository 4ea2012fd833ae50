package db_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// walk pages through a list first items at a time, following each page's
// last cursor, checks every page's shape, and returns the slugs in list order
// and the list's TotalCount.
func walk[T any](t *testing.T, first int, find func(context.Context, db.PageArgs) (*db.Page[T], error), slug func(T) string) (slugs []string, total int) {
	t.Helper()
	ctx := t.Context()
	total = -1
	var after *string
	for range 1000 {
		p, err := db.NewPageArgs(&first, after, nil, nil)
		if err != nil {
			t.Fatalf("page args: %v", err)
		}
		page, err := find(ctx, p)
		if err != nil {
			t.Fatalf("page after %v: %v", after, err)
		}
		n, err := page.TotalCount(ctx)
		if err != nil {
			t.Fatalf("total count: %v", err)
		}
		if total >= 0 && n != total {
			t.Errorf("TotalCount changed from %d to %d between pages", total, n)
		}
		total = n
		if got, want := page.HasPrevious, after != nil; got != want {
			t.Errorf("HasPrevious = %v on a page after %v", got, after)
		}
		if len(page.Items) > first {
			t.Fatalf("page of %d items, asked for %d", len(page.Items), first)
		}
		if len(page.Cursors) != len(page.Items) {
			t.Fatalf("%d cursors for %d items", len(page.Cursors), len(page.Items))
		}
		for i, it := range page.Items {
			slugs = append(slugs, slug(it))
			if got, want := page.Cursors[i].Slug, slug(it); got != want {
				t.Errorf("cursor %d names %q, item is %q", i, got, want)
			}
		}
		if !page.HasNextPage {
			return slugs, total
		}
		if len(page.Items) != first {
			t.Fatalf("page of %d items has a next page, asked for %d", len(page.Items), first)
		}
		c := page.Cursors[len(page.Cursors)-1].String()
		after = &c
	}
	t.Fatal("more than 1000 pages: the cursor does not advance")
	return nil, 0
}

// walkBack pages through a list from its end, last items at a time,
// following each page's first cursor with before, checks every page's
// shape, and returns the slugs in list order.
func walkBack[T any](t *testing.T, last int, find func(context.Context, db.PageArgs) (*db.Page[T], error), slug func(T) string) []string {
	t.Helper()
	var pages [][]string
	var before *string
	for range 1000 {
		p, err := db.NewPageArgs(nil, nil, &last, before)
		if err != nil {
			t.Fatalf("page args: %v", err)
		}
		page, err := find(t.Context(), p)
		if err != nil {
			t.Fatalf("page before %v: %v", before, err)
		}
		if got, want := page.HasNextPage, before != nil; got != want {
			t.Errorf("HasNextPage = %v on a page before %v", got, before)
		}
		if len(page.Items) > last || len(page.Cursors) != len(page.Items) {
			t.Fatalf("page of %d items and %d cursors, asked for the last %d", len(page.Items), len(page.Cursors), last)
		}
		var slugs []string
		for i, it := range page.Items {
			slugs = append(slugs, slug(it))
			if got, want := page.Cursors[i].Slug, slug(it); got != want {
				t.Errorf("cursor %d names %q, item is %q", i, got, want)
			}
		}
		pages = append([][]string{slugs}, pages...)
		if !page.HasPrevious {
			return slices.Concat(pages...)
		}
		if len(page.Items) != last {
			t.Fatalf("page of %d items has a previous page, asked for the last %d", len(page.Items), last)
		}
		c := page.Cursors[0].String()
		before = &c
	}
	t.Fatal("more than 1000 pages: the cursor does not move back")
	return nil
}

// checkWalk checks that a walk saw the slugs of want, each once and in
// want's order.
func checkWalk(t *testing.T, got []string, total int, want []string) {
	t.Helper()
	if got, want := total, len(want); got != want {
		t.Errorf("TotalCount = %d, want %d", got, want)
	}
	if !slices.Equal(got, want) {
		t.Errorf("walk listed\n  %v\nwant\n  %v", got, want)
	}
}

// inOrder returns the slugs of items sorted by key, then slug: a list's
// documented order, computed without the store.
func inOrder[T any](items []T, key, slug func(T) string) []string {
	sorted := slices.Clone(items)
	slices.SortFunc(sorted, func(a, b T) int {
		return cmp.Or(strings.Compare(key(a), key(b)), strings.Compare(slug(a), slug(b)))
	})
	var out []string
	for _, x := range sorted {
		out = append(out, slug(x))
	}
	return out
}

// nocase folds ASCII letters to lower case, as SQLite's NOCASE does.
func nocase(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

func TestStore_FindCompanies_Pages(t *testing.T) {
	s, d := seededStore(t)
	want := inOrder(d.Companies, func(c *db.Company) string { return nocase(c.Name) }, func(c *db.Company) string { return c.Slug })
	for _, first := range []int{1, 3, 7, db.MaxPageSize} {
		got, total := walk(t, first, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Company], error) {
			return s.FindCompanies(ctx, db.CompanyFilter{}, db.Order{}, p)
		}, func(c *db.Company) string { return c.Slug })
		checkWalk(t, got, total, want)
	}

	t.Run("OKBackwardIsForwardOrder", func(t *testing.T) {
		for _, o := range []db.Order{{}, {Field: "NAME", Desc: true}, {Field: "COUNTRY"}, {Field: "COUNTRY", Desc: true}} {
			find := func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Company], error) {
				return s.FindCompanies(ctx, db.CompanyFilter{}, o, p)
			}
			slug := func(c *db.Company) string { return c.Slug }
			all, err := find(t.Context(), db.PageArgs{First: db.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, c := range all.Items {
				want = append(want, slug(c))
			}
			for _, n := range []int{1, 3, 7, db.MaxPageSize} {
				if got, _ := walk(t, n, find, slug); !slices.Equal(got, want) {
					t.Errorf("%v: forward by %d = %v, want %v", o, n, got, want)
				}
				if got := walkBack(t, n, find, slug); !slices.Equal(got, want) {
					t.Errorf("%v: backward by %d = %v, want %v", o, n, got, want)
				}
			}
		}
	})
	t.Run("OKWindow", func(t *testing.T) {
		all, err := s.FindCompanies(t.Context(), db.CompanyFilter{}, db.Order{}, db.PageArgs{First: db.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		after, before := all.Cursors[2], all.Cursors[8]
		for _, p := range []db.PageArgs{
			{First: 100, After: &after, Before: &before},
			{Last: 100, After: &after, Before: &before, Backward: true},
		} {
			page, err := s.FindCompanies(t.Context(), db.CompanyFilter{}, db.Order{}, p)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := page.Cursors, all.Cursors[3:8]; !slices.Equal(got, want) {
				t.Errorf("window between items 2 and 8 (backward %v) = %v, want items 3 to 7: %v", p.Backward, got, want)
			}
		}
	})
	t.Run("OKNameOrder", func(t *testing.T) {
		page, err := s.FindCompanies(t.Context(), db.CompanyFilter{}, db.Order{}, db.PageArgs{First: db.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(page.Items); i++ {
			a, b := page.Items[i-1], page.Items[i]
			if strings.ToLower(a.Name) > strings.ToLower(b.Name) {
				t.Errorf("%q listed before %q", a.Name, b.Name)
			}
		}
	})
	t.Run("OKFirstZero", func(t *testing.T) {
		page, err := s.FindCompanies(t.Context(), db.CompanyFilter{}, db.Order{}, db.PageArgs{First: 0})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 0 {
			t.Errorf("%d items, want none", len(page.Items))
		}
		if !page.HasNextPage {
			t.Error("HasNextPage = false, want true: there are companies")
		}
		n, err := page.TotalCount(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if got, want := n, len(d.Companies); got != want {
			t.Errorf("TotalCount = %d, want %d", got, want)
		}
	})
	t.Run("OKAfterLast", func(t *testing.T) {
		all, err := s.FindCompanies(t.Context(), db.CompanyFilter{}, db.Order{}, db.PageArgs{First: db.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		last := all.Cursors[len(all.Cursors)-1]
		page, err := s.FindCompanies(t.Context(), db.CompanyFilter{}, db.Order{}, db.PageArgs{First: 5, After: &last})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 0 || page.HasNextPage {
			t.Errorf("after the last company: %d items, HasNextPage %v; want none, false", len(page.Items), page.HasNextPage)
		}
		if !page.HasPrevious {
			t.Error("HasPrevious = false on a page after a cursor")
		}
	})
}

func TestStore_FindLists_Pages(t *testing.T) {
	s, d := seededStore(t)
	t.Run("People", func(t *testing.T) {
		got, total := walk(t, 3, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Person], error) {
			return s.FindPeople(ctx, db.PersonFilter{}, db.Order{}, p)
		}, func(p *db.Person) string { return p.Slug })
		checkWalk(t, got, total, inOrder(d.People, func(p *db.Person) string { return nocase(p.Name) }, func(p *db.Person) string { return p.Slug }))
	})
	t.Run("Projects", func(t *testing.T) {
		got, total := walk(t, 4, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Project], error) {
			return s.FindProjects(ctx, db.ProjectFilter{}, db.Order{}, p)
		}, func(p *db.Project) string { return p.Slug })
		checkWalk(t, got, total, inOrder(d.Projects, func(p *db.Project) string { return nocase(p.Name) }, func(p *db.Project) string { return p.Slug }))
	})
	t.Run("Agreements", func(t *testing.T) {
		got, total := walk(t, 2, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Agreement], error) {
			return s.FindAgreements(ctx, db.AgreementFilter{}, db.Order{}, p)
		}, func(a *db.Agreement) string { return a.Slug })
		// By signing date, undated agreements last.
		checkWalk(t, got, total, inOrder(d.Agreements, func(a *db.Agreement) string {
			if a.SignedOn == nil {
				return "9999"
			}
			return a.SignedOn.Start()
		}, func(a *db.Agreement) string { return a.Slug }))
		// Undated agreements come last.
		if got, want := got[len(got)-1], "kmg-citic-caspi-bitum-agreement"; got != want {
			t.Errorf("last agreement = %s, want the undated %s", got, want)
		}
	})
	t.Run("Sources", func(t *testing.T) {
		got, total := walk(t, 2, func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Source], error) {
			return s.FindSources(ctx, db.Order{}, p)
		}, func(v *db.Source) string { return v.Slug })
		want := []string{"9c0d6d39aeed9ba5", "81c1630493b7e74f", "617ef15b8252d5c0", "0cd24d71fac579ce", "70fb8e7c82b53bfa"}
		checkWalk(t, got, total, want) // publication order
	})
	t.Run("Meetings", func(t *testing.T) {
		find := func(ctx context.Context, p db.PageArgs) (*db.Page[*db.Meeting], error) {
			return s.FindMeetings(ctx, db.MeetingFilter{}, db.Order{}, p)
		}
		got, total := walk(t, 5, find, func(m *db.Meeting) string { return m.Slug })
		checkWalk(t, got, total, inOrder(d.Meetings, func(m *db.Meeting) string { return m.Date.Start() }, func(m *db.Meeting) string { return m.Slug }))
	})
}
