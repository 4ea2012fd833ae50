// Package dbtest gives each test a new, empty database of the engine under
// test: an SQLite file in the test's temporary directory, or, when the
// environment variable INVESTGRAPH_TEST_POSTGRES holds the address of a
// PostgreSQL server (postgres://user@host:port/database), a database of
// its own on that server, dropped when the test ends.
//
// New PostgreSQL databases are copies (CREATE DATABASE ... TEMPLATE) of
// one migrated template, created once per server and migration set, so a
// test does not pay for the migrations.
//
//	go run ./bench/pgtemp/with -- go test ./...
//
// runs the whole suite on a throwaway PostgreSQL cluster.
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/investgraph/investgraph/db"
)

// EnvPostgres names the environment variable that selects PostgreSQL.
const EnvPostgres = "INVESTGRAPH_TEST_POSTGRES"

// Postgres returns the server address EnvPostgres holds, if any.
func Postgres() (string, bool) {
	dsn := os.Getenv(EnvPostgres)
	return dsn, dsn != ""
}

// Engine is the engine the tests run on: db.EnginePostgres when
// EnvPostgres is set, db.EngineSQLite otherwise.
func Engine() string {
	if _, ok := Postgres(); ok {
		return db.EnginePostgres
	}
	return db.EngineSQLite
}

// NewDatabase returns the address of a new empty database for the test (a
// path or a postgres:// DSN), for db.Open. A PostgreSQL database is
// migrated already, and dropped when the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	server, ok := Postgres()
	if !ok {
		return filepath.Join(t.TempDir(), "investgraph.db")
	}
	dsn, err := newPostgres(t, server)
	if err != nil {
		t.Fatalf("dbtest: new PostgreSQL database on %s: %v", db.RedactDSN(server), err)
	}
	return dsn
}

// Open opens a store on NewDatabase, closed when the test ends, and
// returns it with the database's address.
func Open(t testing.TB) (*db.Store, string) {
	t.Helper()
	where := NewDatabase(t)
	s, err := db.Open(t.Context(), where)
	if err != nil {
		t.Fatalf("dbtest: open %s: %v", db.RedactDSN(where), err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("dbtest: close store: %v", err)
		}
	})
	return s, where
}

// admin is the connection to the server's own database that creates and
// drops the tests' databases, opened once.
var admin struct {
	once sync.Once
	conn *sql.DB
	err  error
	tmpl string // the template database
}

// counter numbers this process's databases.
var counter atomic.Int64

// newPostgres creates a database for t from the template and returns its
// DSN.
func newPostgres(t testing.TB, server string) (string, error) {
	admin.once.Do(func() { admin.conn, admin.tmpl, admin.err = openAdmin(server) })
	if admin.err != nil {
		return "", admin.err
	}
	name := fmt.Sprintf("investgraph_test_%d_%d", os.Getpid(), counter.Add(1))
	ctx := context.Background()
	if _, err := admin.conn.ExecContext(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()+
		` TEMPLATE `+pgx.Identifier{admin.tmpl}.Sanitize()); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	t.Cleanup(func() {
		if _, err := admin.conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
			t.Errorf("dbtest: drop database %s: %v", name, err)
		}
	})
	return withDatabase(server, name)
}

// withDatabase returns server's DSN naming the database name instead.
func withDatabase(server, name string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", db.RedactDSN(server), err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// openAdmin connects to server and makes sure the template of the current
// migrations exists, named by their hash: processes testing packages at
// once share it, and the first one creates it while holding an advisory
// lock that the others wait for.
func openAdmin(server string) (*sql.DB, string, error) {
	conn, err := sql.Open("pgx", server)
	if err != nil {
		return nil, "", err
	}
	conn.SetMaxOpenConns(2)
	tmpl := "investgraph_template_" + db.MigrationsDigest()[:12]
	ctx := context.Background()
	c, err := conn.Conn(ctx)
	if err != nil {
		conn.Close()
		return nil, "", err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `SELECT pg_advisory_lock(7315052016)`); err != nil {
		conn.Close()
		return nil, "", fmt.Errorf("lock the template: %w", err)
	}
	defer c.ExecContext(ctx, `SELECT pg_advisory_unlock(7315052016)`)
	var n int
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, tmpl).Scan(&n); err != nil {
		conn.Close()
		return nil, "", err
	}
	if n == 0 {
		if err := createTemplate(ctx, c, server, tmpl); err != nil {
			conn.Close()
			return nil, "", err
		}
	}
	return conn, tmpl, nil
}

// createTemplate creates the template database tmpl and migrates it. It
// is built under another name and renamed once complete, so that a killed
// run leaves no half-built template behind under the name.
func createTemplate(ctx context.Context, c *sql.Conn, server, tmpl string) error {
	building := fmt.Sprintf("investgraph_building_%d", os.Getpid())
	q := pgx.Identifier{building}.Sanitize()
	if _, err := c.ExecContext(ctx, `DROP DATABASE IF EXISTS `+q+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := c.ExecContext(ctx, `CREATE DATABASE `+q+` TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`); err != nil {
		return fmt.Errorf("create the template: %w", err)
	}
	dsn, err := withDatabase(server, building)
	if err != nil {
		return err
	}
	s, err := db.Open(ctx, dsn)
	if err != nil {
		return fmt.Errorf("migrate the template: %w", err)
	}
	if err := s.Close(); err != nil {
		return err
	}
	if _, err := c.ExecContext(ctx, `ALTER DATABASE `+q+` RENAME TO `+pgx.Identifier{tmpl}.Sanitize()); err != nil {
		return fmt.Errorf("name the template: %w", err)
	}
	return nil
}
