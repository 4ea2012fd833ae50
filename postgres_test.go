package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/investgraph/investgraph/bench/pgtemp"
	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// freePort returns a loopback port nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// runFails runs the server with args, which must fail at start, and
// returns the error and what it logged.
func runFails(t *testing.T, args ...string) (error, string) {
	t.Helper()
	var logs lockedBuffer
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	err := run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), io.Discard, &logs, func(string) {
		t.Error("the server started")
		cancel()
	})
	if err == nil {
		t.Fatal("run returned no error")
	}
	return err, logs.String()
}

func TestRun_PostgresUnreachable(t *testing.T) {
	const password = "Sesame-0pen"
	port := strconv.Itoa(freePort(t))
	dsn := "postgres://alice:" + password + "@127.0.0.1:" + port + "/investgraph?sslmode=disable"
	err, logs := runFails(t, "-db", dsn)
	for _, want := range []string{"127.0.0.1:" + port, "user alice", "database investgraph", "connection refused", "is PostgreSQL running"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error()+logs, password) {
		t.Errorf("the password shows:\nerror: %v\nlogs: %s", err, logs)
	}
	t.Run("ErrBadURL", func(t *testing.T) {
		err, logs := runFails(t, "-db", "postgres://alice:"+password+"@127.0.0.1:notaport/x")
		if !strings.Contains(err.Error(), "not a valid PostgreSQL URL") || strings.Contains(err.Error()+logs, password) {
			t.Errorf("err = %v (logs %s), want a bad URL without the password", err, logs)
		}
	})
	t.Run("Token", func(t *testing.T) {
		err := run(t.Context(), []string{"token", "list", "-db", dsn}, io.Discard, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), password) {
			t.Errorf("token list: %v, want connection refused without the password", err)
		}
	})
	t.Run("Migrate", func(t *testing.T) {
		err := run(t.Context(), []string{"migrate", "-from", seededFile(t), "-to", dsn}, io.Discard, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), "127.0.0.1:"+port) || strings.Contains(err.Error(), password) {
			t.Errorf("migrate: %v, want the host and port without the password", err)
		}
	})
}

// serve runs the server with args until the test ends and returns its
// base URL and its logs so far.
func serve(t *testing.T, args ...string) (string, *lockedBuffer) {
	t.Helper()
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	addrc, errc := make(chan string, 1), make(chan error, 1)
	go func() {
		errc <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-log-format", "json"}, args...), io.Discard, logs,
			func(addr string) { addrc <- addr })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("the server did not stop")
		}
	})
	select {
	case addr := <-addrc:
		return "http://" + addr, logs
	case err := <-errc:
		t.Fatalf("run: %v\n%s", err, logs.String())
	case <-time.After(2 * time.Minute):
		t.Fatal("the server did not start")
	}
	return "", nil
}

// TestRun_PostgresPassword starts the server on a cluster that asks for
// a password: with a wrong one it refuses to start, naming the server and
// the cause; with the right one it serves. Neither password shows in an
// error or a log line.
func TestRun_PostgresPassword(t *testing.T) {
	const right, wrong = "C0rrect-Horse", "Wr0ng-Battery"
	c := ownCluster(t, pgtemp.Options{Password: right})
	dsn := c.DSN("postgres")
	if !strings.Contains(dsn, right) {
		t.Fatalf("DSN %q lacks the password", dsn)
	}
	bad := strings.Replace(dsn, right, wrong, 1)
	err, logs := runFails(t, "-db", bad)
	for _, want := range []string{"127.0.0.1:" + strconv.Itoa(c.Port), "password authentication failed", "check the user and password"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error()+logs, wrong) {
		t.Errorf("the wrong password shows:\nerror: %v\nlogs: %s", err, logs)
	}

	base, served := serve(t, "-db", dsn)
	if got := get(http.DefaultClient, base+"/graphql?query=%7B__typename%7D"); !strings.Contains(got, `"Query"`) {
		t.Errorf("query: %s", got)
	}
	if l := served.String(); strings.Contains(l, right) || !strings.Contains(l, `"engine":"postgres"`) || !strings.Contains(l, "xxxxx@127.0.0.1") {
		t.Errorf("the start-up logs show the password or not the engine and the redacted URL:\n%s", l)
	}
}

