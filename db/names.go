package db

import (
	"context"
	"fmt"
	"strings"
)

// FindAliases returns the aliases (names other than the canonical one) of
// the given companies, people or projects, keyed by id.
func (s *Store) FindAliases(ctx context.Context, subject Subject, ids []int64) (map[int64][]string, error) {
	out, err := queryGrouped(ctx, s, func(r rowScanner, key *int64) (string, error) {
		var name string
		return name, r.Scan(key, &name)
	}, `SELECT subject_id, name FROM names
		WHERE subject = ? AND alias = 1 AND subject_id IN (SELECT value FROM json_each(?))
		ORDER BY subject_id, name`, string(subject), idList(ids))
	if err != nil {
		return nil, fmt.Errorf("find %s aliases: %w", subject, err)
	}
	return out, nil
}

// findByName looks an entity up by its canonical name or any alias, ignoring
// case, diacritics and punctuation. A canonical name wins over aliases; an
// alias shared by several entities is an EINVALID error listing them.
func findByName[T any](ctx context.Context, s *Store, subject Subject, table, columns string,
	scan func(rowScanner, ...any) (T, error), name string, nameOf func(T) string) (T, error) {
	var zero T
	type match struct {
		alias bool
		v     T
	}
	matches, err := queryAll(ctx, s, func(r rowScanner) (match, error) {
		var m match
		v, err := scan(r, &m.alias)
		m.v = v
		return m, err
	}, `SELECT min(n.alias), `+columns+` FROM names n JOIN `+table+` ON x.id = n.subject_id
		WHERE n.subject = ? AND n.norm = ? AND x.first_reported <= ?
		GROUP BY x.id ORDER BY min(n.alias), x.id LIMIT 5`, string(subject), NormalizeName(name), cutoff(ctx))
	switch {
	case err != nil:
		return zero, fmt.Errorf("find %s by name %q: %w", subject, name, err)
	case len(matches) == 0:
		return zero, Errorf(ENOTFOUND, "no %s named %s", subject, Quote(name))
	case len(matches) == 1 || !matches[0].alias:
		return matches[0].v, nil
	}
	var names []string
	for _, m := range matches {
		names = append(names, nameOf(m.v))
	}
	return zero, Errorf(EINVALID, "%s name %s is ambiguous: it matches %s; look up by slug or id instead",
		subject, Quote(name), strings.Join(names, ", "))
}
