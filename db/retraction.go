package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// FactType names a kind of fact that can be retracted, as the API's type
// of it.
type FactType string

// The kinds of facts a retraction can withdraw.
const (
	FactPosition    FactType = "Position"
	FactParticipant FactType = "ProjectParticipant"
	FactMeasurement FactType = "Measurement"
	FactMilestone   FactType = "Milestone"
	FactAmount      FactType = "Amount"
	FactStatement   FactType = "Statement"
	// FactMeetingParticipant is a person's taking part in a meeting, a
	// link of the graph (see Retraction.Link).
	FactMeetingParticipant FactType = "MeetingParticipation"
)

// factTables are the table of each kind of fact, the column that holds its
// key and the column that holds the day from which it is visible.
var factTables = map[FactType][3]string{
	FactPosition:    {"positions", "fact_key", "first_reported"},
	FactParticipant: {"project_participants", "fact_key", "first_reported"},
	FactMeasurement: {"measurements", "fact_key", "reported"},
	FactMilestone:   {"milestones", "fact_key", "reported"},
	FactAmount:      {"amounts", "fact_key", "reported"},
	FactStatement:   {"statements", "slug", "reported"},
}

// FactTypes lists the kinds of facts a retraction can withdraw.
var FactTypes = []FactType{FactPosition, FactParticipant, FactMeasurement, FactMilestone, FactAmount, FactStatement, FactMeetingParticipant}

// FactRef names a fact by its kind and key. The key is made of the slugs
// and fields that identify the fact (see factKeyStatements), so it outlives
// row ids: rebuilding the graph from the same files and revisions gives
// every fact the key it had.
type FactRef struct {
	Type FactType
	Key  string
}

// Retraction withdraws one fact: the revision that did it, why, and the
// paragraph that shows the fact wrong, if one was given. Author and At are
// those of the revision; the store fills them when it reads a retraction.
// A retraction that came with the seed files has no revision (RevisionID
// 0) and carries its own Author and At, which the store keeps.
// A retracted link (a meeting's participant) is not written to its table
// but kept as Link, with the retraction.
type Retraction struct {
	Fact       FactRef
	RevisionID int64
	Reason     string
	Citation   *Citation
	Link       *Link
	Author     string
	At         time.Time
}

// RetractionBody is what a retraction revision records as its body, from
// which rebuilding the graph replays it.
type RetractionBody struct {
	Type      FactType `json:"type"`
	Key       string   `json:"key"`
	Reason    string   `json:"reason"`
	Source    string   `json:"source,omitempty"` // the cited source's slug
	Paragraph int      `json:"paragraph,omitempty"`
}

// ParseRetractionBody decodes the body of a retraction revision.
func ParseRetractionBody(body string) (RetractionBody, error) {
	var b RetractionBody
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return b, fmt.Errorf("retraction body: %w", err)
	}
	if !slices.Contains(FactTypes, b.Type) || b.Key == "" {
		return b, fmt.Errorf("retraction body: no fact of type %q and key %q", b.Type, b.Key)
	}
	return b, nil
}

// Text encodes b as a revision's body.
func (b RetractionBody) Text() string {
	out, _ := json.Marshal(b) // strings and ints always encode
	return string(out)
}

// retractedMark is put before the visibility day of a retracted fact: every
// day, and noCutoff, sorts before it, so that every read that compares the
// day with its cutoff leaves the fact out (see visibilityStatements), and
// reads that show retracted facts strip it (see visibleDay).
const retractedMark = "~"

// factKeyStatements derive the key of every fact from the slugs and fields
// that identify it: a position by person, organization, title and report
// date; a participation by project, company and role (as the seed merges
// them); a figure by what it is about, its metric, label, date and status
// and the paragraph that reports it; a milestone by project, name and
// paragraph; an amount by what it is for, currency, label and paragraph.
// Two facts alike in all of that are told apart by their order, #2 for
// the second. A statement's key is its slug.
var factKeyStatements = factKeys(false)

// factKeyIncrements are factKeyStatements for the facts a changeset wrote
// (writeDifference), whose keys are empty: the keys of positions and
// participants are derived for those alone, and those of figures,
// milestones and amounts for every fact of the same owner, which holds
// the facts a new one may be counted after (#2; as a key names the fact's
// source, which one document brings, those are facts of the same
// changeset, but the owner's are a superset that does not rest on it).
// Ids do not change from one build to the next, so no other key changes.
var factKeyIncrements = factKeys(true)

