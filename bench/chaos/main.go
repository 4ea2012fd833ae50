// Command chaos kills the commands that write the database at random
// moments and checks what they leave: seed/synth creating a file and
// replacing one, the server reseeding (-reseed), the server seeding a new
// file on its first start, and a serving server. Each run is killed with
// SIGKILL after a random delay, drawn over the whole of a run (half of the
// kills) or over its end, where the commit is (the other half); then the
// file must open (db.Open), pass PRAGMA integrity_check, and hold exactly
// the row counts of the old data or of the new, or be absent where it was.
// It exits non-zero on any other outcome.
//
//	go run ./bench/chaos                           # 48 kills, 20,000 entities
//	go run ./bench/chaos -kills 16 -entities 5000  # what .ci/chaos runs
//	go run ./bench/chaos -scenarios synth-new      # one scenario
//	go run ./bench/chaos -bin DIR                  # binaries built elsewhere
//	go run ./bench/chaos -kills 0 -writer-db postgres://...  # changesets alone, on PostgreSQL
//
// The scenarios: synth-new (synth creating a file), synth-replace (synth
// over a seeded file), reseed (the server with -reseed over a synthetic
// graph), server-first (the server seeding a file on its first start),
// synth-beside and reseed-beside (the same, while another server serves
// the file, which must answer with what the file holds after the kill) and
// server-serving (a server killed while it answers queries). Then the
// changesets scenario (see runWriter) kills a server under a stream of
// changesets, on an SQLite file or, with -writer-db, on PostgreSQL.
package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/investgraph/investgraph/db"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "chaos:", err)
		}
		os.Exit(1)
	}
}

