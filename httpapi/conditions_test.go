package httpapi_test

import (
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// TestNullConditionVariable sends an explicit null for a variable that
// @include or @skip reads, on a field, an inline fragment and a fragment
// spread, to both executors: a BAD_USER_INPUT request error naming the
// variable, not an internal error. The same variable left out takes its
// default.
func TestNullConditionVariable(t *testing.T) {
	queries := []string{
		`query($c: Boolean = true) { company(slug: "citic-group") { name @include(if: $c) } }`,
		`query($c: Boolean = false) { company(slug: "citic-group") { ... on Company @skip(if: $c) { name } } }`,
		`query($c: Boolean = true) { company(slug: "citic-group") { ...N @include(if: $c) } } fragment N on Company { name }`,
	}
	for _, executor := range []string{"fast", "gqlgen"} {
		srv := graphtest.New(t, graphtest.WithOptions(httpapi.Options{Executor: executor}))
		for _, q := range queries {
			e := srv.MustFail(t, q, map[string]any{"c": nil})
			if e.Code() != "BAD_USER_INPUT" || !strings.Contains(e.Message, "$c is null") {
				t.Errorf("%s: %s: %s (%s), want BAD_USER_INPUT naming $c", executor, q, e.Message, e.Code())
			}
			var out struct{ Company struct{ Name string } }
			srv.MustQuery(t, q, nil, &out)
			if out.Company.Name != "CITIC Group" {
				t.Errorf("%s: %s without the variable: name %q, want the default to include it", executor, q, out.Company.Name)
			}
		}
	}
}
