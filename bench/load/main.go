// Command load measures the gateway against the physical limit: it starts
// the gateway on a database (a temporary one seeded from the built-in seed,
// or -db) and a bare net/http handler that answers each query with the
// gateway's own response bytes, drives both over loopback with a fixed
// number of connections for a fixed time, and prints requests/s, p50, p99,
// SQL statements per request and the gateway/baseline ratio per query. A
// second, open-loop run at half the measured maximum gives the p99 of the
// design-card target. It exits non-zero on any error: a non-200 status, a
// GraphQL error, or a response that differs from the expected bytes.
//
// With -rounds N it measures side by side instead (rounds.go): the bare
// server, the gateway on each -executor and, with -postgraphile,
// PostGraphile over a PostgreSQL cluster of its own holding the same data
// (postgraphile.go) and, with -postgres, the gateway on a PostgreSQL store
// with one and two replicas (postgres.go), in N alternating rounds, and
// reports medians, CPU and allocations per request of the servers alone,
// and the ratios.
//
//	go run ./bench/load                      # seed data, default settings
//	go run ./bench/load -db synth-1m.db -d 5s
//	go run ./bench/load -queries q1,q2 -executor both -postgraphile -rounds 5 -d 5s -c 32
//	go run ./bench/load -queries q1,q2 -postgres -postgraphile -rounds 5 -d 5s -c 32
//
// With -writes N it measures reads under writes instead (writes.go): the
// -write-query (q1) at a fixed rate, idle and while N changesets a second
// arrive, and the latency from a revision's commit to a subscriber.
//
//	go run ./bench/load -writes 10 -d 10s
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/investgraph/investgraph/bench"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/writer"
)

func main() {
	// An interrupt cancels ctx, so that the servers and the PostgreSQL
	// cluster a run started are stopped on the way out.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	writer.RunIfChild() // the writer process of a gateway under -writes
	if config := os.Getenv(childEnv); config != "" {
		if err := runChild(ctx, config, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "load (servers):", err)
			os.Exit(1)
		}
		return
	}
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "load:", err)
		}
		stop()
		os.Exit(1)
	}
}

// config is what the command line sets.
type config struct {
	db         string
	queries    string
	halfMax    string
	respCache  bool
	readModel  int64
	cpuProfile string
	gcPercent  int
	// executors are the gateway's executors to measure, each an
	// httpapi.Options.Executor: one, or both side by side.
	executors []string
	// rounds > 0 measures in alternating rounds (rounds.go) instead of
	// one run per query and server.
	rounds       int
	prime        time.Duration
	postgraphile bool
	// postgres measures the gateway on a PostgreSQL store too, with one
	// and two replicas (postgres.go).
	postgres bool
	// writes, with perSecond > 0, measures reads under changesets instead
	// (writes.go).
	writes writeLoad
	load
}