// TestRun_PostgresUnavailable stops the PostgreSQL cluster under a
// serving server: queries then get UNAVAILABLE with HTTP 503, and once
// the cluster is back they are answered again, without a restart.
func TestRun_PostgresUnavailable(t *testing.T) {
	c := ownCluster(t, pgtemp.Options{})
	base, logs := serve(t, "-db", c.DSN("postgres"), "-rate-limit", "0")
	query := func() (int, string) {
		body := `{"query":"{ company(name: \"CITIC\") { name } }"}`
		resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := query(); status != http.StatusOK || !strings.Contains(body, "CITIC Group") {
		t.Fatalf("before: %d %s", status, body)
	}
	ctx := t.Context()
	if err := c.Halt(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		status, body := query()
		if status != http.StatusServiceUnavailable || !strings.Contains(body, `"code":"UNAVAILABLE"`) {
			t.Errorf("query %d with the database down: %d %s", i, status, body)
		}
		if strings.Contains(body, "127.0.0.1") || strings.Contains(body, "pgconn") || strings.Contains(body, "SELECT") {
			t.Errorf("the error tells internals: %s", body)
		}
	}
	if err := c.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	var status int
	var body string
	for range 100 {
		if status, body = query(); status == http.StatusOK {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if status != http.StatusOK || !strings.Contains(body, "CITIC Group") {
		t.Errorf("after the restart: %d %s\nlogs:\n%s", status, body, logs.String())
	}
}

// TestRun_PostgresReseed is TestRun_ReseedKeepsRevisions on PostgreSQL:
// -reseed on a database holding revisions is refused, saying how many,
// and changes nothing; with -reseed-drop-revisions it reseeds.
func TestRun_PostgresReseed(t *testing.T) {
	dsn := newPostgresDatabase(t)
	s, err := db.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	yaml := "source: {slug: reseed-pg, title: A note, publishedOn: \"2025-01-01\", paragraphs: 2}\n" +
		"companies:\n  - {slug: reseed-pg-co, name: Reseed Postgres Company, kind: COMPANY, cite: [2]}\n"
	if _, _, err := seed.Apply(t.Context(), s, seed.Files(), seed.Changeset{YAML: yaml, Message: "add", Author: "alice"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	err = run(t.Context(), []string{"-addr", "127.0.0.1:0", "-db", dsn, "-reseed"}, io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "holds 1 revision(s)") || !strings.Contains(err.Error(), "-reseed-drop-revisions") {
		t.Fatalf("-reseed with a revision: %v, want the refusal", err)
	}
	check := func(wantRevision int64, wantCompany bool) {
		t.Helper()
		s, err := db.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if n, err := s.LatestRevisionID(t.Context()); err != nil || n != wantRevision {
			t.Errorf("latest revision %d (%v), want %d", n, err, wantRevision)
		}
		if _, err := s.FindCompanyByName(t.Context(), "Reseed Postgres Company"); (err == nil) != wantCompany {
			t.Errorf("the changeset's company: %v, want it there: %v", err, wantCompany)
		}
	}
	check(1, true)
	startAndStop(t, "-db", dsn, "-reseed", "-reseed-drop-revisions")
	check(0, false)
}

func TestSQLiteLocation(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"investgraph.db", "investgraph.db", ""},
		{"/var/lib/x.db", "/var/lib/x.db", ""},
		{"file:investgraph.db", "investgraph.db", ""},
		{"file:/var/lib/x.db", "/var/lib/x.db", ""},
		{"file:///var/lib/x%20y.db", "/var/lib/x y.db", ""},
		{"postgres://u:p@h/d", "postgres://u:p@h/d", ""},
		{"file:x.db?mode=ro", "", "without parameters"},
		{"file://elsewhere/x.db", "", "on this machine"},
		{"file:", "", "no path"},
	} {
		got, err := sqliteLocation("-db", tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %q, %v; want an error saying %q", tc.in, got, err, tc.err)
			}
		} else if err != nil || got != tc.want {
			t.Errorf("%q: %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	t.Run("Serves", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "uri.db")
		startAndStop(t, "-db", "file:"+path)
		if _, err := os.Stat(path); err != nil {
			t.Errorf("-db file:%s made no file there: %v", path, err)
		}
	})
}
