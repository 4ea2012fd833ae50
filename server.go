// Command investgraph serves the Kazakhstan–China investment graph over
// GraphQL, from an SQLite database it creates and seeds on first start.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/seed"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "investgraph:", err)
		os.Exit(1)
	}
}

// config is what the command line sets.
type config struct {
	addr            string
	metricsAddr     string
	dbPath          string
	reseed          bool
	logFormat       string
	shutdownTimeout time.Duration
	gcPercent       int
	memoryLimit     int64
	persistedOps    string
	options         httpapi.Options
}

// parseFlags reads the command line. Limits given as 0 are turned off.
func parseFlags(args []string, output io.Writer) (config, error) {
	defaultAddr := ":8080"
	if port := os.Getenv("PORT"); port != "" {
		defaultAddr = ":" + port
	}
	d := httpapi.DefaultLimits
	var (
		c                                                  config
		memoryLimit                                        = uint64(httpapi.DefaultMemoryLimit)
		maxBody                                            = uint64(d.MaxBodyBytes)
		maxTokens, maxDepth, maxAliases, maxCost, apqCache int
		corsOrigins                                        string
		introspection, graphiql                            bool
	)
	fs := flag.NewFlagSet("investgraph", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&c.addr, "addr", defaultAddr, "listen address; :$PORT when PORT is set")
	fs.StringVar(&c.dbPath, "db", "investgraph.db", "SQLite database file, created if missing")
	fs.BoolVar(&c.reseed, "reseed", false, "replace the database's data with the built-in seed before serving")

	fs.DurationVar(&c.options.Limits.Timeout, "timeout", d.Timeout, "per-request deadline; its SQL is canceled when it expires (0: none)")
	fs.Func("max-body", "largest request body, e.g. 512KiB or 2MiB; larger gets 413 (default 1MiB)", func(s string) error {
		n, err := humanize.ParseBytes(s)
		if err != nil || n == 0 || n > math.MaxInt32 {
			return errors.New("want a size such as 1MiB")
		}
		maxBody = n
		return nil
	})
	fs.IntVar(&maxTokens, "max-tokens", d.MaxTokens, "most lexical tokens in a query (0: no limit)")
	fs.IntVar(&maxDepth, "max-depth", d.MaxDepth, "deepest selection nesting, introspection aside (0: no limit)")
	fs.IntVar(&maxAliases, "max-aliases", d.MaxAliases, "most aliased fields in a query (0: no limit)")
	fs.IntVar(&maxCost, "max-cost", d.MaxCost, "highest query cost (0: no limit)")

	fs.Float64Var(&c.options.RateLimit.PerSecond, "rate-limit", 2000, "cost points each client's budget regains per second (0: no rate limiting)")
	fs.IntVar(&c.options.RateLimit.Burst, "rate-burst", 200_000, "most cost points a client's budget holds; at least -max-cost")
	fs.BoolVar(&c.options.RateLimit.ByToken, "rate-by-token", false, "budget per bearer token instead of per address (only behind a gateway that checks tokens)")
	fs.StringVar(&c.options.RateLimit.ClientIPHeader, "client-ip-header", "", "header a trusted proxy sets to the client address, e.g. X-Forwarded-For (default: the connection's address)")

	fs.IntVar(&apqCache, "apq-cache", httpapi.DefaultAPQCacheSize, "Automatic Persisted Queries kept (0: APQ off)")
	fs.IntVar(&c.options.ResponseCache, "response-cache", 0, "responses of identical requests kept until the data changes (0: off; needs -rate-limit 0)")
	fs.StringVar(&c.persistedOps, "persisted-operations", "", "JSON file of persisted operations (Apollo manifest or id-to-document map)")
	fs.BoolVar(&c.options.AllowList, "allow-list", false, "run only the operations of -persisted-operations")
	fs.BoolVar(&introspection, "introspection", true, "answer introspection queries (GraphiQL needs them)")
	fs.BoolVar(&graphiql, "graphiql", true, "serve GraphiQL at /")
	fs.StringVar(&corsOrigins, "cors-origins", "", "comma-separated origins browsers may call the API from, or * (default: none)")

	fs.StringVar(&c.metricsAddr, "metrics-addr", "", "serve /metrics on this address instead of the API's, e.g. 127.0.0.1:9090")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 15*time.Second, "how long to drain in-flight requests on SIGINT or SIGTERM")
	fs.IntVar(&c.gcPercent, "gc-percent", httpapi.DefaultGCPercent, "garbage collection target, as GOGC; the GOGC environment variable wins when set")
	fs.Func("memory-limit", "soft limit on the Go runtime's memory, e.g. 256MiB, as GOMEMLIMIT (which wins when set); 0: none (default 256MiB)", func(s string) error {
		n, err := humanize.ParseBytes(s)
		if err != nil || n > math.MaxInt64 {
			return errors.New("want a size such as 256MiB, or 0")
		}
		memoryLimit = n
		return nil
	})
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: investgraph [flags]\n\nServes GraphiQL at / and GraphQL at /graphql.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	c.memoryLimit = int64(memoryLimit)
	l := &c.options.Limits
	l.MaxBodyBytes = int64(maxBody)
	l.MaxTokens, l.MaxDepth, l.MaxAliases, l.MaxCost = offIfZero(maxTokens), offIfZero(maxDepth), offIfZero(maxAliases), offIfZero(maxCost)
	if l.Timeout == 0 {
		l.Timeout = -1
	}
	c.options.APQCacheSize = offIfZero(apqCache)
	c.options.DisableIntrospection, c.options.DisableGraphiQL = !introspection, !graphiql
	for _, o := range strings.Split(corsOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.options.CORSOrigins = append(c.options.CORSOrigins, o)
		}
	}
	c.options.HideMetrics = c.metricsAddr != ""
	return c, c.check()
}

