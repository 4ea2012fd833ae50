package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// openStore opens the database and seeds it when it is empty or -reseed
// asks. It runs once the addresses are bound. -reseed takes the write lock
// before it opens the file, so that another process writing the database
// refuses it at once and nothing is changed; a seed that fails leaves the
// data as it was (Replace is one transaction). A corrupt file with -reseed
// is rebuilt beside it and renamed into place (db.LoadNew). The lock is
// released once seeded: a serving server only reads, and leaves other
// servers and writers the file.
//
// A postgres:// URL opens a PostgreSQL store instead (openPostgres).
func openStore(ctx context.Context, cfg config, logger *slog.Logger) (*db.Store, error) {
	if isPostgres(cfg.dbPath) {
		store, err := openPostgres(ctx, cfg, logger)
		return store, scrub(err, dsnPassword(cfg.dbPath))
	}
	if cfg.reseed {
		lock, err := db.LockWriter(cfg.dbPath)
		if err != nil {
			return nil, err
		}
		defer lock.Release()
	}
	store, err := db.Open(ctx, cfg.dbPath)
	if cfg.reseed && errors.Is(err, db.ErrCorrupt) {
		logger.Warn("database is corrupt: rebuilding it with the built-in seed", "db", cfg.dbPath, "error", err)
		d, perr := seed.Parse(seed.Files())
		if perr != nil {
			return nil, perr
		}
		if err := db.LoadNew(ctx, cfg.dbPath, d); err != nil {
			return nil, err
		}
		logger.Info("seeded database", "db", cfg.dbPath, "reseed", true, "rebuilt", true)
		return db.Open(ctx, cfg.dbPath)
	}
	if err != nil {
		return nil, err
	}
	return seedIfAsked(ctx, store, cfg, logger)
}

// openPostgres opens the PostgreSQL store of the URL in -db and seeds it
// as openStore does a file. It first connects once (checkPostgres), so
// that a server that cannot be reached or refuses the connection gets an
// error naming it and the cause. What openStore does around the file is
// not needed: PostgreSQL serializes writers itself, and Reseed is one
// transaction there too, so no write lock is taken; and there is no file
// to find corrupt and rebuild beside itself, so a database the store
// cannot open is an error to fix on the server.
func openPostgres(ctx context.Context, cfg config, logger *slog.Logger) (*db.Store, error) {
	if err := checkPostgres(ctx, cfg.dbPath); err != nil {
		return nil, err
	}
	store, err := db.Open(ctx, cfg.dbPath)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", db.RedactDSN(cfg.dbPath), err)
	}
	return seedIfAsked(ctx, store, cfg, logger)
}

// seedIfAsked loads the built-in seed into store when it is empty or
// -reseed asks, and closes it on failure.
func seedIfAsked(ctx context.Context, store *db.Store, cfg config, logger *slog.Logger) (*db.Store, error) {
	empty, err := store.IsEmpty(ctx)
	if err == nil && (empty || cfg.reseed) {
		var d *db.Dataset
		if d, err = seed.Parse(seed.Files()); err == nil {
			err = store.Reseed(ctx, d, cfg.dropRevisions)
		}
		var held *db.RevisionsHeldError
		if errors.As(err, &held) {
			err = fmt.Errorf("%w: pass -reseed-drop-revisions as well to drop them, or first save them as seed files with investgraph export -format seed -out DIR", err)
		}
		if err == nil {
			logger.Info("seeded database", "db", displayDB(cfg.dbPath), "reseed", cfg.reseed, "dropped_revisions", cfg.dropRevisions)
		}
	}
	if err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}
