package graphtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// ExportSeed writes the graph s holds as seed files (seed.Export, what
// `investgraph export -format seed` writes) into a new temporary
// directory, and returns the directory and the files. WithSeed(os.DirFS(dir))
// starts a gateway over them.
func ExportSeed(t testing.TB, s *db.Store) (string, []seed.Document) {
	t.Helper()
	d, err := s.Dataset(t.Context())
	if err != nil {
		t.Fatalf("graphtest: read the graph: %v", err)
	}
	docs, err := seed.Export(d)
	if err != nil {
		t.Fatalf("graphtest: export the graph: %v", err)
	}
	dir := t.TempDir()
	for _, doc := range docs {
		if err := os.WriteFile(filepath.Join(dir, doc.Name), doc.Text, 0o644); err != nil {
			t.Fatalf("graphtest: %v", err)
		}
	}
	return dir, docs
}
