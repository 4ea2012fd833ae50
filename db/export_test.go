package db

import "database/sql"

// IncrementalWrites returns how many changesets s wrote as a difference of
// rows rather than by replacing the tables.
func IncrementalWrites(s *Store) int64 { return s.increments.Load() }

// ChangesetPragmas returns foreign_keys and synchronous of the changeset
// connection, opening it as Revise does, and foreign_keys of the write
// connection.
func ChangesetPragmas(s *Store) (foreignKeys, synchronous, writeForeignKeys int, err error) {
	reviseMu.Lock()
	defer reviseMu.Unlock()
	c, err := s.changesetConn()
	if err != nil {
		return 0, 0, 0, err
	}
	if err := c.QueryRow(`PRAGMA foreign_keys`).Scan(&foreignKeys); err != nil {
		return 0, 0, 0, err
	}
	if err := s.write.QueryRow(`PRAGMA foreign_keys`).Scan(&writeForeignKeys); err != nil {
		return 0, 0, 0, err
	}
	err = c.QueryRow(`PRAGMA synchronous`).Scan(&synchronous)
	return foreignKeys, synchronous, writeForeignKeys, err
}

// SetMemoList sets the most rows of one search or timeline list the memo
// keeps (its default when 0).
func SetMemoList(s *Store, n int) {
	s.memo.mu.Lock()
	defer s.memo.mu.Unlock()
	s.memo.list = n
}

// OpenSQL opens the database at path with no store around it (openSQL).
func OpenSQL(path string) (*sql.DB, error) { return openSQL(path) }