// executorNames are the values of -executor.
var executorNames = map[string][]string{
	"gqlgen": {"gqlgen"},
	"fast":   {"fast"},
	"both":   {"gqlgen", "fast"},
	// The compiled executor with the read model off and on.
	"models": {"fast" + sqlSuffix, "fast"},
	// Where the gateway started (gqlgen's executor reading every row from
	// the store), the compiled executor alone, and with the read model.
	"all": {"gqlgen" + sqlSuffix, "fast" + sqlSuffix, "fast"},
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.StringVar(&c.db, "db", "", "database to serve, e.g. one from seed/synth (default: a temporary copy of the built-in seed)")
	fs.IntVar(&c.conns, "c", 4, "connections kept open to each server")
	fs.DurationVar(&c.duration, "d", 2*time.Second, "measured time of each run")
	fs.DurationVar(&c.warmup, "warmup", 250*time.Millisecond, "unmeasured time before each run")
	fs.IntVar(&c.max, "n", 200000, "most requests measured in one run")
	fs.StringVar(&c.queries, "queries", "", "comma-separated queries to run (default: every query the schema supports)")
	fs.StringVar(&c.halfMax, "halfmax", "design-card", "comma-separated queries to run again, open loop, at half their maximum throughput; empty to skip")
	fs.BoolVar(&c.respCache, "respcache", false, "put the response cache (httpapi/respcache) in front of the gateway")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	fs.IntVar(&c.gcPercent, "gc-percent", httpapi.DefaultGCPercent, "garbage collection target, as the server's -gc-percent; GOGC wins when set")
	executor := fs.String("executor", "fast", "the gateway's query executor, as the server's -executor: gqlgen, fast, or side by side (needs -rounds) both, models (fast with the read model off and on) or all (gqlgen and fast with the read model off, fast with it on)")
	fs.Int64Var(&c.readModel, "read-model", httpapi.DefaultReadModel, "values the gateway's read model keeps, as the server's -read-model (0: off)")
	fs.IntVar(&c.rounds, "rounds", 0, "measure in this many alternating rounds of -d per query and server, servers in a child process (0: one run each, in process)")
	fs.DurationVar(&c.prime, "prime", 2*time.Second, "with -rounds: unmeasured time of each query on each system before the first round, for JIT compilers and caches")
	fs.Float64Var(&c.writes.perSecond, "writes", 0, "changesets a second for the write-load run (writes.go), which measures -write-query idle and under writes and a subscriber's latency; 0: off")
	fs.IntVar(&c.writes.items, "write-items", 100, "with -writes: entries of each changeset")
	fs.StringVar(&c.writes.query, "write-query", "q1", "with -writes: the query whose p99 is compared")
	fs.Float64Var(&c.writes.rate, "write-rate", 100, "with -writes: requests a second of the query, open loop")
	fs.IntVar(&c.writes.rounds, "write-rounds", 3, "with -writes: idle and writing phases of -d each, alternating")
	fs.BoolVar(&c.writes.process, "write-process", true, "with -writes: the gateway applies changesets in a writer process, as the server's -write-process (false: in its own)")
	fs.StringVar(&c.writes.priority, "write-priority", writer.DefaultPriority, "with -writes: the writer process's priority, as the server's -write-priority")
	fs.BoolVar(&c.postgres, "postgres", false, "also measure the gateway on a PostgreSQL store: a PostgreSQL 15 cluster of its own holding a copy of the data, with one gateway replica and with two, connections sent to them in turn (needs -rounds and PostgreSQL 15; PostGraphile then runs over the same cluster)")
	fs.BoolVar(&c.postgraphile, "postgraphile", false, "also measure PostGraphile 4.14.1 over a PostgreSQL 15 cluster of its own holding the same data, on q1 and q2 (needs -rounds, PostgreSQL 15 and Node 20 with npm)")

	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if c.conns < 1 || c.duration <= 0 || c.warmup < 0 || c.max < 1 || c.gcPercent < 1 || c.rounds < 0 || c.prime < 0 {
		return c, errors.New("-c, -d, -n and -gc-percent must be positive and -warmup, -rounds and -prime not negative")
	}
	var ok bool
	if c.executors, ok = executorNames[*executor]; !ok {
		return c, fmt.Errorf("-executor %q: want gqlgen, fast, both, models or all", *executor)
	}
	if c.rounds == 0 && (len(c.executors) > 1 || c.postgraphile || c.postgres) {
		return c, errors.New("-executor both, -postgraphile and -postgres measure side by side: give -rounds, e.g. -rounds 5")
	}
	if c.writes.perSecond < 0 || (c.writes.perSecond > 0 && (c.rounds > 0 || c.writes.items < 1 || c.writes.rate <= 0 || c.writes.rounds < 1)) {
		return c, errors.New("-writes: a positive rate, without -rounds, with positive -write-items, -write-rate and -write-rounds")
	}
	if (c.rounds > 0 || c.writes.perSecond > 0) && (c.respCache || c.cpuProfile != "") {
		return c, errors.New("-respcache and -cpuprofile are for single runs, not with -rounds or -writes (their gateways run in a process of their own)")
	}
	return c, nil
}

// pair is one query's two targets: the gateway and the baseline.
type pair struct {
	query             bench.Query
	gateway, baseline *target
}

