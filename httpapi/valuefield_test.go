package httpapi_test

import (
	"testing"

	"github.com/investgraph/investgraph/httpapi"
)

// TestBadValueField names the place of a bad input value in
// extensions.field, as an application error names its own: from the
// argument down for a literal, from the variable down for a variable.
func TestBadValueField(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	alice := srv.Editor(t, "alice")
	const apply = `mutation($in: ChangesetInput!) { applyChangeset(input: $in) { replayed } }`
	for _, tc := range []struct {
		name  string
		query string
		vars  map[string]any
		field string
	}{
		{"LiteralWrongType", `mutation { applyChangeset(input: {changeset: {source: {slug: "x", paragraphs: "x"}}, message: "m"}) { replayed } }`, nil,
			"input.changeset.source.paragraphs"},
		{"LiteralUnknownField", `mutation { applyChangeset(input: {changeset: {companies: [{slug: "a"}, {slug: "b", colour: "red"}]}, message: "m"}) { replayed } }`, nil,
			"input.changeset.companies[1].colour"},
		{"LiteralInList", `mutation { applyChangeset(input: {changeset: {companies: [{slug: "a", cite: [1, "two"]}]}, message: "m"}) { replayed } }`, nil,
			"input.changeset.companies[0].cite[1]"},
		{"LiteralEnum", `{ companies(filter: {kind: BAKN}) { totalCount } }`, nil, "filter.kind"},
		{"Variable", apply, map[string]any{"in": map[string]any{"message": "m", "changeset": map[string]any{"people": []any{map[string]any{"cite": "one"}}}}},
			"in.changeset.people[0].cite"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := alice.Do(t, tc.query, tc.vars)
			if len(resp.Errors) == 0 {
				t.Fatalf("no error: %s", resp.Raw)
			}
			if e := resp.Errors[0]; e.Code() != httpapi.CodeBadUserInput || e.Extensions["field"] != tc.field {
				t.Errorf("error %s (code %s, field %v), want BAD_USER_INPUT at %s", e.Message, e.Code(), e.Extensions["field"], tc.field)
			}
		})
	}
}