// check rejects flag combinations that cannot work.
func (c config) check() error {
	o := c.options
	switch {
	case o.Limits.Timeout < -1 || o.Limits.MaxTokens < -1 || o.Limits.MaxDepth < -1 ||
		o.Limits.MaxAliases < -1 || o.Limits.MaxCost < -1 || o.APQCacheSize < -1:
		return errors.New("limits must not be negative")
	case o.RateLimit.PerSecond < 0:
		return errors.New("-rate-limit must not be negative")
	case o.RateLimit.PerSecond > 0 && o.Limits.MaxCost > 0 && o.RateLimit.Burst < o.Limits.MaxCost:
		return fmt.Errorf("-rate-burst (%d) must be at least -max-cost (%d), or the costliest queries could never run",
			o.RateLimit.Burst, o.Limits.MaxCost)
	case o.AllowList && c.persistedOps == "":
		return errors.New("-allow-list needs -persisted-operations")
	case c.logFormat != "text" && c.logFormat != "json":
		return fmt.Errorf("-log-format must be text or json, not %q", c.logFormat)
	case c.shutdownTimeout <= 0:
		return errors.New("-shutdown-timeout must be positive")
	case c.gcPercent <= 0:
		return errors.New("-gc-percent must be positive")
	}
	return nil
}

// offIfZero maps a flag's "0 means no limit" to httpapi.Limits' negative.
func offIfZero(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// run serves until ctx ends or SIGINT or SIGTERM arrives, then drains
// in-flight requests and closes the database. ready, when not nil, is told
// the address the API listens on once it accepts connections.
func run(ctx context.Context, args []string, stderr io.Writer, ready func(addr string)) (err error) {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	logger := newLogger(cfg.logFormat, stderr)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(cfg.gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" && cfg.memoryLimit > 0 {
		debug.SetMemoryLimit(cfg.memoryLimit)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	start := time.Now()
	store, err := db.Open(ctx, cfg.dbPath)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close database: %w", cerr))
			return
		}
		logger.Info("database closed", "db", cfg.dbPath)
	}()
	empty, err := store.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if empty || cfg.reseed {
		if err := seed.Load(ctx, store); err != nil {
			return err
		}
		logger.Info("seeded database", "db", cfg.dbPath, "reseed", cfg.reseed)
	}

	opts := cfg.options
	opts.Logger = logger
	if cfg.persistedOps != "" {
		if opts.PersistedOperations, err = httpapi.ReadPersistedOperations(cfg.persistedOps); err != nil {
			return err
		}
	}
	gw, err := httpapi.New(store, opts)
	if err != nil {
		return err
	}

	servers := []*http.Server{newServer(gw, cfg, logger)}
	listeners := []string{cfg.addr}
	if cfg.metricsAddr != "" {
		metrics := http.NewServeMux()
		metrics.Handle("GET /metrics", gw.MetricsHandler())
		servers = append(servers, newServer(metrics, cfg, logger))
		listeners = append(listeners, cfg.metricsAddr)
	}
	errc := make(chan error, len(servers))
	var addrs []string
	for i, srv := range servers {
		ln, err := net.Listen("tcp", listeners[i])
		if err != nil {
			for _, s := range servers[:i] {
				s.Close()
			}
			return err
		}
		addrs = append(addrs, ln.Addr().String())
		go func() { errc <- srv.Serve(ln) }()
	}
	logger.Info("serving", "addr", addrs[0], "graphiql", "http://"+displayAddr(addrs[0])+"/",
		"metrics", "http://"+displayAddr(addrs[len(addrs)-1])+"/metrics",
		"db", cfg.dbPath, "startup", time.Since(start).Round(time.Millisecond))
	if ready != nil {
		ready(addrs[0])
	}

	select {
	case err := <-errc:
		for _, s := range servers {
			s.Close()
		}
		return err
	case <-ctx.Done():
	}
	stop() // a second signal now kills the process at once
	logger.Info("shutting down: draining in-flight requests", "timeout", cfg.shutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutdownCtx); err != nil {
			srv.Close()
			return fmt.Errorf("shut down: %w", err)
		}
	}
	logger.Info("drained")
	return nil
}

// newServer returns an http.Server with timeouts, so that slow or stalled
// clients cannot hold connections forever. Writing may take as long as the
// request deadline plus a margin to send the timeout response.
func newServer(h http.Handler, cfg config, logger *slog.Logger) *http.Server {
	write := time.Duration(0)
	if t := cfg.options.Limits.Timeout; t > 0 {
		write = t + 10*time.Second
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      write,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// newLogger writes text or JSON log lines to w.
func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// displayAddr turns ":8080" or "[::]:8080" into "localhost:8080" for the
// log line.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
