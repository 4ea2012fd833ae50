package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/investgraph/investgraph/export"
)

// runExport is `investgraph export`: it writes the graph, or its asOf view,
// in one of the export formats to stdout or a file, from the database
// -db names (created and seeded when missing, as the server does).
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("investgraph export", flag.ContinueOnError)
	format := fs.String("format", "", "ftm (FollowTheMoney JSON lines), csv (one row per project) or graphml")
	dbPath := fs.String("db", "investgraph.db", "SQLite database file, created and seeded if missing")
	asOf := fs.String("asof", "", "export the graph as the sources published up to this date reported, e.g. 2023-12-31, 2024-Q3 or 2024 (default: everything)")
	out := fs.String("o", "", "write to this file instead of stdout")
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fmt.Fprintf(stdout, "Usage: investgraph export -format ftm|csv|graphml [flags]\n\nWrites the graph in a format other tools read.\n\nFlags:\n")
		fs.PrintDefaults()
		return err
	} else if err != nil {
		return fmt.Errorf("export: %w (investgraph export -h lists the flags)", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("export: unexpected arguments %q", fs.Args())
	}
	if *format == "" {
		return errors.New("export: -format is required: ftm, csv or graphml")
	}
	f, err := export.FormatByName(*format)
	if err != nil {
		return fmt.Errorf("export: -format: %w", err)
	}
	store, err := openStore(ctx, config{dbPath: *dbPath}, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer store.Close()
	g, err := export.Fetch(ctx, store, *asOf)
	if err != nil {
		return fmt.Errorf("export: -asof: %w", err)
	}
	if *out == "" {
		return f.Write(stdout, g)
	}
	// Written beside the target and renamed into place, so that a failed
	// export leaves no half-written file under the name.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".investgraph-export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := f.Write(tmp, g); err != nil {
		tmp.Close()
		return fmt.Errorf("export: write %s: %w", *out, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export: write %s: %w", *out, err)
	}
	return os.Rename(tmp.Name(), *out)
}
