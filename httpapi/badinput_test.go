package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// nested returns a query that nests levels deep.
func nested(levels int) string {
	return `{ company(slug: "citic-group") {` + strings.Repeat(" parent {", levels-2) + " name" + strings.Repeat(" }", levels-2) + " } }"
}

// fragmentBomb returns a query whose fragments each spread the next twice:
// 40 lines that expand to 2^30 fields.
func fragmentBomb() string {
	var b strings.Builder
	b.WriteString("{ ...F0 }")
	for i := range 30 {
		fmt.Fprintf(&b, " fragment F%d on Query { ...F%d ...F%d }", i, i+1, i+1)
	}
	b.WriteString(" fragment F30 on Query { __typename }")
	return b.String()
}

// aliased returns a query with n aliased fields.
func aliased(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: __typename", i)
	}
	b.WriteString(" }")
	return b.String()
}

func jsonBody(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestHostileRequests sends each kind of hostile or broken request with the
// default limits: each gets its status and a coded GraphQL error, runs no
// SQL, and leaves the server answering the next query.
func TestHostileRequests(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		code                    string
	}{
		{"OversizedBody", mediaJSON, `{"query":"{ __typename }","variables":{"x":"` + strings.Repeat("x", 2<<20) + `"}}`,
			http.StatusRequestEntityTooLarge, httpapi.CodeRequestTooLarge},
		{"TextPlain", "text/plain", `{"query":"{ __typename }"}`, http.StatusUnsupportedMediaType, httpapi.CodeUnsupportedMediaType},
		{"FormEncoded", "application/x-www-form-urlencoded", `query=%7B__typename%7D`, http.StatusUnsupportedMediaType, httpapi.CodeUnsupportedMediaType},
		{"InvalidJSON", mediaJSON, `{"query": "{ __typename }", }`, http.StatusBadRequest, httpapi.CodeBadRequest},
		{"NotUTF8JSON", mediaJSON, "\xff\xfe{\x00", http.StatusBadRequest, httpapi.CodeBadRequest},
		{"VariablesOfWrongType", mediaJSON, jsonBody(t, map[string]any{
			"query":     `query($first: Int, $id: ID!) { companies(first: $first) { totalCount } node(id: $id) { id } }`,
			"variables": map[string]any{"first": "ten", "id": []int{1}},
		}), http.StatusBadRequest, httpapi.CodeBadUserInput},
		{"Nested1000Levels", mediaJSON, jsonBody(t, map[string]string{"query": nested(1000)}), http.StatusBadRequest, httpapi.CodeDepthLimitExceeded},
		{"TenThousandAliases", mediaJSON, jsonBody(t, map[string]string{"query": aliased(10_000)}), http.StatusBadRequest, httpapi.CodeTokenLimitExceeded},
		{"FragmentBomb", mediaJSON, jsonBody(t, map[string]string{"query": fragmentBomb()}), http.StatusBadRequest, httpapi.CodeQueryTooComplex},
		{"RepeatedField", mediaJSON, jsonBody(t, map[string]string{"query": "{" + strings.Repeat(" __typename", 3000) + " }"}),
			http.StatusBadRequest, httpapi.CodeQueryTooComplex},
		{"RepeatedNestedField", mediaJSON, jsonBody(t, map[string]string{"query": "{" + strings.Repeat(" companies { edges { node { name } } }", 300) + " }"}),
			http.StatusBadRequest, httpapi.CodeQueryTooComplex},
		{"FiveMegabyteString", mediaJSON, jsonBody(t, map[string]string{"query": `{ company(name: "` + strings.Repeat("a", 5<<20) + `") { name } }`}),
			http.StatusRequestEntityTooLarge, httpapi.CodeRequestTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.Store.Statements()
			resp := srv.Send(t, request(t, srv, http.MethodPost, tc.contentType, mediaResponse, tc.body))
			assertRequestError(t, resp, tc.status, tc.code)
			if srv.Store.Statements() != before {
				t.Error("SQL ran for a rejected request")
			}
			var got struct{ Company struct{ Name string } }
			srv.MustQuery(t, `{ company(name: "CITIC") { name } }`, nil, &got)
			if got.Company.Name != "CITIC Group" {
				t.Errorf("after the bad request, company = %+v", got)
			}
		})
	}
}

// TestHostileDocumentsWithLooseLimits raises the outer limits to show the
// inner ones hold on their own: aliases are counted before validation (which
// is quadratic in the fields of a selection), and a 5 MB literal within the
// body limit is just a long, harmless argument.
func TestHostileDocumentsWithLooseLimits(t *testing.T) {
	srv := quietServer(t, httpapi.Options{Limits: httpapi.Limits{MaxTokens: 100_000, MaxBodyBytes: 8 << 20}})
	before := srv.Store.Statements()
	resp := srv.Do(t, aliased(10_000), nil)
	assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodeAliasLimitExceeded)
	if srv.Store.Statements() != before {
		t.Error("SQL ran for a rejected request")
	}
	var got struct{ Company *struct{ Name string } }
	srv.MustQuery(t, `query($n: String) { company(name: $n) { name } }`, map[string]any{"n": strings.Repeat("a", 5<<20)}, &got)
	if got.Company != nil {
		t.Errorf("a 5 MB name found %+v", got.Company)
	}
	graphtest.New(t).MustQuery(t, `{ __typename }`, nil, nil)
}
