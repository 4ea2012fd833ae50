package db

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestReferencesCoverForeignKeys keeps the references Replace checks in step
// with the foreign keys of the schema.
func TestReferencesCoverForeignKeys(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.write.QueryContext(t.Context(), `SELECT t.name, k."from", k."table", k."to"
		FROM sqlite_schema t JOIN pragma_foreign_key_list(t.name) k
		WHERE t.type = 'table' ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var want []string
	for rows.Next() {
		var child, column, parent, key string
		if err := rows.Scan(&child, &column, &parent, &key); err != nil {
			t.Fatal(err)
		}
		if key != "id" {
			t.Errorf("%s.%s refers to %s.%s, not to its id", child, column, parent, key)
		}
		want = append(want, child+"."+column+" → "+parent)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	var got []string
	for _, r := range references(&Dataset{}) {
		got = append(got, r.child+"."+r.column+" → "+r.parent)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("Replace checks the references\n%v\nthe schema has the foreign keys\n%v", got, want)
	}
}