// config is what the command line sets.
type config struct {
	kills    int
	entities int
	limit    time.Duration
	bin      string
	only     string
	seed     uint64
	// writerKills and writerLimit bound the changesets scenario.
	writerKills int
	writerLimit time.Duration
	// writerDB is the database of the changesets scenario: a postgres://
	// DSN, or empty for an SQLite file in the work directory.
	writerDB string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var c config
	fs := flag.NewFlagSet("chaos", flag.ContinueOnError)
	fs.IntVar(&c.kills, "kills", 48, "kills in all, shared among the scenarios")
	fs.IntVar(&c.entities, "entities", 20000, "entities of the synthetic graph the scenarios write and replace")
	fs.DurationVar(&c.limit, "time", 5*time.Minute, "stop starting kills after this long")
	fs.StringVar(&c.bin, "bin", "", "directory holding investgraph and synth binaries (default: build them from this module)")
	fs.StringVar(&c.only, "scenarios", "", "comma-separated scenarios to run (default: all)")
	fs.IntVar(&c.writerKills, "writer-kills", 24, "kills of the server under a stream of changesets (the changesets scenario), after the others")
	fs.DurationVar(&c.writerLimit, "writer-time", time.Minute, "stop starting changeset kills after this long")
	fs.StringVar(&c.writerDB, "writer-db", "", "database of the changesets scenario: a postgres:// DSN (default: an SQLite file)")
	fs.Uint64Var(&c.seed, "seed", uint64(time.Now().UnixNano()), "random seed of the kill delays")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.kills < 0 || c.writerKills < 0 || c.kills+c.writerKills == 0 || c.entities <= 0 || fs.NArg() > 0 {
		return errors.New("usage: chaos [-kills N] [-entities N] [-time D] [-bin DIR] [-seed S] [-writer-kills N] [-writer-time D] [-writer-db DSN]")
	}
	if c.writerDB != "" && !db.IsPostgresDSN(c.writerDB) {
		return fmt.Errorf("-writer-db %q: want a postgres:// DSN", c.writerDB)
	}
	deadline := time.Now().Add(c.limit)
	work, err := os.MkdirTemp("", "investgraph-chaos-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	if c.bin == "" {
		c.bin = filepath.Join(work, "bin")
		for _, pkg := range []string{".", "./seed/synth"} {
			build := exec.CommandContext(ctx, "go", "build", "-o", c.bin+string(filepath.Separator), pkg)
			build.Stdout, build.Stderr = os.Stderr, os.Stderr
			if err := build.Run(); err != nil {
				return fmt.Errorf("go build %s: %w", pkg, err)
			}
		}
	}
	h := &harness{cfg: c, work: work, rng: rand.New(rand.NewPCG(c.seed, 0)), out: out}
	if c.kills > 0 {
		fmt.Fprintf(out, "chaos: seed %d, %d entities, %d kills, binaries in %s\n", c.seed, c.entities, c.kills, c.bin)
	} else {
		fmt.Fprintf(out, "chaos: seed %d, binaries in %s\n", c.seed, c.bin)
	}
	where, engine := c.writerDB, "PostgreSQL "+db.RedactDSN(c.writerDB)
	if where == "" {
		where, engine = filepath.Join(work, "writer.db"), "an SQLite file"
	}
	if c.writerKills > 0 {
		fmt.Fprintf(out, "chaos: the changesets scenario runs on %s\n", engine)
	}
	// -kills 0 runs the changesets scenario alone, without the files the
	// others start from.
	var scenarios []*scenario
	if c.kills > 0 {
		if err := h.prepare(ctx); err != nil {
			return err
		}
		scenarios = h.scenarios()
	}
	changesets := c.writerKills > 0
	if c.only != "" {
		var chosen []*scenario
		changesets = false
		for _, name := range strings.Split(c.only, ",") {
			if strings.TrimSpace(name) == "changesets" {
				changesets = c.writerKills > 0
				continue
			}
			if c.kills == 0 {
				return fmt.Errorf("-scenarios %s: -kills 0 runs the changesets scenario alone", name)
			}
			i := slices.IndexFunc(scenarios, func(sc *scenario) bool { return sc.name == strings.TrimSpace(name) })
			if i < 0 {
				return fmt.Errorf("-scenarios: no scenario %q", name)
			}
			chosen = append(chosen, scenarios[i])
		}
		scenarios = chosen
	}
	for _, sc := range scenarios {
		if sc.took, sc.wrote, err = h.calibrate(ctx, sc); err != nil {
			return fmt.Errorf("%s: a run without kill: %w", sc.name, err)
		}
	}
	for i := 0; len(scenarios) > 0 && i < c.kills && time.Now().Before(deadline); i++ {
		sc := scenarios[i%len(scenarios)]
		if err := h.kill(ctx, sc, when(i/len(scenarios)%3)); err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
	}

	failed := 0
	if len(scenarios) > 0 {
		fmt.Fprintf(out, "\n%-16s %6s %6s %6s %8s %8s %s\n", "scenario", "kills", "old", "new", "corrupt", "neither", "run without kill")
	}
	for _, sc := range scenarios {
		r := sc.result
		fmt.Fprintf(out, "%-16s %6d %6d %6d %8d %8d %v, writes %.1f MB\n", sc.name, r.kills, r.old, r.new, r.corrupt, r.neither,
			sc.took.Round(time.Millisecond), float64(sc.wrote)/1e6)
		failed += r.corrupt + r.neither
		for _, f := range r.failures {
			fmt.Fprintf(out, "    %s\n", f)
		}
	}
	if changesets {
		w, err := h.runWriter(ctx, where, c.writerKills, time.Now().Add(c.writerLimit))
		if err != nil {
			return fmt.Errorf("changesets: %w", err)
		}
		fmt.Fprintf(out, "%-16s %6d   acknowledged %d, in flight at a kill %d (resent: %d had committed), failures %d\n",
			"changesets", w.kills, w.acked, w.inFlight, w.replayed, len(w.failures))
		for _, f := range w.failures {
			fmt.Fprintf(out, "    %s\n", f)
		}
		if len(w.failures) > 0 {
			failed += len(w.failures)
			fmt.Fprintf(out, "%d kills under changesets lost an acknowledged revision or left a changeset half there\n", len(w.failures))
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of the kills left a corrupt database, counts that are neither the old nor the new, or changesets lost or half there", failed)
	}
	fmt.Fprintln(out, "every kill left the old data or the new, intact")
	return nil
}

// harness holds the reference databases and the binaries.
type harness struct {
	cfg  config
	work string
	rng  *rand.Rand
	out  io.Writer

	seedDB, synthDB       string // closed reference files: the built-in seed, the synthetic graph
	seedCounts, synthRows counts
}

// counts are the row counts of every data table, the signature of a dataset.
type counts string

// state is what a scenario expects: absent (no file, or a file without
// data) or a dataset's counts.
type state struct {
	absent bool
	counts counts
}

func (h *harness) seedState() state  { return state{counts: h.seedCounts} }
func (h *harness) synthState() state { return state{counts: h.synthRows} }

// scenario is one kind of run to kill: setup puts the old state in place at
// path and returns the command to start.
type scenario struct {
	name     string
	old, new state
	setup    func(path string) (*exec.Cmd, error)
	// query, when set, is sent to the server while it runs.
	query bool
	// beside, when set, has another server serve the file while the
	// command runs; after the kill it must answer with the counts the
	// file holds.
	beside bool
	// took is how long a run takes, wrote how much its files grow.
	took   time.Duration
	wrote  int64
	result result
}

type result struct {
	kills, old, new, corrupt, neither int
	failures                          []string
}

func (h *harness) prepare(ctx context.Context) error {
	h.seedDB, h.synthDB = filepath.Join(h.work, "seed.db"), filepath.Join(h.work, "synth.db")
	for _, p := range []struct {
		path     string
		entities int
		into     *counts
	}{{h.seedDB, 1, &h.seedCounts}, {h.synthDB, h.cfg.entities, &h.synthRows}} {
		cmd := exec.CommandContext(ctx, h.binary("synth"), "-entities", fmt.Sprint(p.entities), "-db", p.path)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("synth: %v: %s", err, out)
		}
		st, err := inspect(ctx, p.path)
		if err != nil {
			return err
		}
		*p.into = st.counts
	}
	if h.seedCounts == h.synthRows {
		return fmt.Errorf("-entities %d gives the seed's counts; ask for more", h.cfg.entities)
	}
	return nil
}

