// Command investgraph serves the Kazakhstan–China investment graph over
// GraphQL, from an SQLite database it creates and seeds on first start.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/seed"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(context.Background(), os.Args[1:], logger); err != nil {
		logger.Error("investgraph stopped", "err", err)
		os.Exit(1)
	}
}

// config is what the command line sets.
type config struct {
	addr   string
	dbPath string
	reseed bool
}

func parseFlags(args []string) (config, error) {
	defaultAddr := ":8080"
	if port := os.Getenv("PORT"); port != "" {
		defaultAddr = ":" + port
	}
	var c config
	fs := flag.NewFlagSet("investgraph", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", defaultAddr, "listen address (default from $PORT when set)")
	fs.StringVar(&c.dbPath, "db", "investgraph.db", "SQLite database file, created if missing")
	fs.BoolVar(&c.reseed, "reseed", false, "replace the database's data with the built-in seed before serving")
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
	return c, nil
}

func run(ctx context.Context, args []string, logger *slog.Logger) error {
	cfg, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	start := time.Now()
	store, err := db.Open(ctx, cfg.dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
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

	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           graph.NewHandler(store, graph.Options{Logger: logger}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Info("serving", "addr", cfg.addr, "graphiql", "http://"+displayAddr(cfg.addr)+"/",
		"db", cfg.dbPath, "startup", time.Since(start).Round(time.Millisecond))

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: draining in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// displayAddr turns ":8080" into "localhost:8080" for the log line.
func displayAddr(addr string) string {
	if len(addr) > 0 && addr[0] == ':' {
		return "localhost" + addr
	}
	return addr
}
