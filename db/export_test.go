package db

// IncrementalWrites returns how many changesets s wrote as a difference of
// rows rather than by replacing the tables.
func IncrementalWrites(s *Store) int64 { return s.increments.Load() }
