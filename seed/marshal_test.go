package seed_test

import (
	"io/fs"
	"reflect"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/investgraph/investgraph/seed"
)

// TestMarshalFile writes every seed file back through MarshalFile: the
// texts build the same dataset as the originals, and writing a text's
// File again gives the same text, so the canonical text of a changeset
// does not depend on how often it was written.
func TestMarshalFile(t *testing.T) {
	names, err := fs.Glob(seed.Files(), "*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("seed files: %v %v", names, err)
	}
	var original, written []seed.Document
	for _, name := range names {
		text, err := fs.ReadFile(seed.Files(), name)
		if err != nil {
			t.Fatal(err)
		}
		var f seed.File
		if err := yaml.UnmarshalWithOptions(text, &f, yaml.DisallowUnknownField()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, err := seed.MarshalFile(&f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var again seed.File
		if err := yaml.UnmarshalWithOptions([]byte(out), &again, yaml.DisallowUnknownField()); err != nil {
			t.Fatalf("%s written: %v\n%s", name, err, out)
		}
		if twice, _ := seed.MarshalFile(&again); twice != out {
			t.Errorf("%s: writing the written file changes it", name)
		}
		original = append(original, seed.Document{Name: name, Text: text})
		written = append(written, seed.Document{Name: name, Text: []byte(out)})
	}
	a, err := seed.Build(original)
	if err != nil {
		t.Fatal(err)
	}
	b, err := seed.Build(written)
	if err != nil {
		t.Fatalf("the written files do not build: %v", err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("the written files build another dataset than the originals")
	}
	if len(a.Companies) == 0 || len(a.Measurements) == 0 {
		t.Errorf("built %d companies and %d measurements", len(a.Companies), len(a.Measurements))
	}
}
