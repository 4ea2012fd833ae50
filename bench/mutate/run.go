package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Outcomes of running the tests against a mutant.
const (
	Killed     = "killed"
	Survived   = "survived"
	Timeout    = "timeout" // counted as killed: the tests did not pass
	NoCompile  = "no-compile"
	Equivalent = "equivalent"
	NotRun     = "not-run" // the time budget ran out first
)

// Result is a mutant and what the tests made of it.
type Result struct {
	Mutant
	Status   string
	Duration time.Duration
	Output   string // the first failing test's name, or the compile error
	Reason   string // for equivalent mutants, why
}

// runner runs `go test` on packages with a mutated file swapped in by an
// overlay.
type runner struct {
	dir     string // module root
	pkgs    []string
	extra   []string
	run     string
	skip    string
	timeout time.Duration
	goFlags []string
}

// commands are the go test command lines run against a mutant of pkg, in
// turn until one fails: pkg with the -extra packages that take the -test
// pattern, then each extra package given as pkg=pattern with its own.
func (r runner) commands(pkg, overlay string) [][]string {
	base := func(run string, pkgs ...string) []string {
		args := []string{"test", "-count=1", "-failfast", "-vet=off"}
		args = append(args, r.goFlags...)
		if overlay != "" {
			args = append(args, "-overlay="+overlay)
		}
		if run != "" {
			args = append(args, "-run="+run)
		}
		if r.skip != "" {
			args = append(args, "-skip="+r.skip)
		}
		return append(args, pkgs...)
	}
	first := []string{pkg}
	var more [][]string
	for _, e := range r.extra {
		if p, run, ok := strings.Cut(e, "="); ok {
			more = append(more, base(run, p))
		} else if e != pkg {
			first = append(first, e)
		}
	}
	return append([][]string{base(r.run, first...)}, more...)
}

// goTests runs the commands in turn, stopping at the first that fails.
func (r runner) goTests(ctx context.Context, cmds [][]string) (out []byte, timedOut bool, err error) {
	deadline := time.Now().Add(r.timeout)
	for _, args := range cmds {
		ctx, cancel := context.WithDeadline(ctx, deadline)
		out, timedOut, err = r.goTest(ctx, args)
		cancel()
		if timedOut || err != nil {
			return out, timedOut, err
		}
	}
	return out, false, nil
}

// goTest runs go test with a deadline, killing the whole process group
// (the go command and the test binaries it started) when it passes.
func (r runner) goTest(ctx context.Context, args []string) (out []byte, timedOut bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout) // the earlier deadline wins
	defer cancel()
	cmd := exec.Command("go", args...)
	cmd.Dir = r.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		return nil, false, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		err = <-done
		timedOut = ctx.Err() == context.DeadlineExceeded
	}
	return buf.Bytes(), timedOut, err
}

// baseline runs the tests unmutated: they must pass, and their time sets
// the default timeout.
func (r runner) baseline(ctx context.Context, pkg string) (time.Duration, error) {
	start := time.Now()
	out, timedOut, err := r.goTests(ctx, r.commands(pkg, ""))
	if timedOut {
		return 0, fmt.Errorf("tests of %s without mutants take longer than %s", pkg, r.timeout)
	}
	if err != nil {
		return 0, fmt.Errorf("tests of %s fail without mutants:\n%s", pkg, out)
	}
	return time.Since(start), nil
}

// try runs the tests against one mutant, in a scratch directory of its own.
func (r runner) try(ctx context.Context, m Mutant, scratch string) Result {
	res := Result{Mutant: m}
	src, err := os.ReadFile(m.Abs)
	if err != nil {
		res.Status, res.Output = NoCompile, err.Error()
		return res
	}
	mutated := filepath.Join(scratch, filepath.Base(m.Abs))
	overlay := filepath.Join(scratch, "overlay.json")
	ov, _ := json.Marshal(map[string]map[string]string{"Replace": {m.Abs: mutated}})
	if err := errors.Join(os.WriteFile(mutated, m.Apply(src), 0o644), os.WriteFile(overlay, ov, 0o644)); err != nil {
		res.Status, res.Output = NoCompile, err.Error()
		return res
	}
	start := time.Now()
	out, timedOut, err := r.goTests(ctx, r.commands(m.Pkg, overlay))
	res.Duration = time.Since(start)
	res.Status, res.Output = classify(out, timedOut, err)
	if ctx.Err() != nil {
		res.Status = NotRun // interrupted
	}
	return res
}

// classify reads go test's verdict: a build failure anywhere means the
// mutant does not compile (not counted); any other failure kills it.
func classify(out []byte, timedOut bool, err error) (status, detail string) {
	switch {
	case timedOut:
		return Timeout, ""
	case bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")):
		return NoCompile, firstLine(out, func(l string) bool { return strings.Contains(l, ".go:") })
	case err != nil:
		return Killed, firstLine(out, func(l string) bool {
			return strings.HasPrefix(strings.TrimSpace(l), "--- FAIL") || strings.HasPrefix(l, "panic:")
		})
	}
	return Survived, ""
}

func firstLine(out []byte, keep func(string) bool) string {
	for l := range strings.SplitSeq(string(out), "\n") {
		if keep(l) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