func (h *harness) binary(name string) string { return filepath.Join(h.cfg.bin, name) }

func (h *harness) scenarios() []*scenario {
	synth := func(path string) *exec.Cmd {
		return exec.Command(h.binary("synth"), "-entities", fmt.Sprint(h.cfg.entities), "-db", path)
	}
	server := h.server
	return []*scenario{
		{name: "synth-new", old: state{absent: true}, new: h.synthState(), setup: func(path string) (*exec.Cmd, error) {
			return synth(path), nil
		}},
		{name: "synth-replace", old: h.seedState(), new: h.synthState(), setup: func(path string) (*exec.Cmd, error) {
			return synth(path), copyFile(h.seedDB, path)
		}},
		{name: "reseed", old: h.synthState(), new: h.seedState(), setup: func(path string) (*exec.Cmd, error) {
			return server(path, "-reseed"), copyFile(h.synthDB, path)
		}},
		{name: "server-first", old: state{absent: true}, new: h.seedState(), setup: func(path string) (*exec.Cmd, error) {
			return server(path), nil
		}},
		{name: "synth-beside", old: h.seedState(), new: h.synthState(), beside: true, setup: func(path string) (*exec.Cmd, error) {
			return synth(path), copyFile(h.seedDB, path)
		}},
		{name: "reseed-beside", old: h.synthState(), new: h.seedState(), beside: true, setup: func(path string) (*exec.Cmd, error) {
			return server(path, "-reseed"), copyFile(h.synthDB, path)
		}},
		{name: "server-serving", old: h.synthState(), new: h.synthState(), query: true, setup: func(path string) (*exec.Cmd, error) {
			return server(path), copyFile(h.synthDB, path)
		}},
	}
}

// server returns the command of a server on the database at path.
func (h *harness) server(path string, args ...string) *exec.Cmd {
	return exec.Command(h.binary("investgraph"), append([]string{"-addr", "127.0.0.1:0", "-db", path, "-rate-limit", "0"}, args...)...)
}

// serveBeside starts a server on the database at path, for a scenario's
// command to run beside, and returns it once it serves, with its address.
func (h *harness) serveBeside(path string) (*process, string, error) {
	p, err := start(h.server(path))
	if err != nil {
		return nil, "", err
	}
	select {
	case addr := <-p.serving:
		return p, addr, nil
	case <-p.done:
		return nil, "", errors.New("the server beside did not start")
	case <-time.After(time.Minute):
		p.Process.Kill()
		return nil, "", errors.New("the server beside did not start within a minute")
	}
}

// stopProcess kills p, if there is one, and waits for it.
func stopProcess(p *process) {
	if p != nil {
		p.Process.Kill()
		<-p.done
	}
}

