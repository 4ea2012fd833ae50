package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// target is one query served by one server: the request to send and the
// response it must get back.
type target struct {
	addr string
	// replicas, when set, are the addresses of servers that answer the
	// same: the connections of a run go to them in turn (round-robin),
	// as a load balancer would send them, and addr is not used.
	replicas []string
	request  []byte   // a whole HTTP/1.1 request, sent as is
	want     response // the response every request must get
}

// connAddr is the address the i-th connection of a run dials.
func (t *target) connAddr(i int) string {
	if len(t.replicas) > 0 {
		return t.replicas[i%len(t.replicas)]
	}
	return t.addr
}

// newRequest builds the raw HTTP/1.1 POST of a GraphQL body.
func newRequest(addr string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", addr, len(body))
	b.Write(body)
	return b.Bytes()
}

// conn is one keep-alive connection of a load run.
type conn struct {
	c   net.Conn
	r   *bufio.Reader
	buf bytes.Buffer
}

func dial(addr string) (*conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &conn{c: c, r: bufio.NewReaderSize(c, 64<<10)}, nil
}

// do sends the target's request and checks the answer, returning the SQL
// statements the server reported.
func (c *conn) do(t *target) (int, error) {
	if _, err := c.c.Write(t.request); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return 0, err
	}
	c.buf.Reset()
	_, err = c.buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("status %d: %s", resp.StatusCode, truncate(c.buf.Bytes()))
	}
	return t.want.check(c.buf.Bytes())
}

// response is an expected response body, split around the number of SQL
// statements it reports: batching may split differently under load, which
// changes that number and nothing else. A server that reports no count
// (PostGraphile) must give the same bytes every time (exact).
type response struct {
	prefix, suffix []byte
	statements     int
	exact          bool
	// dataOnly compares the data alone (prefix): under writes the cost
	// the extensions report follows the statistics of the growing data.
	dataOnly bool
}

// dataOnlyResponse expects the data of body, whatever its extensions say.
func dataOnlyResponse(body []byte) response { return response{prefix: dataPart(body), dataOnly: true} }

// dataPart is a response body up to its extensions.
func dataPart(body []byte) []byte {
	if i := bytes.Index(body, []byte(`,"extensions":`)); i >= 0 {
		return body[:i]
	}
	return body
}

// exactResponse expects body itself, byte for byte.
func exactResponse(body []byte) response { return response{prefix: body, exact: true} }

var statementsKey = []byte(`"sqlStatements":`)

// splitResponse splits a response body around its statement count.
func splitResponse(body []byte) (response, error) {
	i := bytes.LastIndex(body, statementsKey)
	if i < 0 {
		return response{}, fmt.Errorf("response reports no sqlStatements: %s", truncate(body))
	}
	start := i + len(statementsKey)
	end := start
	for end < len(body) && body[end] >= '0' && body[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(string(body[start:end]))
	if err != nil {
		return response{}, fmt.Errorf("bad sqlStatements in %s", truncate(body))
	}
	return response{prefix: body[:start], suffix: body[end:], statements: n}, nil
}

// check compares a body with the expected one, byte for byte apart from the
// statement count, and returns that count.
func (r response) check(body []byte) (int, error) {
	if r.dataOnly {
		if !bytes.Equal(dataPart(body), r.prefix) {
			return 0, fmt.Errorf("data differs from the expected bytes: %s", truncate(body))
		}
		return 0, nil
	}
	if r.exact {
		if !bytes.Equal(body, r.prefix) {
			return 0, fmt.Errorf("response differs from the expected bytes: %s", truncate(body))
		}
		return 0, nil
	}
	got, err := splitResponse(body)
	if err != nil {
		return 0, err
	}
	if !bytes.Equal(got.prefix, r.prefix) || !bytes.Equal(got.suffix, r.suffix) {
		return 0, fmt.Errorf("response differs from the expected bytes: %s", truncate(body))
	}
	return got.statements, nil
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// result is what one load run measured.
type result struct {
	requests   int
	elapsed    time.Duration
	latencies  []time.Duration // sorted
	statements int64
	mostSQL    int // the most statements one request ran
	errors     int
	firstErr   error
	cpu        time.Duration // process CPU time (servers and load generator) while measuring, closed loop only
}

// cpuPerRequest is the process's CPU time per measured request.
func (r *result) cpuPerRequest() time.Duration {
	if r.requests == 0 {
		return 0
	}
	return r.cpu / time.Duration(r.requests)
}

func (r *result) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.requests) / r.elapsed.Seconds()
}

