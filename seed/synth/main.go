// Command synth writes a synthetic investment graph of a given size into a
// database, for benchmarks at scale: the built-in seed, unchanged, plus
// generated companies, people, projects, meetings, agreements and sources
// with their relations, figures and citations in the seed's proportions and
// with skewed degrees (a few hub organizations and officials, many small
// ones). The same -seed gives the same graph. The database is written
// beside the file and renamed into place (db.LoadNew), fast and without a
// write-ahead log, so that a run killed at any moment leaves the old file or
// the new one; a database that a server has open has its data replaced in
// place instead (db.Store.Replace), in one transaction.
//
// Facts cite random sources, so many are reported before the objects they
// belong to are (which the seed's loader never does). -early-facts P makes
// this deliberate: P percent of the relations (participants, positions) and
// figures (measurements, milestones, amounts) are cited first by a source
// published before one of their objects is first reported, for tests of
// what a store shows as of a date.
//
//	go run ./seed/synth -entities 1000000 -db synth-1m.db
//	go run ./seed/synth -entities 10000 -early-facts 50 -db s10k-early.db
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "synth:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	entities := fs.Int64("entities", 10000, "total entities (companies, people, projects, meetings, agreements, sources), the seed's included")
	seedValue := fs.Uint64("seed", 1, "random seed; the same seed gives the same graph")
	path := fs.String("db", "", "database file to write (created if missing, its data replaced)")
	early := fs.Int("early-facts", 0, "percent (0 to 100) of relations and figures cited first by a source published before one of their objects is first reported")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *path == "" || fs.NArg() > 0 {
		return errors.New("usage: synth -entities N -db FILE [-seed S] [-early-facts P]")
	}
	if *early < 0 || *early > 100 {
		return fmt.Errorf("-early-facts must be a percent from 0 to 100, got %d", *early)
	}

	// The write lock is taken first, so that a second writer is refused
	// before it spends time generating.
	lock, err := db.LockWriter(*path)
	if err != nil {
		return err
	}
	defer lock.Release()
	start := time.Now()
	d, err := build(*entities, *seedValue, *early)
	if err != nil {
		return err
	}
	generated := time.Since(start)

	loadStart := time.Now()
	if err := db.LoadNew(ctx, *path, d); errors.Is(err, db.ErrOpenElsewhere) {
		// A server has the file open: its data is replaced in place, in one
		// transaction its readers see whole.
		if err := replace(ctx, *path, d); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	loaded := time.Since(loadStart)

	fmt.Fprintf(out, "%s: %d entities (%d companies, %d people, %d projects, %d meetings, %d agreements, %d sources), %d relation rows\n",
		*path, entityCount(d), len(d.Companies), len(d.People), len(d.Projects), len(d.Meetings), len(d.Agreements),
		len(d.Sources), relationCount(d))
	fmt.Fprintf(out, "generate %v, load %v, total %v\n", generated.Round(time.Millisecond),
		loaded.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	return nil
}

// replace replaces the data of the database at path with d in place.
func replace(ctx context.Context, path string, d *db.Dataset) error {
	store, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	defer store.Close()
	return store.Replace(ctx, d)
}

// build returns the seed's dataset grown to n entities, early percent of the
// generated facts cited early on purpose.
func build(n int64, randomSeed uint64, early int) (*db.Dataset, error) {
	d, err := seed.Parse(seed.Files())
	if err != nil {
		return nil, err
	}
	if have := int64(entityCount(d)); n > have {
		newGenerator(d, n-have, randomSeed, early).generate()
	}
	return d, nil
}

func entityCount(d *db.Dataset) int {
	return len(d.Companies) + len(d.People) + len(d.Projects) + len(d.Meetings) + len(d.Agreements) + len(d.Sources)
}

func relationCount(d *db.Dataset) int {
	return len(d.Positions) + len(d.Participants) + len(d.Measurements) + len(d.Milestones) + len(d.Amounts) +
		len(d.Names) + len(d.Citations) + len(d.Links) + len(d.Topics)
}
