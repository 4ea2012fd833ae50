package db

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// SearchKinds are the kinds of object search finds, as the schema names them.
var SearchKinds = []string{"COMPANY", "PERSON", "PROJECT", "MEETING", "AGREEMENT", "SOURCE"}

// SearchHit is one search result: an object and how well it matched.
type SearchHit struct {
	Kind    string
	ID      int64
	Score   float64
	Snippet string
}

// maxSearchTerms bounds how many words a search may have.
const maxSearchTerms = 16

// ParseSearchQuery turns a user's search into an FTS5 query. It accepts
// words (all must match), word* for a prefix and "quoted words" for a
// phrase; hyphens and other punctuation separate words. Anything FTS5 would
// read as an operator is rejected with a message saying what to change.
func ParseSearchQuery(q string) (string, error) {
	terms, err := parseSearchTerms(q)
	if err != nil {
		return "", err
	}
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = phrase(t.words, t.prefix)
	}
	return strings.Join(out, " AND "), nil
}

// searchTerm is one term of a search: words that must match together, in
// order, the last one as a prefix if prefix is set.
type searchTerm struct {
	words  []string
	prefix bool
}

// parseSearchTerms reads a user's search as ParseSearchQuery describes.
func parseSearchTerms(q string) ([]searchTerm, error) {
	bad := func(format string, args ...any) ([]searchTerm, error) {
		return nil, Errorf(EINVALID, "search %s: "+format+`; use words, word* for a prefix and "quoted words" for a phrase`,
			append([]any{Quote(q)}, args...)...)
	}
	if strings.Count(q, `"`)%2 != 0 {
		return bad("unbalanced quote")
	}
	var terms []searchTerm
	for i, part := range strings.Split(q, `"`) {
		if i%2 == 1 { // inside quotes: a phrase
			words := searchWords(part)
			if len(words) == 0 {
				if strings.TrimSpace(part) != "" {
					return bad("phrase %s has no words", Quote(part))
				}
				continue
			}
			terms = append(terms, searchTerm{words: words})
			continue
		}
		for _, tok := range strings.Fields(part) {
			switch tok {
			case "AND", "OR", "NOT", "NEAR":
				return bad("operators such as %s are not supported (all words must match already)", tok)
			}
			if strings.ContainsAny(tok, "()^:{}+") {
				var found []rune
				for _, r := range tok {
					if strings.ContainsRune("()^:{}+", r) && !slices.Contains(found, r) {
						found = append(found, r)
					}
				}
				return bad("remove the character(s) %q", string(found))
			}
			prefix := strings.HasSuffix(tok, "*")
			words := searchWords(strings.TrimSuffix(tok, "*"))
			if strings.Contains(strings.TrimSuffix(tok, "*"), "*") {
				return bad("* may only end a word, as in bitu*")
			}
			if len(words) == 0 {
				if prefix {
					return bad("a lone * needs letters before it, as in bitu*")
				}
				continue // punctuation only, e.g. a dash
			}
			// A hyphenated token is a phrase, so Beineu-Bozoi matches the
			// words together in that order.
			terms = append(terms, searchTerm{words: words, prefix: prefix})
		}
	}
	switch {
	case len(terms) == 0:
		return bad("nothing to search for")
	case len(terms) > maxSearchTerms:
		return bad("at most %d words", maxSearchTerms)
	}
	return terms, nil
}

// searchWords splits text into letters-and-digits words.
func searchWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// phrase quotes words as an FTS5 phrase (double quotes never occur inside
// them), with a trailing prefix star if asked.
func phrase(words []string, prefix bool) string {
	p := `"` + strings.Join(words, " ") + `"`
	if prefix {
		p += "*"
	}
	return p
}

