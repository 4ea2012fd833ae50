package db_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
)

// largerDataset is the seed with one company more, cited as the first
// one is, so that a count tells the two apart.
func largerDataset(t *testing.T) *db.Dataset {
	t.Helper()
	d := seedDataset(t)
	var id int64
	for _, c := range d.Companies {
		id = max(id, c.ID)
	}
	first := d.Companies[0]
	d.Companies = append(d.Companies, &db.Company{ID: id + 1, Slug: "one-more", Name: "One More", Kind: first.Kind})
	for _, c := range d.Citations {
		if c.Subject == db.SubjectCompany && c.ID == first.ID {
			d.Citations = append(d.Citations, db.SubjectCitation{SubjectKey: db.SubjectKey{Subject: db.SubjectCompany, ID: id + 1}, Citation: c.Citation})
			break
		}
	}
	return d
}

// companies counts the companies visible under ctx.
func companies(t *testing.T, ctx context.Context, s *db.Store) int {
	t.Helper()
	c, err := s.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c.Companies
}

func TestStore_WithSnapshot(t *testing.T) {
	t.Run("OKReadsOneVersion", func(t *testing.T) {
		s, _ := seededStore(t)
		ctx, end := s.WithSnapshot(t.Context())
		defer end()
		before := companies(t, ctx, s)
		if err := s.Replace(t.Context(), largerDataset(t)); err != nil {
			t.Fatal(err)
		}
		if got := companies(t, ctx, s); got != before {
			t.Errorf("the snapshot read %d companies after a Replace, %d before", got, before)
		}
		if got := companies(t, t.Context(), s); got != before+1 {
			t.Errorf("outside the snapshot %d companies, want %d", got, before+1)
		}
		end()
		if _, err := s.Count(ctx); err == nil {
			t.Error("a read after the snapshot ended succeeded")
		}
	})

	t.Run("OKConcurrentReads", func(t *testing.T) {
		s, _ := seededStore(t)
		ctx, end := s.WithSnapshot(t.Context())
		defer end()
		want := companies(t, ctx, s)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 20 {
					if _, err := s.FindCompanyBySlug(ctx, "citic-group"); err != nil {
						t.Error(err)
					}
					if got := companies(t, ctx, s); got != want {
						t.Errorf("companies = %d, want %d", got, want)
					}
				}
			})
		}
		wg.Wait()
	})

	// Each snapshot keeps a connection; many more snapshots than the pool
	// has connections, each preparing statements no one has prepared yet,
	// wait their turn instead of waiting for each other.
	t.Run("OKMoreSnapshotsThanConnections", func(t *testing.T) {
		s, _ := seededStore(t)
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		for range 64 {
			wg.Go(func() {
				sctx, end := s.WithSnapshot(ctx)
				defer end()
				if _, err := s.FindCompanyBySlug(sctx, "citic-group"); err != nil {
					t.Error(err)
				}
				if _, err := s.Count(sctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	})

	// A timeline page past the end counts the events with a second read
	// of the same statement while the first one's rows are open.
	t.Run("OKReadWhileRowsOpen", func(t *testing.T) {
		s, _ := seededStore(t)
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		_, want, err := s.Timeline(ctx, db.TimelineFilter{}, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		sctx, end := s.WithSnapshot(ctx)
		defer end()
		events, total, err := s.Timeline(sctx, db.TimelineFilter{}, want+10, 5)
		if err != nil || len(events) != 0 || total != want {
			t.Errorf("past the end: %d events, total %d, err %v; want none, %d", len(events), total, err, want)
		}
	})

	t.Run("OKNestedIsTheSame", func(t *testing.T) {
		s, _ := seededStore(t)
		ctx, end := s.WithSnapshot(t.Context())
		defer end()
		before := companies(t, ctx, s)
		inner, endInner := s.WithSnapshot(ctx)
		endInner()
		if err := s.Replace(t.Context(), largerDataset(t)); err != nil {
			t.Fatal(err)
		}
		if got := companies(t, inner, s); got != before {
			t.Errorf("a nested snapshot read %d companies, the outer one %d", got, before)
		}
	})
}

func TestStore_DataVersion(t *testing.T) {
	t.Run("OKAnotherStoreCommits", func(t *testing.T) {
		s, path := seededStore2(t)
		other, err := db.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		v := s.DataVersion()
		if got := s.DataVersion(); got != v {
			t.Errorf("DataVersion changed from %d to %d with no commit", v, got)
		}
		if err := other.Replace(t.Context(), largerDataset(t)); err != nil {
			t.Fatal(err)
		}
		if got := s.DataVersion(); got == v {
			t.Errorf("DataVersion stayed %d after another store's Replace", got)
		}
	})

	// A new file renamed into the database's place (its old write-ahead
	// log checkpointed, so that the new file does not inherit it) is
	// opened for the reads that follow; a snapshot begun before goes on
	// reading the old file.
	t.Run("OKFileRenamedIntoPlace", func(t *testing.T) {
		s, path := newSQLiteStore(t)
		if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
			t.Fatal(err)
		}
		checkpoint(t, path)
		old, end := s.WithSnapshot(t.Context())
		defer end()
		before := companies(t, old, s)
		v := s.DataVersion()

		next := filepath.Join(filepath.Dir(path), "next.db")
		n, err := db.Open(t.Context(), next)
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Replace(t.Context(), largerDataset(t)); err != nil {
			t.Fatal(err)
		}
		if err := n.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(next, path); err != nil {
			t.Fatal(err)
		}

		if got := s.DataVersion(); got == v {
			t.Errorf("DataVersion stayed %d after a new file was renamed into place", got)
		}
		if got := companies(t, t.Context(), s); got != before+1 {
			t.Errorf("after the rename %d companies, want the new file's %d", got, before+1)
		}
		if got := companies(t, old, s); got != before {
			t.Errorf("the snapshot begun before the rename read %d companies, want %d", got, before)
		}
	})
}

// seededStore2 is seededStore with the database's path.
func seededStore2(t *testing.T) (*db.Store, string) {
	t.Helper()
	s, path := newStore(t)
	if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
		t.Fatal(err)
	}
	return s, path
}

// checkpoint copies the write-ahead log of the database at path into it
// and empties the log.
func checkpoint(t *testing.T, path string) {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var busy, log, done int
	if err := conn.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &log, &done); err != nil || busy != 0 {
		t.Fatalf("checkpoint: busy %d, err %v", busy, err)
	}
}

// BenchmarkSnapshot reads one company per op, from the pool and in a
// snapshot of its own: the difference is what a request's snapshot costs
// (begin, the first read, two looks at the data version, end).
func BenchmarkSnapshot(b *testing.B) {
	s, _ := newStore(b)
	if err := s.Replace(b.Context(), seedDataset(b)); err != nil {
		b.Fatal(err)
	}
	b.Run("Pool", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.FindCompanyBySlug(b.Context(), "citic-group"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Snapshot", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ctx, end := s.WithSnapshot(b.Context())
			if _, err := s.FindCompanyBySlug(ctx, "citic-group"); err != nil {
				b.Fatal(err)
			}
			end()
		}
	})
	b.Run("DataVersion", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.DataVersion()
		}
	})
}
