// Command budget measures what the cost model and the execution budget do to
// the costliest queries of a large graph: it serves a database (one from
// seed/synth) on loopback with the server's memory settings, sends each
// query once under a few settings of the limits, and prints the status,
// error code, cost, objects counted, time to answer and the process's peak
// RSS during the request (VmHWM, reset before each one).
//
//	go run ./seed/synth -entities 100000 -db /tmp/s100k.db
//	go run ./bench/budget -db /tmp/s100k.db
//
// The hub query reaches every project of the company -hub, every
// participant of those, and their projects again; the aliases queries ask
// thirty times for the schema's types and for a money summary as of
// thirty dates.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/httpapi"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "budget:", err)
		}
		os.Exit(1)
	}
}

// setting is one configuration of the limits.
type setting struct {
	name   string
	limits httpapi.Limits
}

var settings = []setting{
	{"defaults", httpapi.Limits{}},
	{"no cost limit", httpapi.Limits{MaxCost: -1}},
	{"deadline only", httpapi.Limits{MaxCost: -1, MaxObjects: -1, MaxResponseBytes: -1}},
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("budget", flag.ContinueOnError)
	path := fs.String("db", "", "database to serve, e.g. one from seed/synth (required)")
	hub := fs.String("hub", "s000000l-karak-agro-llc", "slug of the company the hub query starts from")
	timeout := fs.Duration("timeout", 10*time.Second, "the server's per-request deadline")
	wait := fs.Duration("wait", time.Minute, "how long the client waits for each answer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *path == "" || fs.NArg() > 0 {
		return errors.New("usage: budget -db FILE [-hub SLUG] [-timeout 10s] [-wait 1m]")
	}
	if _, err := os.Stat(*path); err != nil {
		return err
	}
	debug.SetGCPercent(httpapi.DefaultGCPercent)
	debug.SetMemoryLimit(httpapi.DefaultMemoryLimit)
	store, err := db.Open(ctx, *path)
	if err != nil {
		return err
	}
	defer store.Close()

	queries := []struct{ name, text string }{
		{"hub", `{ company(slug: "` + *hub + `") { projects { project { participants { company { projects { project { name } } } } } } } }`},
		{"30 __schema", aliases(30, func(int) string { return `__schema { types { name fields { name } } }` })},
		{"30 asOf money", aliases(30, func(i int) string {
			return fmt.Sprintf(`asOf(date: "%d-%02d") { aggregates { money(groupBy: COMPANY) { total groups { key total } } } }`, 2016+i/4, i%4*3+1)
		})},
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "query\tsetting\tstatus\tcode\tcost\tobjects\ttime\tpeak RSS\t")
	for _, s := range settings {
		s.limits.Timeout = *timeout
		h, err := httpapi.New(store, httpapi.Options{Limits: s.limits, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: h}
		go srv.Serve(ln)
		for _, q := range queries {
			r := send(ctx, "http://"+ln.Addr().String()+"/graphql", q.text, *wait)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%.2fs\t%d MiB\t\n", q.name, s.name, r.status, r.code, r.cost, r.objects,
				r.elapsed.Seconds(), r.peakRSS>>20)
		}
		srv.Close()
	}
	return tw.Flush()
}

// aliases is a query of n aliased fields.
func aliases(n int, field func(i int) string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: %s", i, field(i))
	}
	b.WriteString(" }")
	return b.String()
}

// result is what one request answered.
type result struct {
	status, code, cost, objects string
	elapsed                     time.Duration
	peakRSS                     int64
}

// send posts query, waiting at most wait, and measures the answer.
func send(ctx context.Context, url, query string, wait time.Duration) result {
	// Memory the last request left is returned first, so that the peak is
	// this request's.
	debug.FreeOSMemory()
	resetPeakRSS()
	body, _ := json.Marshal(map[string]string{"query": query})
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	start := time.Now()
	r := result{status: "-", code: "-", cost: "-", objects: "-"}
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		var out struct {
			Errors []struct {
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
			Extensions map[string]any `json:"extensions"`
		}
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		r.status = resp.Status[:3]
		if v, ok := out.Extensions["cost"]; ok {
			r.cost = fmt.Sprint(v)
		}
		if len(out.Errors) > 0 {
			r.code = fmt.Sprint(out.Errors[0].Extensions["code"])
			if v, ok := out.Errors[0].Extensions["objects"]; ok {
				r.objects = fmt.Sprintf("%.0f", v)
			}
		}
	}
	r.elapsed = time.Since(start)
	if err != nil {
		r.code = "no answer: " + err.Error()
	}
	r.peakRSS = peakRSS()
	return r
}

// resetPeakRSS resets the process's VmHWM to its current RSS (Linux).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS returns the process's VmHWM in bytes, or 0 where it is unknown.
func peakRSS() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return kb << 10
		}
	}
	return 0
}
