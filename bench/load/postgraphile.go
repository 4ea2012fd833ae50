package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/investgraph/investgraph/bench/pgtemp"
	"github.com/investgraph/investgraph/db"
)

// The side-by-side run of PostGraphile (-postgraphile): a PostgreSQL 15
// cluster of its own (bench/pgtemp) holding the export of the gateway's data
// (pgexport.go), and PostGraphile 4.14.1 from npm, pinned with its lock file
// in bench/load/postgraphile and installed with npm ci into the user's cache
// directory the first time, in production mode with the flags its
// documentation recommends for production.

//go:embed postgraphile/package.json postgraphile/package-lock.json
var postgraphilePackage embed.FS

// postgraphileArgs are PostGraphile's flags apart from the connection and
// the address: the production set of its CLI documentation (no GraphiQL,
// no query log, dynamic JSON, no nulls in setof functions, RBAC respected,
// error codes only, query batching, legacy relations omitted) with two
// workers, one per core, and lists beside connections (simple collections)
// so that it can answer lists as the gateway does. Subscriptions and the
// simplify-inflector plugin of the same set are left out: the queries use
// neither, and their aliases give the fields the gateway's names.
var postgraphileArgs = []string{
	"--schema", "public",
	"--disable-graphiql",
	"--disable-query-log",
	"--dynamic-json",
	"--no-setof-functions-contain-nulls",
	"--no-ignore-rbac",
	"--extended-errors", "errcode",
	"--enable-query-batching",
	"--legacy-relations", "omit",
	"--simple-collections", "both",
	"--cluster-workers", "2",
}

// q1Company is the company Q1 asks the gateway for by name; PostGraphile
// looks it up by the canonical name the gateway resolves it to, through
// the unique name_key.
const q1Company = "CITIC"

// postgraphileQueries are PostGraphile's texts of the queries it answers,
// by bench query name, each aliased to the gateway's field names and
// ordered as the gateway orders: %s in q1 is the company's canonical name,
// quoted.
var postgraphileQueries = map[string]string{
	"q1": `{ company: companyByNameKey(nameKey: %s) { name projects: projectParticipantsByCompanyIdList(orderBy: ID_ASC) { role project: projectByProjectId { name capacityHistory: capacityMeasurementsByProjectIdList(orderBy: ORDINAL_ASC) { metric value unit asOf status } } } } }`,
	"q2": `{ companies: allCompanies(first: 100, orderBy: ORDINAL_ASC) { edges { node { name projects: projectParticipantsByCompanyIdList(orderBy: ID_ASC) { role project: projectByProjectId { name participants: projectParticipantsByProjectIdList(orderBy: ID_ASC) { role company: companyByCompanyId { name } } } } } } } }`,
}

// postgraphile is a running PostGraphile over its own cluster.
type postgraphile struct {
	addr    string
	queries map[string]string // the texts, names filled in
	about   string            // versions, for the report
	cluster *pgtemp.Cluster
	// ownCluster is set when the cluster was started for PostGraphile
	// alone, and is stopped with it.
	ownCluster bool
	cmd        *exec.Cmd
	exited     chan struct{}
	log        *bytes.Buffer
}

// startPostGraphile starts PostgreSQL, or uses cluster when it is not nil
// (the one the gateway's PostgreSQL store is in, -postgres), loads the
// export of store into a database of its own and starts PostGraphile on a
// loopback port. On error, what was started is stopped again. stop stops
// a cluster it started, not one it was given.
func startPostGraphile(ctx context.Context, store *db.Store, cluster *pgtemp.Cluster, progress io.Writer) (pg *postgraphile, err error) {
	bin, err := installPostGraphile(ctx, progress)
	if err != nil {
		return nil, err
	}
	if err := pgtemp.Install(ctx, pgtemp.DefaultVersion, progress); err != nil {
		return nil, err
	}
	export, err := readExport(ctx, store)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	company, err := store.FindCompanyByName(ctx, q1Company)
	if err != nil {
		return nil, fmt.Errorf("export: company %q: %w", q1Company, err)
	}
	if !slices.Contains(export.nameKeys, company.Name) {
		return nil, fmt.Errorf("export: another company is named %q too, so PostGraphile cannot look it up by name", company.Name)
	}

	ownCluster := cluster == nil
	if ownCluster {
		fmt.Fprintln(progress, "load: starting PostgreSQL")
		if cluster, err = pgtemp.Start(ctx, pgtemp.Options{}); err != nil {
			return nil, err
		}
	}
	pg = &postgraphile{cluster: cluster, ownCluster: ownCluster, log: &bytes.Buffer{}}
	defer func() {
		if err != nil {
			pg.stop()
			pg = nil
		}
	}()
	if err := cluster.Psql(ctx, "postgres", strings.NewReader("CREATE DATABASE investgraph;\n")); err != nil {
		return pg, err
	}
	fmt.Fprintf(progress, "load: loading %d companies, %d projects, %d participations, %d capacity figures into PostgreSQL\n",
		len(export.companies), len(export.projects), len(export.participants), len(export.capacity))
	script, w := io.Pipe()
	go func() { w.CloseWithError(export.writeSQL(w)) }()
	if err := cluster.Psql(ctx, "investgraph", script); err != nil {
		script.CloseWithError(err)
		return pg, fmt.Errorf("load the export: %w", err)
	}
	pgVersion, err := cluster.Query(ctx, "investgraph", "SHOW server_version")
	if err != nil {
		return pg, err
	}
	node, err := exec.CommandContext(ctx, "node", "--version").Output()
	if err != nil {
		return pg, fmt.Errorf("node: %w", err)
	}
	pg.queries = map[string]string{
		"q1": fmt.Sprintf(postgraphileQueries["q1"], strconv.Quote(company.Name)),
		"q2": postgraphileQueries["q2"],
	}

	port, err := freePort()
	if err != nil {
		return pg, err
	}
	pg.addr = "127.0.0.1:" + strconv.Itoa(port)
	args := append([]string{"--connection", cluster.DSN("investgraph"), "--host", "127.0.0.1", "--port", strconv.Itoa(port)}, postgraphileArgs...)
	pg.about = fmt.Sprintf("PostGraphile 4.14.1 on Node %s over PostgreSQL %s, flags: %s", strings.TrimSpace(string(node)), pgVersion, strings.Join(postgraphileArgs, " "))
	fmt.Fprintln(progress, "load: starting PostGraphile")
	pg.cmd = exec.Command(bin, args...)
	pg.cmd.Env = append(os.Environ(), "NODE_ENV=production")
	pg.cmd.Stdout, pg.cmd.Stderr = pg.log, pg.log
	// A group of its own: the workers are stopped with it, and an
	// interrupt reaches them only through stop.
	pg.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := pg.cmd.Start(); err != nil {
		return pg, fmt.Errorf("start PostGraphile: %w", err)
	}
	pg.exited = make(chan struct{})
	go func() { pg.cmd.Wait(); close(pg.exited) }()
	return pg, pg.waitReady(ctx, 90*time.Second)
}

