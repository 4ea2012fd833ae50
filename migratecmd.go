package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/investgraph/investgraph/db"
)

const migrateUsage = `Usage: investgraph migrate -from investgraph.db -to postgres://USER:PASSWORD@HOST:PORT/DATABASE [-force]

Copies everything an SQLite database holds into a PostgreSQL database: the
graph, the revisions and their changes, the retractions, the tokens (their
hashes: the tokens themselves keep working) and the source texts. The
target's tables are created as a server would create them. It refuses a
target that holds data, saying what it found, unless -force, which replaces
that data. The copy is one transaction: it is all there or not at all. At
the end it compares the row count of every table with the source's and
prints them.

Flags:
`

// runMigrate is investgraph migrate: it copies an SQLite database into a
// PostgreSQL one (migrateTables) and prints the row counts it verified.
func runMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("investgraph migrate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	from := fs.String("from", "", "the SQLite database file to copy (it is only read)")
	to := fs.String("to", "", "the PostgreSQL database to copy into, as postgres://USER:PASSWORD@HOST:PORT/DATABASE")
	force := fs.Bool("force", false, "replace the data the target holds instead of refusing it")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, migrateUsage)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return err
	} else if err != nil {
		return fmt.Errorf("migrate: %w (investgraph migrate -h shows the usage)", err)
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("migrate: unexpected arguments %q", fs.Args())
	case *from == "":
		return errors.New("migrate: -from is required: the SQLite database file to copy")
	case *to == "":
		return errors.New("migrate: -to is required: the PostgreSQL database to copy into, postgres://USER:PASSWORD@HOST:PORT/DATABASE")
	case isPostgres(*from):
		return errors.New("migrate: -from is an SQLite database file; the PostgreSQL database goes in -to")
	case !isPostgres(*to):
		return fmt.Errorf("migrate: -to %q is not a PostgreSQL URL; want postgres://USER:PASSWORD@HOST:PORT/DATABASE", *to)
	}
	path, err := sqliteLocation("-from", *from)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	*from = path
	if st, err := os.Stat(*from); err != nil {
		return fmt.Errorf("migrate: -from %s: %w", *from, err)
	} else if st.IsDir() {
		return fmt.Errorf("migrate: -from %s is a directory; want an SQLite database file", *from)
	}
	counts, err := migrate(ctx, *from, *to, *force)
	if err != nil {
		return scrub(fmt.Errorf("migrate: %w", err), dsnPassword(*to))
	}
	fmt.Fprintf(stdout, "copied %s into %s; row counts, the same in both:\n", *from, db.RedactDSN(*to))
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	total := int64(0)
	for _, c := range counts {
		fmt.Fprintf(tw, "%s\t%d\t\n", c.Table, c.Rows)
		total += c.Rows
	}
	fmt.Fprintf(tw, "%d tables\t%d\t\n", len(counts), total)
	return tw.Flush()
}

// migrate opens both databases as the server would, which brings each
// schema up to date (and checks that the target can be reached), then
// copies the tables (db.CopyToPostgres).
func migrate(ctx context.Context, from, to string, force bool) ([]db.TableCount, error) {
	src, err := db.Open(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("-from %s: %w", from, err)
	}
	if err := src.Close(); err != nil {
		return nil, fmt.Errorf("-from %s: %w", from, err)
	}
	dst, err := openPlain(ctx, to)
	if err != nil {
		return nil, fmt.Errorf("-to: %w", err)
	}
	if err := dst.Close(); err != nil {
		return nil, fmt.Errorf("-to %s: %w", db.RedactDSN(to), err)
	}
	return db.CopyToPostgres(ctx, from, to, force)
}
