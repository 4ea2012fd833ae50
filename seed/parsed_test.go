package seed_test

import (
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"testing"

	"github.com/investgraph/investgraph/seed"
	"github.com/investgraph/investgraph/seed/changegen"
)

// TestBuild_DecodedFilesReused builds the same documents twice, the second
// time from the files the first decoded: the datasets are equal, so
// building never changes a decoded file.
func TestBuild_DecodedFilesReused(t *testing.T) {
	names, err := fs.Glob(seed.Files(), "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	var docs []seed.Document
	for _, name := range names {
		text, err := fs.ReadFile(seed.Files(), name)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, seed.Document{Name: name, Text: text})
	}
	g := changegen.New(42, "reuse")
	for i := range 8 {
		docs = append(docs, seed.Document{Name: fmt.Sprint("changeset ", i+1), Text: []byte(g.Next(60).YAML)})
	}
	first, err := seed.Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	second, err := seed.Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Error("the second build of the same documents differs from the first")
	}
	if got := len(first.Sources); got != len(names)+8 {
		t.Errorf("%d sources, want %d", got, len(names)+8)
	}
}
