package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/investgraph/investgraph/bench"
	"github.com/investgraph/investgraph/bench/pgtemp"
)

// A rounds run measures every query on every system (the bare server, the
// gateway on each executor, PostGraphile) in alternating rounds: each round
// runs each query once on each system, for -d after a warm-up, and the
// systems' order turns by one from round to round, so that none always runs
// first or last while the machine's load drifts. What is reported is the
// median over the rounds, and ratios are taken within the run.

// system is one server measured in a rounds run.
type system struct {
	name string
	// usage returns the server's CPU time so far and, when it can count
	// them, its heap allocations so far.
	usage func() (cpu time.Duration, allocs uint64, counted bool, err error)
	bare  bool // the baseline the others are compared with
}

// cell is one query on one system.
type cell struct {
	sys    *system
	target *target
	runs   []roundRun
}

// roundRun is what one round measured of one cell.
type roundRun struct {
	result
	cpu    time.Duration // the server's CPU time during the run
	allocs uint64
}

// queryCells are the systems' targets for one query.
type queryCells struct {
	query bench.Query
	cells []*cell
	// gatewayBody is the first executor's answer.
	gatewayBody []byte
}

func runRounds(ctx context.Context, cfg config, queries []bench.Query, gc string, out io.Writer) (err error) {
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
	path := cfg.db
	if path == "" {
		path = filepath.Join(dir, "seed.db")
	}
	ch, err := startChild(childConfig{DB: path, Executors: cfg.executors, GCPercent: cfg.gcPercent, ReadModel: cfg.readModel})
	if err != nil {
		return err
	}
	defer ch.stop()
	childUsage := func() (time.Duration, uint64, bool, error) {
		s, err := ch.stats()
		return s.CPU, s.Allocs, true, err
	}

	// The expected bytes: each executor's first answer, which the bare
	// server serves too (the first executor's).
	var failures []string
	bare := &system{name: "bare net/http", usage: childUsage, bare: true}
	spec := baselineSpec{}
	var table []*queryCells
	for _, q := range queries {
		body := graphqlBody(q.Text)
		qc := &queryCells{query: q}
		var first response
		for i, e := range cfg.executors {
			addr := ch.Gateways[e]
			raw, contentType, err := capture(addr, body)
			var want response
			if err == nil {
				want, err = splitResponse(raw)
			}
			if err != nil {
				failures = append(failures, fmt.Sprintf("%s on gateway (%s), not measured: %v", q.Name, e, err))
				qc = nil
				break
			}
			if i == 0 {
				first, qc.gatewayBody = want, raw
				spec.ContentType = contentType
				spec.Bodies = append(spec.Bodies, baselineReply{Request: body, Response: raw})
				qc.cells = append(qc.cells, &cell{sys: bare, target: &target{want: want}})
			} else if !bytes.Equal(want.prefix, first.prefix) || !bytes.Equal(want.suffix, first.suffix) {
				failures = append(failures, fmt.Sprintf("%s: gateway (%s) answers differently from gateway (%s):\n    %s\n    %s",
					q.Name, e, cfg.executors[0], truncate(raw), truncate(append(append([]byte{}, first.prefix...), first.suffix...))))
			}
			qc.cells = append(qc.cells, &cell{sys: &system{name: "gateway (" + e + ")", usage: childUsage},
				target: &target{addr: addr, request: newRequest(addr, body), want: want}})
		}
		if qc != nil {
			table = append(table, qc)
		}
	}
	if len(table) == 0 {
		return fmt.Errorf("no query could be measured:\n  %s", strings.Join(failures, "\n  "))
	}
	bareAddr, err := ch.startBaseline(spec)
	if err != nil {
		return err
	}
	for _, qc := range table {
		t := qc.cells[0].target
		t.addr, t.request = bareAddr, newRequest(bareAddr, graphqlBody(qc.query.Text))
	}
	var pgr *pgReplicas
	if cfg.postgres {
		if pgr, err = startPGReplicas(ctx, path, 2, childConfig{Executors: cfg.executors[:1], GCPercent: cfg.gcPercent, ReadModel: cfg.readModel}, os.Stderr); err != nil {
			return fmt.Errorf("PostgreSQL store: %w", err)
		}
		defer pgr.stop()
		failures = append(failures, addPGCells(table, pgr, cfg.executors[0])...)
	}
	// Systems are shared by the queries' cells; give each gateway cell the
	// same system so that the report's rows line up.
	unify(table)

	counts, err := entityCounts(ch.Gateways[cfg.executors[0]])
	if err != nil {
		return err
	}
	var notes []string
	if cfg.postgraphile {
		var cluster *pgtemp.Cluster
		if pgr != nil {
			cluster = pgr.cluster // over the same PostgreSQL
		}
		pg, err := startPostGraphile(ctx, store, cluster, os.Stderr)
		if err != nil {
			return fmt.Errorf("PostGraphile: %w", err)
		}
		defer pg.stop()
		sys := &system{name: postgraphileName, usage: pg.usage}
		notes = append(notes, pg.about)
		for _, qc := range table {
			note, problem := pg.cell(qc, sys, qc.gatewayBody)
			if problem != "" {
				failures = append(failures, problem)
			} else {
				notes = append(notes, note)
			}
		}
	}
	fmt.Fprintf(out, "machine: %s, GOMAXPROCS %d, %s, %s\n", cpuModel(), runtime.GOMAXPROCS(0), runtime.Version(), gc)
	fmt.Fprintf(out, "data: %s (%s)\n", dbName(cfg.db), counts)
	fmt.Fprintf(out, "load: %d rounds; each round runs every query on every system for %v after %v warm-up, %d connections, at most %d requests; the systems' order turns each round; %v of each before the first round, unmeasured\n",
		cfg.rounds, cfg.duration, cfg.warmup, cfg.conns, cfg.max, cfg.prime)
	fmt.Fprintln(out, "servers: the gateway and the bare server in a child process of their own; CPU/req is that process's CPU time (getrusage) per request, allocs/req its heap allocations (runtime/metrics), the load generator excluded")
	if cfg.postgraphile {
		fmt.Fprintln(out, "PostGraphile: CPU/req is the CPU time of its processes (Node, two workers) and of its PostgreSQL cluster's, from /proc, per request; allocations are not counted (n/a)")
	}
	if pgr != nil {
		fmt.Fprintln(out, pgr.about+"; CPU/req of the PostgreSQL rows is the gateway processes' and the cluster's")
	}
	for _, n := range notes {
		fmt.Fprintln(out, n)
	}
	for _, f := range failures {
		fmt.Fprintf(out, "problem: %s\n", f)
	}

	if cfg.prime > 0 {
		for _, qc := range table {
			for _, c := range qc.cells {
				if err := ctx.Err(); err != nil {
					return err
				}
				if res := cfg.drive(c.target, cfg.prime); res.errors > 0 {
					failures = append(failures, fmt.Sprintf("%s on %s, priming: %d error(s), first: %v",
						qc.query.Name, c.sys.name, res.errors, res.firstErr))
				}
			}
		}
	}
	loadStart := loadAverage()
	for r := range cfg.rounds {
		for _, qc := range table {
			for _, c := range rotate(qc.cells, r) {
				if err := ctx.Err(); err != nil {
					return err
				}
				run, err := cfg.measure(c)
				if err != nil {
					return err
				}
				if run.errors > 0 {
					failures = append(failures, fmt.Sprintf("%s on %s, round %d: %d error(s), first: %v",
						qc.query.Name, c.sys.name, r+1, run.errors, run.firstErr))
				}
				c.runs = append(c.runs, run)
			}
		}
		fmt.Fprintf(os.Stderr, "load: round %d of %d done\n", r+1, cfg.rounds)
	}

	fmt.Fprintf(out, "load average (1 min) of the machine: %s before the rounds, %s after\n\n", loadStart, loadAverage())
	report(out, table)
	if len(failures) > 0 {
		return fmt.Errorf("%d problem(s):\n  %s", len(failures), strings.Join(failures, "\n  "))
	}
	return nil
}

