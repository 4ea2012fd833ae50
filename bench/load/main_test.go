package main

import (
	"github.com/investgraph/investgraph/writer"

	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestMain lets the test binary be the servers' process of a rounds run,
// which starts its own executable again with childEnv set.
func TestMain(m *testing.M) {
	writer.RunIfChild() // the writer process of a -writes gateway
	if config := os.Getenv(childEnv); config != "" {
		if err := runChild(context.Background(), config, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "load (servers):", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// reportRows returns the report's table rows, by "query/system", as their
// cells.
func reportRows(t *testing.T, out string) map[string][]string {
	t.Helper()
	rows := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 11 || strings.TrimSpace(cells[1]) == "query" || strings.HasPrefix(cells[1], "---") {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows[cells[1]+"/"+cells[2]] = cells[1:]
	}
	return rows
}

// TestRounds runs both executors and the baseline in two short rounds on
// the seed and checks the report: a row per query and system, every row
// with checked responses, the baseline at 100%, allocations counted. It
// asserts nothing about speed.
func TestRounds(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-queries", "q1,q2", "-executor", "both", "-rounds", "2",
		"-d", "100ms", "-warmup", "20ms", "-prime", "50ms", "-c", "2", "-n", "3000"}, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	rows := reportRows(t, out.String())
	if len(rows) != 6 {
		t.Errorf("%d report rows, want 6 (2 queries × bare, gqlgen, fast):\n%s", len(rows), out.String())
	}
	for _, q := range []string{"q1", "q2"} {
		for _, sys := range []string{"bare net/http", "gateway (gqlgen)", "gateway (fast)"} {
			row, ok := rows[q+"/"+sys]
			if !ok {
				t.Errorf("no row for %s on %s", q, sys)
				continue
			}
			// query, system, req/s, share, p50, p99, CPU/req, allocs/req, checked, by round
			if n, err := strconv.Atoi(row[8]); err != nil || n == 0 {
				t.Errorf("%s on %s: checked responses %q, want some", q, sys, row[8])
			}
			if _, err := strconv.Atoi(row[7]); err != nil {
				t.Errorf("%s on %s: allocs/req %q, want a count", q, sys, row[7])
			}
			if got := len(strings.Fields(row[9])); got != 2 {
				t.Errorf("%s on %s: %d rates by round, want 2", q, sys, got)
			}
			if sys == "bare net/http" && row[3] != "100.0%" {
				t.Errorf("%s: the baseline's share is %s, want 100.0%%", q, row[3])
			}
		}
	}
}

// TestWrites runs the write-load measurement briefly: the gateway in its
// child process with a writer process, changesets committed and every one
// delivered to the subscriber, and the report's verdict lines.
func TestWrites(t *testing.T) {
	var out strings.Builder
	err := run(t.Context(), []string{"-writes", "5", "-d", "1s", "-warmup", "50ms", "-write-rounds", "1", "-write-rate", "20"}, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"applied in a writer process at priority 10", "| writing | ", "q1 p99, median of phases: idle ",
		"commit to subscriber, all writing phases: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "writing phases: 0 revisions") {
		t.Errorf("no revision reached the subscriber:\n%s", out.String())
	}
}
