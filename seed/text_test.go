package seed_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/seed"
)

// TestBuild_SourceText reads a source's `text`: its paragraphs in order,
// trimmed, one per paragraph of the source. Too few or too many, or an
// empty one, is a problem at source.text that names what to write.
func TestBuild_SourceText(t *testing.T) {
	doc := func(text string) []seed.Document {
		return []seed.Document{{Name: "a.yaml", Text: []byte(`source: {slug: a, title: A test source, publishedOn: "2025", paragraphs: 2` + text + `}
companies: [{slug: a-co, name: A Co, kind: COMPANY, cite: [2]}]
`)}}
	}
	t.Run("OK", func(t *testing.T) {
		d, err := seed.Build(doc(`, text: ["  first line ", second line]`))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := d.Sources[0].Text, []string{"first line", "second line"}; !slices.Equal(got, want) {
			t.Errorf("text %q, want %q", got, want)
		}
	})
	t.Run("NoText", func(t *testing.T) {
		d, err := seed.Build(doc(""))
		if err != nil {
			t.Fatal(err)
		}
		if d.Sources[0].Text != nil {
			t.Errorf("text %q of a source without text, want nil", d.Sources[0].Text)
		}
	})
	for _, tc := range []struct {
		name, text, path, message string
	}{
		{"ErrTooFew", `, text: [one]`, "source.text", "text has 1 paragraphs, but paragraphs says the article has 2"},
		{"ErrTooMany", `, text: [one, two, three]`, "source.text", "text has 3 paragraphs"},
		{"ErrEmpty", `, text: [one, "  "]`, "source", "text[1] is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := seed.Build(doc(tc.text))
			var v *seed.ValidationError
			if !errors.As(err, &v) || len(v.Problems) != 1 {
				t.Fatalf("err = %v, want one problem", err)
			}
			p := v.Problems[0]
			if p.Path() != tc.path || !strings.Contains(p.Message, tc.message) {
				t.Errorf("problem at %q: %s; want %q at %q", p.Path(), p.Message, tc.message, tc.path)
			}
		})
	}
}
