package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// hubObjects is every object hubQuery resolves for the hub of hubSeed(40,
// 200): the company; its 40 participations and their projects; their 80
// participants and companies; and the projects of those, 40 for each of the
// hub's 40 appearances and 1 for each small company, with theirs.
const hubObjects = 1 + 40 + 40 + 80 + 80 + 2*(40*40+40)

func TestObjectLimit(t *testing.T) {
	vars := map[string]any{"slug": "hub"}
	t.Run("OK", func(t *testing.T) {
		srv := hubServer(t, httpapi.Options{Limits: httpapi.Limits{MaxObjects: hubObjects}})
		var got struct {
			Company struct {
				Projects []struct {
					Project struct {
						Participants []struct {
							Company struct{ Projects []struct{} }
						}
					}
				}
			}
		}
		srv.MustQuery(t, hubQuery, vars, &got)
		n := 0
		for _, p := range got.Company.Projects {
			for _, pp := range p.Project.Participants {
				n += len(pp.Company.Projects)
			}
		}
		if n != 40*40+40 {
			t.Errorf("the participants have %d projects in all, want %d", n, 40*40+40)
		}
	})

	t.Run("ErrOverLimit", func(t *testing.T) {
		// The estimate lets the query in: the hub's participants are not
		// named, so their projects are priced at the percentile, 1 each.
		srv := hubServer(t, httpapi.Options{Limits: httpapi.Limits{MaxObjects: 1000}})
		resp := srv.Do(t, hubQuery, vars)
		assertRequestError(t, resp, http.StatusUnprocessableEntity, httpapi.CodeObjectLimitExceeded)
		if resp.Cost() > 1000 {
			t.Fatalf("cost %d: the query should pass the estimate and meet the budget", resp.Cost())
		}
		e := resp.Errors[0]
		if len(resp.Errors) != 1 {
			t.Errorf("%d errors, want the one: %+v", len(resp.Errors), resp.Errors)
		}
		if !strings.Contains(e.Message, "1000 objects") || !strings.Contains(e.Message, "fewer nested lists") {
			t.Errorf("message %q does not give the limit and how to narrow the query", e.Message)
		}
		// The walk stopped at the level that went over, before loading the
		// level beneath it: the response was never built.
		if n, _ := e.Extensions["objects"].(float64); n <= 1000 || n >= hubObjects {
			t.Errorf("extensions.objects = %v, want between the limit and the %d of the whole response", e.Extensions["objects"], hubObjects)
		}
		// The budget is the request's: the next one starts afresh.
		srv.MustQuery(t, hubQuery, map[string]any{"slug": "small-001"}, nil)
	})

	t.Run("ErrCountedByResolvers", func(t *testing.T) {
		// Aggregates are no list the prefetch walk follows: the resolvers
		// count them, two objects per alias.
		srv := quietServer(t, httpapi.Options{Limits: httpapi.Limits{MaxObjects: 10}})
		var q strings.Builder
		q.WriteString("{")
		for i := range 6 {
			fmt.Fprintf(&q, " a%d: aggregates { counts { companies } }", i)
		}
		q.WriteString(" }")
		assertRequestError(t, srv.Do(t, q.String(), nil), http.StatusUnprocessableEntity, httpapi.CodeObjectLimitExceeded)
	})

	t.Run("Off", func(t *testing.T) {
		srv := hubServer(t, httpapi.Options{Limits: httpapi.Limits{MaxObjects: -1}})
		srv.MustQuery(t, hubQuery, vars, nil)
	})
}

func TestResponseLimit(t *testing.T) {
	q := `{ companies(first: 20) { edges { node { name description } } } }`
	srv := quietServer(t, httpapi.Options{Limits: httpapi.Limits{MaxResponseBytes: 1000}})
	t.Run("OK", func(t *testing.T) {
		srv.MustQuery(t, `{ company(slug: "citic-group") { name } }`, nil, nil)
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		resp := srv.Do(t, q, nil)
		assertRequestError(t, resp, http.StatusUnprocessableEntity, httpapi.CodeResponseTooLarge)
		if m := resp.Errors[0].Message; !strings.Contains(m, "limit of 1000") || !strings.Contains(m, "fewer fields") {
			t.Errorf("message %q does not give the limit and how to narrow the query", m)
		}
		if len(resp.Raw) > 1000 {
			t.Errorf("the refusal is %d bytes", len(resp.Raw))
		}
	})
	t.Run("Off", func(t *testing.T) {
		quietServer(t, httpapi.Options{Limits: httpapi.Limits{MaxResponseBytes: -1}}).MustQuery(t, q, nil, nil)
	})
}

func TestDeadlineBoundsWorkInGo(t *testing.T) {
	// With every other limit off, a hub of 300 projects makes hubQuery
	// resolve 181,801 objects in Go after a handful of statements: far more
	// work than the deadline allows. The request stops at the deadline with
	// one TIMEOUT error, however many resolvers it cut short.
	const timeout = 50 * time.Millisecond
	srv := graphtest.New(t, graphtest.WithSeed(hubSeed(300, 300)), graphtest.WithOptions(quiet(httpapi.Options{
		Limits: httpapi.Limits{Timeout: timeout, MaxObjects: -1, MaxCost: -1, MaxResponseBytes: -1},
	})))
	start := time.Now()
	resp := srv.Do(t, hubQuery, map[string]any{"slug": "hub"})
	elapsed := time.Since(start)
	assertRequestError(t, resp, http.StatusGatewayTimeout, httpapi.CodeTimeout)
	if len(resp.Errors) != 1 {
		t.Errorf("%d errors, want the one TIMEOUT", len(resp.Errors))
	}
	// Generous: the point is that the request does not run to completion,
	// which takes seconds (README's Budget paragraph gives the figures on
	// a large graph).
	if limit := timeout + 2*time.Second; elapsed > limit {
		t.Errorf("the request took %v, want under %v", elapsed, limit)
	}
}
