//go:build postgraphile

// This test starts PostgreSQL and PostGraphile, which takes half a minute
// (more the first time, for npm ci), so it runs only when asked for:
//
//	go test -tags postgraphile ./bench/load -run TestPostGraphile
package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestPostGraphile(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-queries", "q1,q2", "-executor", "gqlgen", "-postgraphile", "-rounds", "1",
		"-d", "300ms", "-warmup", "100ms", "-prime", "500ms", "-c", "2"}, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	report := out.String()
	for _, want := range []string{
		"q1: the gateway and PostGraphile answer the same",
		"q2: the gateway and PostGraphile answer the same",
		"q1: gateway (gqlgen) / PostGraphile 4.14.1 = ",
		"q2: gateway (gqlgen) / PostGraphile 4.14.1 = ",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	rows := reportRows(t, report)
	for _, q := range []string{"q1", "q2"} {
		row, ok := rows[q+"/"+postgraphileName]
		if !ok {
			t.Errorf("no PostGraphile row for %s", q)
			continue
		}
		if row[8] == "0" || row[7] != "n/a" {
			t.Errorf("%s on PostGraphile: checked %s, allocs %s; want some checked, allocations n/a", q, row[8], row[7])
		}
	}
}
