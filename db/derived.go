package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// derivedStatements recompute what is derived from the replaced data, once
// its rows and indexes are written with their first-reported dates (see
// reportDates): the days from which rows are visible, the deal facts behind
// money summaries, the full-text index and the statistics queries are
// priced by. They run inside Replace's transaction. First the facts' keys,
// which retractions name facts by; then the visibility days, of which those
// of retracted facts are marked (see retractionStatements); then what is
// computed from those days.
var derivedStatements = slices.Concat(factKeyStatements, visibilityStatements, retractionStatements, dealFactsStatements, searchStatements,
	statisticsStatements)

// visibilityStatements decide, in one place, from which day each row is
// visible to reads as of a date (see WithAsOf); every read compares that
// day, the row's first_reported or reported column, with the cutoff. An
// object (company, person, project, meeting, agreement) is visible from the
// first day a source reports it. A relation is visible once it and both its
// ends are: a position from the latest of its own first report, its
// person's and its organization's; a participation likewise with its project
// and company; a figure, milestone or amount from the latest of its report
// and its owner's. Relations without citations of their own (an
// agreement's parties, a meeting's participants, a company's parent, an
// agreement's meeting) are reported by the object that holds them, so
// reads keep them when both ends are visible. The statements only ever
// raise a day, so running them twice changes nothing. A retracted fact's
// day is then marked so that it is later than every cutoff
// (retractionStatements): every read that compares the day leaves it out,
// counts, money, timelines, search and neighborhoods alike.
var visibilityStatements = []string{
	`UPDATE positions SET first_reported = max(first_reported,
		(SELECT p.first_reported FROM people p WHERE p.id = positions.person_id),
		(SELECT c.first_reported FROM companies c WHERE c.id = positions.organization_id))`,
	`UPDATE project_participants SET first_reported = max(first_reported,
		(SELECT p.first_reported FROM projects p WHERE p.id = project_participants.project_id),
		(SELECT c.first_reported FROM companies c WHERE c.id = project_participants.company_id))`,
	`UPDATE measurements SET reported = max(reported, coalesce(
		(SELECT c.first_reported FROM companies c WHERE c.id = measurements.company_id),
		(SELECT p.first_reported FROM projects p WHERE p.id = measurements.project_id)))`,
	`UPDATE milestones SET reported = max(reported,
		(SELECT p.first_reported FROM projects p WHERE p.id = milestones.project_id))`,
	`UPDATE amounts SET reported = max(reported, coalesce(
		(SELECT p.first_reported FROM projects p WHERE p.id = amounts.project_id),
		(SELECT a.first_reported FROM agreements a WHERE a.id = amounts.agreement_id)))`,
	// A statement is a relation between its speaker and what it reports:
	// visible once its paragraph and its speaker are reported.
	`UPDATE statements SET reported = max(reported,
		(SELECT p.first_reported FROM people p WHERE p.id = statements.speaker_id))`,
}

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
	GROUP BY l.project_id, c.id`,
}

// searchStatements fill the full-text index. Each row: a kind, the
// entity's id, the days from which and until which (NULL: for good) the row
// is the entity's text, its name and a body of everything else worth
// finding it by, its parts in the order of their keys (as SQLite reads
// them, and PostgreSQL too when told). An entity whose text depends on
// relations reported later than itself has one row per day its text
// changes, so that a search as of
// a date matches the text visible on that date, and only once.
var searchStatements = []string{
	`DELETE FROM search`,
	`INSERT INTO search (kind, subject_id, reported, name, body)
	SELECT 'COMPANY', x.id, x.first_reported, x.name,
		concat_ws(' ', (SELECT group_concat(n.name, ' ' ORDER BY n.name) FROM names n WHERE n.subject = 'company' AND n.subject_id = x.id AND n.alias = 1),
			x.description, x.headquarters, x.kind)
	FROM companies x`,
	// A person's text grows with the positions reported: one row per day it
	// changes, visible from that day until the next.
	`INSERT INTO search (kind, subject_id, reported, until, name, body)
	WITH v AS (SELECT x.id, x.first_reported AS day FROM people x
		UNION SELECT p.person_id, p.first_reported FROM positions p),
	w AS (SELECT id, day, lead(day) OVER (PARTITION BY id ORDER BY day) AS until FROM v)
	SELECT 'PERSON', x.id, w.day, w.until, x.name,
		concat_ws(' ', (SELECT group_concat(n.name, ' ' ORDER BY n.name) FROM names n WHERE n.subject = 'person' AND n.subject_id = x.id AND n.alias = 1),
			x.description, (SELECT group_concat(p.title, ' ' ORDER BY p.reported_start, p.id) FROM positions p WHERE p.person_id = x.id AND p.first_reported <= w.day))
	FROM w JOIN people x ON x.id = w.id`,
	`INSERT INTO search (kind, subject_id, reported, name, body)
	SELECT 'PROJECT', x.id, x.first_reported, x.name,
		concat_ws(' ', (SELECT group_concat(n.name, ' ' ORDER BY n.name) FROM names n WHERE n.subject = 'project' AND n.subject_id = x.id AND n.alias = 1),
			x.description, x.region, replace(x.sector, '_', ' '))
	FROM projects x`,
	// A meeting is named by its participants, each from the day both the
	// meeting and the person are reported.
	`INSERT INTO search (kind, subject_id, reported, until, name, body)
	WITH v AS (SELECT x.id, x.first_reported AS day FROM meetings x
		UNION SELECT l.meeting_id, max(m.first_reported, p.first_reported)
		FROM meeting_participants l JOIN meetings m ON m.id = l.meeting_id JOIN people p ON p.id = l.person_id),
	w AS (SELECT id, day, lead(day) OVER (PARTITION BY id ORDER BY day) AS until FROM v)
	SELECT 'MEETING', x.id, w.day, w.until,
		(SELECT group_concat(p.name, ', ' ORDER BY l.person_id) FROM meeting_participants l JOIN people p ON p.id = l.person_id
			WHERE l.meeting_id = x.id AND p.first_reported <= w.day),
		concat_ws(' ', x.location, x.occasion, x.summary,
			(SELECT group_concat(t.topic, ' ' ORDER BY t.position) FROM meeting_topics t WHERE t.meeting_id = x.id))
	FROM w JOIN meetings x ON x.id = w.id`,
	`INSERT INTO search (kind, subject_id, reported, name, body)
	SELECT 'AGREEMENT', x.id, x.first_reported, x.title, concat_ws(' ', x.summary, replace(x.kind, '_', ' '))
	FROM agreements x`,
	`INSERT INTO search (kind, subject_id, reported, name, body)
	SELECT 'SOURCE', x.id, x.published_start, x.title, concat_ws(' ', x.publisher, x.attribution)
	FROM sources x`,
	// A statement is found by its speaker's name and its summary, from the
	// day it is visible.
	`INSERT INTO search (kind, subject_id, reported, name, body)
	SELECT 'STATEMENT', x.id, x.reported, p.name, x.summary
	FROM statements x JOIN people p ON p.id = x.speaker_id`,
	`INSERT INTO search (kind, subject_id, reported, name, body)
	SELECT 'EVENT', x.id, x.first_reported, x.name, concat_ws(' ', x.description, x.location, replace(x.kind, '_', ' '))
	FROM events x`,
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
