// Package pgtemp starts a PostgreSQL cluster of its own for a benchmark or a
// test: a new data directory in a temporary directory, listening on a free
// loopback port and a Unix socket in that directory, trusted connections
// from 127.0.0.1 only, no fsync (what it holds is thrown away). Stop shuts it
// down and removes the directory.
//
// It uses the Debian packaging of PostgreSQL (/usr/lib/postgresql/N/bin);
// Install adds the package when it is missing. PostgreSQL refuses to run as
// root, so when the caller is root the server's programs run as the
// postgres user, which then owns the directory.
//
//	c, err := pgtemp.Start(ctx, pgtemp.Options{})
//	if err != nil { ... }
//	defer c.Stop()
//	dsn := c.DSN("postgres") // for any PostgreSQL driver, or c.Psql
package pgtemp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// DefaultVersion is the PostgreSQL major version Start looks for.
const DefaultVersion = 15

// User is the superuser of the cluster, which trusts it on loopback.
const User = "postgres"

// Options tune Start; the zero value is a PostgreSQL 15 cluster.
type Options struct {
	// Version is the major version (default DefaultVersion).
	Version int
	// Settings are extra server settings, name to value, e.g.
	// "shared_buffers": "256MB".
	Settings map[string]string
	// Log receives the output of initdb and pg_ctl; discarded when nil.
	Log io.Writer
	// Password, when set, is the superuser's password, and connections
	// over TCP must give it (scram-sha-256); the Unix socket stays
	// trusted. DSN includes it.
	Password string
}

// Cluster is a running PostgreSQL cluster.
type Cluster struct {
	// Port is the TCP port it listens on, on 127.0.0.1.
	Port int
	// Dir holds the data directory (data), the socket (sock) and the
	// server log (server.log).
	Dir      string
	bin      string
	cred     *syscall.Credential // nil when not root
	log      io.Writer
	password string
	options  string // the server settings, as pg_ctl -o takes them
	once     sync.Once
	err      error
}

// BinDir returns the directory of the server programs of the major version.
func BinDir(version int) (string, error) {
	dir := fmt.Sprintf("/usr/lib/postgresql/%d/bin", version)
	if _, err := os.Stat(filepath.Join(dir, "initdb")); err != nil {
		return "", fmt.Errorf("PostgreSQL %d is not installed (no %s/initdb): install it with pgtemp.Install or apt-get install postgresql-%d", version, dir, version)
	}
	return dir, nil
}

// Install installs the Debian package of the major version with apt-get
// (after apt-get update) unless it is installed already. It needs root.
func Install(ctx context.Context, version int, log io.Writer) error {
	if _, err := BinDir(version); err == nil {
		return nil
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("PostgreSQL %d is not installed and installing it needs root: apt-get install postgresql-%d", version, version)
	}
	if log == nil {
		log = io.Discard
	}
	for _, args := range [][]string{{"update"}, {"install", "-y", "--no-install-recommends", fmt.Sprintf("postgresql-%d", version)}} {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("apt-get %s: %w", strings.Join(args, " "), err)
		}
	}
	_, err := BinDir(version)
	return err
}

