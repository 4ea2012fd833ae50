package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// derivedStatements recompute what is derived from the replaced data, once
// its rows and indexes are written with their first-reported dates (see
// reportDates): the deal facts behind money summaries, the full-text index
// and the statistics queries are priced by. They run inside Replace's
// transaction.
var derivedStatements = slices.Concat(dealFactsStatements, searchStatements, statisticsStatements)

// dealFactsStatements fill deal_facts (see migration 0003), which also runs
// them once over the data it finds.
var dealFactsStatements = []string{
	`DELETE FROM deal_facts`,
	`INSERT INTO deal_facts (fact, agreement, deal_id, value, reported)
	SELECT 'year', 1, x.id, substr(x.signed_start, 1, 4), x.first_reported FROM agreements x
	WHERE x.signed_start IS NOT NULL AND x.id IN (SELECT agreement_id FROM amounts WHERE agreement_id IS NOT NULL)`,
	`INSERT INTO deal_facts (fact, agreement, deal_id, value, name, country, reported)
	SELECT 'party', 1, l.agreement_id, c.slug, c.name, coalesce(c.country, ''), c.first_reported
	FROM agreement_parties l JOIN companies c ON c.id = l.company_id
	WHERE l.agreement_id IN (SELECT agreement_id FROM amounts WHERE agreement_id IS NOT NULL)`,
	`INSERT INTO deal_facts (fact, agreement, deal_id, value, reported)
	SELECT 'sector', 1, l.agreement_id, p.sector, min(p.first_reported)
	FROM agreement_projects l JOIN projects p ON p.id = l.project_id
	WHERE l.agreement_id IN (SELECT agreement_id FROM amounts WHERE agreement_id IS NOT NULL)
	GROUP BY l.agreement_id, p.sector`,
	`INSERT INTO deal_facts (fact, agreement, deal_id, value, reported)
	SELECT 'project', 1, l.agreement_id, CAST(l.project_id AS TEXT), ''
	FROM agreement_projects l
	WHERE l.agreement_id IN (SELECT agreement_id FROM amounts WHERE agreement_id IS NOT NULL)
		AND EXISTS (SELECT 1 FROM amounts a WHERE a.project_id = l.project_id)`,
	`INSERT INTO deal_facts (fact, agreement, deal_id, value, reported)
	SELECT 'sector', 0, x.id, x.sector, x.first_reported FROM projects x
	WHERE x.id IN (SELECT project_id FROM amounts WHERE project_id IS NOT NULL)`,
	`INSERT INTO deal_facts (fact, agreement, deal_id, value, name, country, reported)
	SELECT 'party', 0, l.project_id, c.slug, c.name, coalesce(c.country, ''), min(l.first_reported)
	FROM project_participants l JOIN companies c ON c.id = l.company_id
	WHERE l.project_id IN (SELECT project_id FROM amounts WHERE project_id IS NOT NULL)
	GROUP BY l.project_id, l.company_id`,
}

// searchStatements fill the full-text index.
var searchStatements = []string{
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

// rebuildDerived runs derivedStatements in tx.
func rebuildDerived(ctx context.Context, tx *sql.Tx) error {
	return execAll(ctx, tx, derivedStatements)
}

// execAll runs statements in tx, in order.
func execAll(ctx context.Context, tx *sql.Tx, statements []string) error {
	for _, q := range statements {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("derived data: %w", err)
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
