//go:build pgtemp

// These tests start real clusters, which takes seconds, so they run only
// when asked for: go test -tags pgtemp ./bench/pgtemp
package pgtemp_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/bench/pgtemp"
)

func TestStartStop(t *testing.T) {
	ctx := context.Background()
	c, err := pgtemp.Start(ctx, pgtemp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	if c.PID() == 0 {
		t.Error("no postmaster pid")
	}
	conn, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(c.Port))
	if err != nil {
		t.Fatalf("the server does not listen on its port: %v", err)
	}
	conn.Close()
	script := "CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t VALUES (1), (2);\n"
	if err := c.Psql(ctx, "postgres", strings.NewReader(script)); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Query(ctx, "postgres", "SELECT count(*) FROM t"); err != nil || got != "2" {
		t.Errorf("count = %q, %v; want 2", got, err)
	}
	if got, err := c.Query(ctx, "postgres", "SHOW server_version"); err != nil || !strings.HasPrefix(got, "15.") {
		t.Errorf("server_version = %q, %v; want 15.x", got, err)
	}
	t.Run("ErrBadSQL", func(t *testing.T) {
		err := c.Psql(ctx, "postgres", strings.NewReader("INSERT INTO t VALUES (1);\n"))
		if err == nil || !strings.Contains(err.Error(), "duplicate key") {
			t.Errorf("err = %v, want the server's duplicate key error", err)
		}
	})
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(c.Dir)); !os.IsNotExist(err) {
		t.Errorf("Stop left %s behind (stat: %v)", c.Dir, err)
	}
	if conn, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(c.Port)); err == nil {
		conn.Close()
		t.Error("the server still listens after Stop")
	}
	if err := c.Stop(); err != nil {
		t.Errorf("second Stop = %v, want nil", err)
	}
}

func TestPasswordHaltRestart(t *testing.T) {
	ctx := context.Background()
	c, err := pgtemp.Start(ctx, pgtemp.Options{Password: "s3cret word"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	if !strings.Contains(c.DSN("postgres"), ":s3cret%20word@") {
		t.Errorf("DSN %q lacks the password", c.DSN("postgres"))
	}
	if err := c.Psql(ctx, "postgres", strings.NewReader("CREATE TABLE t (id int);\nINSERT INTO t VALUES (7);\n")); err != nil {
		t.Fatal(err)
	}
	if err := c.Halt(ctx); err != nil {
		t.Fatal(err)
	}
	if conn, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(c.Port)); err == nil {
		conn.Close()
		t.Fatal("the server still listens after Halt")
	}
	if err := c.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Query(ctx, "postgres", "SELECT id FROM t"); err != nil || got != "7" {
		t.Errorf("after Restart: %q, %v; want the row written before Halt, 7", got, err)
	}
}
