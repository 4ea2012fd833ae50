package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/investgraph/investgraph/db"
)

// connectTimeout bounds checkPostgres's connection attempt when the URL
// sets no connect_timeout.
const connectTimeout = 10 * time.Second

// isPostgres reports whether -db names a PostgreSQL database
// (postgres://... or postgresql://...) rather than an SQLite file.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// checkPostgres connects once to the PostgreSQL database of dsn and closes
// the connection, so that a server that cannot be reached or refuses the
// connection is reported before anything else is done, by an error naming
// its host and port, the user and database, and the cause in words. The
// error never holds the password.
func checkPostgres(ctx context.Context, dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// The parser's error may quote the URL, password included.
		return errors.New("-db: not a valid PostgreSQL URL; want postgres://USER:PASSWORD@HOST:PORT/DATABASE")
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		where := net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
		if strings.HasPrefix(cfg.Host, "/") {
			where = cfg.Host // a Unix socket directory
		}
		return scrub(fmt.Errorf("PostgreSQL at %s (user %s, database %s): %s", where, cfg.User, cfg.Database, connectCause(err, cfg.ConnectTimeout)), cfg.Password)
	}
	return conn.Close(ctx)
}

// connectCause says in words why a connection attempt failed.
func connectCause(err error, timeout time.Duration) string {
	var pgErr *pgconn.PgError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &pgErr):
		cause := pgErr.Message + " (SQLSTATE " + pgErr.Code + ")"
		switch pgErr.Code {
		case "28P01", "28000":
			cause += "; check the user and password in -db"
		case "3D000":
			cause += "; create it first, e.g. createdb " + strconv.Quote(strings.TrimPrefix(pgErr.Message, "database "))
		}
		return cause
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing listens there; is PostgreSQL running, and on this port?"
	case errors.As(err, &dnsErr):
		return "host not found: " + dnsErr.Err
	case pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded):
		return "no answer within " + timeout.String()
	}
	for {
		inner := errors.Unwrap(err)
		if inner == nil {
			return err.Error()
		}
		err = inner
	}
}

// scrubbed is an error whose message has a password taken out, wherever
// its cause put it; the chain is kept for errors.Is and errors.As.
type scrubbed struct {
	err      error
	password string
}

func (e *scrubbed) Error() string {
	msg := e.err.Error()
	for _, form := range []string{e.password, url.QueryEscape(e.password), url.PathEscape(e.password)} {
		msg = strings.ReplaceAll(msg, form, "xxxxx")
	}
	return msg
}

func (e *scrubbed) Unwrap() error { return e.err }

// scrub returns err with password taken out of its message; err itself
// when there is no password or no error.
func scrub(err error, password string) error {
	if err == nil || password == "" {
		return err
	}
	return &scrubbed{err: err, password: password}
}

// dsnPassword is the password of a postgres:// URL, "" when it has none.
func dsnPassword(dsn string) string {
	if !isPostgres(dsn) {
		return ""
	}
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}

// displayDB is -db as logs show it: a PostgreSQL URL without its password.
func displayDB(dsn string) string {
	if isPostgres(dsn) {
		return db.RedactDSN(dsn)
	}
	return dsn
}

// engineName names the engine -db selects, for the start-up log line.
func engineName(dsn string) string {
	if isPostgres(dsn) {
		return "postgres"
	}
	return "sqlite"
}

// openPlain opens the database of -db without seeding it, for the
// subcommands that manage it: a PostgreSQL URL is first checked as for
// serving (checkPostgres), and no error holds its password.
func openPlain(ctx context.Context, dsn string) (*db.Store, error) {
	if !isPostgres(dsn) {
		return db.Open(ctx, dsn)
	}
	if err := checkPostgres(ctx, dsn); err != nil {
		return nil, err
	}
	store, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, scrub(fmt.Errorf("open %s: %w", db.RedactDSN(dsn), err), dsnPassword(dsn))
	}
	return store, nil
}

// sqliteLocation turns -db into what db.Open takes: a PostgreSQL URL as
// it is, a file: URI (file:investgraph.db, file:/var/lib/x.db,
// file:///var/lib/x.db) into its path, and a path as it is. A file: URI
// with parameters is refused: the store sets its own, per connection.
func sqliteLocation(flagName, s string) (string, error) {
	rest, ok := strings.CutPrefix(s, "file:")
	if !ok || isPostgres(s) {
		return s, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%s %q: not a file: URI: %w", flagName, s, err)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%s %q: a file: URI without parameters, please; the store sets the SQLite pragmas itself", flagName, s)
	}
	if u.Host != "" && u.Host != "localhost" {
		return "", fmt.Errorf("%s %q: the file must be on this machine (file:///PATH)", flagName, s)
	}
	path := u.Path
	if u.Opaque != "" {
		if path, err = url.PathUnescape(u.Opaque); err != nil {
			return "", fmt.Errorf("%s %q: %w", flagName, s, err)
		}
	}
	if path == "" {
		return "", fmt.Errorf("%s %q: no path after file:", flagName, rest)
	}
	return path, nil
}