// Search returns a page of the objects matching query, best first. kinds
// narrows the kinds of object; offset and limit select the page. Within a
// snapshot that knew its data version, the whole ranked list of a search is
// kept per version (see memoized) and pages are taken from it.
func (s *Store) Search(ctx context.Context, query string, kinds []string, offset, limit int) ([]SearchHit, int, error) {
	terms, err := parseSearchTerms(query)
	if err != nil {
		return nil, 0, err
	}
	if len(kinds) == 0 {
		kinds = SearchKinds
	}
	if v := s.redirect(ctx); v != nil {
		// A view is an SQLite store of its own, whichever engine s is.
		return v.Search(ctx, query, kinds, offset, limit)
	}
	if s.pg != nil {
		return s.searchPostgres(ctx, query, terms, kinds, offset, limit)
	}
	match, _ := ParseSearchQuery(query)
	args := []any{match, jsonString(kinds), cutoff(ctx)}
	k := memoKey{kind: "search", args: match + "\x00" + args[1].(string) + "\x00" + args[2].(string)}
	all, ok, err := memoizedList(ctx, s, k, func(limit int) ([]SearchHit, bool, error) {
		hits, err := s.searchHits(ctx, args, limit+1, 0)
		return hits, len(hits) <= limit, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", query, err)
	}
	if ok {
		page := window(all, offset, limit)
		if len(page) == 0 {
			return nil, len(all), nil
		}
		return slices.Clone(page), len(all), nil
	}
	hits, err := s.searchHits(ctx, args, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", query, err)
	}
	var total int
	if err := s.queryRow(ctx, `SELECT count(*)`+searchFrom, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count search %q: %w", query, err)
	}
	return hits, total, nil
}

// searchFrom selects the search rows matching ?1 (an FTS5 query) of the
// kinds in the JSON list ?2 visible at the cutoff ?3: of an entity's rows,
// the one visible at the cutoff is its text then.
const searchFrom = ` FROM search WHERE search MATCH ? AND kind IN (SELECT value FROM json_each(?))
		AND reported <= ?3 AND (until IS NULL OR until > ?3)`

// searchHits reads the page of limit hits from offset of the search args
// (searchFrom's), best first. bm25 weights: name 10, body 1 (kind,
// subject_id, reported and until are unindexed). Lower bm25 is better, so
// the score is its negation.
func (s *Store) searchHits(ctx context.Context, args []any, limit, offset int) ([]SearchHit, error) {
	return queryAll(ctx, s, func(r rowScanner) (SearchHit, error) {
		var h SearchHit
		return h, r.Scan(&h.Kind, &h.ID, &h.Score, &h.Snippet)
	}, `SELECT kind, subject_id, -bm25(search, 0, 0, 0, 0, 10, 1),
		snippet(search, -1, '<mark>', '</mark>', '…', 12)`+searchFrom+`
		ORDER BY bm25(search, 0, 0, 0, 0, 10, 1), kind, subject_id LIMIT ? OFFSET ?`, append(slices.Clip(args), limit, offset)...)
}

// OffsetCursor is the cursor of the item at offset in a ranked list.
func OffsetCursor(kind string, offset int) string {
	return Cursor{Order: kind, Key: strconv.Itoa(offset), Slug: "-"}.String()
}

// Window returns the offset and length of the page p selects from a ranked
// list of kind, whose cursors OffsetCursor made. total counts the list; it
// is called only for a page counted back from the list's end (last without
// before).
func (p PageArgs) Window(kind string, total func() (int, error)) (offset, limit int, err error) {
	start, end := 0, -1
	if p.After != nil {
		if start, err = offsetOf(kind, p.After); err != nil {
			return 0, 0, err
		}
		start++
	}
	if p.Before != nil {
		if end, err = offsetOf(kind, p.Before); err != nil {
			return 0, 0, err
		}
	}
	if !p.Backward {
		if end < 0 {
			return start, p.First, nil
		}
		return start, max(0, min(p.First, end-start)), nil
	}
	if end < 0 {
		if end, err = total(); err != nil {
			return 0, 0, err
		}
	}
	offset = max(start, end-p.Last)
	return offset, max(0, end-offset), nil
}

// maxOffset bounds the offsets a cursor may hold, far beyond any list, so
// that arithmetic on them cannot overflow.
const maxOffset = 1 << 40

// offsetOf returns the offset an OffsetCursor of kind holds.
func offsetOf(kind string, c *Cursor) (int, error) {
	n, err := strconv.Atoi(c.Key)
	if c.Order != kind || err != nil || n < 0 || n > maxOffset {
		return 0, Errorf(EINVALID, "invalid cursor %s: pass a cursor from a page of the same %s", Quote(c.String()), strings.ToLower(kind))
	}
	return n, nil
}
