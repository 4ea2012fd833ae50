package db

import (
	"context"
	"fmt"
	"strings"
)

// searchPostgres is Search on PostgreSQL, over the tsvector column of the
// search table (see migrations/postgres): the same words, prefixes and
// phrases match, accents and case aside and hyphens read as spaces, as
// on SQLite's FTS5 index. The order differs: SQLite ranks by BM25 (name
// ten times the body), PostgreSQL by ts_rank with the name weighted ten
// times the body (weights A 1.0 and D 0.1) and divided by one plus the
// logarithm of the text's length (normalization 1), which counts how
// often the words occur but not how rare they are across the index; ties
// are broken alike, by kind then id. A snippet marks the matched words with
// <mark>…</mark> in up to 12 words of the name, if the name matches, or
// else of the body (ts_headline); words that matched only once their
// accents were removed are not marked.
func (s *Store) searchPostgres(ctx context.Context, query string, terms []searchTerm, kinds []string, offset, limit int) ([]SearchHit, int, error) {
	const from = ` FROM search, to_tsquery('simple', unaccent('unaccent'::regdictionary, ?)) q
		WHERE doc @@ q AND kind IN (SELECT value FROM json_each(?)) AND reported <= ?3 AND (until IS NULL OR until > ?3)`
	args := []any{tsQuery(terms), jsonString(kinds), cutoff(ctx)}
	hits, err := queryAll(ctx, s, func(r rowScanner) (SearchHit, error) {
		var h SearchHit
		return h, r.Scan(&h.Kind, &h.ID, &h.Score, &h.Snippet)
	}, `SELECT kind, subject_id, ts_rank('{0.1, 0.2, 0.4, 1.0}', doc, q, 1),
		CASE WHEN to_tsvector('simple', search_text(name)) @@ q
			THEN ts_headline('simple', name, q, 'StartSel=<mark>, StopSel=</mark>, MaxWords=12, MinWords=4, ShortWord=0')
			ELSE ts_headline('simple', coalesce(body, ''), q, 'StartSel=<mark>, StopSel=</mark>, MaxWords=12, MinWords=4, ShortWord=0') END`+from+`
		ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', doc, q, 1) DESC, kind, subject_id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", query, err)
	}
	var total int
	if err := s.queryRow(ctx, `SELECT count(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count search %q: %w", query, err)
	}
	return hits, total, nil
}

// tsQuery writes terms as a tsquery: all terms (&), each term's words in
// order (<->), a prefix term's last word as a prefix (:*). The words hold
// only letters and digits (searchWords), so none is read as an operator;
// they are lowered here and stripped of accents by the statement.
func tsQuery(terms []searchTerm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		words := make([]string, len(t.words))
		for j, w := range t.words {
			words[j] = strings.ToLower(w)
		}
		p := strings.Join(words, " <-> ")
		if t.prefix {
			p += ":*"
		}
		if len(words) > 1 {
			p = "(" + p + ")"
		}
		parts[i] = p
	}
	return strings.Join(parts, " & ")
}
