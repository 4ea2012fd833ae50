package httpapi_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// costs11 costs 1 + 5*(1+1) = 11 points.
const costs11 = `{ companies(first: 5) { edges { node { name } } } }`

// postAs sends a query with a bearer token.
func postAs(t testing.TB, srv *graphtest.Server, token, query string) *graphtest.Response {
	t.Helper()
	req := request(t, srv, http.MethodPost, mediaJSON, mediaResponse, jsonBody(t, map[string]string{"query": query}))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return srv.Send(t, req)
}

func TestRateLimit(t *testing.T) {
	// A budget of 30 points that refills too slowly to matter in the test.
	srv := quietServer(t, httpapi.Options{
		Limits:    httpapi.Limits{MaxCost: 30},
		RateLimit: httpapi.RateLimit{PerSecond: 0.001, Burst: 30, ByToken: true},
	})
	for i := range 2 {
		if resp := postAs(t, srv, "alice", costs11); resp.Status != http.StatusOK || len(resp.Errors) > 0 {
			t.Fatalf("request %d: status %d, errors %+v", i, resp.Status, resp.Errors)
		}
	}
	// 22 points spent, 8 left: the next 11-point query is refused.
	before := srv.Store.Statements()
	resp := postAs(t, srv, "alice", costs11)
	assertRequestError(t, resp, http.StatusTooManyRequests, httpapi.CodeRateLimited)
	if srv.Store.Statements() != before {
		t.Error("SQL ran for a rate-limited request")
	}
	retry, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || retry < 1 {
		t.Errorf("Retry-After = %q, want whole seconds", resp.Header.Get("Retry-After"))
	}
	// 3 points at 0.001 per second take 3000 s to come back.
	if retry < 2900 || retry > 3100 {
		t.Errorf("Retry-After = %d s, want about 3000", retry)
	}

	t.Run("CheapQueriesStillRun", func(t *testing.T) {
		if resp := postAs(t, srv, "alice", `{ __typename }`); resp.Status != http.StatusOK {
			t.Errorf("a 1-point query got %d with 7 points left", resp.Status)
		}
	})
	t.Run("OtherClientsUnaffected", func(t *testing.T) {
		if resp := postAs(t, srv, "bob", costs11); resp.Status != http.StatusOK {
			t.Errorf("another token got %d", resp.Status)
		}
	})
	t.Run("BudgetInExtensions", func(t *testing.T) {
		resp := postAs(t, srv, "carol", costs11)
		rl, _ := resp.Extensions["rateLimit"].(map[string]any)
		if rl["limit"] != float64(30) || rl["remaining"] != float64(19) {
			t.Errorf("extensions.rateLimit = %v, want limit 30, remaining 19", rl)
		}
	})
	t.Run("JSONMediaTypeToo", func(t *testing.T) {
		req := request(t, srv, http.MethodPost, mediaJSON, mediaJSON, jsonBody(t, map[string]string{"query": costs11}))
		req.Header.Set("Authorization", "Bearer alice")
		assertRequestError(t, srv.Send(t, req), http.StatusTooManyRequests, httpapi.CodeRateLimited)
	})
	t.Run("Metric", func(t *testing.T) {
		if got := metricValue(t, srv, "investgraph_rate_limited_total"); got != 2 {
			t.Errorf("investgraph_rate_limited_total = %v, want 2", got)
		}
	})
}

func TestRateLimitByAddress(t *testing.T) {
	// Without ByToken, tokens do not buy a fresh budget.
	srv := quietServer(t, httpapi.Options{
		Limits:    httpapi.Limits{MaxCost: 15},
		RateLimit: httpapi.RateLimit{PerSecond: 0.001, Burst: 15},
	})
	if resp := postAs(t, srv, "alice", costs11); resp.Status != http.StatusOK {
		t.Fatalf("first request: %d", resp.Status)
	}
	assertRequestError(t, postAs(t, srv, "bob", costs11), http.StatusTooManyRequests, httpapi.CodeRateLimited)
}

func TestRateLimitJunkCostsAPoint(t *testing.T) {
	// Every request spends a point before its body is read, so a flood of
	// unparseable requests is throttled too.
	srv := quietServer(t, httpapi.Options{
		Limits:    httpapi.Limits{MaxCost: 3},
		RateLimit: httpapi.RateLimit{PerSecond: 0.001, Burst: 3},
	})
	for range 3 {
		resp := srv.Send(t, request(t, srv, http.MethodPost, mediaJSON, mediaResponse, `{ not json`))
		assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodeBadRequest)
	}
	resp := srv.Send(t, request(t, srv, http.MethodPost, mediaJSON, mediaResponse, `{ not json`))
	assertRequestError(t, resp, http.StatusTooManyRequests, httpapi.CodeRateLimited)
}

