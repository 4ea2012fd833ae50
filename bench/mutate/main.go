// Command mutate measures how well the tests catch broken promises: it
// makes single-site changes (mutants) to the non-generated Go files of
// packages, runs the packages' tests against each through `go test
// -overlay`, and reports the share of mutants the tests kill.
//
//	go run ./bench/mutate -pkg ./db -equivalent bench/mutate/equivalent.txt -o db.txt
//	go run ./bench/mutate -pkg ./graph/... -extra './httpapi=TestObjectLimit' -sample 30 -seed 2
//
// Operators: flipped comparisons (< ↔ <=, > ↔ >=, == ↔ !=), && ↔ ||,
// dropped statements (an if that returns, a call, an append), a returned
// error replaced by nil, and, inside string literals that hold SQL, a
// WHERE/ON/HAVING condition replaced by 1=1, an ORDER BY term dropped, ASC ↔
// DESC, = ↔ != in a JOIN's ON, and <= → <, >= → >, < → <=, > → >=.
//
// A mutant is killed when the tests fail or time out, survives when they
// pass; mutants that do not compile are not counted, nor are those listed
// in the -equivalent file (an id and the reason it cannot change
// behaviour, one a line). The score is killed / (killed + survived).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
}

type options struct {
	pkgs, extra      []string
	run, skip        string
	files, exclude   *regexp.Regexp
	only             *regexp.Regexp
	sample           int
	seed             uint64
	equivalent, out  string
	jsonOut, rescore string
	jobs             int
	timeout, budget  time.Duration
	list, verbose    bool
	goFlags          []string
	minScore         float64
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("mutate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pkg := fs.String("pkg", "", "packages to mutate, comma-separated go list patterns (./db, ./graph/...)")
	extra := fs.String("extra", "", "more packages whose tests also run against every mutant, comma-separated; pkg=pattern runs only those tests of pkg, after the others pass")
	fs.StringVar(&o.run, "test", "", "go test -run pattern: only these tests run")
	fs.StringVar(&o.skip, "skip", "", "go test -skip pattern: these tests do not run")
	files := fs.String("files", "", "only mutate files whose path (from the module root) matches this regexp")
	exclude := fs.String("exclude", "", "skip files whose path matches this regexp (generated files are always skipped)")
	only := fs.String("only", "", "only mutants whose id or position (file:line:col) matches this regexp")
	fs.IntVar(&o.sample, "sample", 0, "run only this many mutants, picked at random by -seed (0: all)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed for -sample")
	fs.StringVar(&o.equivalent, "equivalent", "", "file of equivalent mutants: an id and a reason, one a line")
	fs.StringVar(&o.out, "o", "", "write the full report (every mutant and its outcome) to this file")
	fs.StringVar(&o.jsonOut, "json", "", "write every mutant and its outcome to this file as JSON, for -rescore")
	fs.StringVar(&o.rescore, "rescore", "", "run nothing: report the outcomes in this -json file again, with the current -equivalent list (and, with -pkg, only of the mutants the tool makes now)")
	fs.IntVar(&o.jobs, "j", 1, "mutants run at the same time")
	fs.DurationVar(&o.timeout, "timeout", 0, "per-mutant timeout (0: three times the unmutated run, plus 30s)")
	fs.DurationVar(&o.budget, "budget", 0, "start no mutant after this long; the rest are reported as not run (0: no limit)")
	fs.BoolVar(&o.list, "list", false, "list the mutants and exit")
	fs.BoolVar(&o.verbose, "v", false, "print every mutant's outcome as it comes")
	fs.Float64Var(&o.minScore, "min", 0, "exit with an error when the overall score is below this percentage")
	gf := fs.String("goflags", "", "extra go test flags, space-separated (e.g. -p=1)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.pkgs, o.extra, o.goFlags = splitList(*pkg, ","), splitList(*extra, ","), strings.Fields(*gf)
	if len(o.pkgs) == 0 && o.rescore == "" {
		return o, fmt.Errorf("-pkg is required")
	}
	var err error
	if *files != "" {
		if o.files, err = regexp.Compile(*files); err != nil {
			return o, fmt.Errorf("-files: %w", err)
		}
	}
	if *only != "" {
		if o.only, err = regexp.Compile(*only); err != nil {
			return o, fmt.Errorf("-only: %w", err)
		}
	}
	if *exclude != "" {
		if o.exclude, err = regexp.Compile(*exclude); err != nil {
			return o, fmt.Errorf("-exclude: %w", err)
		}
	}
	if o.jobs < 1 {
		return o, fmt.Errorf("-j must be at least 1")
	}
	return o, nil
}

func splitList(s, sep string) []string {
	var out []string
	for p := range strings.SplitSeq(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// listedPackage is what go list tells about a package.
type listedPackage struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Module     *struct{ Dir string }
}

func listPackages(patterns []string) ([]listedPackage, error) {
	args := append([]string{"list", "-json=ImportPath,Dir,GoFiles,Module"}, patterns...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, fmt.Errorf("go list: %s", ee.Stderr)
		}
		return nil, err
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p listedPackage
		if err := dec.Decode(&p); err != nil {
			return nil, err
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// collect returns the mutants of the packages' files and the module root.
func collect(o options) ([]Mutant, string, error) {
	pkgs, err := listPackages(o.pkgs)
	if err != nil {
		return nil, "", err
	}
	var all []Mutant
	root := ""
	for _, p := range pkgs {
		if p.Module == nil {
			return nil, "", fmt.Errorf("%s is not in a module", p.ImportPath)
		}
		root = p.Module.Dir
		for _, name := range p.GoFiles {
			abs := filepath.Join(p.Dir, name)
			rel, err := filepath.Rel(root, abs)
			if err != nil {
				return nil, "", err
			}
			rel = filepath.ToSlash(rel)
			if (o.files != nil && !o.files.MatchString(rel)) || (o.exclude != nil && o.exclude.MatchString(rel)) {
				continue
			}
			src, err := os.ReadFile(abs)
			if err != nil {
				return nil, "", err
			}
			ms, err := FileMutants(rel, src)
			if err != nil {
				return nil, "", err
			}
			for i := range ms {
				ms[i].Pkg, ms[i].Abs = p.ImportPath, abs
			}
			all = append(all, ms...)
		}
	}
	return all, root, nil
}

// readEquivalent reads the equivalent-mutant list: an id, spaces, and the
// reason, one a line; blank lines and lines starting with # are skipped.
func readEquivalent(path string) (map[string]string, error) {
	eq := map[string]string{}
	if path == "" {
		return eq, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if reason = strings.TrimSpace(reason); reason == "" {
			return nil, fmt.Errorf("%s:%d: %s has no reason", path, n, id)
		}
		eq[id] = reason
	}
	return eq, sc.Err()
}

// pick samples n mutants at random (by seed), keeping source order.
func pick(ms []Mutant, n int, seed uint64) []Mutant {
	if n <= 0 || n >= len(ms) {
		return ms
	}
	idx := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)).Perm(len(ms))[:n]
	slices.Sort(idx)
	out := make([]Mutant, n)
	for i, j := range idx {
		out[i] = ms[j]
	}
	return out
}

func run(args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.rescore != "" {
		return rescore(o, stdout)
	}
	all, root, err := collect(o)
	if err != nil {
		return err
	}
	eq, err := readEquivalent(o.equivalent)
	if err != nil {
		return err
	}
	if o.only != nil {
		all = slices.DeleteFunc(all, func(m Mutant) bool {
			return !o.only.MatchString(m.ID) && !o.only.MatchString(fmt.Sprintf("%s:%d:%d", m.File, m.Line, m.Col))
		})
	}
	if o.list {
		for _, m := range all {
			mark := ""
			if _, ok := eq[m.ID]; ok {
				mark = " (equivalent)"
			}
			fmt.Fprintf(stdout, "%s\t%s:%d:%d\t%s%s\n", m.ID, m.File, m.Line, m.Col, m.Describe(), mark)
		}
		return nil
	}
	known := map[string]bool{}
	var results []Result
	var todo []Mutant
	for _, m := range all {
		known[m.ID] = true
		if reason, ok := eq[m.ID]; ok {
			results = append(results, Result{Mutant: m, Status: Equivalent, Reason: reason})
			continue
		}
		todo = append(todo, m)
	}
	for id := range eq {
		if !known[id] && o.files == nil && o.exclude == nil && o.only == nil && coversID(o, all, id) {
			fmt.Fprintf(stderr, "mutate: %s in %s matches no mutant any more\n", id, o.equivalent)
		}
	}
	todo = pick(todo, o.sample, o.seed)
	// Run in a random order (by -seed): a run cut short by -budget or an
	// interrupt is then still a random sample, not the first files.
	rand.New(rand.NewPCG(o.seed, 7)).Shuffle(len(todo), func(i, j int) { todo[i], todo[j] = todo[j], todo[i] })

	// An interrupt stops the running tests and reports what was measured.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r := runner{dir: root, extra: o.extra, run: o.run, skip: o.skip, timeout: o.timeout, goFlags: o.goFlags}
	if r.timeout == 0 {
		r.timeout = 30 * time.Minute
		var slowest time.Duration
		for _, p := range uniquePkgs(todo) {
			d, err := r.baseline(ctx, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "mutate: %s passes unmutated in %s\n", p, d.Round(time.Second/10))
			slowest = max(slowest, d)
		}
		r.timeout = 3*slowest + 30*time.Second
	}
	fmt.Fprintf(stderr, "mutate: %d mutants, %d equivalent, running %d, timeout %s, %d at a time\n",
		len(all), len(results), len(todo), r.timeout.Round(time.Second), o.jobs)

	start := time.Now()
	results = append(results, runAll(ctx, r, todo, o, start, stderr)...)
	err = report(o, results, stdout)
	fmt.Fprintf(stdout, "elapsed %s\n", time.Since(start).Round(time.Second))
	return err
}

// report prints the scores and writes the -o and -json files.
func report(o options, results []Result, stdout io.Writer) error {
	sortResults(results)
	s := summarize(results)
	fmt.Fprint(stdout, s.text(results, false))
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(s.text(results, true)), 0o644); err != nil {
			return err
		}
	}
	if o.jsonOut != "" {
		raw, err := json.MarshalIndent(results, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.jsonOut, raw, 0o644); err != nil {
			return err
		}
	}
	if o.minScore > 0 && s.total.score() < o.minScore {
		return fmt.Errorf("score %.1f%% is below -min %.1f%%", s.total.score(), o.minScore)
	}
	return nil
}

// rescore reports a -json file's outcomes again, marking the mutants the
// -equivalent list names as equivalent.
func rescore(o options, stdout io.Writer) error {
	raw, err := os.ReadFile(o.rescore)
	if err != nil {
		return err
	}
	var results []Result
	if err := json.Unmarshal(raw, &results); err != nil {
		return fmt.Errorf("%s: %w", o.rescore, err)
	}
	eq, err := readEquivalent(o.equivalent)
	if err != nil {
		return err
	}
	if len(o.pkgs) > 0 {
		// Outcomes of mutants the tool no longer makes are dropped.
		all, _, err := collect(o)
		if err != nil {
			return err
		}
		made := map[string]bool{}
		for _, m := range all {
			made[m.ID] = true
		}
		results = slices.DeleteFunc(results, func(r Result) bool { return !made[r.ID] })
	}
	for i, r := range results {
		if reason, ok := eq[r.ID]; ok && r.Status != NotRun && r.Status != NoCompile {
			results[i].Status, results[i].Reason = Equivalent, reason
		}
	}
	o.jsonOut = ""
	return report(o, results, stdout)
}

// coversID reports whether an equivalent id names a file among the
// mutated ones, so that stale entries of other packages are not reported.
func coversID(o options, all []Mutant, id string) bool {
	file, _, _ := strings.Cut(id, ":")
	for _, m := range all {
		if m.File == file {
			return true
		}
	}
	return false
}

func uniquePkgs(ms []Mutant) []string {
	var out []string
	for _, m := range ms {
		if !slices.Contains(out, m.Pkg) {
			out = append(out, m.Pkg)
		}
	}
	return out
}

// runAll runs the mutants, o.jobs at a time, each worker in a scratch
// directory of its own.
func runAll(ctx context.Context, r runner, todo []Mutant, o options, start time.Time, stderr io.Writer) []Result {
	jobs := make(chan int)
	results := make([]Result, len(todo))
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < o.jobs; w++ {
		scratch, err := os.MkdirTemp("", "mutate")
		if err != nil {
			fmt.Fprintln(stderr, "mutate:", err)
			break
		}
		defer os.RemoveAll(scratch)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				res := r.try(ctx, todo[i], scratch)
				results[i] = res
				mu.Lock()
				done++
				if o.verbose || res.Status == Survived {
					fmt.Fprintf(stderr, "[%d/%d] %-10s %s:%d:%d %s %s (%s)\n", done, len(todo), res.Status, res.File, res.Line, res.Col, res.Op, res.Describe(), res.Duration.Round(time.Second/10))
				}
				mu.Unlock()
			}
		}()
	}
	for i := range todo {
		if (o.budget > 0 && time.Since(start) > o.budget) || ctx.Err() != nil {
			for j := i; j < len(todo); j++ {
				results[j] = Result{Mutant: todo[j], Status: NotRun}
			}
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}
