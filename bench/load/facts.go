package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The gateway and PostGraphile answer the same question in different
// bytes: number formats, and whatever order a list has no reason to keep.
// To check that they give the same answer, each response's data is turned
// into facts: one line per path from the root to a leaf, holding the scalar
// fields of every object on the way ("name=\"CITIC Group\" | projects: |
// role=\"OWNER\" | project: | name=..."), lists flattened. The two
// responses agree when their facts are the same multiset. The PostGraphile
// queries alias their fields to the gateway's names, so the paths match.

// responseFacts returns the sorted facts of a GraphQL response's data,
// failing on GraphQL errors or a response without data.
func responseFacts(body []byte) ([]string, error) {
	var resp struct {
		Data   json.RawMessage   `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("response is not JSON: %s", truncate(body))
	}
	if len(resp.Errors) > 0 {
		return nil, fmt.Errorf("GraphQL errors: %s", truncate(body))
	}
	dec := json.NewDecoder(bytes.NewReader(resp.Data))
	dec.UseNumber()
	var data any
	if err := dec.Decode(&data); err != nil || data == nil {
		return nil, fmt.Errorf("response has no data: %s", truncate(body))
	}
	var facts []string
	collectFacts(data, nil, &facts)
	slices.Sort(facts)
	return facts, nil
}

// collectFacts appends the facts of v under the path prefix.
func collectFacts(v any, prefix []string, facts *[]string) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		path := slices.Clone(prefix)
		var nested []string
		for _, k := range keys {
			switch x[k].(type) {
			case map[string]any, []any:
				nested = append(nested, k)
			default:
				path = append(path, k+"="+scalar(x[k]))
			}
		}
		if len(nested) == 0 {
			*facts = append(*facts, strings.Join(path, " | "))
		}
		for _, k := range nested {
			collectFacts(x[k], append(slices.Clone(path), k+":"), facts)
		}
	case []any:
		if len(x) == 0 {
			*facts = append(*facts, strings.Join(append(slices.Clone(prefix), "[]"), " | "))
		}
		for _, e := range x {
			collectFacts(e, prefix, facts)
		}
	default:
		*facts = append(*facts, strings.Join(append(slices.Clone(prefix), scalar(x)), " | "))
	}
}

// scalar writes a JSON scalar in one form whatever its encoding: numbers
// as the shortest decimal of their float64.
func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x.String()
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case string:
		return strconv.Quote(x)
	default:
		return fmt.Sprint(x)
	}
}

// sameFacts compares two responses' facts and describes the first
// differences, or returns "" when they agree and hold at least one fact.
func sameFacts(gateway, other []byte, otherName string) (problem string, facts int) {
	g, err := responseFacts(gateway)
	if err != nil {
		return "gateway: " + err.Error(), 0
	}
	o, err := responseFacts(other)
	if err != nil {
		return otherName + ": " + err.Error(), 0
	}
	onlyG, onlyO := multisetDiff(g, o), multisetDiff(o, g)
	if len(onlyG) == 0 && len(onlyO) == 0 {
		return "", len(g)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d fact(s) only in the gateway's answer, %d only in %s's", len(onlyG), len(onlyO), otherName)
	for _, f := range onlyG[:min(3, len(onlyG))] {
		fmt.Fprintf(&b, "\n    gateway only: %s", f)
	}
	for _, f := range onlyO[:min(3, len(onlyO))] {
		fmt.Fprintf(&b, "\n    %s only: %s", otherName, f)
	}
	return b.String(), len(g)
}

// multisetDiff returns the elements of a (sorted) not matched in b
// (sorted), counting repeats.
func multisetDiff(a, b []string) []string {
	var out []string
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j < len(b) && b[j] == x {
			j++
			continue
		}
		out = append(out, x)
	}
	return out
}
