package db

import (
	"context"
	"database/sql"
	"fmt"
)

// derivedStatements recompute what is derived from the replaced data: the
// first-reported dates behind "as of" reads and the full-text index. They
// run inside Replace's transaction.
var derivedStatements = []string{
	firstReported("companies", "company"),
	firstReported("people", "person"),
	firstReported("projects", "project"),
	firstReported("meetings", "meeting"),
	firstReported("agreements", "agreement"),
	firstReported("positions", "position"),
	firstReported("project_participants", "participant"),
	reported("measurements"),
	reported("milestones"),
	reported("amounts"),
	`DELETE FROM search`,
	// Each row: a kind, the entity's id, when it was first reported, its name
	// and a body of everything else worth finding it by.
	`INSERT INTO search (kind, subject_id, reported, name, body)
	SELECT 'COMPANY', x.id, x.first_reported, x.name,
		concat_ws(' ', (SELECT group_concat(n.name, ' ') FROM names n WHERE n.subject = 'company' AND n.subject_id = x.id AND n.alias = 1),
			x.description, x.headquarters, x.kind)
	FROM companies x`,
	`INSERT INTO search (kind, subject_id, reported, name, body)
	SELECT 'PERSON', x.id, x.first_reported, x.name,
		concat_ws(' ', (SELECT group_concat(n.name, ' ') FROM names n WHERE n.subject = 'person' AND n.subject_id = x.id AND n.alias = 1),
			x.description, (SELECT group_concat(p.title, ' ') FROM positions p WHERE p.person_id = x.id))
	FROM people x`,
	`INSERT INTO search (kind, subject_id, reported, name, body)
	SELECT 'PROJECT', x.id, x.first_reported, x.name,
		concat_ws(' ', (SELECT group_concat(n.name, ' ') FROM names n WHERE n.subject = 'project' AND n.subject_id = x.id AND n.alias = 1),
			x.description, x.region, replace(x.sector, '_', ' '))
	FROM projects x`,
	`INSERT INTO search (kind, subject_id, reported, name, body)
	SELECT 'MEETING', x.id, x.first_reported,
		(SELECT group_concat(p.name, ', ') FROM meeting_participants l JOIN people p ON p.id = l.person_id WHERE l.meeting_id = x.id),
		concat_ws(' ', x.location, x.occasion, x.summary,
			(SELECT group_concat(t.topic, ' ') FROM meeting_topics t WHERE t.meeting_id = x.id))
	FROM meetings x`,
	`INSERT INTO search (kind, subject_id, reported, name, body)
	SELECT 'AGREEMENT', x.id, x.first_reported, x.title, concat_ws(' ', x.summary, replace(x.kind, '_', ' '))
	FROM agreements x`,
	`INSERT INTO search (kind, subject_id, reported, name, body)
	SELECT 'SOURCE', x.id, x.published_start, x.title, concat_ws(' ', x.publisher, x.attribution)
	FROM sources x`,
}

// firstReported sets each row's first_reported to the earliest publication
// date among its citations, in one grouped pass over the citations. Rows
// without citations keep the column's default ”.
func firstReported(table, subject string) string {
	return `UPDATE ` + table + ` SET first_reported = f.first FROM (
		SELECT c.subject_id AS id, min(s.published_start) AS first
		FROM citations c JOIN sources s ON s.id = c.source_id
		WHERE c.subject = '` + subject + `' GROUP BY c.subject_id) AS f
		WHERE ` + table + `.id = f.id`
}

func reported(table string) string {
	return `UPDATE ` + table + ` SET reported = (SELECT s.published_start FROM sources s WHERE s.id = ` + table + `.source_id)`
}

// rebuildDerived runs derivedStatements in tx.
func rebuildDerived(ctx context.Context, tx *sql.Tx) error {
	for _, q := range derivedStatements {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("rebuild derived data: %w", err)
		}
	}
	return nil
}

type asOfKey struct{}

// noCutoff is later than any date, so unrestricted reads share the SQL text
// of restricted ones.
const noCutoff = "9999-12-31"

// WithAsOf restricts the store's reads under ctx to what sources published
// on or before d (its last day, for a month, quarter or year) reported.
func WithAsOf(ctx context.Context, d PartialDate) context.Context {
	return context.WithValue(ctx, asOfKey{}, d)
}

// AsOf returns the cutoff set by WithAsOf, if any.
func AsOf(ctx context.Context) (PartialDate, bool) {
	d, ok := ctx.Value(asOfKey{}).(PartialDate)
	return d, ok
}

// cutoff returns the last day reads under ctx may see.
func cutoff(ctx context.Context) string {
	if d, ok := AsOf(ctx); ok {
		return d.End()
	}
	return noCutoff
}
