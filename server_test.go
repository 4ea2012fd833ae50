package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/seed"
)

func TestParseFlags(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) {
		t.Setenv("PORT", "")
		c, err := parseFlags(nil, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		o := c.options
		want := httpapi.Limits{MaxBodyBytes: 1 << 20, MaxTokens: 10_000, MaxDepth: 12, MaxAliases: 30, MaxCost: 100_000, Timeout: 10 * time.Second,
			MaxObjects: 200_000, MaxResponseBytes: 16 << 20}
		if o.Limits != want {
			t.Errorf("limits = %+v, want %+v", o.Limits, want)
		}
		if o.RateLimit.PerSecond != 2000 || o.RateLimit.Burst != 200_000 || o.RateLimit.ByToken || o.RateLimit.ClientIPHeader != "" ||
			o.RateLimit.MaxInFlight != 4 || o.RateLimit.InFlightWait != time.Second {
			t.Errorf("rate limit = %+v", o.RateLimit)
		}
		if c.addr != ":8080" || c.dbPath != "investgraph.db" || c.metricsAddr != "" || c.reseed {
			t.Errorf("addr %q, db %q, metrics %q, reseed %v", c.addr, c.dbPath, c.metricsAddr, c.reseed)
		}
		if o.APQCacheSize != 1000 || o.ResponseCache != 0 || o.DisableIntrospection || o.DisableGraphiQL || o.AllowList ||
			len(o.CORSOrigins) != 0 || o.HideMetrics || c.logFormat != "text" || c.shutdownTimeout != 15*time.Second || c.gcPercent != 400 ||
			c.memoryLimit != 256<<20 {
			t.Errorf("config = %+v", c)
		}
	})
	t.Run("DefaultAddrFromPORT", func(t *testing.T) {
		t.Setenv("PORT", "9999")
		if c, err := parseFlags(nil, io.Discard); err != nil || c.addr != ":9999" {
			t.Errorf("addr = %q, %v", c.addr, err)
		}
	})
	t.Run("Set", func(t *testing.T) {
		c, err := parseFlags([]string{"-max-body", "2MiB", "-max-depth", "0", "-timeout", "0", "-max-cost", "500",
			"-max-objects", "0", "-max-response", "4MiB", "-rate-burst", "500", "-cors-origins", "https://a.example, https://b.example", "-introspection=false",
			"-apq-cache", "0", "-metrics-addr", "127.0.0.1:9090", "-rate-by-token", "-log-format", "json", "-gc-percent", "100", "-memory-limit", "0"}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		o := c.options
		if o.Limits.MaxBodyBytes != 2<<20 || o.Limits.MaxDepth != -1 || o.Limits.Timeout != -1 || o.Limits.MaxCost != 500 ||
			o.Limits.MaxObjects != -1 || o.Limits.MaxResponseBytes != 4<<20 {
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
		{"-reseed-drop-revisions"},
		{"-rate-burst", "10"},
		{"-log-format", "xml"},
		{"-max-body", "0"},
		{"-max-body", "lots"},
		{"-max-response", "lots"},
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
	// Every limit refuses a negative value the same way, naming its flag.
	for _, tc := range []struct{ flag, value, want string }{
		{"timeout", "-1s", "-timeout must not be negative (0 turns it off)"},
		{"max-body", "-1MiB", "-max-body must not be negative (want a size such as 1MiB)"},
		{"max-tokens", "-1", "-max-tokens must not be negative (0 turns it off)"},
		{"max-depth", "-1", "-max-depth must not be negative (0 turns it off)"},
		{"max-depth", "-3", "-max-depth must not be negative (0 turns it off)"},
		{"max-aliases", "-1", "-max-aliases must not be negative (0 turns it off)"},
		{"max-cost", "-1", "-max-cost must not be negative (0 turns it off)"},
		{"max-objects", "-1", "-max-objects must not be negative (0 turns it off)"},
		{"max-response", "-1MiB", "-max-response must not be negative (0 turns it off)"},
		{"apq-cache", "-1", "-apq-cache must not be negative (0 turns it off)"},
		{"apq-cache-bytes", "-1MiB", "-apq-cache-bytes must not be negative (want a size such as 16MiB; 0 turns APQ off)"},
		{"max-conns", "-1", "-max-conns must not be negative (0 turns it off)"},
		{"max-conns-per-ip", "-1", "-max-conns-per-ip must not be negative (0 turns it off)"},
		{"idle-timeout", "-1s", "-idle-timeout must not be negative (0 keeps them for the read timeout)"},
		{"response-cache", "-1", "-response-cache must not be negative (0 turns it off)"},
		{"rate-limit", "-0.5", "-rate-limit must not be negative (0 turns it off)"},
		{"rate-burst", "-1", "-rate-burst must not be negative (it must be at least -max-cost)"},
		{"max-in-flight", "-1", "-max-in-flight must not be negative (0 turns it off)"},
		{"in-flight-wait", "-1s", "-in-flight-wait must not be negative (0 takes the default of 1s)"},
	} {
		t.Run("ErrNegative "+tc.flag+" "+tc.value, func(t *testing.T) {
			_, err := parseFlags([]string{"-" + tc.flag, tc.value}, io.Discard)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	for _, tc := range []struct{ origins, want string }{
		{"127.0.0.1:19250", `-cors-origins: "127.0.0.1:19250" is not an origin: it has no scheme; want scheme://host[:port], e.g. http://127.0.0.1:19250`},
		{"https://ok.example,http://localhost:3000/", `-cors-origins: "http://localhost:3000/" is not an origin: it ends in /; want scheme://host[:port], e.g. http://localhost:3000`},
		{"https://app.example.com/?x=1", `-cors-origins: "https://app.example.com/?x=1" is not an origin: it has a path; want scheme://host[:port], e.g. https://app.example.com`},
	} {
		t.Run("ErrCORSOrigins "+tc.origins, func(t *testing.T) {
			_, err := parseFlags([]string{"-cors-origins", tc.origins}, io.Discard)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("OKCORSOrigins", func(t *testing.T) {
		c, err := parseFlags([]string{"-cors-origins", "http://127.0.0.1:19250,https://*.example.com"}, io.Discard)
		if err != nil || len(c.options.CORSOrigins) != 2 {
			t.Errorf("origins %q, %v", c.options.CORSOrigins, err)
		}
	})
}

func TestRun_Help(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		t.Run(arg, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := run(t.Context(), []string{arg}, &stdout, &stderr, nil); err != nil {
				t.Fatalf("run %s: %v", arg, err)
			}
			if got := stdout.String(); !strings.HasPrefix(got, "Usage: investgraph") || !strings.Contains(got, "-cors-origins") {
				t.Errorf("stdout = %q, want the usage", got)
			}
			if stderr.Len() != 0 {
				t.Errorf("stderr = %q, want nothing", stderr.String())
			}
		})
	}
	t.Run("ErrUnknownFlag", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		err := run(t.Context(), []string{"-nope"}, &stdout, &stderr, nil)
		if err == nil || !strings.Contains(err.Error(), "flag provided but not defined: -nope") || !strings.Contains(err.Error(), "investgraph -h") {
			t.Errorf("run -nope: %v", err)
		}
		if stdout.Len() != 0 {
			t.Errorf("stdout = %q, want nothing", stdout.String())
		}
	})
}

// TestRun_PortInUse starts the command on an address another listener
// holds: it fails at once, naming the address, and leaves the database as it
// was, created, opened or seeded by nothing.
func TestRun_PortInUse(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()

	for _, tc := range []struct {
		name string
		args []string
		flag string
	}{
		{"API", []string{"-addr", addr}, "-addr"},
		{"Metrics", []string{"-addr", "127.0.0.1:0", "-metrics-addr", addr}, "-metrics-addr"},
	} {
		t.Run(tc.name+"NoDatabase", func(t *testing.T) {
			dir := t.TempDir()
			err := run(t.Context(), append(tc.args, "-db", filepath.Join(dir, "investgraph.db")), io.Discard, io.Discard, nil)
			wantInUse(t, err, tc.flag, addr)
			if files := listDir(t, dir); files != "" {
				t.Errorf("the failed start left files behind: %s", files)
			}
		})
		t.Run(tc.name+"ExistingDatabase", func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "investgraph.db")
			store, err := db.Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			if err := seed.Load(t.Context(), store); err != nil {
				t.Fatal(err)
			}
			if err := store.Close(); err != nil {
				t.Fatal(err)
			}
			before, beforeSum := listDir(t, dir), fileSum(t, path)
			err = run(t.Context(), append(tc.args, "-db", path, "-reseed"), io.Discard, io.Discard, nil)
			wantInUse(t, err, tc.flag, addr)
			if after := listDir(t, dir); after != before {
				t.Errorf("the failed start changed the directory: before %s, after %s", before, after)
			}
			if fileSum(t, path) != beforeSum {
				t.Error("the failed start changed the database file")
			}
		})
	}
}

func wantInUse(t *testing.T, err error, flag, addr string) {
	t.Helper()
	if err == nil {
		t.Fatal("run succeeded on an address in use")
	}
	if want := flag + " " + addr + ": the address is already in use"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want it to contain %q", err, want)
	}
}

// listDir lists the files of dir with their sizes and modification times.
func listDir(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s:%d:%s ", e.Name(), info.Size(), info.ModTime().Format(time.RFC3339Nano))
	}
	return b.String()
}

func fileSum(t *testing.T, path string) [sha256.Size]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestRun_BadDatabasePath starts the command with -db paths it cannot use:
// each fails with a message that names the file and what is wrong with it.
func TestRun_BadDatabasePath(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string) string
		want  string
	}{
		{"ErrNoDirectory", func(t *testing.T, dir string) string {
			return filepath.Join(dir, "missing", "investgraph.db")
		}, `directory "%[2]s" does not exist`},
		{"ErrIsADirectory", func(t *testing.T, dir string) string {
			return dir
		}, `database "%[1]s" is a directory; give a file path, e.g. %[1]s/investgraph.db`},
		{"ErrNotADatabase", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "README.md")
			if err := os.WriteFile(path, []byte("# not a database\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			return path
		}, `database "%[1]s" is not an SQLite database`},
		{"ErrPermissionDenied", func(t *testing.T, dir string) string {
			skipIfRoot(t)
			path := filepath.Join(dir, "investgraph.db")
			if err := os.WriteFile(path, nil, 0o000); err != nil {
				t.Fatal(err)
			}
			return path
		}, `database "%[1]s": permission denied`},
		{"ErrDirectoryNotWritable", func(t *testing.T, dir string) string {
			skipIfRoot(t)
			sub := filepath.Join(dir, "ro")
			if err := os.Mkdir(sub, 0o500); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(sub, 0o700) })
			return filepath.Join(sub, "investgraph.db")
		}, `directory "%[2]s" is not writable`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.setup(t, t.TempDir())
			err := run(t.Context(), []string{"-addr", "127.0.0.1:0", "-db", path}, io.Discard, io.Discard, nil)
			want := fmt.Sprintf(tc.want, path, filepath.Dir(path))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("error %v, want it to contain %q", err, want)
			}
		})
	}
}

func skipIfRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		t.Skip("root may read and write any file")
	}
}

// TestRun_ConfigLog checks the one line that gives the effective
// configuration at start.
func TestRun_ConfigLog(t *testing.T) {
	t.Run("Set", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "investgraph.db")
		line, addr := startAndStop(t, "-db", path, "-graphiql=false", "-max-depth", "0", "-timeout", "3s", "-max-body", "512KiB",
			"-max-response", "0", "-cors-origins", "https://dash.example.org,https://*.example.com", "-rate-limit", "0", "-response-cache", "50",
			"-metrics-addr", "127.0.0.1:0", "-apq-cache", "10", "-write-process=false")
		want := map[string]any{
			"addr": addr, "graphql": "http://" + addr + "/graphql", "graphiql": "off", "introspection": true, "db": path,
			"cors_origins": "https://dash.example.org,https://*.example.com", "apq_cache": float64(10), "response_cache": float64(50),
			"persisted_operations": "none", "allow_list": false, "require_token": false, "writer": "in process",
		}
		for key, v := range want {
			if line[key] != v {
				t.Errorf("%s = %v, want %v", key, line[key], v)
			}
		}
		limits, _ := line["limits"].(map[string]any)
		for key, v := range map[string]any{"timeout": "3s", "body": "512 KiB", "tokens": float64(10_000), "depth": "off",
			"aliases": float64(30), "cost": float64(100_000), "objects": float64(200_000), "response": "off"} {
			if limits[key] != v {
				t.Errorf("limits.%s = %v, want %v", key, limits[key], v)
			}
		}
		if rate, _ := line["rate_limit"].(map[string]any); rate["per_second"] != "off" {
			t.Errorf("rate_limit = %v, want off", line["rate_limit"])
		}
		if m, _ := line["metrics"].(string); !strings.HasPrefix(m, "http://127.0.0.1:") || m == "http://"+addr+"/metrics" {
			t.Errorf("metrics = %v, want the metrics address's", line["metrics"])
		}
		for key, v := range line {
			if s, _ := v.(string); strings.Contains(s, "http://"+addr+"/") && key != "graphql" {
				t.Errorf("%s = %s: the log names a GraphiQL address with GraphiQL off", key, s)
			}
		}
	})
	t.Run("Defaults", func(t *testing.T) {
		line, addr := startAndStop(t, "-db", filepath.Join(t.TempDir(), "investgraph.db"))
		if got, want := line["graphiql"], "http://"+addr+"/"; got != want {
			t.Errorf("graphiql = %v, want %v", got, want)
		}
		if got, want := line["metrics"], "http://"+addr+"/metrics"; got != want {
			t.Errorf("metrics = %v, want %v", got, want)
		}
		if line["writer"] != "process at priority 10" {
			t.Errorf("writer = %v, want the default writer process", line["writer"])
		}
		if line["cors_origins"] != "none" || line["apq_cache"] != float64(1000) || line["apq_cache_bytes"] != "16 MiB" || line["response_cache"] != "off" {
			t.Errorf("line = %v", line)
		}
		conns, _ := line["conns"].(map[string]any)
		if conns["max_per_ip"] != float64(256) || conns["idle_timeout"] != "30s" || conns["file_limit"] == nil || conns["max"] == nil {
			t.Errorf("conns = %v", conns)
		}
		rate, _ := line["rate_limit"].(map[string]any)
		if rate["per_second"] != float64(2000) || rate["burst"] != float64(200_000) || rate["by"] != "address" {
			t.Errorf("rate_limit = %v", rate)
		}
	})
}

// startAndStop runs the command with args until it serves, stops it, and
// returns its one "serving" log line and the API's address.
func startAndStop(t *testing.T, args ...string) (map[string]any, string) {
	t.Helper()
	var logs lockedBuffer
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	addrc, errc := make(chan string, 1), make(chan error, 1)
	go func() {
		errc <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-log-format", "json"}, args...), io.Discard, &logs,
			func(addr string) { addrc <- addr })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-errc:
		t.Fatalf("run: %v\n%s", err, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("run: %v", err)
	}
	var serving []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("log line is not JSON: %s", l)
		}
		if rec["msg"] == "serving" {
			serving = append(serving, rec)
		}
	}
	if len(serving) != 1 {
		t.Fatalf("%d serving lines, want 1:\n%s", len(serving), logs.String())
	}
	return serving[0], addr
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
		errc <- run(t.Context(), []string{"-addr", "127.0.0.1:0", "-db", dbPath, "-log-format", "json"}, io.Discard, &logs,
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
