package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/graphtest/querygen"
	"github.com/investgraph/investgraph/httpapi"
)

// textChangeset is a changeset whose source carries the article's text.
func textChangeset(paragraphs ...string) graphtest.Changeset {
	var b strings.Builder
	fmt.Fprintf(&b, "source:\n  slug: text-report\n  title: A report with its text\n  publishedOn: \"2025-05-01\"\n  paragraphs: 3\n  text:\n")
	for _, p := range paragraphs {
		fmt.Fprintf(&b, "    - %q\n", p)
	}
	b.WriteString("companies:\n  - {slug: text-company, name: Text Company, kind: COMPANY, cite: [2, 3]}\n")
	return graphtest.Changeset{YAML: b.String(), Message: "add a report with its text"}
}

const citationTextQuery = `query($slug: String!) { company(slug: $slug) { citations { paragraph text source { title } } } }`

type citationTexts struct {
	Company struct {
		Citations []struct {
			Paragraph int
			Text      *string
		}
	}
}

// TestCitationText applies a changeset that carries its article's
// paragraphs: each citation of its facts gives the cited paragraph's text
// over HTTP, while the built-in seed, which ships no text, gives null. A
// text with fewer paragraphs than the source is BAD_USER_INPUT at
// input.yaml.source.text, and nothing is written.
func TestCitationText(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	editor := srv.Editor(t, "alice")
	text := []string{"date 2025-05-01 First line: the dateline.", "Second line, about \"Text Company\".", "Third line: its plans."}

	t.Run("ErrParagraphCount", func(t *testing.T) {
		resp := editor.TryChangeset(t, textChangeset(text[:2]...))
		if len(resp.Errors) == 0 {
			t.Fatalf("a text of 2 paragraphs for a 3-paragraph source was applied")
		}
		e := resp.Errors[0]
		if e.Code() != "BAD_USER_INPUT" || e.Extensions["field"] != "input.yaml.source.text" || !strings.Contains(e.Message, "text has 2 paragraphs") {
			t.Errorf("error %+v, want BAD_USER_INPUT at input.yaml.source.text", e)
		}
		if got := srv.Do(t, citationTextQuery, map[string]any{"slug": "text-company"}); !strings.Contains(string(got.Data), `"company":null`) {
			t.Errorf("the refused changeset left data: %s", got.Data)
		}
	})
	t.Run("OK", func(t *testing.T) {
		editor.ApplyChangeset(t, textChangeset(text...))
		var got citationTexts
		srv.MustQuery(t, citationTextQuery, map[string]any{"slug": "text-company"}, &got)
		if len(got.Company.Citations) != 2 {
			t.Fatalf("citations %+v, want paragraphs 2 and 3", got.Company.Citations)
		}
		for _, c := range got.Company.Citations {
			if c.Text == nil || *c.Text != text[c.Paragraph-1] {
				t.Errorf("paragraph %d: text %v, want %q", c.Paragraph, c.Text, text[c.Paragraph-1])
			}
		}
	})
	t.Run("NullWithoutText", func(t *testing.T) {
		var got citationTexts
		srv.MustQuery(t, citationTextQuery, map[string]any{"slug": "citic-group"}, &got)
		if len(got.Company.Citations) == 0 {
			t.Fatal("citic-group has no citations")
		}
		for _, c := range got.Company.Citations {
			if c.Text != nil {
				t.Errorf("paragraph %d of the built-in seed has text %q, want null", c.Paragraph, *c.Text)
			}
		}
	})
}

// TestCitationText_Executors runs queries selecting Citation.text, on
// citations with and without text at several depths, on both executors:
// the compiled one answers them itself, with gqlgen's answers byte for
// byte.
func TestCitationText_Executors(t *testing.T) {
	fast, slow, logs := compiledPair(t)
	before := executorCounts(t, fast.Handler)["fast"]
	queries := []string{
		`{ company(slug: "citic-group") { citations { paragraph text } } }`,
		`{ person(slug: "xi-guohua") { positions { title citations { text source { id title } } } } }`,
		`{ project(slug: "caspi-bitum-expansion") { capacityHistory { value citation { paragraph text } } participants { citations { text } } } }`,
		`{ asOf(date: "2023-12-31") { company(slug: "citic-group") { citations { text } } } }`,
	}
	for i, q := range queries {
		if problem := compareExecutors(fast.Handler, slow, querygen.Query{Query: q}); problem != "" {
			t.Errorf("query %d: %s", i, problem)
		}
		after := executorCounts(t, fast.Handler)["fast"]
		if after != before+1 {
			t.Errorf("query %d ran on gqlgen's executor: %s", i, q)
		}
		before = after
	}
	if logs.String() != "" {
		t.Errorf("the servers logged errors:\n%s", logs.String())
	}
	var out struct {
		Company struct{ Citations []struct{ Text *string } }
	}
	fast.MustQuery(t, `{ company(slug: "citic-group") { citations { text } } }`, nil, &out)
	texts := 0
	for _, c := range out.Company.Citations {
		if c.Text != nil {
			texts++
		}
	}
	if texts == 0 || texts == len(out.Company.Citations) {
		t.Errorf("%d of %d citations have text, want some and not all", texts, len(out.Company.Citations))
	}
}
