package main

import (
	"strings"
	"testing"
)

// The gateway's and PostGraphile's answers to Q1 as they differ in bytes:
// other number formats, lists in another order, extensions on one side.
const (
	gatewayQ1 = `{"data":{"company":{"name":"CITIC Group","projects":[
		{"role":"OWNER","project":{"name":"Caspi Bitum","capacityHistory":[
			{"metric":"PRODUCTION_CAPACITY","value":1500000,"unit":"t/yr","asOf":"2023","status":"ACTUAL"},
			{"metric":"PRODUCTION_CAPACITY","value":2.5e6,"unit":"t/yr","asOf":"2026","status":"TARGET"}]}},
		{"role":"INVESTOR","project":{"name":"Wind farm","capacityHistory":[]}}]}},
		"extensions":{"cost":12,"sqlStatements":4}}`
	postgraphileQ1 = `{"data":{"company":{"name":"CITIC Group","projects":[
		{"role":"INVESTOR","project":{"name":"Wind farm","capacityHistory":[]}},
		{"role":"OWNER","project":{"name":"Caspi Bitum","capacityHistory":[
			{"metric":"PRODUCTION_CAPACITY","value":2500000,"unit":"t/yr","asOf":"2026","status":"TARGET"},
			{"metric":"PRODUCTION_CAPACITY","value":1.5E+6,"unit":"t/yr","asOf":"2023","status":"ACTUAL"}]}}]}}}`
)

func TestResponseFacts(t *testing.T) {
	facts, err := responseFacts([]byte(gatewayQ1))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`company: | name="CITIC Group" | projects: | role="INVESTOR" | project: | name="Wind farm" | capacityHistory: | []`,
		`company: | name="CITIC Group" | projects: | role="OWNER" | project: | name="Caspi Bitum" | capacityHistory: | asOf="2023" | metric="PRODUCTION_CAPACITY" | status="ACTUAL" | unit="t/yr" | value=1.5e+06`,
		`company: | name="CITIC Group" | projects: | role="OWNER" | project: | name="Caspi Bitum" | capacityHistory: | asOf="2026" | metric="PRODUCTION_CAPACITY" | status="TARGET" | unit="t/yr" | value=2.5e+06`,
	}
	if got := strings.Join(facts, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("facts:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

func TestSameFacts(t *testing.T) {
	t.Run("OKOtherBytes", func(t *testing.T) {
		problem, n := sameFacts([]byte(gatewayQ1), []byte(postgraphileQ1), "PostGraphile")
		if problem != "" || n != 3 {
			t.Errorf("sameFacts = %q, %d; want agreement on 3 facts", problem, n)
		}
	})
	t.Run("ErrOtherValue", func(t *testing.T) {
		other := strings.Replace(postgraphileQ1, "2500000", "2500001", 1)
		problem, _ := sameFacts([]byte(gatewayQ1), []byte(other), "PostGraphile")
		if !strings.Contains(problem, "1 fact(s) only in the gateway's answer, 1 only in PostGraphile's") ||
			!strings.Contains(problem, "value=2.500001e+06") {
			t.Errorf("problem = %q, want the differing fact named", problem)
		}
	})
	t.Run("ErrMissingParticipation", func(t *testing.T) {
		other := strings.Replace(postgraphileQ1, `{"role":"INVESTOR","project":{"name":"Wind farm","capacityHistory":[]}},`, "", 1)
		problem, _ := sameFacts([]byte(gatewayQ1), []byte(other), "PostGraphile")
		if !strings.Contains(problem, `gateway only: company: | name="CITIC Group" | projects: | role="INVESTOR"`) {
			t.Errorf("problem = %q, want the missing participation named", problem)
		}
	})
	t.Run("ErrRepeatedFact", func(t *testing.T) {
		// A multiset: a participation answered twice is a difference.
		other := strings.Replace(postgraphileQ1, `"projects":[`, `"projects":[{"role":"INVESTOR","project":{"name":"Wind farm","capacityHistory":[]}},`, 1)
		if problem, _ := sameFacts([]byte(gatewayQ1), []byte(other), "PostGraphile"); !strings.Contains(problem, "0 fact(s) only in the gateway's answer, 1 only") {
			t.Errorf("problem = %q, want one extra fact", problem)
		}
	})
	t.Run("ErrGraphQLErrors", func(t *testing.T) {
		other := `{"errors":[{"message":"Cannot query field \"companyByName\""}],"data":null}`
		if problem, _ := sameFacts([]byte(gatewayQ1), []byte(other), "PostGraphile"); !strings.Contains(problem, "PostGraphile: GraphQL errors") {
			t.Errorf("problem = %q, want PostGraphile's errors reported", problem)
		}
	})
	t.Run("ErrNullData", func(t *testing.T) {
		if problem, _ := sameFacts([]byte(`{"data":null}`), []byte(postgraphileQ1), "PostGraphile"); !strings.Contains(problem, "gateway: response has no data") {
			t.Errorf("problem = %q, want the gateway's missing data reported", problem)
		}
	})
}

func TestMultisetDiff(t *testing.T) {
	got := multisetDiff([]string{"a", "a", "b", "d"}, []string{"a", "b", "c"})
	if strings.Join(got, ",") != "a,d" {
		t.Errorf("multisetDiff = %q, want [a d]", got)
	}
}
