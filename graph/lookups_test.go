package graph_test

import (
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
)

// TestLookupNeedsOneArgument checks that a root lookup given none or two
// of its keys is refused with a message naming the keys that field takes.
func TestLookupNeedsOneArgument(t *testing.T) {
	srv := graphtest.New(t)
	for _, tc := range []struct{ query, want string }{
		{`{ company { name } }`, "give exactly one of id, slug or name"},
		{`{ company(slug: "citic-group", name: "CITIC") { name } }`, "give exactly one of id, slug or name"},
		{`{ person { name } }`, "give exactly one of id, slug or name"},
		{`{ project(slug: "x", id: "eA") { name } }`, "give exactly one of id, slug or name"},
		{`{ agreement { title } }`, "give exactly one of id or slug"},
	} {
		e := srv.MustFail(t, tc.query, nil)
		if e.Code() != "BAD_USER_INPUT" || !strings.Contains(e.Message, tc.want) || strings.Contains(e.Message, "name") != strings.Contains(tc.want, "name") {
			t.Errorf("%s: %s %q, want BAD_USER_INPUT saying %q", tc.query, e.Code(), e.Message, tc.want)
		}
	}
}