// calibrate runs the scenario without a kill and returns how long it took
// (until the command exits, or for a server until it serves) and how much
// the database's files grew meanwhile.
func (h *harness) calibrate(ctx context.Context, sc *scenario) (time.Duration, int64, error) {
	path := filepath.Join(h.work, "calibrate-"+sc.name+".db")
	cmd, err := sc.setup(path)
	if err != nil {
		return 0, 0, err
	}
	if sc.beside {
		bs, _, err := h.serveBeside(path)
		if err != nil {
			return 0, 0, err
		}
		defer stopProcess(bs)
	}
	began, size := time.Now(), databaseSize(path)
	p, err := start(cmd)
	if err != nil {
		return 0, 0, err
	}
	var peak int64
	go func() {
		for {
			select {
			case <-p.done:
				return
			case <-time.After(time.Millisecond):
			}
			peak = max(peak, databaseSize(path)-size)
		}
	}()
	select {
	case <-p.serving:
	case <-p.done:
	case <-time.After(5 * time.Minute):
	}
	took := time.Since(began)
	p.Process.Kill()
	<-p.done
	if sc.query {
		took *= 3 // a serving server is killed while it serves
	}
	st, err := inspect(ctx, path)
	if err != nil {
		return 0, 0, err
	}
	if st != sc.new {
		return 0, 0, fmt.Errorf("left %s, want %s", describe(st), describe(sc.new))
	}
	return took, peak, nil
}

// when is the moment a kill aims at.
type when int

const (
	anyTime     when = iota // uniformly over the run
	late                    // over the last 40% of the run, where commits are
	whileWrites             // once the database's files have grown by a random part of what a run writes
)

// kill runs the scenario once, kills it at a random moment of the kind w
// says, and checks what it left.
func (h *harness) kill(ctx context.Context, sc *scenario, w when) error {
	path := filepath.Join(h.work, fmt.Sprintf("kill-%s-%d.db", sc.name, sc.result.kills))
	defer removeDatabase(path)
	cmd, err := sc.setup(path)
	if err != nil {
		return err
	}
	var beside *process
	var besideAddr string
	if sc.beside {
		if beside, besideAddr, err = h.serveBeside(path); err != nil {
			return err
		}
		defer stopProcess(beside)
	}
	span := float64(sc.took) * 1.1
	delay := time.Duration(h.rng.Float64() * span)
	if w == late {
		delay = time.Duration(span * (0.6 + 0.4*h.rng.Float64()))
	}
	began := time.Now()
	p, err := start(cmd)
	if err != nil {
		return err
	}
	stop := make(chan struct{})
	if sc.query {
		go queryWhileServing(p.serving, stop)
	}
	timer, wrote := time.After(delay), (<-chan time.Time)(nil)
	if w == whileWrites {
		// A run that never writes that much is killed at its end.
		timer = time.After(time.Duration(span))
		wrote = grown(path, int64((0.02+0.96*h.rng.Float64())*float64(sc.wrote)), p.done)
	}
	select {
	case <-timer:
	case <-wrote:
	case <-p.done:
	}
	delay = time.Since(began)
	p.Process.Kill()
	<-p.done
	close(stop)

	r := &sc.result
	r.kills++
	st, err := inspect(ctx, path)
	if err == nil && beside != nil {
		// The server beside answers with what the file holds.
		var n int
		if n, err = companiesTotal(besideAddr); err == nil && fmt.Sprint(n) != companies(st) {
			err = fmt.Errorf("the server beside answers %d companies, the file holds %s", n, companies(st))
		}
	}
	switch {
	case err != nil:
		r.corrupt++
		r.failures = append(r.failures, fmt.Sprintf("killed after %v: %v", delay.Round(time.Millisecond), err))
	case st == sc.new:
		r.new++
	case st == sc.old:
		r.old++
	default:
		r.neither++
		r.failures = append(r.failures, fmt.Sprintf("killed after %v: %s, want %s or %s", delay.Round(time.Millisecond),
			describe(st), describe(sc.old), describe(sc.new)))
	}
	return nil
}