func run(ctx context.Context, args []string, out io.Writer) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	gc := "GOGC " + os.Getenv("GOGC")
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(cfg.gcPercent)
		gc = fmt.Sprintf("GC target %d%%", cfg.gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// The server's default; the load generator and the baseline
		// allocate little.
		debug.SetMemoryLimit(httpapi.DefaultMemoryLimit)
		gc += fmt.Sprintf(", memory limit %d MiB", httpapi.DefaultMemoryLimit>>20)
	}
	queries, err := bench.Select(graph.Schema(), cfg.queries)
	if err != nil {
		return err
	}
	if cfg.rounds > 0 {
		return runRounds(ctx, cfg, queries, gc, out)
	}
	if cfg.writes.perSecond > 0 {
		return runWrites(ctx, cfg, queries, gc, out)
	}
	dir, err := os.MkdirTemp("", "investgraph-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := openStore(ctx, cfg.db, dir)
	if err != nil {
		return err
	}
	defer store.Close()
	gwAddr, stopGateway, err := serve(gateway(store, cfg.respCache, cfg.executors[0], cfg.readModel, nil))
	if err != nil {
		return err
	}
	defer stopGateway()

	base := &baseline{bodies: map[string][]byte{}}
	pairs, failures := capturePairs(gwAddr, queries, base)
	baseAddr, stopBaseline, err := serve(base)
	if err != nil {
		return err
	}
	defer stopBaseline()
	for _, p := range pairs {
		p.baseline.addr, p.baseline.request = baseAddr, newRequest(baseAddr, graphqlBody(p.query.Text))
	}

	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	counts, err := entityCounts(gwAddr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "machine: %s, GOMAXPROCS %d, %s, %s\n", cpuModel(), runtime.GOMAXPROCS(0), runtime.Version(), gc)
	fmt.Fprintf(out, "data: %s (%s)\n", dbName(cfg.db), counts)
	fmt.Fprintf(out, "executor: %s\n", cfg.executors[0])
	if cfg.respCache {
		fmt.Fprintln(out, "response cache: on")
	}
	fmt.Fprintf(out, "load: %d connections, %v measured after %v warm-up, at most %d requests per run\n",
		cfg.conns, cfg.duration, cfg.warmup, cfg.max)
	fmt.Fprintf(out, "CPU/req: CPU time of the whole process (servers and load generator) per request; peak RSS: the process's, during the gateway's run\n\n")

	fail := func(name, server string, r result) {
		if r.errors > 0 {
			failures = append(failures, fmt.Sprintf("%s on %s: %d error(s), first: %v", name, server, r.errors, r.firstErr))
		}
	}
	for _, f := range failures {
		fmt.Fprintf(out, "not measured: %s\n\n", truncate([]byte(f)))
	}
	fmt.Fprintln(out, "| query | SQL/req (max) | gateway req/s | p50 | p99 | CPU/req | peak RSS | baseline req/s | p50 | p99 | CPU/req | gateway/baseline |")
	fmt.Fprintln(out, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	maxRate := map[string]float64{}
	for _, p := range pairs {
		resetPeakRSS()
		g := cfg.closedLoop(p.gateway)
		peak := procStatus("VmHWM")
		b := cfg.closedLoop(p.baseline)
		fail(p.query.Name, "gateway", g)
		fail(p.query.Name, "baseline", b)
		maxRate[p.query.Name] = g.rate()
		fmt.Fprintf(out, "| %s | %.2f (%d) | %.0f | %s | %s | %s | %s | %.0f | %s | %s | %s | %.1f%% |\n", p.query.Name,
			g.statementsPerRequest(), g.mostSQL, g.rate(), ms(g.percentile(0.50)), ms(g.percentile(0.99)), us(g.cpuPerRequest()), mb(peak),
			b.rate(), ms(b.percentile(0.50)), ms(b.percentile(0.99)), us(b.cpuPerRequest()), 100*g.rate()/b.rate())
	}

	if names := strings.TrimSpace(cfg.halfMax); names != "" {
		fmt.Fprint(out, "\nopen loop at half the maximum throughput (gateway):\n\n")
		fmt.Fprintln(out, "| query | rate | achieved req/s | p50 | p99 | p99 < 5 ms |")
		fmt.Fprintln(out, "|---|--:|--:|--:|--:|---|")
		for _, name := range strings.Split(names, ",") {
			p, ok := findPair(pairs, strings.TrimSpace(name))
			if !ok {
				continue // not selected or not in the schema
			}
			rate := maxRate[p.query.Name] / 2
			r := cfg.openLoop(p.gateway, rate)
			fail(p.query.Name, "gateway (open loop)", r)
			fmt.Fprintf(out, "| %s | %.0f/s | %.0f | %s | %s | %s |\n", p.query.Name, rate, r.rate(),
				ms(r.percentile(0.50)), ms(r.percentile(0.99)), yes(r.percentile(0.99) < 5*time.Millisecond))
		}
	}

	fmt.Fprintf(out, "\nRSS at the end: %s (gateway, baseline and load generator share the process)\n", mb(procStatus("VmRSS")))
	if len(failures) > 0 {
		return fmt.Errorf("%d run(s) had errors:\n  %s", len(failures), strings.Join(failures, "\n  "))
	}
	return nil
}

// capturePairs asks the gateway each query once, keeps its answer as the
// expected response and the baseline's, and returns the queries' targets. A
// query that fails is reported and left out, so that the others are still
// measured; the run fails at the end.
func capturePairs(gwAddr string, queries []bench.Query, base *baseline) (pairs []pair, failures []string) {
	for _, q := range queries {
		body := graphqlBody(q.Text)
		raw, contentType, err := capture(gwAddr, body)
		var want response
		if err == nil {
			want, err = splitResponse(raw)
		}
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", q.Name, err))
			continue
		}
		base.contentType, base.bodies[string(body)] = contentType, raw
		pairs = append(pairs, pair{query: q,
			gateway:  &target{addr: gwAddr, request: newRequest(gwAddr, body), want: want},
			baseline: &target{want: want}})
	}
	return pairs, failures
}

func findPair(pairs []pair, name string) (pair, bool) {
	for _, p := range pairs {
		if p.query.Name == name {
			return p, true
		}
	}
	return pair{}, false
}

// graphqlBody is the JSON request body of a query without variables.
func graphqlBody(query string) []byte {
	b, _ := json.Marshal(map[string]string{"query": query})
	return b
}

func dbName(path string) string {
	if path == "" {
		return "built-in seed"
	}
	return path
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func us(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond)) }

func mb(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/(1<<20)) }

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}
