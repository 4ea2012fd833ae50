package db

import (
	"context"
	"database/sql"
	"fmt"
)

// Source is a published article the graph's facts come from.
type Source struct {
	ID          int64
	Slug        string
	Title       string
	Publisher   *string
	Attribution *string
	PublishedOn PartialDate
	Paragraphs  int
	// Text is the article's paragraphs in order, where a changeset or
	// -articles gave them; nil otherwise. Only Dataset reads it back.
	Text []string `json:",omitempty"`
}

// Citation points at the paragraph of a source that reports a fact.
type Citation struct {
	SourceID  int64
	Paragraph int
}

// Subject names the kind of thing a citation list belongs to.
type Subject string

// The subjects that carry citation lists. Figures, milestones and amounts
// carry a single inline Citation instead.
const (
	SubjectCompany     Subject = "company"
	SubjectPerson      Subject = "person"
	SubjectProject     Subject = "project"
	SubjectMeeting     Subject = "meeting"
	SubjectAgreement   Subject = "agreement"
	SubjectPosition    Subject = "position"
	SubjectParticipant Subject = "participant"
	SubjectEvent       Subject = "event"
	SubjectStatement   Subject = "statement" // for attribute inferences only: a statement cites one paragraph
)

// SubjectKey identifies one subject's citation list.
type SubjectKey struct {
	Subject Subject
	ID      int64
}

const sourceColumns = `s.id, s.slug, s.title, s.publisher, s.attribution, s.published_on, s.paragraphs`

func scanSource(r rowScanner, extra ...any) (*Source, error) {
	var (
		src       Source
		published string
		pub, attr sql.NullString
	)
	if err := r.Scan(append(extra, &src.ID, &src.Slug, &src.Title, &pub, &attr, &published, &src.Paragraphs)...); err != nil {
		return nil, err
	}
	src.Publisher, src.Attribution = nullString(pub), nullString(attr)
	d, err := ParsePartialDate(published)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", src.Slug, err)
	}
	src.PublishedOn = d
	return &src, nil
}

// FindSourcesByIDs returns the sources with the given ids, keyed by id.
func (s *Store) FindSourcesByIDs(ctx context.Context, ids []int64) (map[int64]*Source, error) {
	list, err := queryAll(ctx, s, func(r rowScanner) (*Source, error) { return scanSource(r) },
		`SELECT `+sourceColumns+` FROM sources s WHERE s.id IN (SELECT value FROM json_each(?))`, idList(ids))
	if err != nil {
		return nil, fmt.Errorf("find sources by ids: %w", err)
	}
	return byID(list, func(v *Source) int64 { return v.ID }), nil
}

// FindSourceBySlug returns the source with the slug, or an ENOTFOUND error.
func (s *Store) FindSourceBySlug(ctx context.Context, slug string) (*Source, error) {
	src, err := scanSource(s.queryRow(ctx, `SELECT `+sourceColumns+` FROM sources s WHERE s.slug = ? AND s.published_start <= ?`, slug, cutoff(ctx)))
	return src, notFound(err, "source %q", slug)
}

var sourceOrderings = orderings{{"PUBLISHED_ON", `s.published_start`}}

// FindSources returns a page of sources, sorted by o.
func (s *Store) FindSources(ctx context.Context, o Order, p PageArgs) (*Page[*Source], error) {
	o, key, err := sourceOrderings.pick(o)
	if err != nil {
		return nil, err
	}
	q := pageQuery{table: `sources s`, columns: sourceColumns, order: o, key: key, slug: `s.slug`, visible: `s.published_start`}
	return findPage(ctx, s, p, q, scanSource, func(v *Source) string { return v.Slug })
}

// FindCitations returns the citation lists of the given subjects, each in
// source publication order.
func (s *Store) FindCitations(ctx context.Context, keys []SubjectKey) (map[SubjectKey][]*Citation, error) {
	bySubject := make(map[Subject][]int64)
	seen := make(map[SubjectKey]bool, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			bySubject[k.Subject] = append(bySubject[k.Subject], k.ID)
		}
	}
	// One statement for all subjects: pairs travel as a JSON array of
	// [subject, id] arrays.
	var pairs []any
	for subject, ids := range bySubject {
		for _, id := range ids {
			pairs = append(pairs, []any{string(subject), id})
		}
	}
	rows, err := s.query(ctx, `
		SELECT c.subject, c.subject_id, c.source_id, c.paragraph
		FROM citations c
		JOIN json_each(?) k ON c.subject = k.value ->> 0 AND c.subject_id = CAST(k.value ->> 1 AS INTEGER)
		JOIN sources s ON s.id = c.source_id AND s.published_start <= ?
		ORDER BY c.subject, c.subject_id, s.published_start, s.slug, c.paragraph`, jsonString(pairs), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find citations: %w", err)
	}
	defer rows.Close()
	out := make(map[SubjectKey][]*Citation, len(keys))
	for rows.Next() {
		var (
			k SubjectKey
			c Citation
		)
		if err := rows.Scan(&k.Subject, &k.ID, &c.SourceID, &c.Paragraph); err != nil {
			return nil, fmt.Errorf("find citations: %w", err)
		}
		out[k] = append(out[k], &c)
	}
	return out, rows.Err()
}
