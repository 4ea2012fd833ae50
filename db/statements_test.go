package db_test

import (
	"context"
	"sync"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestStatementCount(t *testing.T) {
	s, d := seededStore(t)
	var ids []int64
	for _, c := range d.Companies[:10] {
		ids = append(ids, c.ID)
	}

	t.Run("OKNoCounter", func(t *testing.T) {
		ctx := t.Context()
		if _, err := s.FindCompaniesByIDs(ctx, ids); err != nil {
			t.Fatal(err)
		}
		if got, want := db.StatementCount(ctx), int64(0); got != want {
			t.Errorf("StatementCount without a counter = %d, want %d", got, want)
		}
	})

	t.Run("OKBatchIsOneStatement", func(t *testing.T) {
		ctx := db.WithStatementCounter(t.Context())
		if got, want := db.StatementCount(ctx), int64(0); got != want {
			t.Errorf("StatementCount before any query = %d, want %d", got, want)
		}
		got, err := s.FindCompaniesByIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 10 {
			t.Fatalf("%d companies, want 10", len(got))
		}
		if got, want := db.StatementCount(ctx), int64(1); got != want {
			t.Errorf("StatementCount after one batch of 10 ids = %d, want %d", got, want)
		}
	})

	t.Run("OKEachCall", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			run  func(context.Context) error
			want int64
		}{
			{"FindCompanyByName", func(ctx context.Context) error { _, err := s.FindCompanyByName(ctx, "KMG"); return err }, 1},
			{"FindCompanyBySlugMissing", func(ctx context.Context) error {
				_, err := s.FindCompanyBySlug(ctx, "nope")
				if db.ErrorCode(err) == db.ENOTFOUND {
					return nil
				}
				return err
			}, 1},
			{"FindMeasurementsByProjectIDs", func(ctx context.Context) error {
				_, err := s.FindMeasurementsByProjectIDs(ctx, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
				return err
			}, 1},
			{"FindCitations", func(ctx context.Context) error {
				_, err := s.FindCitations(ctx, []db.SubjectKey{{Subject: db.SubjectCompany, ID: 1}, {Subject: db.SubjectPerson, ID: 1}})
				return err
			}, 1},
			{"PageWithTotalCount", func(ctx context.Context) error {
				page, err := s.FindCompanies(ctx, db.CompanyFilter{}, db.Order{}, db.PageArgs{First: 3})
				if err != nil {
					return err
				}
				_, err = page.TotalCount(ctx)
				return err
			}, 2},
			{"PageWithoutTotalCount", func(ctx context.Context) error {
				_, err := s.FindCompanies(ctx, db.CompanyFilter{}, db.Order{}, db.PageArgs{First: 3})
				return err
			}, 1},
		} {
			t.Run(tt.name, func(t *testing.T) {
				ctx := db.WithStatementCounter(t.Context())
				if err := tt.run(ctx); err != nil {
					t.Fatal(err)
				}
				if got := db.StatementCount(ctx); got != tt.want {
					t.Errorf("StatementCount = %d, want %d", got, tt.want)
				}
			})
		}
	})

	t.Run("OKCountersAreSeparate", func(t *testing.T) {
		a, b := db.WithStatementCounter(t.Context()), db.WithStatementCounter(t.Context())
		before := s.Statements()
		for range 3 {
			if _, err := s.FindCompaniesByIDs(a, ids); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.FindCompaniesByIDs(b, ids); err != nil {
			t.Fatal(err)
		}
		if got, want := db.StatementCount(a), int64(3); got != want {
			t.Errorf("counter a = %d, want %d", got, want)
		}
		if got, want := db.StatementCount(b), int64(1); got != want {
			t.Errorf("counter b = %d, want %d", got, want)
		}
		if got, want := s.Statements()-before, int64(4); got != want {
			t.Errorf("store-wide count grew by %d, want %d", got, want)
		}
	})

	t.Run("OKDerivedContext", func(t *testing.T) {
		type key struct{}
		ctx := db.WithStatementCounter(t.Context())
		child := context.WithValue(ctx, key{}, "request detail")
		if _, err := s.FindCompaniesByIDs(child, ids); err != nil {
			t.Fatal(err)
		}
		if got, want := db.StatementCount(ctx), int64(1); got != want {
			t.Errorf("StatementCount of the parent = %d, want %d", got, want)
		}
	})

	t.Run("OKConcurrent", func(t *testing.T) {
		ctx := db.WithStatementCounter(t.Context())
		const n = 16
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for range n {
			wg.Go(func() {
				_, err := s.FindCompaniesByIDs(ctx, ids)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got, want := db.StatementCount(ctx), int64(n); got != want {
			t.Errorf("StatementCount after %d concurrent queries = %d, want %d", n, got, want)
		}
	})
}
