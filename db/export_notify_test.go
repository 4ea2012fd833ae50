package db

// ListenRevisions starts a revision listener on dsn, as a PostgreSQL store
// does, and returns how to stop it and how many times it has listened.
func ListenRevisions(dsn string, follow func(payload string)) (stop func(), connects func() int64) {
	l := listenRevisions(dsn, follow)
	return l.stop, l.connects.Load
}
