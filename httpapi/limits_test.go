package httpapi_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// citic is the global ID of CITIC Group.
const citic = "Q29tcGFueTpjaXRpYy1ncm91cA"

func TestCost(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	stats, err := srv.Store.Statistics(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// Unpaged lists are priced by the data: CITIC's own subsidiaries, and
	// for companies no root field names, what 99% of companies stay within.
	citicSubsidiaries, _ := stats.ChildrenOf("Company.subsidiaries", "citic-group", "")
	projects := int(stats.Lists["Company.projects"].P99)
	subsidiaries := int(citicSubsidiaries)
	if subsidiaries == 0 || projects == 0 {
		t.Fatalf("statistics of the seed: %d CITIC subsidiaries, 99th percentile of projects %d; want both above 0", subsidiaries, projects)
	}
	for _, tc := range []struct {
		name  string
		query string
		vars  map[string]any
		want  int
	}{
		{"ScalarsAreFree", `{ __typename }`, nil, 0},
		{"Object", `{ company(slug: "citic-group") { name kind } }`, nil, 1},
		{"ConnectionByFirst", `{ companies(first: 5) { edges { node { name } } } }`, nil, 1 + 5*(1+1)},
		{"ConnectionByVariable", `query($n: Int) { companies(first: $n) { edges { node { name } } } }`, map[string]any{"n": 7}, 1 + 7*(1+1)},
		{"ConnectionDefaultPage", `{ companies { edges { node { name } } } }`, nil, 1 + 20*(1+1)},
		{"FirstCappedAtMaxPage", `{ companies(first: 500) { totalCount } }`, nil, 1},
		{"PlainListOfNamedObject", `{ company(slug: "citic-group") { subsidiaries { parent { name } } } }`, nil, 1 + (1 + subsidiaries*1)},
		{"PlainListWithoutStatisticsAssumesTen", `{ neighborhood(id: "` + citic + `", limit: 1) { relationships { type } } }`, nil, 1 + 1*(1+10*1)},
		{"ListOfScalars", `{ company(slug: "citic-group") { aliases } }`, nil, 1 + 1},
		{"ListArgument", `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Company { parent { name } } } }`,
			map[string]any{"ids": []string{citic, citic, citic}}, 1 + 3*1},
		{"ListObjectsCostOneEach", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
			map[string]any{"ids": []string{citic, citic, citic, citic}}, 1 + 4*1},
		{"PlainListOfObjects", `{ company(slug: "citic-group") { subsidiaries { name } } }`, nil, 1 + (1 + subsidiaries*1)},
		{"Nested", `{ companies(first: 2) { edges { node { projects { project { name } } } } } }`, nil, 1 + 2*(1+(1+(1+projects*(1))))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := srv.Do(t, tc.query, tc.vars)
			if got := resp.Cost(); got != tc.want {
				t.Errorf("extensions.cost = %d, want %d (errors: %+v)", got, tc.want, resp.Errors)
			}
		})
	}
}

func TestCostLimit(t *testing.T) {
	srv := quietServer(t, httpapi.Options{Limits: httpapi.Limits{MaxCost: 100}})
	q := `query($n: Int) { companies(first: $n) { edges { node { name } } } }`
	t.Run("OK", func(t *testing.T) {
		resp := srv.MustQuery(t, q, map[string]any{"n": 40}, nil)
		if resp.Cost() != 81 {
			t.Errorf("cost = %d, want 81", resp.Cost())
		}
	})
	t.Run("ErrOverLimit", func(t *testing.T) {
		before := srv.Store.Statements()
		resp := srv.Do(t, q, map[string]any{"n": 60})
		assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodeCostLimitExceeded)
		if resp.Cost() != 121 {
			t.Errorf("a rejected request reports cost %d, want 121", resp.Cost())
		}
		if srv.Store.Statements() != before {
			t.Error("SQL ran for a query over the cost limit")
		}
	})
}

func TestDepthLimit(t *testing.T) {
	srv := quietServer(t, httpapi.Options{Limits: httpapi.Limits{MaxDepth: 3}})
	for _, tc := range []struct {
		name, query string
		ok          bool
	}{
		{"AtLimit", `{ company(slug: "citic-group") { parent { name } } }`, true},
		{"ErrOverLimit", `{ company(slug: "citic-group") { parent { parent { name } } } }`, false},
		{"ErrThroughFragments", `{ ...Q } fragment Q on Query { company(slug: "citic-group") { ...C } } fragment C on Company { parent { parent { name } } }`, false},
		{"ErrThroughInlineFragment", `{ node(id: "` + citic + `") { ... on Company { parent { parent { name } } } } }`, false},
		{"FragmentSpreadTwice", `{ a: company(slug: "citic-group") { ...C } b: company(slug: "kazmunaygas") { ...C } } fragment C on Company { parent { name } }`, true},
		{"IntrospectionNotCounted", `{ __type(name: "Company") { fields { type { ofType { ofType { name } } } } } }`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.Store.Statements()
			resp := srv.Do(t, tc.query, nil)
			if tc.ok {
				if len(resp.Errors) > 0 {
					t.Errorf("errors: %+v", resp.Errors)
				}
				return
			}
			assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodeDepthLimitExceeded)
			if srv.Store.Statements() != before {
				t.Error("SQL ran for a query over the depth limit")
			}
		})
	}
	t.Run("ErrFragmentCycle", func(t *testing.T) {
		resp := srv.Do(t, `{ company(slug: "citic-group") { ...A } } fragment A on Company { parent { ...A } }`, nil)
		assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodeValidationFailed)
	})
}

