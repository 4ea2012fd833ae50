package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/seed"
)

// TestSlug checks the generated slugs: a fixed-width base-36 id, then the
// name's ASCII letters and digits in lower case, each run of anything else
// one dash.
func TestSlug(t *testing.T) {
	for _, tc := range []struct {
		name string
		id   int64
		want string
	}{
		{"Caspi Bitum", 42, "s0000016-caspi-bitum"},
		{"  KazMunayGas--2025 (new) ", 36*36*36*36*36*36 - 1, "s0zzzzzz-kazmunaygas-2025-new"},
		// The characters either side of each range are separators.
		{"a`z{0/9:A@Z[", 1, "s0000001-a-z-0-9-a-z"},
		{"Ürümqi Ōtomo", 2, "s0000002-r-mqi-tomo"},
		{"", 3, "s0000003"},
	} {
		if got := slug(tc.name, tc.id); got != tc.want {
			t.Errorf("slug(%q, %d) = %q, want %q", tc.name, tc.id, got, tc.want)
		}
	}
}

// TestMain_Exit runs the command's main: a bad flag is reported on stderr
// with the command's name, and the exit status is 1; -h prints usage only.
func TestMain_Exit(t *testing.T) {
	if args := os.Getenv("SYNTH_MAIN_ARGS"); args != "" {
		os.Args = append([]string{"synth"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	for _, tc := range []struct {
		args, stderr string
		status       int
	}{
		{"-entities nope", "synth: ", 1},
		{"-h", "Usage", 1},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMain_Exit$")
		cmd.Env = append(os.Environ(), "SYNTH_MAIN_ARGS="+tc.args)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		status := 0
		if ee, ok := err.(*exec.ExitError); ok {
			status = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if status != tc.status || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("synth %s: status %d, stderr %q; want %d and %q", tc.args, status, stderr.String(), tc.status, tc.stderr)
		}
		if tc.args == "-h" && strings.Contains(stderr.String(), "synth: ") {
			t.Errorf("synth -h reports an error: %q", stderr.String())
		}
	}
}

// TestRun_EarlyFactsRange checks -early-facts at the edges of 0 to 100.
func TestRun_EarlyFactsRange(t *testing.T) {
	base, err := seed.Parse(seed.Files())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		early string
		ok    bool
	}{{"-1", false}, {"0", true}, {"100", true}, {"101", false}} {
		path := t.TempDir() + "/s.db"
		var out strings.Builder
		err := run(t.Context(), []string{"-entities", "10", "-db", path, "-early-facts", tc.early}, &out)
		if got := err == nil; got != tc.ok {
			t.Errorf("-early-facts %s: %v, want ok=%v", tc.early, err, tc.ok)
		}
		// The seed alone: it has more than the 10 entities asked for.
		want := fmt.Sprintf("%s: %d entities (%d companies, %d people, %d projects, %d meetings, %d agreements, %d sources), ", path,
			len(base.Companies)+len(base.People)+len(base.Projects)+len(base.Meetings)+len(base.Agreements)+len(base.Sources),
			len(base.Companies), len(base.People), len(base.Projects), len(base.Meetings), len(base.Agreements), len(base.Sources))
		if tc.ok && !strings.HasPrefix(out.String(), want) {
			t.Errorf("-early-facts %s printed %q, want it to start %q", tc.early, out.String(), want)
		}
		if !tc.ok && err != nil && !strings.Contains(err.Error(), "-early-facts must be a percent from 0 to 100, got "+tc.early) {
			t.Errorf("-early-facts %s: %q does not say the range", tc.early, err)
		}
	}
}
