package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/writer"
)

// config is what the command line sets.
type config struct {
	addr            string
	metricsAddr     string
	dbPath          string
	reseed          bool
	dropRevisions   bool
	articlesDir     string
	logFormat       string
	shutdownTimeout time.Duration
	gcPercent       int
	memoryLimit     int64
	persistedOps    string
	options         httpapi.Options
	conns           httpapi.ConnLimits
	idleTimeout     time.Duration
	writeProcess    bool
	writePriority   string
}

// parseFlags reads the command line. Limits given as 0 are turned off. -h
// prints the usage to stdout and returns flag.ErrHelp.
func parseFlags(args []string, stdout io.Writer) (config, error) {
	defaultAddr := ":8080"
	if port := os.Getenv("PORT"); port != "" {
		defaultAddr = ":" + port
	}
	d := httpapi.DefaultLimits
	var (
		c                                                  config
		memoryLimit                                        = uint64(httpapi.DefaultMemoryLimit)
		maxBody                                            = d.MaxBodyBytes
		maxResponse                                        = d.MaxResponseBytes
		maxTokens, maxDepth, maxAliases, maxCost, apqCache int
		maxObjects                                         int
		corsOrigins                                        string
		introspection, graphiql, explore, exports          bool
		apqBytes                                           = int64(httpapi.DefaultAPQCacheBytes)
	)
	fs := flag.NewFlagSet("investgraph", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", defaultAddr, "listen address; :$PORT when PORT is set")
	fs.StringVar(&c.dbPath, "db", "investgraph.db", "database: an SQLite file, created if missing (a path or file:...), or a PostgreSQL URL postgres://USER:PASSWORD@HOST:PORT/DATABASE, migrated and seeded if empty")
	fs.BoolVar(&c.reseed, "reseed", false, "replace the database's data with the built-in seed before serving")
	fs.StringVar(&c.articlesDir, "articles", "", "directory of article texts, NNN_SLUG.txt or SLUG.txt for a source's slug; their paragraphs become Citation.text")
	fs.BoolVar(&c.writeProcess, "write-process", true, "apply changesets and retractions in a writer process of their own, at -write-priority, so that commits do not slow the reads (false: in the serving process)")
	fs.StringVar(&c.writePriority, "write-priority", writer.DefaultPriority, "the writer process's CPU priority: a niceness from 0 (the server's) to 19 (the lowest), or idle (only cores nothing else wants: the reads' tail latency is lowest, but reads that keep every core busy starve the commits)")
	fs.BoolVar(&c.dropRevisions, "reseed-drop-revisions", false, "let -reseed drop the revisions made through the API, which it otherwise refuses to")

	fs.DurationVar(&c.options.Limits.Timeout, "timeout", d.Timeout, "per-request deadline; its SQL is canceled when it expires (0: none)")
	fs.Func("max-body", "largest request body, e.g. 512KiB or 2MiB; larger gets 413 (default 1MiB)", func(s string) error {
		s, negative := strings.CutPrefix(strings.TrimSpace(s), "-")
		n, err := humanize.ParseBytes(s)
		if err != nil || n == 0 || n > math.MaxInt32 {
			return errors.New("want a size such as 1MiB")
		}
		maxBody = int64(n)
		if negative {
			maxBody = -maxBody // refused with the other negative limits
		}
		return nil
	})
	fs.IntVar(&maxTokens, "max-tokens", d.MaxTokens, "most lexical tokens in a query (0: no limit)")
	fs.IntVar(&maxDepth, "max-depth", d.MaxDepth, "deepest selection nesting, introspection aside (0: no limit)")
	fs.IntVar(&maxAliases, "max-aliases", d.MaxAliases, "most aliased fields in a query (0: no limit)")
	fs.IntVar(&maxCost, "max-cost", d.MaxCost, "highest query cost (0: no limit)")
	fs.IntVar(&maxObjects, "max-objects", d.MaxObjects, "most objects one request resolves, counted as it runs (0: no limit)")
	fs.Func("max-response", "largest response data, e.g. 4MiB; larger gets RESPONSE_TOO_LARGE (0: no limit; default 16MiB)", func(s string) error {
		s, negative := strings.CutPrefix(strings.TrimSpace(s), "-")
		n, err := humanize.ParseBytes(s)
		if err != nil || n > math.MaxInt64 {
			return errors.New("want a size such as 16MiB, or 0")
		}
		maxResponse = int64(n)
		if negative {
			maxResponse = -maxResponse // refused with the other negative limits
		}
		return nil
	})

	fs.Float64Var(&c.options.RateLimit.PerSecond, "rate-limit", 2000, "cost points each client's budget regains per second (0: no rate limiting)")
	fs.IntVar(&c.options.RateLimit.Burst, "rate-burst", 200_000, "most cost points a client's budget holds; at least -max-cost")
	fs.BoolVar(&c.options.RateLimit.ByToken, "rate-by-token", false, "budget per bearer token instead of per address (only behind a gateway that checks tokens)")
	fs.BoolVar(&c.options.RequireToken, "require-token", false, "refuse requests without a valid bearer token (investgraph token create); by default reads are open and only changesets need one")
	fs.IntVar(&c.options.RateLimit.MaxInFlight, "max-in-flight", 4, "most requests one client (keyed as for -rate-limit) may have running at once; more wait -in-flight-wait, then get 429 (0: no cap)")
	fs.DurationVar(&c.options.RateLimit.InFlightWait, "in-flight-wait", httpapi.DefaultInFlightWait, "how long a request over -max-in-flight waits for a turn")
	fs.StringVar(&c.options.RateLimit.ClientIPHeader, "client-ip-header", "", "header a trusted proxy sets to the client address, e.g. X-Forwarded-For (default: the connection's address)")

	fs.IntVar(&apqCache, "apq-cache", httpapi.DefaultAPQCacheSize, "Automatic Persisted Queries kept (0: APQ off)")
	fs.Func("apq-cache-bytes", "most bytes of Automatic Persisted Queries kept, e.g. 16MiB (0: APQ off; default 16MiB)", func(s string) error {
		s, negative := strings.CutPrefix(strings.TrimSpace(s), "-")
		n, err := humanize.ParseBytes(s)
		if err != nil || n > math.MaxInt64 {
			return errors.New("want a size such as 16MiB, or 0")
		}
		apqBytes = int64(n)
		if negative {
			apqBytes = -apqBytes // refused with the other negative limits
		}
		return nil
	})
	fs.IntVar(&c.options.ResponseCache, "response-cache", 0, "responses of identical requests kept until the data changes (0: off; needs -rate-limit 0)")
	fs.Int64Var(&c.options.ReadModel, "read-model", httpapi.DefaultReadModel, "values (objects and list elements) read from the database kept for the requests of the same data version (0: off)")
	fs.StringVar(&c.options.Executor, "executor", "fast", "query executor: fast (compiled, handing what it does not support to gqlgen's) or gqlgen (gqlgen's alone)")
	fs.StringVar(&c.persistedOps, "persisted-operations", "", "JSON file of persisted operations (Apollo manifest or id-to-document map)")
	fs.BoolVar(&c.options.AllowList, "allow-list", false, "run only the operations of -persisted-operations")
	fs.BoolVar(&introspection, "introspection", true, "answer introspection queries (GraphiQL needs them)")
	fs.BoolVar(&graphiql, "graphiql", true, "serve GraphiQL at /")
	fs.BoolVar(&explore, "explore", true, "serve the explorer at /explore (its persisted operations are allowed under -allow-list)")
	fs.BoolVar(&exports, "exports", true, "serve the downloads under /export/ (investgraph export works either way)")
	fs.StringVar(&corsOrigins, "cors-origins", "", "comma-separated origins browsers may call the API from, as scheme://host[:port] (e.g. https://dash.example.com, https://*.example.com), or * (default: none)")

	fs.IntVar(&c.conns.Total, "max-conns", defaultMaxConns, "most connections open at once; more wait to be accepted (0: no limit)")
	fs.IntVar(&c.conns.PerAddress, "max-conns-per-ip", defaultMaxConnsPerIP, "most connections open at once from one peer address (IPv6: /64); more are closed at once (0: no limit)")
	fs.DurationVar(&c.idleTimeout, "idle-timeout", defaultIdleTimeout, "how long an idle keep-alive connection stays open (0: the read timeout, 30s)")

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
	// The flag package would print its errors and the usage to one
	// writer; the usage goes to stdout when asked for, and errors are
	// returned for the caller to print.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fmt.Fprintf(stdout, "Usage: investgraph [serve] [flags]\n       investgraph export -format ftm|csv|graphml [flags]\n"+
			"       investgraph token create|list|revoke ... (investgraph token -h)\n"+
			"       investgraph migrate -from FILE -to postgres://... [-force] (investgraph migrate -h)\n\n"+
			"Serves GraphiQL at /, the explorer at /explore, exports under /export/ and GraphQL at /graphql.\n"+
			"investgraph export -h lists the export's flags.\n\nFlags:\n")
		fs.PrintDefaults()
		return c, err
	} else if err != nil {
		return c, fmt.Errorf("%w (investgraph -h lists the flags)", err)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	path, err := sqliteLocation("-db", c.dbPath)
	if err != nil {
		return c, err
	}
	c.dbPath = path
	if e := c.options.Executor; e != "fast" && e != "gqlgen" {
		return c, fmt.Errorf("-executor %q: want fast or gqlgen", e)
	}

	l := &c.options.Limits
	if err := notNegative(
		limitFlag{"timeout", l.Timeout.Seconds(), offWithZero},
		limitFlag{"max-body", float64(maxBody), "want a size such as 1MiB"},
		limitFlag{"max-tokens", float64(maxTokens), offWithZero},
		limitFlag{"max-depth", float64(maxDepth), offWithZero},
		limitFlag{"max-aliases", float64(maxAliases), offWithZero},
		limitFlag{"max-cost", float64(maxCost), offWithZero},
		limitFlag{"max-objects", float64(maxObjects), offWithZero},
		limitFlag{"max-response", float64(maxResponse), offWithZero},
		limitFlag{"apq-cache", float64(apqCache), offWithZero},
		limitFlag{"read-model", float64(c.options.ReadModel), offWithZero},
		limitFlag{"apq-cache-bytes", float64(apqBytes), "want a size such as 16MiB; 0 turns APQ off"},
		limitFlag{"max-conns", float64(c.conns.Total), offWithZero},
		limitFlag{"max-conns-per-ip", float64(c.conns.PerAddress), offWithZero},
		limitFlag{"idle-timeout", c.idleTimeout.Seconds(), "0 keeps them for the read timeout"},
		limitFlag{"response-cache", float64(c.options.ResponseCache), offWithZero},
		limitFlag{"rate-limit", c.options.RateLimit.PerSecond, offWithZero},
		limitFlag{"rate-burst", float64(c.options.RateLimit.Burst), "it must be at least -max-cost"},
		limitFlag{"max-in-flight", float64(c.options.RateLimit.MaxInFlight), offWithZero},
		limitFlag{"in-flight-wait", c.options.RateLimit.InFlightWait.Seconds(), "0 takes the default of 1s"},
	); err != nil {
		return c, err
	}
	c.memoryLimit = int64(memoryLimit)
	l.MaxBodyBytes = maxBody
	l.MaxTokens, l.MaxDepth, l.MaxAliases, l.MaxCost = offIfZero(maxTokens), offIfZero(maxDepth), offIfZero(maxAliases), offIfZero(maxCost)
	l.MaxObjects, l.MaxResponseBytes = offIfZero(maxObjects), offIfZero(maxResponse)
	if l.Timeout == 0 {
		l.Timeout = -1
	}
	c.options.APQCacheSize = offIfZero(apqCache)
	c.options.APQCacheBytes = apqBytes
	if apqBytes == 0 {
		c.options.APQCacheBytes = -1
	}
	c.options.DisableIntrospection, c.options.DisableGraphiQL = !introspection, !graphiql
	c.options.DisableExplore, c.options.DisableExports = !explore, !exports
	origins, err := httpapi.ParseOrigins(corsOrigins)
	if err != nil {
		return c, fmt.Errorf("-cors-origins: %w", err)
	}
	c.options.CORSOrigins = origins
	c.options.HideMetrics = c.metricsAddr != ""
	return c, c.check()
}