// factKeys returns factKeyStatements, or with written set
// factKeyIncrements.
func factKeys(written bool) []string {
	own, new := func(string) string { return "" }, ""
	if written {
		new = ` WHERE fact_key = ''`
		// Only the rows of owners with a fact without a key: the owner is
		// the first of the columns that is set, as in the key.
		own = func(owners string) string {
			first, second, two := strings.Cut(owners, " ")
			where := `
				WHERE x.` + first + ` IN (SELECT ` + first + ` FROM {table} WHERE fact_key = '')`
			if two {
				where += `
					OR x.` + first + ` IS NULL AND x.` + second + ` IN (SELECT ` + second + ` FROM {table} WHERE fact_key = '' AND ` + first + ` IS NULL)`
			}
			return where
		}
	}
	changed := func(table string) string {
		if !written {
			return ""
		}
		return ` AND ` + table + `.fact_key <> k.key`
	}
	return []string{
		`UPDATE positions SET fact_key = (SELECT p.slug FROM people p WHERE p.id = positions.person_id) || '|' ||
		(SELECT c.slug FROM companies c WHERE c.id = positions.organization_id) || '|' || title || '|' || reported_on` + new,
		`UPDATE project_participants SET fact_key = (SELECT p.slug FROM projects p WHERE p.id = project_participants.project_id) || '|' ||
		(SELECT c.slug FROM companies c WHERE c.id = project_participants.company_id) || '|' || role` + new,
		`UPDATE measurements SET fact_key = k.key FROM (
		SELECT id, base || CASE WHEN n > 1 THEN '#' || n ELSE '' END AS key
		FROM (SELECT id, base, row_number() OVER (PARTITION BY base ORDER BY id) AS n
			FROM (SELECT x.id, coalesce('company/' || c.slug, 'project/' || p.slug) || '|' || x.metric || '|' || coalesce(x.label, '') || '|' ||
				x.as_of || '|' || x.status || '|' || s.slug || '|' || x.paragraph AS base
				FROM measurements x LEFT JOIN companies c ON c.id = x.company_id LEFT JOIN projects p ON p.id = x.project_id
				JOIN sources s ON s.id = x.source_id` + strings.ReplaceAll(own("company_id project_id"), "{table}", "measurements") + `))) k
	WHERE k.id = measurements.id` + changed("measurements"),
		`UPDATE milestones SET fact_key = k.key FROM (
		SELECT id, base || CASE WHEN n > 1 THEN '#' || n ELSE '' END AS key
		FROM (SELECT id, base, row_number() OVER (PARTITION BY base ORDER BY id) AS n
			FROM (SELECT x.id, p.slug || '|' || x.name || '|' || s.slug || '|' || x.paragraph AS base
				FROM milestones x JOIN projects p ON p.id = x.project_id JOIN sources s ON s.id = x.source_id` +
			strings.ReplaceAll(own("project_id"), "{table}", "milestones") + `))) k
	WHERE k.id = milestones.id` + changed("milestones"),
		`UPDATE amounts SET fact_key = k.key FROM (
		SELECT id, base || CASE WHEN n > 1 THEN '#' || n ELSE '' END AS key
		FROM (SELECT id, base, row_number() OVER (PARTITION BY base ORDER BY id) AS n
			FROM (SELECT x.id, coalesce('project/' || p.slug, 'agreement/' || a.slug) || '|' || x.currency || '|' || coalesce(x.label, '') || '|' ||
				s.slug || '|' || x.paragraph AS base
				FROM amounts x LEFT JOIN projects p ON p.id = x.project_id LEFT JOIN agreements a ON a.id = x.agreement_id
				JOIN sources s ON s.id = x.source_id` + strings.ReplaceAll(own("project_id agreement_id"), "{table}", "amounts") + `))) k
	WHERE k.id = amounts.id` + changed("amounts"),
	}
}

// retractionStatements mark the visibility day of each retracted fact,
// once, after the days are derived: the one place reads learn that a fact
// is retracted.
var retractionStatements = func() []string {
	var out []string
	for _, t := range FactTypes {
		tab, ok := factTables[t]
		if !ok {
			continue // a link, kept out of its table
		}
		out = append(out, `UPDATE `+tab[0]+` SET `+tab[2]+` = '`+retractedMark+`' || `+tab[2]+`
			WHERE `+tab[2]+` NOT LIKE '`+retractedMark+`%'
			AND `+tab[1]+` IN (SELECT fact_key FROM retractions WHERE fact_type = '`+string(t)+`')`)
	}
	return out
}()

type retractedKey struct{}

// WithRetracted makes the fact lists read under ctx (positions,
// participants, figures, milestones, amounts, statements of an object)
// include retracted facts. Every other read still leaves them out.
func WithRetracted(ctx context.Context) context.Context {
	return context.WithValue(ctx, retractedKey{}, true)
}

