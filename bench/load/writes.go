package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/investgraph/investgraph/bench"
	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed/changegen"
)

// writeLoad is what -writes measures.
type writeLoad struct {
	perSecond float64 // changesets a second
	items     int     // entries of each changeset
	query     string  // the query whose p99 is compared
	rate      float64 // its requests a second, idle and under writes
	rounds    int     // idle and writing phases, alternating
	process   bool    // changesets applied in a writer process
	priority  string  // its priority
}

// phase is one measured phase of the write-load run.
type phase struct {
	writing  bool
	query    result
	commits  []time.Duration // each changeset's mutation, sent to answered
	received []time.Duration // each revision's commit to the subscriber's receipt
	errors   []string
}

// runWrites measures reads under writes: the query at a fixed open-loop
// rate, in phases alternating between idle and w.perSecond changesets a
// second sent through applyChangeset, each changeset about w.items entries
// of seed/changegen that never touch the seed's entities (so the query's
// answer stays the same bytes). A subscriber of `revisions` over GraphQL
// over SSE receives every revision; its latency runs from the revision's
// createdAt, taken inside the committing transaction, to the moment the
// subscriber has read the event. It reports each phase and the median p99
// of the idle and the writing phases.
func runWrites(ctx context.Context, cfg config, queries []bench.Query, gc string, out io.Writer) error {
	w := cfg.writes
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
	token, err := store.CreateToken(ctx, "load", db.RoleEditor)
	if err != nil {
		return err
	}
	// The gateway runs in a process of its own, as in the rounds, so that
	// the load generator's and the subscriber's own work and garbage do
	// not fall on the reads measured, nor theirs on the load generator.
	path := cfg.db
	if path == "" {
		path = filepath.Join(dir, "seed.db")
	}
	ch, err := startChild(childConfig{DB: path, Executors: cfg.executors[:1], GCPercent: cfg.gcPercent, ReadModel: cfg.readModel,
		WriteProcess: w.process, WritePriority: w.priority})
	if err != nil {
		return err
	}
	defer ch.stop()
	addr := ch.Gateways[cfg.executors[0]]
	i := slices.IndexFunc(queries, func(q bench.Query) bool { return q.Name == w.query })
	if i < 0 {
		return fmt.Errorf("-write-query %q: no such query", w.query)
	}
	pairs, failures := capturePairs(addr, queries[i:i+1], &baseline{bodies: map[string][]byte{}})
	if len(failures) > 0 {
		return errors.New(failures[0])
	}
	target := pairs[0].gateway
	raw, _, err := capture(addr, graphqlBody(pairs[0].query.Text))
	if err != nil {
		return err
	}
	target.want = dataOnlyResponse(raw)

	subCtx, cancelSub := context.WithCancel(ctx)
	defer cancelSub()
	sub, err := subscribe(subCtx, addr)
	if err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}

	fmt.Fprintf(out, "machine: %s, %s\n", cpuModel(), gc)
	fmt.Fprintf(out, "data: %s; executor %s; %s at %.0f requests/s open loop, %d connections, %v a phase after %v warm-up\n",
		dbName(cfg.db), cfg.executors[0], w.query, w.rate, cfg.conns, cfg.duration, cfg.warmup)
	where := "in the gateway's process"
	if w.process {
		where = fmt.Sprintf("in a writer process at priority %s", w.priority)
	}
	fmt.Fprintf(out, "writing phases: %.0f changesets/s of about %d entries each (applyChangeset over HTTP), applied %s; a subscriber on revisions over SSE\n\n",
		w.perSecond, w.items, where)
	fmt.Fprintln(out, "| phase | query req/s | p50 | p99 | changesets | commit p50 | commit p99 | to subscriber p50 | p99 |")
	fmt.Fprintln(out, "|---|--:|--:|--:|--:|--:|--:|--:|--:|")

	gen := changegen.NewApart(uint64(time.Now().UnixNano()), "load")
	var idle, writing, delivered []time.Duration
	var errs []string
	for r := range 2 * w.rounds {
		p := phase{writing: r%2 == 1}
		done := make(chan struct{})
		var wg sync.WaitGroup
		if p.writing {
			wg.Go(func() { p.commits, p.errors = sendChangesets(addr, token, gen, w, cfg.warmup+cfg.duration, done) })
		}
		p.query = cfg.openLoop(target, w.rate)
		close(done)
		wg.Wait()
		if p.writing {
			// The last revisions may still be on their way.
			time.Sleep(200 * time.Millisecond)
			p.received = sub.take()
		} else {
			sub.take()
		}
		name := "idle"
		if p.writing {
			name = "writing"
			writing = append(writing, p.query.percentile(0.99))
			delivered = append(delivered, p.received...)
		} else {
			idle = append(idle, p.query.percentile(0.99))
		}
		if p.query.errors > 0 {
			errs = append(errs, fmt.Sprintf("%s phase %d: %d query errors, first: %v", name, r+1, p.query.errors, p.query.firstErr))
		}
		errs = append(errs, p.errors...)
		slices.Sort(p.commits)
		slices.Sort(p.received)
		fmt.Fprintf(out, "| %s | %.0f | %s | %s | %d | %s | %s | %s | %s |\n", name, p.query.rate(), ms(p.query.percentile(0.5)),
			ms(p.query.percentile(0.99)), len(p.commits), msOf(p.commits, 0.5), msOf(p.commits, 0.99), msOf(p.received, 0.5), msOf(p.received, 0.99))
	}
	slices.Sort(idle)
	slices.Sort(writing)
	slices.Sort(delivered)
	ratio := float64(median(writing)) / float64(max(median(idle), 1))
	fmt.Fprintf(out, "\n%s p99, median of phases: idle %s, writing %s: %.2f× (target ≤ 2×: %s)\n", w.query, ms(median(idle)), ms(median(writing)),
		ratio, yes(ratio <= 2))
	fmt.Fprintf(out, "commit to subscriber, all writing phases: %d revisions, median %s, p99 %s (target median < 50 ms: %s)\n",
		len(delivered), msOf(delivered, 0.5), msOf(delivered, 0.99), yes(len(delivered) > 0 && median(delivered) < 50*time.Millisecond))
	if sub.err() != nil {
		errs = append(errs, "subscription: "+sub.err().Error())
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d error(s):\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
	return nil
}

