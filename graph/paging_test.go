package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
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
				// Every page is full but the last, which is not empty and
				// says there is no next page.
				wantPages := (len(want) + n - 1) / n
				var forward []string
				vars := map[string]any{"first": n}
				pages := 0
				for range 200 {
					p := pageOf(t, srv, c.field, c.args, c.node, vars)
					pages++
					if len(p.Edges) == 0 || (p.PageInfo.HasNextPage && len(p.Edges) != n) {
						t.Errorf("first %d: page %d has %d edges, hasNextPage %v", n, pages, len(p.Edges), p.PageInfo.HasNextPage)
					}
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
				if pages != wantPages {
					t.Errorf("forward by %d: %d pages, want %d", n, pages, wantPages)
				}

				var backward [][]string
				vars = map[string]any{"last": n}
				for range 200 {
					p := pageOf(t, srv, c.field, c.args, c.node, vars)
					if len(p.Edges) > n || len(p.Edges) == 0 || (p.PageInfo.HasPreviousPage && len(p.Edges) != n) {
						t.Fatalf("last %d gave %d edges, hasPreviousPage %v", n, len(p.Edges), p.PageInfo.HasPreviousPage)
					}
					if got, want := p.PageInfo.HasNextPage, vars["before"] != nil; got != want {
						t.Errorf("last %d: hasNextPage = %v before %v", n, got, vars["before"])
					}
					backward = append([][]string{nodeKeys(p)}, backward...)
					if !p.PageInfo.HasPreviousPage {
						break
					}
					vars["before"] = *p.PageInfo.StartCursor
				}
				if got := slices.Concat(backward...); !slices.Equal(got, want) {
					t.Errorf("backward by %d: %s", n, listDiff(got, want))
				}
				if len(backward) != wantPages {
					t.Errorf("backward by %d: %d pages, want %d", n, len(backward), wantPages)
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

// TestRankedAndDatedOrder checks the order of the lists without an orderBy:
// search results by falling score, timeline events by the first day of
// their date.
func TestRankedAndDatedOrder(t *testing.T) {
	srv := graphtest.New(t)
	var got struct {
		Search struct {
			Edges []struct{ Score float64 }
		}
		Timeline struct {
			Edges []struct{ Node struct{ Date string } }
		}
	}
	srv.MustQuery(t, `{ search(query: "kaz*", first: 100) { edges { score } } timeline(first: 100) { edges { node { date } } } }`, nil, &got)
	if len(got.Search.Edges) < 4 || len(got.Timeline.Edges) < 20 {
		t.Fatalf("%d search results and %d events: too few to check an order", len(got.Search.Edges), len(got.Timeline.Edges))
	}
	for i := 1; i < len(got.Search.Edges); i++ {
		if a, b := got.Search.Edges[i-1].Score, got.Search.Edges[i].Score; a < b {
			t.Errorf("search result %d scores %v, more than %v before it", i, b, a)
		}
	}
	for i := 1; i < len(got.Timeline.Edges); i++ {
		a, b := got.Timeline.Edges[i-1].Node.Date, got.Timeline.Edges[i].Node.Date
		if db.MustParsePartialDate(a).Start() > db.MustParsePartialDate(b).Start() {
			t.Errorf("timeline event %d, dated %s, comes after one dated %s", i, b, a)
		}
	}
}