func (r *result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
}

func (r *result) statementsPerRequest() float64 {
	if r.requests == 0 {
		return 0
	}
	return float64(r.statements) / float64(r.requests)
}

// tally is what one connection measured.
type tally struct {
	latencies  []time.Duration
	statements int64
	most       int
}

func (t *tally) add(latency time.Duration, statements int) {
	t.latencies = append(t.latencies, latency)
	t.statements += int64(statements)
	t.most = max(t.most, statements)
}

// recorder collects the measurements of a run's connections.
type recorder struct {
	mu  sync.Mutex
	res result
}

// add adds a connection's tally and the error that ended it, if any.
func (rec *recorder) add(t tally, err error) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.res.latencies = append(rec.res.latencies, t.latencies...)
	rec.res.statements += t.statements
	rec.res.mostSQL = max(rec.res.mostSQL, t.most)
	if err != nil {
		rec.res.errors++
		if rec.res.firstErr == nil {
			rec.res.firstErr = err
		}
	}
}

func (rec *recorder) finish(elapsed, cpu time.Duration) result {
	res := rec.res
	res.requests = len(res.latencies)
	res.elapsed, res.cpu = elapsed, cpu
	slices.Sort(res.latencies)
	return res
}

// load describes a run: how many connections, for how long, how many
// requests at most.
type load struct {
	conns    int
	warmup   time.Duration
	duration time.Duration
	max      int
}

// closedLoop keeps every connection busy, each sending its next request as
// soon as the previous answer is read: the maximum throughput. A warm-up
// run of the same kind goes first, unmeasured.
func (l load) closedLoop(t *target) result {
	if l.warmup > 0 {
		l.drive(t, l.warmup)
	}
	return l.drive(t, l.duration)
}

// drive runs a closed loop for d or l.max requests, whichever ends first.
func (l load) drive(t *target, d time.Duration) result {
	var (
		rec      recorder
		sent     atomic.Int64
		wg       sync.WaitGroup
		cpu      = cpuTime()
		start    = time.Now()
		deadline = start.Add(d)
	)
	for i := range l.conns {
		wg.Go(func() {
			c, err := dial(t.connAddr(i))
			if err != nil {
				rec.add(tally{}, err)
				return
			}
			defer c.c.Close()
			var got tally
			for sent.Add(1) <= int64(l.max) {
				t0 := time.Now()
				if t0.After(deadline) {
					break
				}
				n, err := c.do(t)
				if err != nil {
					rec.add(got, err)
					return
				}
				got.add(time.Since(t0), n)
			}
			rec.add(got, nil)
		})
	}
	wg.Wait()
	return rec.finish(time.Since(start), cpuTime()-cpu)
}

// openLoop sends requests at a fixed rate whatever the answers' speed, as
// independent clients would. A request's latency counts from the moment it
// was due when no connection was free then, so queueing is not hidden.
func (l load) openLoop(t *target, perSecond float64) result {
	var (
		rec      recorder
		next     atomic.Int64
		wg       sync.WaitGroup
		interval = time.Duration(float64(time.Second) / perSecond)
		skip     = int64(l.warmup / interval)
		total    = skip + min(int64(l.duration/interval), int64(l.max))
		start    = time.Now()
	)
	for i := range l.conns {
		wg.Go(func() {
			c, err := dial(t.connAddr(i))
			if err != nil {
				rec.add(tally{}, err)
				return
			}
			defer c.c.Close()
			var got tally
			for {
				i := next.Add(1) - 1
				if i >= total {
					break
				}
				due := start.Add(time.Duration(i) * interval)
				t0 := due
				if wait := time.Until(due); wait > 0 {
					time.Sleep(wait)
					t0 = time.Now()
				}
				n, err := c.do(t)
				if err != nil {
					rec.add(got, err)
					return
				}
				if i >= skip {
					got.add(time.Since(t0), n)
				}
			}
			rec.add(got, nil)
		})
	}
	wg.Wait()
	return rec.finish(time.Since(start.Add(time.Duration(skip)*interval)), 0)
}