// sendChangesets sends a changeset every 1/w.perSecond seconds for d, or
// until done closes, one at a time: a changeset that takes longer delays
// the next. It returns each mutation's latency.
func sendChangesets(addr, token string, gen *changegen.Generator, w writeLoad, d time.Duration, done <-chan struct{}) ([]time.Duration, []string) {
	client := &http.Client{Timeout: 30 * time.Second}
	tick := time.NewTicker(time.Duration(float64(time.Second) / w.perSecond))
	defer tick.Stop()
	end := time.After(d)
	var took []time.Duration
	var errs []string
	for {
		select {
		case <-done:
			return took, errs
		case <-end:
			return took, errs
		case <-tick.C:
		}
		cs := gen.Next(w.items)
		body, _ := json.Marshal(map[string]any{
			"query":     `mutation($input: ChangesetInput!) { applyChangeset(input: $input) { revision { id } } }`,
			"variables": map[string]any{"input": map[string]any{"yaml": cs.YAML, "message": "load " + cs.Source}},
		})
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			errs = append(errs, "applyChangeset: "+err.Error())
			continue
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		took = append(took, time.Since(t0))
		if err != nil || resp.StatusCode != http.StatusOK || bytes.Contains(raw, []byte(`"errors"`)) {
			errs = append(errs, fmt.Sprintf("applyChangeset: status %d: %s", resp.StatusCode, truncate(raw)))
		}
	}
}

// subscriber reads `revisions` over GraphQL over SSE and keeps, for each
// revision, the time from its createdAt to its receipt.
type subscriber struct {
	mu        sync.Mutex
	latencies []time.Duration
	failure   error
}

func subscribe(ctx context.Context, addr string) (*subscriber, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/graphql",
		strings.NewReader(`{"query":"subscription { revisions { id createdAt } }"}`))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	s := &subscriber{}
	go func() {
		defer resp.Body.Close()
		r := bufio.NewReader(resp.Body)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				if ctx.Err() == nil {
					s.fail(err)
				}
				return
			}
			data, ok := strings.CutPrefix(strings.TrimSpace(line), "data:")
			if !ok {
				continue
			}
			got := time.Now()
			var ev struct {
				Data struct {
					Revisions struct{ CreatedAt time.Time }
				}
				Errors []struct{ Message string }
			}
			if err := json.Unmarshal([]byte(data), &ev); err != nil || len(ev.Errors) > 0 {
				s.fail(fmt.Errorf("event %s: %v", truncate([]byte(data)), err))
				continue
			}
			s.mu.Lock()
			s.latencies = append(s.latencies, got.Sub(ev.Data.Revisions.CreatedAt))
			s.mu.Unlock()
		}
	}()
	return s, nil
}

func (s *subscriber) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failure == nil {
		s.failure = err
	}
}

func (s *subscriber) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failure
}

// take returns the latencies received since the last call.
func (s *subscriber) take() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.latencies
	s.latencies = nil
	return out
}

// msOf is the p-th percentile of sorted latencies, "-" when there are none.
func msOf(sorted []time.Duration, p float64) string {
	if len(sorted) == 0 {
		return "-"
	}
	return ms(sorted[min(len(sorted)-1, int(p*float64(len(sorted))))])
}