// waitReady waits until PostGraphile answers a query.
func (pg *postgraphile) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		if _, _, err := capture(pg.addr, graphqlBody(`{ __typename }`)); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("PostGraphile did not answer within %v: %v; its output:\n%s", limit, err, pg.log)
		}
		select {
		case <-pg.exited:
			return fmt.Errorf("PostGraphile exited (%v); its output:\n%s", pg.cmd.ProcessState, pg.log)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// usage is the CPU time of PostGraphile's processes and of the PostgreSQL
// cluster's. Node's allocations are not counted.
func (pg *postgraphile) usage() (time.Duration, uint64, bool, error) {
	cpu, err := processTreeCPU(pg.cmd.Process.Pid, pg.cluster.PID())
	return cpu, 0, false, err
}

// stop stops PostGraphile and its workers, then PostgreSQL.
func (pg *postgraphile) stop() error {
	var errs []error
	if pg.cmd != nil && pg.cmd.Process != nil {
		syscall.Kill(-pg.cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-pg.exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(-pg.cmd.Process.Pid, syscall.SIGKILL)
			<-pg.exited
			errs = append(errs, errors.New("PostGraphile did not stop on SIGTERM; killed"))
		}
	}
	if pg.ownCluster {
		if err := pg.cluster.Stop(); err != nil {
			errs = append(errs, fmt.Errorf("stop PostgreSQL: %w", err))
		}
	}
	return errors.Join(errs...)
}

// installPostGraphile installs the pinned package with npm ci into a cache
// directory named after the lock file's hash, unless it is there already,
// and returns the path of the postgraphile command.
func installPostGraphile(ctx context.Context, progress io.Writer) (string, error) {
	lock, err := postgraphilePackage.ReadFile("postgraphile/package-lock.json")
	if err != nil {
		return "", err
	}
	manifest, err := postgraphilePackage.ReadFile("postgraphile/package.json")
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(append(append([]byte{}, manifest...), lock...))
	dir := filepath.Join(cache, "investgraph", "postgraphile-"+hex.EncodeToString(sum[:6]))
	bin := filepath.Join(dir, "node_modules", ".bin", "postgraphile")
	done := filepath.Join(dir, "installed")
	if _, err := os.Stat(done); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), manifest, 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "package-lock.json"), lock, 0o644); err != nil {
		return "", err
	}
	fmt.Fprintf(progress, "load: npm ci of PostGraphile 4.14.1 into %s\n", dir)
	cmd := exec.CommandContext(ctx, "npm", "ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm ci in %s: %w: %s", dir, err, out.String())
	}
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("npm ci installed no postgraphile command: %w", err)
	}
	return bin, os.WriteFile(done, nil, 0o644)
}

// pgCell adds PostGraphile's cell to a query's, after checking that its
// answer holds the same facts as the gateway's. It returns a line for the
// report, and a problem when PostGraphile cannot be measured on the query.
func (pg *postgraphile) cell(qc *queryCells, sys *system, gatewayBody []byte) (note, problem string) {
	text, ok := pg.queries[qc.query.Name]
	if !ok {
		return fmt.Sprintf("%s: no PostGraphile text; the gateway alone", qc.query.Name), ""
	}
	body := graphqlBody(text)
	raw, _, err := capture(pg.addr, body)
	if err != nil {
		return "", fmt.Sprintf("%s on %s, not measured: %v", qc.query.Name, sys.name, err)
	}
	problem, n := sameFacts(gatewayBody, raw, "PostGraphile")
	if problem != "" {
		return "", fmt.Sprintf("%s: the gateway and PostGraphile disagree, PostGraphile not measured: %s", qc.query.Name, problem)
	}
	qc.cells = append(qc.cells, &cell{sys: sys, target: &target{addr: pg.addr, request: newRequest(pg.addr, body), want: exactResponse(raw)}})
	return fmt.Sprintf("%s: the gateway and PostGraphile answer the same %d facts (%d and %d bytes); PostGraphile's query: %s",
		qc.query.Name, n, len(gatewayBody), len(raw), text), ""
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
