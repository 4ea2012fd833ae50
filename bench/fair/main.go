// Command fair measures whether one client can starve another: it drives a
// running gateway on the loopback interface with a victim, one connection
// sending the design-card query five times a second, first alone and then while an
// attacker (a second client, several connections) sends the costliest
// query the server's limits accept as fast as it is answered. It prints
// the victim's p50 in both phases and their ratio, for each run and their
// median over the runs, and exits non-zero when the median ratio is above
// -target or the victim got an error.
//
// The two clients must have separate rate-limit budgets: by default they
// send different bearer tokens (start the server with -rate-by-token); with
// -identity xff they send different X-Forwarded-For addresses instead
// (start it with -client-ip-header X-Forwarded-For). Each run uses a new
// attacker, so that one run's debts do not carry into the next.
//
//	go run ./seed/synth -entities 10000 -db /tmp/s10k.db
//	go run . -db /tmp/s10k.db -addr 127.0.0.1:8080 -rate-by-token &
//	go run ./bench/fair -runs 3
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/investgraph/investgraph/bench"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "fair:", err)
		}
		os.Exit(1)
	}
}

// config is what the command line sets.
type config struct {
	url        string
	identity   string
	attack     string
	size       int
	conns      int
	duration   time.Duration
	max        int
	runs       int
	retryPause time.Duration
	every      time.Duration
	target     float64
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("fair", flag.ContinueOnError)
	fs.StringVar(&c.url, "url", "http://127.0.0.1:8080/graphql", "the gateway's GraphQL endpoint, on a loopback address")
	fs.StringVar(&c.identity, "identity", "token", "how the clients tell themselves apart: token (bearer tokens, for -rate-by-token) or xff (X-Forwarded-For, for -client-ip-header X-Forwarded-For)")
	fs.StringVar(&c.attack, "attack", "money", "the attacker's query: "+strings.Join(attackNames(), ", "))
	fs.IntVar(&c.size, "size", 0, "largest size of the attack query (aliases of money, first of hub; default 30 and 100); smaller when the server's limits refuse it")
	fs.IntVar(&c.conns, "c", 4, "the attacker's connections")
	fs.DurationVar(&c.duration, "d", 10*time.Second, "length of each phase (victim alone, then under attack)")
	fs.IntVar(&c.max, "n", 1000, "most victim requests in one phase")
	fs.DurationVar(&c.every, "every", 200*time.Millisecond, "how often the victim sends its query: a client well within its rate limit (the design card costs about 300 points)")
	fs.IntVar(&c.runs, "runs", 3, "idle and attack phase pairs, each with a new attacker")
	fs.DurationVar(&c.retryPause, "retry-pause", 20*time.Millisecond, "how long an attacker's connection pauses after a refusal before sending again (it ignores Retry-After)")
	fs.Float64Var(&c.target, "target", 2, "largest acceptable ratio of the victim's p50 under attack to its p50 alone")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if c.conns < 1 || c.duration <= 0 || c.max < 1 || c.runs < 1 || c.size < 0 || c.retryPause < 0 || c.every <= 0 || c.target <= 0 {
		return c, errors.New("-c, -d, -n, -runs, -every and -target must be positive, -size and -retry-pause not negative")
	}
	if c.identity != "token" && c.identity != "xff" {
		return c, fmt.Errorf("-identity must be token or xff, not %q", c.identity)
	}
	if _, ok := attacks[c.attack]; !ok {
		return c, fmt.Errorf("-attack must be one of %s, not %q", strings.Join(attackNames(), ", "), c.attack)
	}
	u, err := url.Parse(c.url)
	if err != nil {
		return c, fmt.Errorf("-url: %w", err)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return c, fmt.Errorf("-url %s: want a loopback address such as 127.0.0.1", c.url)
	}
	return c, nil
}