// Retracted reports whether WithRetracted set ctx.
func Retracted(ctx context.Context) bool {
	v, _ := ctx.Value(retractedKey{}).(bool)
	return v
}

// visibleDay is the expression of the day from which a fact, whose
// visibility day is in col, is visible to a fact list read under ctx: the
// day itself, or, under WithRetracted, the day with any retraction mark
// stripped.
func visibleDay(ctx context.Context, col string) string {
	if Retracted(ctx) {
		return `ltrim(` + col + `, '` + retractedMark + `')`
	}
	return col
}

// insertRetractions writes d's retractions.
func insertRetractions(w rowSink, d *Dataset) {
	w.insert(`retractions (fact_type, fact_key, revision_id, reason, source_id, paragraph, link_from, link_to, basis, inference_note, role, author, retracted_at)`,
		len(d.Retractions), func(a []any, i int) []any {
			r := d.Retractions[i]
			var src, par, from, to, basis, note, role any
			if r.Citation != nil {
				src, par = r.Citation.SourceID, r.Citation.Paragraph
			}
			if l := r.Link; l != nil {
				from, to, basis, note = l.From, l.To, basisOr(l.Basis), l.InferenceNote
				if l.Role != nil {
					role = string(*l.Role)
				}
			}
			// A revision records its own author and time; only a
			// retraction without one keeps them.
			author, at := "", ""
			if r.RevisionID == 0 {
				author, at = r.Author, r.At.UTC().Format(time.RFC3339Nano)
			}
			return append(a, string(r.Fact.Type), r.Fact.Key, r.RevisionID, r.Reason, src, par, from, to, basis, note, role, author, at)
		})
}

// checkRetractions fails with ENOTFOUND, at field, if a retraction of tx's
// graph names no fact it holds.
func checkRetractions(ctx context.Context, tx *sql.Tx) error {
	for _, t := range FactTypes {
		tab, ok := factTables[t]
		if !ok {
			continue // a link, which the retraction holds
		}
		missing, err := txColumn(ctx, tx, `SELECT r.fact_key FROM retractions r WHERE r.fact_type = ?
			AND NOT EXISTS (SELECT 1 FROM `+tab[0]+` x WHERE x.`+tab[1]+` = r.fact_key) ORDER BY r.fact_key`, string(t))
		if err != nil {
			return fmt.Errorf("check retractions: %w", err)
		}
		if len(missing) > 0 {
			return &Error{Code: ENOTFOUND, Field: "input.fact", Message: fmt.Sprintf(
				"no %s with the id given (key %s) is in the graph: pass the id field of a fact this API returned", t, Quote(missing[0]))}
		}
	}
	return nil
}

// FindRetractions returns the retractions of the given facts, keyed by
// fact; a fact that is not retracted has none.
func (s *Store) FindRetractions(ctx context.Context, facts []FactRef) (map[FactRef]*Retraction, error) {
	pairs := make([][2]string, len(facts))
	for i, f := range facts {
		pairs[i] = [2]string{string(f.Type), f.Key}
	}
	list, err := queryAll(ctx, s, scanRetraction, `SELECT `+retractionColumns+` FROM `+retractionTables+`
		WHERE (r.fact_type, r.fact_key) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`, jsonString(pairs))
	if err != nil {
		return nil, fmt.Errorf("find retractions: %w", err)
	}
	out := make(map[FactRef]*Retraction, len(list))
	for _, r := range list {
		out[r.Fact] = r
	}
	return out, nil
}

// retractionColumns are the columns scanRetraction reads, from
// retractionTables: a retraction's author and time are its revision's, or
// its own when it came with the seed files.
const (
	retractionColumns = `r.fact_type, r.fact_key, r.revision_id, r.reason, r.source_id, r.paragraph,
		coalesce(v.author, r.author), coalesce(v.created_at, r.retracted_at)`
	retractionTables = `retractions r LEFT JOIN revisions v ON v.id = r.revision_id`
)

func scanRetraction(r rowScanner) (*Retraction, error) {
	var (
		ret       Retraction
		typ, at   string
		src, par  sql.NullInt64
		createdAt time.Time
		err       error
	)
	if err = r.Scan(&typ, &ret.Fact.Key, &ret.RevisionID, &ret.Reason, &src, &par, &ret.Author, &at); err != nil {
		return nil, err
	}
	ret.Fact.Type = FactType(typ)
	if src.Valid && par.Valid {
		ret.Citation = &Citation{SourceID: src.Int64, Paragraph: int(par.Int64)}
	}
	if createdAt, err = time.Parse(time.RFC3339Nano, at); err != nil {
		return nil, fmt.Errorf("retraction of %s %s: %w", typ, ret.Fact.Key, err)
	}
	ret.At = createdAt
	return &ret, nil
}