// grown returns a channel that receives once the files of the database at
// path (the file, its journal, log and temporary files) have grown by n
// bytes, or never if done closes first.
func grown(path string, n int64, done <-chan struct{}) <-chan time.Time {
	c := make(chan time.Time, 1)
	base := databaseSize(path)
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
			if databaseSize(path) >= base+n {
				c <- time.Now()
				return
			}
		}
	}()
	return c
}

// databaseSize returns the total size of the files of the database at path.
func databaseSize(path string) int64 {
	var total int64
	for _, m := range databaseFiles(path) {
		if st, err := os.Stat(m); err == nil {
			total += st.Size()
		}
	}
	return total
}

// process is a started command.
type process struct {
	*exec.Cmd
	done    chan struct{} // closed once it has exited
	serving chan string   // receives the API's address when a server serves
}

var servingAddr = regexp.MustCompile(`msg=serving addr=(\S+)`)

// start starts cmd.
func start(cmd *exec.Cmd) (*process, error) {
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{Cmd: cmd, done: make(chan struct{}), serving: make(chan string, 1)}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := servingAddr.FindStringSubmatch(sc.Text()); m != nil {
				p.serving <- m[1]
			}
		}
		cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// queryWhileServing sends a query to the server at the address serving
// gives, again and again, until stop closes.
func queryWhileServing(serving <-chan string, stop <-chan struct{}) {
	var addr string
	select {
	case addr = <-serving:
	case <-stop:
		return
	}
	client := &http.Client{Timeout: 5 * time.Second}
	body := `{"query":"{ companies(first: 5) { totalCount edges { node { name projects { project { name } } } } } }"}`
	for {
		select {
		case <-stop:
			return
		default:
		}
		resp, err := client.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(body))
		if err != nil {
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// companiesTotal asks the server at addr how many companies there are.
func companiesTotal(addr string) (int, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Post("http://"+addr+"/graphql", "application/json",
		strings.NewReader(`{"query":"{ companies { totalCount } }"}`))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var out struct {
		Data struct{ Companies struct{ TotalCount int } }
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return 0, err
	}
	return out.Data.Companies.TotalCount, nil
}

// companies returns the number of companies of a state, "0" when absent.
func companies(s state) string {
	for _, kv := range strings.Fields(string(s.counts)) {
		if n, ok := strings.CutPrefix(kv, "companies="); ok {
			return n
		}
	}
	return "0"
}

// tables are the data tables whose row counts make a dataset's signature.
var tables = []string{"sources", "companies", "people", "projects", "meetings", "agreements", "positions",
	"project_participants", "measurements", "milestones", "amounts", "names", "citations", "search", "deal_facts"}

// inspect checks the database at path as the server and synth would find
// it: it must open (db.Open, which migrates and checks it), pass SQLite's
// integrity check, and then its row counts are returned. A missing file, or
// one without data, is the absent state.
func inspect(ctx context.Context, path string) (state, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return state{absent: true}, nil
	}
	s, err := db.Open(ctx, path)
	if err != nil {
		return state{}, fmt.Errorf("open: %w", err)
	}
	empty, err := s.IsEmpty(ctx)
	s.Close()
	if err != nil {
		return state{}, fmt.Errorf("read: %w", err)
	}
	if empty {
		return state{absent: true}, nil
	}
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return state{}, err
	}
	defer conn.Close()
	var check string
	if err := conn.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&check); err != nil {
		return state{}, fmt.Errorf("integrity check: %w", err)
	} else if check != "ok" {
		return state{}, fmt.Errorf("integrity check: %s", check)
	}
	var sig []string
	for _, t := range tables {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return state{}, fmt.Errorf("count %s: %w", t, err)
		}
		sig = append(sig, fmt.Sprintf("%s=%d", t, n))
	}
	return state{counts: counts(strings.Join(sig, " "))}, nil
}

// describe names a state for a failure line.
func describe(s state) string {
	if s.absent {
		return "no data"
	}
	return companies(s) + " companies"
}

// copyFile copies a closed database file.
func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// databaseFiles returns the database file at path and the files beside it
// that belong to it: journal, log, shared memory, lock and temporary files.
func databaseFiles(path string) []string {
	matches, _ := filepath.Glob(path + "*")
	dot, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+"*"))
	return append(matches, dot...)
}

// removeDatabase removes a database file and what lies beside it.
func removeDatabase(path string) {
	for _, m := range databaseFiles(path) {
		os.Remove(m)
	}
}