// limitFlag is a numeric flag whose value must not be negative, and what 0
// does for it.
type limitFlag struct {
	name  string
	value float64
	zero  string
}

const offWithZero = "0 turns it off"

// notNegative refuses the first of flags given a negative value, by name.
func notNegative(flags ...limitFlag) error {
	for _, f := range flags {
		if f.value < 0 {
			return fmt.Errorf("-%s must not be negative (%s)", f.name, f.zero)
		}
	}
	return nil
}

// check rejects flag combinations that cannot work.
func (c config) check() error {
	o := c.options
	switch {
	case o.RateLimit.PerSecond > 0 && o.Limits.MaxCost > 0 && o.RateLimit.Burst < o.Limits.MaxCost:
		return fmt.Errorf("-rate-burst (%d) must be at least -max-cost (%d), or the costliest queries could never run",
			o.RateLimit.Burst, o.Limits.MaxCost)
	case o.AllowList && c.persistedOps == "":
		return errors.New("-allow-list needs -persisted-operations")
	case c.logFormat != "text" && c.logFormat != "json":
		return fmt.Errorf("-log-format must be text or json, not %q", c.logFormat)
	case c.dropRevisions && !c.reseed:
		return errors.New("-reseed-drop-revisions goes with -reseed")
	case c.shutdownTimeout <= 0:
		return errors.New("-shutdown-timeout must be positive")
	case c.gcPercent <= 0:
		return errors.New("-gc-percent must be positive")
	}
	return nil
}