// addPGCells adds the PostgreSQL gateway's cells, one replica and two, to
// each query's, after checking that both replicas answer as the SQLite
// gateway does; a query on which they do not is reported and measured on
// SQLite alone.
func addPGCells(table []*queryCells, r *pgReplicas, executor string) (failures []string) {
	one := &system{name: "gateway (" + executor + ", PostgreSQL, 1 replica)", usage: r.usage(1)}
	two := &system{name: "gateway (" + executor + ", PostgreSQL, 2 replicas)", usage: r.usage(2)}
	for _, qc := range table {
		body := graphqlBody(qc.query.Text)
		want := qc.cells[1].target.want // the SQLite gateway's
		ok := true
		for i := range r.children {
			raw, _, err := capture(r.addr(i, executor), body)
			var got response
			if err == nil {
				got, err = splitResponse(raw)
			}
			if err == nil && (!bytes.Equal(got.prefix, want.prefix) || !bytes.Equal(got.suffix, want.suffix)) {
				err = fmt.Errorf("answers differently from the SQLite gateway:\n    %s\n    %s", truncate(raw), truncate(qc.gatewayBody))
			}
			if err != nil {
				failures = append(failures, fmt.Sprintf("%s on PostgreSQL replica %d, not measured: %v", qc.query.Name, i+1, err))
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		a, b := r.addr(0, executor), r.addr(1, executor)
		qc.cells = append(qc.cells,
			&cell{sys: one, target: &target{addr: a, request: newRequest(a, body), want: want}},
			&cell{sys: two, target: &target{replicas: []string{a, b}, request: newRequest(a, body), want: want}})
	}
	return failures
}

// unify makes the cells of one system name share one *system.
func unify(table []*queryCells) {
	byName := map[string]*system{}
	for _, qc := range table {
		for _, c := range qc.cells {
			if s, ok := byName[c.sys.name]; ok {
				c.sys = s
			} else {
				byName[c.sys.name] = c.sys
			}
		}
	}
}

// measure runs one cell once: a warm-up, then the measured run, with the
// server's CPU time and allocations around it.
func (l load) measure(c *cell) (roundRun, error) {
	if l.warmup > 0 {
		l.drive(c.target, l.warmup)
	}
	cpu0, allocs0, counted, err := c.sys.usage()
	if err != nil {
		return roundRun{}, err
	}
	res := l.drive(c.target, l.duration)
	cpu1, allocs1, _, err := c.sys.usage()
	if err != nil {
		return roundRun{}, err
	}
	run := roundRun{result: res, cpu: cpu1 - cpu0}
	if counted {
		run.allocs = allocs1 - allocs0
	} else {
		run.allocs = noAllocs
	}
	return run, nil
}

// noAllocs marks a run whose server cannot count its allocations.
const noAllocs = ^uint64(0)

// rotate returns cells turned left by r places.
func rotate(cells []*cell, r int) []*cell {
	r %= len(cells)
	return append(slices.Clone(cells[r:]), cells[:r]...)
}

// summary is a cell's medians over its rounds.
type summary struct {
	rate, allocs float64
	p50, p99     time.Duration
	cpu          time.Duration // per request
	hasAllocs    bool
	requests     int // checked, over all rounds
	rates        []float64
}

func (c *cell) summary() summary {
	var s summary
	var p50, p99, cpu []time.Duration
	var allocs []float64
	s.hasAllocs = true
	for _, r := range c.runs {
		s.rates = append(s.rates, r.rate())
		p50 = append(p50, r.percentile(0.50))
		p99 = append(p99, r.percentile(0.99))
		s.requests += r.requests
		if r.requests > 0 {
			cpu = append(cpu, r.cpu/time.Duration(r.requests))
			if r.allocs == noAllocs {
				s.hasAllocs = false
			} else {
				allocs = append(allocs, float64(r.allocs)/float64(r.requests))
			}
		}
	}
	s.rate, s.p50, s.p99, s.cpu = median(s.rates), median(p50), median(p99), median(cpu)
	if s.hasAllocs && len(allocs) > 0 {
		s.allocs = median(allocs)
	}
	return s
}

// median is the middle value, or the mean of the two middle ones.
func median[T int64 | float64 | time.Duration](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// report prints the medians of every cell, each system's share of the bare
// server's requests per second, and each gateway's ratio to PostGraphile.
func report(out io.Writer, table []*queryCells) {
	fmt.Fprintln(out, "medians over the rounds:")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| query | system | req/s | share of bare | p50 | p99 | CPU/req | allocs/req | checked responses | req/s by round |")
	fmt.Fprintln(out, "|---|---|--:|--:|--:|--:|--:|--:|--:|---|")
	var ratios []string
	for _, qc := range table {
		sums := make([]summary, len(qc.cells))
		var bareRate, pgRate float64
		for i, c := range qc.cells {
			sums[i] = c.summary()
			if c.sys.bare {
				bareRate = sums[i].rate
			}
			if c.sys.name == postgraphileName {
				pgRate = sums[i].rate
			}
		}
		for i, c := range qc.cells {
			s := sums[i]
			allocs := "n/a"
			if s.hasAllocs {
				allocs = fmt.Sprintf("%.0f", s.allocs)
			}
			var rates []string
			for _, r := range s.rates {
				rates = append(rates, fmt.Sprintf("%.0f", r))
			}
			fmt.Fprintf(out, "| %s | %s | %.0f | %s | %s | %s | %s | %s | %d | %s |\n", qc.query.Name, c.sys.name, s.rate,
				share(s.rate, bareRate), ms(s.p50), ms(s.p99), us(s.cpu), allocs, s.requests, strings.Join(rates, " "))
			if pgRate > 0 && strings.HasPrefix(c.sys.name, "gateway") {
				ratios = append(ratios, fmt.Sprintf("%s: %s / %s = %.2f×", qc.query.Name, c.sys.name, postgraphileName, s.rate/pgRate))
			}
		}
	}
	if len(ratios) > 0 {
		fmt.Fprintln(out)
		fmt.Fprintln(out, "requests/s ratios to PostGraphile, same run:")
		for _, r := range ratios {
			fmt.Fprintln(out, "  "+r)
		}
	}
}

func share(rate, bare float64) string {
	if bare <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*rate/bare)
}

// postgraphileName is PostGraphile's row in the report.
const postgraphileName = "PostGraphile 4.14.1"