// Start creates and starts a cluster. The caller must call Stop, also when
// its own work fails.
func Start(ctx context.Context, opts Options) (c *Cluster, err error) {
	if opts.Version == 0 {
		opts.Version = DefaultVersion
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	bin, err := BinDir(opts.Version)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtemp-")
	if err != nil {
		return nil, err
	}
	c = &Cluster{Dir: dir, bin: bin, log: opts.Log, password: opts.Password}
	defer func() {
		if err != nil {
			c.Stop()
			c = nil
		}
	}()
	if os.Geteuid() == 0 {
		if c.cred, err = credential(User); err != nil {
			return c, err
		}
		if err = os.Chown(dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return c, err
		}
	}
	initdb := []string{"-D", c.dataDir(), "-U", User, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"}
	if opts.Password != "" {
		pwfile := filepath.Join(dir, "pwfile")
		if err = os.WriteFile(pwfile, []byte(opts.Password+"\n"), 0o600); err == nil && c.cred != nil {
			err = os.Chown(pwfile, int(c.cred.Uid), int(c.cred.Gid))
		}
		if err != nil {
			return c, err
		}
		initdb = append(initdb, "--auth-host=scram-sha-256", "--pwfile="+pwfile)
	}
	err = c.run(ctx, "initdb", initdb...)
	os.Remove(filepath.Join(dir, "pwfile"))
	if err != nil {
		return c, err
	}
	if err = os.Mkdir(c.sockDir(), 0o700); err == nil && c.cred != nil {
		err = os.Chown(c.sockDir(), int(c.cred.Uid), int(c.cred.Gid))
	}
	if err != nil {
		return c, err
	}
	if c.Port, err = freePort(); err != nil {
		return c, err
	}
	settings := map[string]string{
		"port":                    strconv.Itoa(c.Port),
		"listen_addresses":        "127.0.0.1",
		"unix_socket_directories": c.sockDir(),
		"fsync":                   "off",
		"synchronous_commit":      "off",
		"full_page_writes":        "off",
	}
	for k, v := range opts.Settings {
		settings[k] = v
	}
	var o []string
	for k, v := range settings {
		o = append(o, fmt.Sprintf("-c %s=%s", k, v))
	}
	c.options = strings.Join(o, " ")
	return c, c.start(ctx)
}

// start starts the server on the data directory with the cluster's
// settings. pg_ctl detaches the server from our process group, so an
// interrupt of this program reaches the server only through Stop.
func (c *Cluster) start(ctx context.Context) error {
	if err := c.run(ctx, "pg_ctl", "-D", c.dataDir(), "-l", c.logFile(), "-w", "-t", "60", "-o", c.options, "start"); err != nil {
		return fmt.Errorf("%w; server log:\n%s", err, c.logTail())
	}
	return nil
}

// Halt shuts the server down (fast: open sessions are ended) and keeps
// its data directory, for Restart: a test of what clients do while the
// database is gone.
func (c *Cluster) Halt(ctx context.Context) error {
	return c.run(ctx, "pg_ctl", "-D", c.dataDir(), "-m", "fast", "-w", "-t", "50", "stop")
}

// Restart starts the server again after Halt, on the same data
// directory, port and settings.
func (c *Cluster) Restart(ctx context.Context) error {
	return c.start(ctx)
}

// DSN is the connection string of a database of the cluster, as its
// superuser over TCP on loopback, with the password when the cluster has
// one.
func (c *Cluster) DSN(database string) string {
	user := User
	if c.password != "" {
		user = url.UserPassword(User, c.password).String()
	}
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", user, c.Port, database)
}

// PID is the server's (postmaster's) process id, 0 when unknown.
func (c *Cluster) PID() int {
	b, err := os.ReadFile(filepath.Join(c.dataDir(), "postmaster.pid"))
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(line))
	return pid
}

// Psql runs psql on the database with the script on stdin, stopping at the
// first error.
func (c *Cluster) Psql(ctx context.Context, database string, script io.Reader) error {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
		"-h", "127.0.0.1", "-p", strconv.Itoa(c.Port), "-U", User, "-d", database, "-f", "-")
	var stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = script, c.log, &stderr
	cmd.Env = c.psqlEnv()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("psql: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// Query runs one SQL statement on the database with psql and returns its
// output, unaligned and without headers: a single value is just the value.
func (c *Cluster) Query(ctx context.Context, database, sql string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, "psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
		"-h", "127.0.0.1", "-p", strconv.Itoa(c.Port), "-U", User, "-d", database, "-c", sql)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = c.psqlEnv()
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("psql: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// Stop shuts the server down (fast: open sessions are ended) and removes
// its directory. It is safe to call more than once.
func (c *Cluster) Stop() error {
	c.once.Do(func() {
		if _, err := os.Stat(filepath.Join(c.dataDir(), "postmaster.pid")); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			c.err = c.run(ctx, "pg_ctl", "-D", c.dataDir(), "-m", "fast", "-w", "-t", "50", "stop")
			cancel()
			if c.err != nil {
				// The last resort: the postmaster ends its backends on
				// SIGQUIT.
				if pid := c.PID(); pid > 0 {
					syscall.Kill(pid, syscall.SIGQUIT)
				}
			}
		}
		if err := os.RemoveAll(c.Dir); err != nil && c.err == nil {
			c.err = err
		}
	})
	return c.err
}

// psqlEnv is psql's environment: ours, with the password when the
// cluster has one.
func (c *Cluster) psqlEnv() []string {
	if c.password == "" {
		return nil // the process's own
	}
	return append(os.Environ(), "PGPASSWORD="+c.password)
}

func (c *Cluster) dataDir() string { return filepath.Join(c.Dir, "data") }
func (c *Cluster) sockDir() string { return filepath.Join(c.Dir, "sock") }
func (c *Cluster) logFile() string { return filepath.Join(c.Dir, "server.log") }

// run runs a server program as the cluster's owner.
func (c *Cluster) run(ctx context.Context, program string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, program), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&out, c.log), io.MultiWriter(&out, c.log)
	cmd.Dir = c.Dir
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
		cmd.Env = append(os.Environ(), "HOME="+c.Dir)
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", program, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// logTail is the end of the server log, for errors.
func (c *Cluster) logTail() string {
	b, err := os.ReadFile(c.logFile())
	if err != nil {
		return "(no log)"
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

func credential(name string) (*syscall.Credential, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL needs the %s user: %w", name, err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// freePort asks the kernel for a free loopback port. Another process could
// take it before the server binds it; Start then fails and says so.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
