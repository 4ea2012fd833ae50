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
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/writer"
)

func main() {
	writer.RunIfChild()
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "investgraph:", err)
		os.Exit(1)
	}
}

// run runs a subcommand (investgraph token ..., export ... or migrate ...)
// or serves: with no subcommand, or "serve", it serves until ctx ends or
// SIGINT or SIGTERM arrives, then drains in-flight requests and closes the
// database. It binds its addresses before it touches the database, so that
// a port in use changes nothing. ready, when not nil, is told the address
// the API listens on once it accepts connections. -h prints the usage to
// stdout; logs go to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(addr string)) (err error) {
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			args = args[1:]
		case "token":
			return runToken(ctx, args[1:], stdout)
		case "migrate":
			if err := runMigrate(ctx, args[1:], stdout); !errors.Is(err, flag.ErrHelp) {
				return err
			}
			return nil
		case "export":
			if err := runExport(ctx, args[1:], stdout, stderr); !errors.Is(err, flag.ErrHelp) {
				return err
			}
			return nil
		}
	}
	cfg, err := parseFlags(args, stdout)
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
	fileLimit := raiseFileLimit(&cfg, logger)
	listeners, err := listen(cfg)
	if err != nil {
		return err
	}
	defer func() {
		for _, ln := range listeners {
			ln.Close() // a no-op once a server has served and closed it
		}
	}()
	if cfg.persistedOps != "" {
		if cfg.options.PersistedOperations, err = httpapi.ReadPersistedOperations(cfg.persistedOps); err != nil {
			return err
		}
	}
	opts := cfg.options
	opts.Logger = logger

	store, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close database: %w", cerr))
			return
		}
		logger.Info("database closed", "db", displayDB(cfg.dbPath))
	}()
	if cfg.articlesDir != "" {
		n, err := attachArticles(ctx, store, cfg.articlesDir)
		if err != nil {
			return err
		}
		logger.Info("attached article texts", "dir", cfg.articlesDir, "articles", n)
	}
	if cfg.writeProcess {
		w, err := writer.New(writer.Config{DB: cfg.dbPath, Priority: cfg.writePriority, Stderr: stderr, Committed: store.NotifyRevision})
		if err != nil {
			return err
		}
		if err := w.Start(ctx); err != nil {
			return scrub(err, dsnPassword(cfg.dbPath))
		}
		defer w.Close()
		opts.Writer = w
	}
	gw, err := httpapi.New(store, opts)
	if err != nil {
		return err
	}

	servers := []*http.Server{newServer(gw, cfg, logger)}
	if cfg.metricsAddr != "" {
		metrics := http.NewServeMux()
		metrics.Handle("GET /metrics", gw.MetricsHandler())
		servers = append(servers, newServer(metrics, cfg, logger))
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		ln := listeners[i]
		if i == 0 {
			ln = gw.LimitConns(ln, cfg.conns)
		}
		go func() { errc <- srv.Serve(ln) }()
	}
	addr, metricsAddr := listeners[0].Addr().String(), ""
	if len(listeners) > 1 {
		metricsAddr = listeners[1].Addr().String()
	}
	logger.Info("serving", append(cfg.logAttrs(addr, metricsAddr, fileLimit), "startup", time.Since(start).Round(time.Millisecond))...)
	if ready != nil {
		ready(addr)
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

// listen binds the API's address and, when set, the metrics address, or
// closes what it bound and says which address could not be.
func listen(cfg config) ([]net.Listener, error) {
	addrs := []struct{ flag, addr string }{{"-addr", cfg.addr}}
	if cfg.metricsAddr != "" {
		addrs = append(addrs, struct{ flag, addr string }{"-metrics-addr", cfg.metricsAddr})
	}
	var listeners []net.Listener
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a.addr)
		if err != nil {
			for _, l := range listeners {
				l.Close()
			}
			if errors.Is(err, syscall.EADDRINUSE) {
				return nil, fmt.Errorf("%s %s: the address is already in use (is another investgraph running?); stop what listens there or choose another with %s",
					a.flag, a.addr, a.flag)
			}
			return nil, fmt.Errorf("%s %s: %w", a.flag, a.addr, err)
		}
		listeners = append(listeners, ln)
	}
	return listeners, nil
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
		IdleTimeout:       cfg.idleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// fileReserve is how many file descriptors -max-conns leaves for the
// database, the metrics listener and the logs.
const fileReserve = 128

// raiseFileLimit raises the soft limit on open files to the hard one and
// lowers -max-conns to fit under it, so that the connection limit is what
// stops new connections, never "too many open files". It returns the
// limit, for the start-up log line.
func raiseFileLimit(cfg *config, logger *slog.Logger) uint64 {
	limit, err := httpapi.RaiseFileLimit()
	if err != nil {
		logger.Warn("could not raise the open-file limit to its hard limit", "file_limit", limit, "err", err)
	}
	if c := cfg.conns.Total; c > 0 && limit > fileReserve && uint64(c) > limit-fileReserve {
		cfg.conns.Total = int(limit - fileReserve)
		logger.Warn("-max-conns lowered to fit the open-file limit", "max_conns", c, "file_limit", limit, "now", cfg.conns.Total)
	}
	return limit
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