// FindRetractedMeetingParticipations returns the retracted participations
// in the given meetings whose meeting and person are visible under ctx,
// keyed by meeting id, by person name.
func (s *Store) FindRetractedMeetingParticipations(ctx context.Context, meetingIDs []int64) (map[int64][]*MeetingParticipation, error) {
	out, err := queryGrouped(ctx, s, func(r rowScanner, key *int64) (*MeetingParticipation, error) {
		var (
			p          MeetingParticipation
			basis      string
			note, role sql.NullString
		)
		if err := r.Scan(key, &p.MeetingID, &p.PersonID, &basis, &note, &role); err != nil {
			return nil, err
		}
		p.Basis, p.InferenceNote = scanEvidence(basis, note)
		if role.Valid {
			v := MeetingRole(role.String)
			p.Role = &v
		}
		return &p, nil
	}, `SELECT r.link_from, r.link_from, r.link_to, r.basis, r.inference_note, r.role
		FROM retractions r JOIN meetings m ON m.id = r.link_from JOIN people x ON x.id = r.link_to
		WHERE r.fact_type = ? AND r.link_from IN (SELECT value FROM json_each(?)) AND m.first_reported <= ?3 AND x.first_reported <= ?3
		ORDER BY x.name COLLATE NOCASE, x.slug`, string(FactMeetingParticipant), idList(meetingIDs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find retracted meeting participations: %w", err)
	}
	return out, nil
}

// factOwners are, for each kind of fact, the statement that finds the
// objects it relates (by type name and slug) from its key, ?1.
var factOwners = map[FactType]string{
	FactPosition: `SELECT 'Person', p.slug FROM positions x JOIN people p ON p.id = x.person_id WHERE x.fact_key = ?1
		UNION ALL SELECT 'Company', c.slug FROM positions x JOIN companies c ON c.id = x.organization_id WHERE x.fact_key = ?1`,
	FactParticipant: `SELECT 'Project', p.slug FROM project_participants x JOIN projects p ON p.id = x.project_id WHERE x.fact_key = ?1
		UNION ALL SELECT 'Company', c.slug FROM project_participants x JOIN companies c ON c.id = x.company_id WHERE x.fact_key = ?1`,
	FactMeasurement: `SELECT 'Company', c.slug FROM measurements x JOIN companies c ON c.id = x.company_id WHERE x.fact_key = ?1
		UNION ALL SELECT 'Project', p.slug FROM measurements x JOIN projects p ON p.id = x.project_id WHERE x.fact_key = ?1`,
	FactMilestone: `SELECT 'Project', p.slug FROM milestones x JOIN projects p ON p.id = x.project_id WHERE x.fact_key = ?1`,
	FactAmount: `SELECT 'Project', p.slug FROM amounts x JOIN projects p ON p.id = x.project_id WHERE x.fact_key = ?1
		UNION ALL SELECT 'Agreement', a.slug FROM amounts x JOIN agreements a ON a.id = x.agreement_id WHERE x.fact_key = ?1`,
	FactStatement: `SELECT 'Statement', x.slug FROM statements x WHERE x.slug = ?1
		UNION ALL SELECT 'Person', p.slug FROM statements x JOIN people p ON p.id = x.speaker_id WHERE x.slug = ?1`,
	FactMeetingParticipant: `SELECT 'Meeting', m.slug FROM retractions r JOIN meetings m ON m.id = r.link_from
		WHERE r.fact_type = 'MeetingParticipation' AND r.fact_key = ?1
		UNION ALL SELECT 'Person', p.slug FROM retractions r JOIN people p ON p.id = r.link_to
		WHERE r.fact_type = 'MeetingParticipation' AND r.fact_key = ?1`,
}

// retractionTouched returns the objects the retractions that revision id
// makes relate, for its Touched.
func retractionTouched(ctx context.Context, tx *sql.Tx, d *Dataset, id int64) ([]SlugRef, error) {
	var out []SlugRef
	for _, r := range d.Retractions {
		if r.RevisionID != id {
			continue
		}
		rows, err := tx.QueryContext(ctx, factOwners[r.Fact.Type], r.Fact.Key)
		if err != nil {
			return nil, fmt.Errorf("retracted fact's objects: %w", err)
		}
		for rows.Next() {
			var ref SlugRef
			if err := rows.Scan(&ref.Type, &ref.Slug); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, ref)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, err
		}
	}
	return out, nil
}
