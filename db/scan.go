package db

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func nullString(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

func nullDate(s sql.NullString) (*PartialDate, error) {
	if !s.Valid {
		return nil, nil
	}
	d, err := ParsePartialDate(s.String)
	return &d, err
}

// notFound turns sql.ErrNoRows into an ENOTFOUND error naming what was sought.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return Errorf(ENOTFOUND, "%s not found", fmt.Sprintf(format, args...))
	}
	if err != nil {
		return fmt.Errorf("find %s: %w", fmt.Sprintf(format, args...), err)
	}
	return nil
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only called with slices of strings and numbers
	}
	return string(b)
}

// NormalizeName folds a name for lookup: case, diacritics, punctuation and
// spacing are ignored, so "Beineu-Bozoi" matches "beineu bozoi".
func NormalizeName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}