func TestAliasLimit(t *testing.T) {
	srv := quietServer(t, httpapi.Options{Limits: httpapi.Limits{MaxAliases: 3}})
	t.Run("AtLimit", func(t *testing.T) {
		srv.MustQuery(t, `{ a: __typename b: __typename c: company(slug: "citic-group") { name } }`, nil, nil)
	})
	t.Run("ErrOverLimit", func(t *testing.T) {
		resp := srv.Do(t, `{ a: __typename b: __typename c: __typename d: __typename }`, nil)
		assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodeAliasLimitExceeded)
	})
	t.Run("ErrInFragments", func(t *testing.T) {
		resp := srv.Do(t, `{ a: __typename ...F } fragment F on Query { b: __typename c: __typename d: __typename }`, nil)
		assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodeAliasLimitExceeded)
	})
}

func TestTokenLimit(t *testing.T) {
	srv := quietServer(t, httpapi.Options{Limits: httpapi.Limits{MaxTokens: 20}})
	t.Run("OK", func(t *testing.T) {
		srv.MustQuery(t, `{ company(slug: "citic-group") { name } }`, nil, nil)
	})
	t.Run("ErrOverLimit", func(t *testing.T) {
		resp := srv.Do(t, `{ `+strings.Repeat("__typename ", 20)+`}`, nil)
		assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodeTokenLimitExceeded)
	})
	t.Run("SyntaxErrorStaysParseError", func(t *testing.T) {
		resp := srv.Do(t, `{ company(`, nil)
		assertRequestError(t, resp, http.StatusBadRequest, httpapi.CodeParseFailed)
	})
}

func TestLimitsOff(t *testing.T) {
	srv := quietServer(t, httpapi.Options{Limits: httpapi.Limits{MaxDepth: -1, MaxAliases: -1, MaxCost: -1, MaxTokens: -1, MaxBodyBytes: -1, Timeout: -1}})
	deep := `{ company(slug: "citic-group") {` + strings.Repeat(" parent {", 20) + " name" + strings.Repeat(" }", 20) + " } }"
	srv.MustQuery(t, deep, nil, nil)
	var aliases strings.Builder
	for i := range 50 {
		fmt.Fprintf(&aliases, " a%d: __typename", i)
	}
	srv.MustQuery(t, "{"+aliases.String()+" }", nil, nil)
	srv.MustQuery(t, `query($pad: String) { company(name: $pad) { name } }`, map[string]any{"pad": strings.Repeat("x", 2<<20)}, nil)
}

func TestIntrospectionWithinDefaultLimits(t *testing.T) {
	// GraphiQL's introspection query nests 15 deep and must keep working.
	query, err := os.ReadFile("testdata/introspection.graphql")
	if err != nil {
		t.Fatal(err)
	}
	srv := quietServer(t, httpapi.Options{})
	var got struct {
		Schema struct{ Types []struct{ Name string } } `json:"__schema"`
	}
	srv.MustQuery(t, string(query), nil, &got)
	if len(got.Schema.Types) < 20 {
		t.Errorf("introspection returned %d types", len(got.Schema.Types))
	}
}

func TestIntrospectionDisabled(t *testing.T) {
	srv := quietServer(t, httpapi.Options{DisableIntrospection: true})
	for _, q := range []string{
		`{ __schema { queryType { name } } }`,
		`{ __type(name: "Company") { name } }`,
		`{ ...F } fragment F on Query { __schema { types { name } } }`,
	} {
		assertRequestError(t, srv.Do(t, q, nil), http.StatusBadRequest, httpapi.CodeIntrospectionDisabled)
	}
	// __typename is not introspection: clients need it for unions.
	srv.MustQuery(t, `{ __typename node(id: "`+citic+`") { __typename } }`, nil, nil)
}

func TestTimeout(t *testing.T) {
	// A deadline that has passed before anything runs: the operation is
	// refused, and the server keeps serving with its normal deadline.
	srv := quietServer(t, httpapi.Options{Limits: httpapi.Limits{Timeout: time.Nanosecond}})
	before := srv.Store.Statements()
	resp := srv.Do(t, `{ companies { totalCount } }`, nil)
	assertRequestError(t, resp, http.StatusGatewayTimeout, httpapi.CodeTimeout)
	if srv.Store.Statements() != before {
		t.Error("SQL ran after the deadline")
	}
	ok := graphtest.New(t)
	ok.MustQuery(t, `{ companies { totalCount } }`, nil, nil)
}