// phase is what one phase measured of the victim.
type phase struct {
	p50, p90     time.Duration
	requests     int
	failed       int
	firstFailure string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	c, err := parseFlags(args)
	if err != nil {
		return err
	}
	card, _ := bench.Find("design-card")
	victim := newClient(c.url, c.identity, "victim")

	attackQuery, probe, err := fitAttack(ctx, c)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "attack: %s of size %d, cost %d, actual cost %d, %s alone; %d connections for %s per run\n",
		c.attack, attackQuery.size, probe.cost, probe.actualCost, round(probe.elapsed), c.conns, c.duration)

	var (
		ratios []float64
		failed int
	)
	var idles, attacked []time.Duration
	for i := range c.runs {
		idle, err := measureVictim(ctx, victim, card.Text, c.duration, c.every, c.max)
		if err != nil {
			return fmt.Errorf("run %d, victim alone: %w", i+1, err)
		}
		attacker := newClient(c.url, c.identity, fmt.Sprintf("attacker-%d-%d", os.Getpid(), i))
		actx, stop := context.WithCancel(ctx)
		done := make(chan attackStats, 1)
		go func() { done <- attack(actx, attacker, attackQuery.text, c.conns, c.retryPause) }()
		under, err := measureVictim(ctx, victim, card.Text, c.duration, c.every, c.max)
		stop()
		st := <-done
		if err != nil {
			return fmt.Errorf("run %d, victim under attack: %w", i+1, err)
		}
		failed += idle.failed + under.failed
		for _, f := range []string{idle.firstFailure, under.firstFailure} {
			if f != "" {
				fmt.Fprintf(out, "run %d: the victim failed: %s\n", i+1, f)
			}
		}
		ratio := float64(under.p50) / float64(idle.p50)
		ratios, idles, attacked = append(ratios, ratio), append(idles, idle.p50), append(attacked, under.p50)
		fmt.Fprintf(out, "run %d: victim p50 %s alone (%d requests), %s under attack (%d requests, p90 %s, %d failed): %.2f×; "+
			"attacker: %d answered (actual cost %d), %d refused (%s), %d other\n",
			i+1, round(idle.p50), idle.requests, round(under.p50), under.requests, round(under.p90), under.failed, ratio,
			st.ok, st.actualCost, st.refused, st.refusedCodes(), st.other)
	}
	ratio := median(ratios)
	fmt.Fprintf(out, "median of %d runs: victim p50 %s alone, %s under attack: %.2f× (target %g×)\n",
		c.runs, round(median(idles)), round(median(attacked)), ratio, c.target)
	if failed > 0 {
		return fmt.Errorf("%d of the victim's requests failed", failed)
	}
	if ratio > c.target {
		return fmt.Errorf("the victim's p50 under attack is %.2f× its p50 alone, more than %g×", ratio, c.target)
	}
	return nil
}

// measureVictim sends query on one connection every so often for d (at
// most max times) and returns its latencies' percentiles. A failed request
// counts with the time it took to fail, and in failed: the victim is never
// to be refused.
func measureVictim(ctx context.Context, cl *client, query string, d, every time.Duration, max int) (phase, error) {
	var (
		lat []time.Duration
		ph  phase
	)
	tick := time.NewTicker(every)
	defer tick.Stop()
	end := time.Now().Add(d)
	for len(lat) < max && time.Now().Before(end) {
		<-tick.C
		start := time.Now()
		r, err := cl.do(ctx, query)
		if ctx.Err() != nil {
			return ph, ctx.Err()
		}
		if err != nil || r.status != 200 || r.code != "" {
			if ph.failed++; ph.firstFailure == "" {
				ph.firstFailure = fmt.Sprintf("status %d, %s", r.status, r.code)
				if err != nil {
					ph.firstFailure = err.Error()
				}
			}
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	ph.p50, ph.p90, ph.requests = percentile(lat, 0.5), percentile(lat, 0.9), len(lat)
	return ph, nil
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(int(float64(len(sorted))*p), len(sorted)-1)]
}

func median[T float64 | time.Duration](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func round(d time.Duration) time.Duration {
	if d > 10*time.Millisecond {
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Microsecond)
}