// metricValue reads one unlabelled sample from /metrics.
func metricValue(t testing.TB, srv *graphtest.Server, name string) float64 {
	t.Helper()
	body := srv.Fetch(t, "/metrics")
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return f
		}
	}
	t.Fatalf("no %s in /metrics", name)
	return 0
}

// postVarsAs sends a query with variables and a bearer token.
func postVarsAs(t testing.TB, srv *graphtest.Server, token, query string, vars map[string]any) *graphtest.Response {
	t.Helper()
	req := request(t, srv, http.MethodPost, mediaJSON, mediaResponse, jsonBody(t, map[string]any{"query": query, "variables": vars}))
	req.Header.Set("Authorization", "Bearer "+token)
	return srv.Send(t, req)
}

// budgetLeft reads extensions.rateLimit.remaining.
func budgetLeft(t testing.TB, resp *graphtest.Response) int {
	t.Helper()
	rl, _ := resp.Extensions["rateLimit"].(map[string]any)
	n, ok := rl["remaining"].(float64)
	if !ok {
		t.Fatalf("no extensions.rateLimit.remaining: %s", truncate(resp.Raw))
	}
	return int(n)
}

func TestRateLimitChargesObjectsResolved(t *testing.T) {
	// hubQuery for the hub is priced hubCost(40), as its participants are
	// not named, and resolves hubObjects, ten times as many.
	hub := map[string]any{"slug": "hub"}
	const burst = 5000
	srv := hubServer(t, httpapi.Options{
		Limits:    httpapi.Limits{MaxCost: burst},
		RateLimit: httpapi.RateLimit{PerSecond: 0.001, Burst: burst, ByToken: true},
	})

	resp := postVarsAs(t, srv, "alice", hubQuery, hub)
	if resp.Status != http.StatusOK || len(resp.Errors) > 0 {
		t.Fatalf("status %d, errors %+v", resp.Status, resp.Errors)
	}
	if got, want := resp.Cost(), hubCost(40); got != want {
		t.Errorf("extensions.cost = %d, want the estimate %d", got, want)
	}
	if got, want := resp.Extensions["actualCost"], float64(hubObjects); got != want {
		t.Errorf("extensions.actualCost = %v, want the %v objects resolved", got, want)
	}
	left := burst - hubObjects
	if got := budgetLeft(t, resp); got != left {
		t.Errorf("remaining = %d, want %d: the objects resolved are charged, not the estimate of %d", got, left, hubCost(40))
	}

	t.Run("CheapPaysItsEstimate", func(t *testing.T) {
		// A query that resolves fewer objects than its estimate pays the
		// estimate: it also prices work that objects do not count.
		resp := postAs(t, srv, "bob", `{ companies(first: 50, filter: {text: "no such company"}) { edges { node { name } } } }`)
		if len(resp.Errors) > 0 {
			t.Fatalf("errors: %+v", resp.Errors)
		}
		if got := resp.Extensions["actualCost"]; got != float64(1) {
			t.Errorf("actualCost = %v, want 1 (an empty page)", got)
		}
		if got, want := budgetLeft(t, resp), burst-resp.Cost(); got != want || resp.Cost() <= 1 {
			t.Errorf("remaining = %d, want %d: the estimate of %d", got, want, resp.Cost())
		}
	})

	t.Run("ErrAllowanceSpent", func(t *testing.T) {
		// The budget no longer holds the query's objects: it is stopped
		// while it runs, charged what it had reached, and refused.
		before := srv.Store.Statements()
		resp := postVarsAs(t, srv, "alice", hubQuery, hub)
		assertRequestError(t, resp, http.StatusTooManyRequests, httpapi.CodeRateLimited)
		if !strings.Contains(resp.Errors[0].Message, fmt.Sprintf("%d objects", left)) {
			t.Errorf("message %q does not name the %d objects the budget held", resp.Errors[0].Message, left)
		}
		if srv.Store.Statements() == before {
			t.Error("no SQL ran: the request should have been stopped while running, not before")
		}
		if retry, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || retry < 1000 {
			t.Errorf("Retry-After = %q, want the time to regain thousands of points at 0.001/s", resp.Header.Get("Retry-After"))
		}
	})

	t.Run("ErrInDebt", func(t *testing.T) {
		// The stopped request left the budget in debt: even a cheap query
		// is refused before it runs.
		before := srv.Store.Statements()
		resp := postAs(t, srv, "alice", costs11)
		assertRequestError(t, resp, http.StatusTooManyRequests, httpapi.CodeRateLimited)
		if srv.Store.Statements() != before {
			t.Error("SQL ran for a client in debt")
		}
	})

	t.Run("OtherClientsUnaffected", func(t *testing.T) {
		resp := postVarsAs(t, srv, "carol", hubQuery, hub)
		if resp.Status != http.StatusOK || len(resp.Errors) > 0 {
			t.Errorf("another token: status %d, errors %+v", resp.Status, resp.Errors)
		}
	})
}
