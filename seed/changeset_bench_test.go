package seed_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
	"github.com/investgraph/investgraph/seed/changegen"
)

// BenchmarkApplyChangeset applies one small changeset per iteration over
// the built-in seed: each rebuilds the graph from the seed and every
// changeset before it, so the time grows with the changesets applied.
func BenchmarkApplyChangeset(b *testing.B) {
	s, err := db.Open(b.Context(), filepath.Join(b.TempDir(), "x.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := seed.Load(b.Context(), s); err != nil {
		b.Fatal(err)
	}
	i := 0
	cpu := processCPU()
	for b.Loop() {
		yaml := fmt.Sprintf("source:\n  slug: \"bench-%d\"\n  title: \"Bench %d\"\n  publishedOn: \"2026-12-01\"\n  paragraphs: 2\n"+
			"companies:\n  - slug: kazakhstan\n    cite: [1]\n  - slug: bench-co-%d\n    name: \"Bench Co %d\"\n    kind: COMPANY\n    cite: [2]\n", i, i, i, i)
		if _, _, err := seed.Apply(b.Context(), s, seed.Files(), seed.Changeset{YAML: yaml, Message: "bench", Author: "bench"}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpu)
}

// BenchmarkApplyArticleChangeset applies one changeset the size of an
// article per iteration (about 100 entries of seed/changegen: companies,
// people with positions, projects with participants, figures and amounts,
// and citations of earlier entities) over the built-in seed.
func BenchmarkApplyArticleChangeset(b *testing.B) {
	s, err := db.Open(b.Context(), filepath.Join(b.TempDir(), "x.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := seed.Load(b.Context(), s); err != nil {
		b.Fatal(err)
	}
	g := changegen.New(1, "bench")
	cpu := processCPU()
	for b.Loop() {
		c := g.Next(100)
		if _, _, err := seed.Apply(b.Context(), s, seed.Files(), seed.Changeset{YAML: c.YAML, Message: "bench", Author: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// reportCPU reports the process's CPU time per iteration since since: on
// a machine shared with other work, wall time includes waiting for a core,
// CPU time does not.
func reportCPU(b *testing.B, since time.Duration) {
	b.ReportMetric(float64(processCPU()-since)/float64(b.N), "cpu-ns/op")
}
