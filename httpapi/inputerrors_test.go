package httpapi_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// goTypeNames are words of Go's that a message about a GraphQL value must
// not use.
var goTypeNames = regexp.MustCompile(`\b(u?int(8|16|32|64)?|float(32|64)|bool|slice|map|ptr|struct|interface)\b|json\.Number|\[\]|reflect\.`)

// maxMessageLength bounds the message of any bad-input error, however long
// the input it is about.
const maxMessageLength = 400

// TestBadInputMessages sends values of the wrong type, unknown enum values
// and huge inputs, as literals and as variables: each is refused as bad user
// input with a message in GraphQL's terms that says what was expected, what
// came, and for an enum what was meant, and that echoes no input whole.
func TestBadInputMessages(t *testing.T) {
	srv := graphtest.New(t)
	const (
		first     = `query($n: Int) { companies(first: $n) { totalCount } }`
		byName    = `query($s: String) { company(name: $s) { name } }`
		node      = `query($id: ID!) { node(id: $id) { id } }`
		asOf      = `query($d: PartialDate!) { asOf(date: $d) { __typename } }`
		filter    = `query($f: CompanyFilter) { companies(filter: $f) { totalCount } }`
		kind      = `query($k: CompanyKind!) { companies(filter: {kind: [$k]}) { totalCount } }`
		include   = `query($b: Boolean!) { __typename @include(if: $b) }`
		search    = `query($q: String!) { search(query: $q) { totalCount } }`
		after     = `query($c: String) { companies(after: $c) { totalCount } }`
		huge      = 900_000
		hugeCount = "(900000 characters)"
	)
	long := strings.Repeat("a", huge)
	for _, tc := range []struct {
		name  string
		query string
		vars  map[string]any
		code  string
		want  []string // substrings of the message
	}{
		{"IntGivenString", first, map[string]any{"n": "x"}, httpapi.CodeBadUserInput, []string{`variable $n: expected Int, got the string "x"`}},
		{"IntGivenList", first, map[string]any{"n": []any{1}}, httpapi.CodeBadUserInput, []string{"variable $n: expected Int, got a list"}},
		{"IntGivenFraction", first, map[string]any{"n": 1.5}, httpapi.CodeBadUserInput, []string{"expected Int, got the number 1.5, which is not a whole number"}},
		{"IntGivenHugeNumber", first, map[string]any{"n": 1e20}, httpapi.CodeBadUserInput, []string{"expected Int", "out of range for an Int"}},
		{"IntGivenBoolean", first, map[string]any{"n": true}, httpapi.CodeBadUserInput, []string{"expected Int, got true"}},
		{"IntGivenObject", first, map[string]any{"n": map[string]any{}}, httpapi.CodeBadUserInput, []string{"expected Int, got an object"}},
		{"IntLiteralGivenString", `{ companies(first: "x") { totalCount } }`, nil, httpapi.CodeBadUserInput, []string{`Int cannot represent non-integer value: "x"`}},
		{"StringGivenList", byName, map[string]any{"s": []any{"CITIC"}}, httpapi.CodeBadUserInput, []string{"variable $s: expected String, got a list"}},
		{"StringGivenObject", byName, map[string]any{"s": map[string]any{"name": "CITIC"}}, httpapi.CodeBadUserInput, []string{"expected String, got an object"}},
		{"BooleanGivenNumber", include, map[string]any{"b": 12}, httpapi.CodeBadUserInput, []string{"variable $b: expected Boolean, got the number 12"}},
		{"IDGivenNumber", node, map[string]any{"id": 12}, httpapi.CodeBadUserInput, []string{`invalid id "12"`}},
		{"IDGivenList", node, map[string]any{"id": []any{1}}, httpapi.CodeBadUserInput, []string{"variable $id: expected ID, got a list"}},
		{"IDMissing", node, nil, httpapi.CodeBadUserInput, []string{"variable $id of type ID! is required but was not given"}},
		{"IDNull", node, map[string]any{"id": nil}, httpapi.CodeBadUserInput, []string{"variable $id of type ID! must not be null"}},
		{"PartialDateGarbage", asOf, map[string]any{"d": "garbage"}, httpapi.CodeBadUserInput, []string{`invalid date "garbage"`, "YYYY-Qn"}},
		{"PartialDateGivenNumber", asOf, map[string]any{"d": 2024}, httpapi.CodeBadUserInput, []string{`a PartialDate must be a string such as "2024-Q4", got a number`}},
		{"PartialDateGivenList", asOf, map[string]any{"d": []any{2024}}, httpapi.CodeBadUserInput, []string{"got a list"}},
		{"PartialDateLiteralNumber", `{ asOf(date: 2024) { __typename } }`, nil, httpapi.CodeBadUserInput, []string{"got a number"}},
		{"InputObjectGivenString", filter, map[string]any{"f": "banks"}, httpapi.CodeBadUserInput, []string{`variable $f: expected a CompanyFilter object, got the string "banks"`}},
		{"InputObjectGivenList", filter, map[string]any{"f": []any{1}}, httpapi.CodeBadUserInput, []string{"expected a CompanyFilter object, got a list"}},
		{"InputObjectUnknownField", filter, map[string]any{"f": map[string]any{"nope": 1}}, httpapi.CodeBadUserInput,
			[]string{`variable $f: CompanyFilter has no field "nope"; its fields are country, kind, text`}},
		{"InputObjectLiteralUnknownField", `{ companies(filter: {nope: 1}) { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{`CompanyFilter has no field "nope"; its fields are country, kind, text`}},
		{"InputObjectLiteralMisspeltField", `{ companies(filter: {txt: "bank"}) { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{`CompanyFilter has no field "txt"; did you mean text?`}},

		{"EnumLiteralTypo", `{ companies(filter: {kind: STATE_OWNED}) { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{`CompanyKind has no value "STATE_OWNED"; did you mean STATE_OWNED_COMPANY?`}},
		{"EnumLiteralInList", `{ companies(filter: {kind: [BANK, STATE_OWNED]}) { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{"did you mean STATE_OWNED_COMPANY?"}},
		{"EnumLiteralLowerCase", `{ companies(filter: {kind: [state_owned_company]}) { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{"did you mean STATE_OWNED_COMPANY?"}},
		{"EnumLiteralQuoted", `{ companies(filter: {kind: "STATE_OWNED_COMPANY"}) { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{`CompanyKind values are written without quotes: STATE_OWNED_COMPANY, not "STATE_OWNED_COMPANY"`}},
		{"EnumLiteralQuotedTypo", `{ companies(filter: {kind: "STATE_OWNED"}) { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{`CompanyKind has no value "STATE_OWNED"; did you mean STATE_OWNED_COMPANY? (and without quotes)`}},
		{"EnumLiteralNumber", `{ companies(filter: {kind: 3}) { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{"expected a CompanyKind value, got 3; use one of COMPANY, STATE_OWNED_COMPANY,"}},
		{"EnumLiteralFarOff", `{ companies(orderBy: {field: FOUNDED}) { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{`CompanyOrderField has no value "FOUNDED"; use one of NAME,`}},
		{"EnumLiteralOrderField", `{ companies(orderBy: {field: NAM}) { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{"did you mean NAME?"}},
		{"EnumVariableTypo", kind, map[string]any{"k": "STATE_OWNED"}, httpapi.CodeBadUserInput,
			[]string{`variable $k: CompanyKind has no value "STATE_OWNED"; did you mean STATE_OWNED_COMPANY?`}},
		{"EnumVariableInInputObject", filter, map[string]any{"f": map[string]any{"kind": []any{"BANK", "STATE_OWNED"}}}, httpapi.CodeBadUserInput,
			[]string{`variable $f.kind[1]: CompanyKind has no value "STATE_OWNED"; did you mean STATE_OWNED_COMPANY?`}},
		{"EnumVariableGivenNumber", kind, map[string]any{"k": 3}, httpapi.CodeBadUserInput,
			[]string{"variable $k: expected a CompanyKind value, got the number 3; use one of COMPANY,"}},
		{"EnumVariableGivenList", kind, map[string]any{"k": []any{"BANK"}}, httpapi.CodeBadUserInput,
			[]string{"variable $k: expected a CompanyKind value, got a list"}},

		{"HugeSearch", search, map[string]any{"q": strings.Repeat("a ", huge/2)}, httpapi.CodeBadUserInput, []string{`search "a a a`, hugeCount, "at most 16 words"}},
		{"HugeSearchBadCharacter", search, map[string]any{"q": strings.Repeat("a(", huge/2)}, httpapi.CodeBadUserInput, []string{hugeCount, `remove the character(s) "("`}},
		{"HugeCursor", after, map[string]any{"c": long}, httpapi.CodeBadUserInput, []string{`invalid cursor "aaaa`, hugeCount}},
		{"HugeID", node, map[string]any{"id": long}, httpapi.CodeBadUserInput, []string{`invalid id "aaaa`, hugeCount}},
		{"HugePartialDate", asOf, map[string]any{"d": long}, httpapi.CodeBadUserInput, []string{`invalid date "aaaa`, hugeCount}},
		{"HugeEnumVariable", kind, map[string]any{"k": long}, httpapi.CodeBadUserInput, []string{`CompanyKind has no value "aaaa`, hugeCount}},
		{"HugeEnumLiteral", `{ companies(filter: {kind: ` + strings.Repeat("A", huge) + `}) { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{`CompanyKind has no value "AAAA`, hugeCount}},
		{"HugeStringLiteralForInt", `{ companies(first: "` + long + `") { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{`Int cannot represent non-integer value: "aaaa`, hugeCount}},
		{"HugeEnumLiteralForInt", `{ companies(first: ` + strings.Repeat("A", huge) + `) { totalCount } }`, nil, httpapi.CodeBadUserInput,
			[]string{"Int cannot represent non-integer value: AAAA", hugeCount}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := srv.Do(t, tc.query, tc.vars)
			if len(resp.Errors) == 0 {
				t.Fatalf("no error; data %s", resp.Data)
			}
			e := resp.Errors[0]
			if got := e.Code(); got != tc.code {
				t.Errorf("code = %s, want %s (message %.200q)", got, tc.code, e.Message)
			}
			if m := goTypeNames.FindString(e.Message); m != "" {
				t.Errorf("message %q names the Go type %q", e.Message, m)
			}
			if n := utf8.RuneCountInString(e.Message); n > maxMessageLength {
				t.Errorf("message of %d characters, want at most %d: %.200q", n, maxMessageLength, e.Message)
			}
			for _, want := range tc.want {
				if !strings.Contains(e.Message, want) {
					t.Errorf("message %q lacks %q", e.Message, want)
				}
			}
		})
	}
}
