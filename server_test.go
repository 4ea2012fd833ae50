package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/investgraph/investgraph/httpapi"
)

func TestParseFlags(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) {
		c, err := parseFlags(nil, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		o := c.options
		if o.Limits != httpapi.DefaultLimits {
			t.Errorf("limits = %+v, want %+v", o.Limits, httpapi.DefaultLimits)
		}
		if o.RateLimit.PerSecond != 2000 || o.RateLimit.Burst != 200_000 || o.RateLimit.ByToken {
			t.Errorf("rate limit = %+v", o.RateLimit)
		}
		if o.APQCacheSize != httpapi.DefaultAPQCacheSize || o.DisableIntrospection || o.DisableGraphiQL || o.AllowList ||
			len(o.CORSOrigins) != 0 || o.HideMetrics || c.logFormat != "text" || c.shutdownTimeout != 15*time.Second || c.gcPercent != httpapi.DefaultGCPercent ||
			c.memoryLimit != httpapi.DefaultMemoryLimit {
			t.Errorf("config = %+v", c)
		}
	})
	t.Run("Set", func(t *testing.T) {
		c, err := parseFlags([]string{"-max-body", "2MiB", "-max-depth", "0", "-timeout", "0", "-max-cost", "500",
			"-rate-burst", "500", "-cors-origins", "https://a.example, https://b.example", "-introspection=false",
			"-apq-cache", "0", "-metrics-addr", "127.0.0.1:9090", "-rate-by-token", "-log-format", "json", "-gc-percent", "100", "-memory-limit", "0"}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		o := c.options
		if o.Limits.MaxBodyBytes != 2<<20 || o.Limits.MaxDepth != -1 || o.Limits.Timeout != -1 || o.Limits.MaxCost != 500 {
			t.Errorf("limits = %+v", o.Limits)
		}
		if len(o.CORSOrigins) != 2 || o.CORSOrigins[1] != "https://b.example" {
			t.Errorf("CORS origins = %q", o.CORSOrigins)
		}
		if !o.DisableIntrospection || o.APQCacheSize != -1 || !o.HideMetrics || !o.RateLimit.ByToken || c.gcPercent != 100 || c.memoryLimit != 0 {
			t.Errorf("options = %+v", o)
		}
	})
	for _, args := range [][]string{
		{"-allow-list"},
		{"-rate-burst", "10"},
		{"-log-format", "xml"},
		{"-max-body", "0"},
		{"-max-body", "lots"},
		{"-max-depth", "-3"},
		{"-rate-limit", "-1"},
		{"-shutdown-timeout", "0s"},
		{"-gc-percent", "0"},
		{"-memory-limit", "lots"},
		{"extra"},
	} {
		t.Run("Err "+strings.Join(args, " "), func(t *testing.T) {
			if _, err := parseFlags(args, io.Discard); err == nil {
				t.Errorf("parseFlags(%q) accepted", args)
			}
		})
	}
}

// lockedBuffer collects the server's log output.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestGracefulShutdown starts the command, begins a request whose body is
// still arriving, sends the process SIGTERM, and checks that the server
// stops accepting connections, finishes the request, closes the database
// (SQLite removes its WAL file on a clean close) and returns no error.
func TestGracefulShutdown(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "investgraph.db")
	var logs lockedBuffer
	addrc, errc := make(chan string, 1), make(chan error, 1)
	go func() {
		errc <- run(t.Context(), []string{"-addr", "127.0.0.1:0", "-db", dbPath, "-log-format", "json"}, &logs,
			func(addr string) { addrc <- addr })
	}()
	var base string
	select {
	case addr := <-addrc:
		base = "http://" + addr
	case err := <-errc:
		t.Fatalf("run: %v\n%s", err, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

	// A request whose body is sent in two halves.
	pr, pw := io.Pipe()
	respc := make(chan *http.Response, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, base+"/graphql", pr)
		req.Header.Set("Content-Type", "application/json")
		resp, err := (&http.Client{}).Do(req)
		if err != nil {
			t.Errorf("in-flight request: %v", err)
			close(respc)
			return
		}
		respc <- resp
	}()
	if _, err := pw.Write([]byte(`{"query": "{ company(name: `)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the request to be in flight", func() bool {
		return strings.Contains(get(fresh, base+"/metrics"), "investgraph_graphql_requests_in_flight 1")
	})

	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the listener to close", func() bool {
		_, err := fresh.Get(base + "/healthz")
		return err != nil
	})

	if _, err := pw.Write([]byte(`\"CITIC\") { name } }"}`)); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	resp, ok := <-respc
	if !ok {
		t.FailNow()
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "CITIC Group") {
		t.Errorf("in-flight request after SIGTERM: %d %s", resp.StatusCode, body)
	}

	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("run returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return after draining")
	}
	if _, err := os.Stat(dbPath + "-wal"); !os.IsNotExist(err) {
		t.Errorf("the WAL file is still there (%v): the database was not closed cleanly", err)
	}
	var msgs []string
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec struct{ Msg string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		msgs = append(msgs, rec.Msg)
	}
	got := strings.Join(msgs, "; ")
	for _, want := range []string{"serving", "shutting down: draining in-flight requests", "drained", "database closed"} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %q: %s", want, got)
		}
	}
}

// waitFor polls cond until it holds, failing the test if it never does.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 500 {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func get(c *http.Client, url string) string {
	resp, err := c.Get(url)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
