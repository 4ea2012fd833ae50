package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
)

// connections are the paged root fields, each with the arguments that make
// its list long enough to page and a selection naming each node.
var connections = []struct{ field, args, node string }{
	{"companies", "", "node { id }"},
	{"companies", `orderBy: {field: COUNTRY, direction: DESC}`, "node { id }"},
	{"people", "", "node { id }"},
	{"projects", "", "node { id }"},
	{"meetings", "", "node { id }"},
	{"agreements", "", "node { id }"},
	{"sources", "", "node { id }"},
	{"search", `query: "kaz*"`, "node { ... on Node { id } }"},
	{"timeline", "", "node { date kind title }"},
}

// connectionPage is one page of any connection, its nodes as raw JSON.
type connectionPage struct {
	TotalCount int
	Edges      []struct {
		Cursor string
		Node   map[string]any
	}
	PageInfo struct {
		HasNextPage, HasPreviousPage bool
		StartCursor, EndCursor       *string
	}
}

func pageOf(t *testing.T, srv *graphtest.Server, field, args, node string, vars map[string]any) connectionPage {
	t.Helper()
	if args != "" {
		args += ", "
	}
	q := fmt.Sprintf(`query($first: Int, $after: String, $last: Int, $before: String) {
		list: %s(%sfirst: $first, after: $after, last: $last, before: $before) {
			totalCount edges { cursor %s } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, field, args, node)
	var got struct{ List connectionPage }
	srv.MustQuery(t, q, vars, &got)
	p := got.List
	if n := len(p.Edges); n > 0 {
		if p.PageInfo.StartCursor == nil || *p.PageInfo.StartCursor != p.Edges[0].Cursor ||
			p.PageInfo.EndCursor == nil || *p.PageInfo.EndCursor != p.Edges[n-1].Cursor {
			t.Errorf("%s: startCursor/endCursor %v/%v are not the first and last edges' cursors", field, p.PageInfo.StartCursor, p.PageInfo.EndCursor)
		}
	} else if p.PageInfo.StartCursor != nil || p.PageInfo.EndCursor != nil {
		t.Errorf("%s: an empty page has cursors", field)
	}
	return p
}

func nodeKeys(p connectionPage) []string {
	var keys []string
	for _, e := range p.Edges {
		keys = append(keys, fmt.Sprint(e.Node))
	}
	return keys
}

// TestBackwardPaging walks every connection forward with first/after and
// backward with last/before, at several page sizes: both walks must list
// the same nodes in the same order as one large page does.
func TestBackwardPaging(t *testing.T) {
	srv := graphtest.New(t)
	for _, c := range connections {
		t.Run(c.field+c.args, func(t *testing.T) {
			all := pageOf(t, srv, c.field, c.args, c.node, map[string]any{"first": 100})
			want := nodeKeys(all)
			if len(want) < 4 || len(want) != all.TotalCount {
				t.Fatalf("%d nodes of totalCount %d: too few to page, or not all", len(want), all.TotalCount)
			}
			for _, n := range []int{1, 3, len(want) - 1, 100} {
				var forward []string
				vars := map[string]any{"first": n}
				for range 200 {
					p := pageOf(t, srv, c.field, c.args, c.node, vars)
					if got, want := p.PageInfo.HasPreviousPage, vars["after"] != nil; got != want {
						t.Errorf("first %d: hasPreviousPage = %v after %v", n, got, vars["after"])
					}
					forward = append(forward, nodeKeys(p)...)
					if !p.PageInfo.HasNextPage {
						break
					}
					vars["after"] = *p.PageInfo.EndCursor
				}
				if !slices.Equal(forward, want) {
					t.Errorf("forward by %d: %s", n, listDiff(forward, want))
				}

				var pages [][]string
				vars = map[string]any{"last": n}
				for range 200 {
					p := pageOf(t, srv, c.field, c.args, c.node, vars)
					if len(p.Edges) > n {
						t.Fatalf("last %d gave %d edges", n, len(p.Edges))
					}
					if vars["before"] != nil && !p.PageInfo.HasNextPage {
						t.Errorf("last %d: hasNextPage = false on a page before a cursor", n)
					}
					pages = append([][]string{nodeKeys(p)}, pages...)
					if !p.PageInfo.HasPreviousPage {
						break
					}
					vars["before"] = *p.PageInfo.StartCursor
				}
				if got := slices.Concat(pages...); !slices.Equal(got, want) {
					t.Errorf("backward by %d: %s", n, listDiff(got, want))
				}
			}

			// after and before together bound a window, from either end.
			after, before := all.Edges[0].Cursor, all.Edges[3].Cursor
			for _, vars := range []map[string]any{
				{"first": 100, "after": after, "before": before},
				{"last": 100, "after": after, "before": before},
				{"first": 1, "after": after, "before": before},
			} {
				got := nodeKeys(pageOf(t, srv, c.field, c.args, c.node, vars))
				w := want[1:3]
				if vars["first"] == 1 {
					w = want[1:2]
				}
				if !slices.Equal(got, w) {
					t.Errorf("window %v = %v, want %v", vars, got, w)
				}
			}
		})
	}
}

// listDiff describes where got first differs from want.
func listDiff(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("item %d is %s, want %s", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("%d items, want %d", len(got), len(want))
}

func TestBackwardPagingErrors(t *testing.T) {
	srv := graphtest.New(t)
	for _, c := range connections {
		args := c.args
		if args != "" {
			args += ", "
		}
		for name, tc := range map[string]struct{ args, mention string }{
			"ErrFirstAndLast": {"first: 2, last: 2", "not both"},
			"ErrLastTooLarge": {"last: 101", "last must be at most 100"},
			"ErrLastNegative": {"last: -1", "last must not be negative"},
			"ErrBadBefore":    {`last: 2, before: "nonsense"`, "cursor"},
		} {
			t.Run(c.field+"/"+name, func(t *testing.T) {
				e := srv.MustFail(t, fmt.Sprintf(`{ %s(%s%s) { totalCount } }`, c.field, args, tc.args), nil)
				if e.Code() != "BAD_USER_INPUT" || !strings.Contains(e.Message, tc.mention) {
					t.Errorf("error %q (%s), want BAD_USER_INPUT mentioning %q", e.Message, e.Code(), tc.mention)
				}
			})
		}
	}
}
