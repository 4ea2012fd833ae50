package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/investgraph/investgraph/export"
	"github.com/investgraph/investgraph/seed"
)

// runExport is `investgraph export`: it writes the graph, or its asOf view,
// in one of the export formats to stdout or a file, from the database
// -db names (created and seeded when missing, as the server does).
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("investgraph export", flag.ContinueOnError)
	format := fs.String("format", "", "ftm (FollowTheMoney JSON lines), csv (one row per project), graphml, or seed (seed YAML files, one per source, into -out)")
	dbPath := fs.String("db", "investgraph.db", "SQLite database file, created and seeded if missing, or postgres:// URL")
	asOf := fs.String("asof", "", "export the graph as the sources published up to this date reported, e.g. 2023-12-31, 2024-Q3 or 2024 (default: everything)")
	out := fs.String("o", "", "write to this file instead of stdout")
	outDir := fs.String("out", "", "with -format seed: the directory to write the seed files into, new or empty")
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fmt.Fprintf(stdout, "Usage: investgraph export -format ftm|csv|graphml [flags]\n       investgraph export -format seed -out DIR [-db FILE]\n\nWrites the graph in a format other tools read.\n\nFlags:\n")
		fs.PrintDefaults()
		return err
	} else if err != nil {
		return fmt.Errorf("export: %w (investgraph export -h lists the flags)", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("export: unexpected arguments %q", fs.Args())
	}
	path, err := sqliteLocation("-db", *dbPath)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	*dbPath = path
	if *format == "" {
		return errors.New("export: -format is required: ftm, csv, graphml or seed")
	}
	if *format == "seed" {
		switch {
		case *outDir == "":
			return errors.New("export: -format seed needs -out DIR, the directory to write the files into")
		case *out != "":
			return errors.New("export: -format seed writes a directory: give -out DIR instead of -o")
		case *asOf != "":
			return errors.New("export: -format seed writes the whole graph, so that it can be loaded again; -asof does not apply")
		}
		return exportSeed(ctx, *dbPath, *outDir, stderr)
	}
	if *outDir != "" {
		return fmt.Errorf("export: -out is for -format seed; write %s to a file with -o", *format)
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

// exportSeed writes the graph of the database at dbPath as seed files into
// dir, all of them or none: they are written into a new directory beside
// it, which is then renamed to dir. dir must not exist or be empty.
func exportSeed(ctx context.Context, dbPath, dir string, stderr io.Writer) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("export: -out %s is not empty: give a new or empty directory, so that no old file is mixed with the new ones", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("export: -out: %w", err)
	}
	store, err := openStore(ctx, config{dbPath: dbPath}, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer store.Close()
	d, err := store.Dataset(ctx)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	docs, err := seed.Export(d)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(dir)), ".investgraph-seed-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.RemoveAll(tmp)
	for _, doc := range docs {
		if err := os.WriteFile(filepath.Join(tmp, doc.Name), doc.Text, 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("export: -out: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stderr, "wrote %d seed files to %s\n", len(docs), dir)
	return nil
}