// The connection defaults: a browser opens 6 connections to a server and a
// busy office behind one NAT address a few hundred, while 20,000 idle ones
// from one address used to reach the file limit. Behind a reverse proxy,
// every connection comes from the proxy, so -max-conns-per-ip needs to be
// raised or turned off there.
const (
	defaultMaxConns      = 10_000
	defaultMaxConnsPerIP = 256
	defaultIdleTimeout   = 30 * time.Second
)

// offIfZero maps a flag's "0 means no limit" to httpapi.Limits' negative.
func offIfZero[N int | int64](n N) N {
	if n == 0 {
		return -1
	}
	return n
}

// responseLimit is Limits.MaxResponseBytes for the start-up log line.
func responseLimit(n int64) any {
	if n < 0 {
		return "off"
	}
	return humanize.IBytes(uint64(n))
}

// logAttrs are the effective configuration for the start-up log line, with
// the addresses the API and metrics listen on: "off" for what is turned
// off, and GraphiQL's URL only when it is served.
// writerDescription says where changesets commit, for the serving line.
func (c config) writerDescription() string {
	if !c.writeProcess {
		return "in process"
	}
	return "process at priority " + c.writePriority
}

func (c config) logAttrs(addr, metricsAddr string, fileLimit uint64) []any {
	o := c.options
	base := "http://" + displayAddr(addr)
	graphiql := "off"
	if !o.DisableGraphiQL {
		graphiql = base + "/"
	}
	limit := func(n int) any {
		if n < 0 {
			return "off"
		}
		return n
	}
	timeout := any("off")
	if o.Limits.Timeout > 0 {
		timeout = o.Limits.Timeout.String()
	}
	rate := []any{slog.String("per_second", "off")}
	if r := o.RateLimit; r.PerSecond > 0 {
		key := "address"
		if r.ClientIPHeader != "" {
			key = "address from " + r.ClientIPHeader
		}
		if r.ByToken {
			key = "bearer token"
		}
		rate = []any{slog.Float64("per_second", r.PerSecond), slog.Int("burst", max(r.Burst, o.Limits.MaxCost, 1)), slog.String("by", key)}
	}
	cors := "none"
	if len(o.CORSOrigins) > 0 {
		cors = strings.Join(o.CORSOrigins, ",")
	}
	persisted := "none"
	if c.persistedOps != "" {
		persisted = fmt.Sprintf("%s (%d operations)", c.persistedOps, o.PersistedOperations.Len())
	}
	apq, apqBytes := limit(o.APQCacheSize), any("off")
	if o.AllowList || o.APQCacheBytes < 0 {
		apq = "off"
	}
	if apq != "off" {
		apqBytes = humanize.IBytes(uint64(o.APQCacheBytes))
	}
	metrics := base + "/metrics"
	if metricsAddr != "" {
		metrics = "http://" + displayAddr(metricsAddr) + "/metrics"
	}
	return []any{
		slog.String("addr", addr),
		slog.String("graphql", base+"/graphql"),
		slog.String("graphiql", graphiql),
		slog.Bool("introspection", !o.DisableIntrospection),
		slog.Bool("require_token", o.RequireToken),
		slog.String("db", displayDB(c.dbPath)),
		slog.String("engine", engineName(c.dbPath)),
		slog.String("writer", c.writerDescription()),
		slog.String("cors_origins", cors),
		slog.Group("limits",
			slog.Any("timeout", timeout),
			slog.String("body", humanize.IBytes(uint64(o.Limits.MaxBodyBytes))),
			slog.Any("tokens", limit(o.Limits.MaxTokens)),
			slog.Any("depth", limit(o.Limits.MaxDepth)),
			slog.Any("aliases", limit(o.Limits.MaxAliases)),
			slog.Any("cost", limit(o.Limits.MaxCost)),
			slog.Any("objects", limit(o.Limits.MaxObjects)),
			slog.Any("response", responseLimit(o.Limits.MaxResponseBytes))),
		slog.Group("rate_limit", rate...),
		slog.Any("max_in_flight", limit(offIfZero(o.RateLimit.MaxInFlight))),
		slog.Any("apq_cache", apq),
		slog.Any("apq_cache_bytes", apqBytes),
		slog.Group("conns",
			slog.Any("max", limit(offIfZero(c.conns.Total))),
			slog.Any("max_per_ip", limit(offIfZero(c.conns.PerAddress))),
			slog.String("idle_timeout", c.idleTimeout.String()),
			slog.Any("file_limit", fileLimit)),
		slog.String("persisted_operations", persisted),
		slog.Bool("allow_list", o.AllowList),
		slog.Any("response_cache", limit(offIfZero(o.ResponseCache))),
		slog.String("metrics", metrics),
	}
}
