package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/investgraph/investgraph/bench/pgtemp"
	"github.com/investgraph/investgraph/db"
)

// The gateway on a PostgreSQL store (-postgres): a PostgreSQL 15 cluster
// of its own (bench/pgtemp), into which the gateway's data is copied as
// investgraph migrate copies it (db.CopyToPostgres), and two gateway
// processes (children, as the SQLite gateway's) each with a store of its
// own over that database, as two stateless replicas. It is measured as
// one replica (the first process alone) and as two (the connections of a
// run sent to both in turn, as a load balancer would). PostGraphile, with
// -postgraphile, runs over the same cluster.

// gatewayDatabase is the database of the gateway's PostgreSQL store.
const gatewayDatabase = "investgraph_gateway"

// pgReplicas is the gateway on PostgreSQL, running.
type pgReplicas struct {
	cluster  *pgtemp.Cluster
	children []*child
	about    string
}

// startPGReplicas starts the cluster, copies the SQLite database at path
// into it and starts n gateway processes over it with the executor.
// On error, what was started is stopped again.
func startPGReplicas(ctx context.Context, path string, n int, cfg childConfig, progress io.Writer) (r *pgReplicas, err error) {
	if err := pgtemp.Install(ctx, pgtemp.DefaultVersion, progress); err != nil {
		return nil, err
	}
	fmt.Fprintln(progress, "load: starting PostgreSQL for the gateway's store")
	// Settings of a small dedicated server rather than the defaults of
	// a shared one: the data fits in memory either way.
	cluster, err := pgtemp.Start(ctx, pgtemp.Options{Settings: map[string]string{"shared_buffers": "256MB", "max_connections": "200"}})
	if err != nil {
		return nil, err
	}
	r = &pgReplicas{cluster: cluster}
	defer func() {
		if err != nil {
			r.stop()
			r = nil
		}
	}()
	if err := cluster.Psql(ctx, "postgres", strings.NewReader("CREATE DATABASE "+gatewayDatabase+" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C';\n")); err != nil {
		return r, err
	}
	dsn := cluster.DSN(gatewayDatabase)
	store, err := db.Open(ctx, dsn) // creates the schema
	if err != nil {
		return r, err
	}
	store.Close()
	start := time.Now()
	counts, err := db.CopyToPostgres(ctx, path, dsn, false)
	if err != nil {
		return r, fmt.Errorf("copy the data into PostgreSQL: %w", err)
	}
	rows := int64(0)
	for _, c := range counts {
		rows += c.Rows
	}
	fmt.Fprintf(progress, "load: copied %d rows of %d tables into PostgreSQL in %v\n", rows, len(counts), time.Since(start).Round(time.Millisecond))
	if _, err := cluster.Query(ctx, gatewayDatabase, "VACUUM ANALYZE"); err != nil {
		return r, err
	}
	version, err := cluster.Query(ctx, gatewayDatabase, "SHOW server_version")
	if err != nil {
		return r, err
	}
	cfg.DB = dsn
	for range n {
		ch, err := startChild(cfg)
		if err != nil {
			return r, fmt.Errorf("gateway on PostgreSQL: %w", err)
		}
		r.children = append(r.children, ch)
	}
	r.about = fmt.Sprintf("gateway on PostgreSQL %s: %d processes, each with a store of its own over one database (%d rows copied as investgraph migrate copies them), shared_buffers 256MB", version, n, rows)
	return r, nil
}

// addr is the gateway address of the i-th replica.
func (r *pgReplicas) addr(i int, executor string) string {
	return r.children[i].Gateways[executor]
}

// usage returns the CPU time of the first n replicas' processes and of
// the cluster's, and the replicas' allocations.
func (r *pgReplicas) usage(n int) func() (time.Duration, uint64, bool, error) {
	return func() (time.Duration, uint64, bool, error) {
		var cpu time.Duration
		var allocs uint64
		for _, ch := range r.children[:n] {
			s, err := ch.stats()
			if err != nil {
				return 0, 0, false, err
			}
			cpu, allocs = cpu+s.CPU, allocs+s.Allocs
		}
		pgCPU, err := processTreeCPU(r.cluster.PID())
		return cpu + pgCPU, allocs, true, err
	}
}

// stop stops the replicas, then the cluster.
func (r *pgReplicas) stop() error {
	var first error
	for _, ch := range r.children {
		if err := ch.stop(); err != nil && first == nil {
			first = err
		}
	}
	if err := r.cluster.Stop(); err != nil && first == nil {
		first = err
	}
	return first
}
