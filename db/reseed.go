package db

import (
	"context"
	"fmt"
)

// RevisionsHeldError is Reseed's refusal to drop the revisions of a
// database; it is an ECONFLICT error.
type RevisionsHeldError struct {
	Path  string
	Count int
}

func (e *RevisionsHeldError) Error() string {
	return fmt.Sprintf("database %q holds %d revision(s) made through the API, which reseeding would drop", e.Path, e.Count)
}

// Unwrap makes the refusal an ECONFLICT *Error to errors.As and ErrorCode.
func (e *RevisionsHeldError) Unwrap() error { return &Error{Code: ECONFLICT, Message: e.Error()} }

// Reseed replaces the graph with d, as Replace does, in a database that
// may hold revisions made through the API. Those revisions are the only
// record of what their changesets added, and a graph reseeded from files
// no longer holds that data, so Reseed refuses, with a *RevisionsHeldError
// that says how many it would drop, changing nothing, unless
// dropRevisions is set; then the revisions are deleted in the same
// transaction as the graph is replaced.
func (s *Store) Reseed(ctx context.Context, d *Dataset, dropRevisions bool) error {
	lock, err := s.lockWriter()
	if err != nil {
		return err
	}
	defer lock.Release()
	if err := checkReferences(d); err != nil {
		return fmt.Errorf("reseed: %w", err)
	}
	for _, set := range loadSettings {
		if _, err := s.write.ExecContext(ctx, set[0]); err != nil {
			return fmt.Errorf("reseed: %w", err)
		}
		defer s.write.ExecContext(context.WithoutCancel(ctx), set[1])
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reseed: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM revisions`).Scan(&n); err != nil {
		return fmt.Errorf("reseed: count revisions: %w", err)
	}
	if n > 0 && !dropRevisions {
		return &RevisionsHeldError{Path: s.path, Count: n}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM revision_changes`); err != nil {
		return fmt.Errorf("reseed: drop revisions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM revisions`); err != nil {
		return fmt.Errorf("reseed: drop revisions: %w", err)
	}
	s.written.Store(nil)
	if err := s.replaceIn(ctx, tx, d); err != nil {
		return err
	}
	if err := s.published(ctx, tx, 0, true); err != nil {
		return fmt.Errorf("reseed: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return writeError(s.path, fmt.Errorf("reseed: commit: %w", err))
	}
	s.version.Add(1)
	return nil
}
