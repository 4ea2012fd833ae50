// Command conns checks that idle connections from one address do not stop
// other clients: against a running server it opens -idle keep-alive
// connections from -from (each sends one request and then stays idle), then
// -clients other clients, each from its own loopback address
// (127.0.0.2, 127.0.0.3, ...), send one query each, and it reports how many
// were answered within -client-timeout and their median latency.
//
//	go run . -addr 127.0.0.1:8080 &
//	go run ./bench/conns -addr 127.0.0.1:8080 -idle 20000
//
// It opens as many files as connections, so its own open-file limit
// (ulimit -n) must allow -idle plus a margin.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/investgraph/investgraph/httpapi"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "the server's address")
	idle := flag.Int("idle", 20_000, "idle keep-alive connections to open from -from")
	from := flag.String("from", "127.0.0.1", "local address of the idle connections")
	clients := flag.Int("clients", 30, "other clients, each from its own loopback address")
	timeout := flag.Duration("client-timeout", 5*time.Second, "how long each other client waits for its answer")
	workers := flag.Int("workers", 64, "connections opened at once")
	flag.Parse()
	if *clients > 250 {
		fmt.Fprintln(os.Stderr, "conns: -clients is at most 250")
		os.Exit(2)
	}
	limit, err := httpapi.RaiseFileLimit()
	if err != nil {
		fmt.Fprintln(os.Stderr, "conns: raise the open-file limit:", err)
	}
	fmt.Printf("open-file limit of this process: %d\n", limit)

	start := time.Now()
	var (
		mu                        sync.Mutex
		open                      []net.Conn
		served, refused, dialErrs atomic.Int64
		next                      atomic.Int64
		wg                        sync.WaitGroup
		firstDialErr              atomic.Value
	)
	for range *workers {
		wg.Go(func() {
			d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(*from)}, Timeout: 5 * time.Second}
			for next.Add(1) <= int64(*idle) {
				c, err := d.Dial("tcp", *addr)
				if err != nil {
					dialErrs.Add(1)
					firstDialErr.CompareAndSwap(nil, err.Error())
					continue
				}
				if get(c, 5*time.Second) {
					served.Add(1)
					mu.Lock()
					open = append(open, c)
					mu.Unlock()
				} else {
					refused.Add(1)
					c.Close()
				}
			}
		})
	}
	wg.Wait()
	fmt.Printf("%d connections from %s in %s: %d served and left idle, %d closed or unanswered, %d not connected",
		*idle, *from, time.Since(start).Round(time.Millisecond), served.Load(), refused.Load(), dialErrs.Load())
	if e := firstDialErr.Load(); e != nil {
		fmt.Printf(" (first: %s)", e)
	}
	fmt.Println()

	latencies := make([]time.Duration, *clients)
	ok := make([]bool, *clients)
	for i := range *clients {
		wg.Go(func() {
			local := fmt.Sprintf("127.0.0.%d", i+2)
			d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: *timeout}
			t0 := time.Now()
			c, err := d.Dial("tcp", *addr)
			if err == nil {
				ok[i] = query(c, *timeout-time.Since(t0))
				c.Close()
			}
			latencies[i] = time.Since(t0)
		})
	}
	wg.Wait()
	answered := 0
	var good []time.Duration
	for i := range ok {
		if ok[i] {
			answered++
			good = append(good, latencies[i])
		}
	}
	p50 := "none"
	if len(good) > 0 {
		slices.Sort(good)
		p50 = good[len(good)/2].Round(10 * time.Microsecond).String()
	}
	fmt.Printf("other clients: %d of %d answered within %s (median %s), %d failed\n", answered, *clients, *timeout, p50, *clients-answered)
	for _, c := range open {
		c.Close()
	}
}

// get sends GET /healthz on c with keep-alive and reports whether it was
// answered 200.
func get(c net.Conn, timeout time.Duration) bool {
	c.SetDeadline(time.Now().Add(timeout))
	defer c.SetDeadline(time.Time{})
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"); err != nil {
		return false
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// query sends a GraphQL query on c and reports whether it was answered 200
// with data.
func query(c net.Conn, timeout time.Duration) bool {
	c.SetDeadline(time.Now().Add(timeout))
	body := `{"query":"{ company(slug: \"citic-group\") { name } }"}`
	fmt.Fprintf(c, "POST /graphql HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return err == nil && resp.StatusCode == http.StatusOK && strings.Contains(string(b), `"data"`)
}
