package db

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// MaxPageSize is the largest page a list returns.
const MaxPageSize = 100

// DefaultPageSize is the page size when a client does not give one.
const DefaultPageSize = 20

// Cursor marks a position in an ordered list: the sort key and the slug of
// the item before it. It stays valid as long as that ordering is used.
type Cursor struct {
	Key  string
	Slug string
}

// String encodes the cursor as an opaque string.
func (c Cursor) String() string {
	b, _ := json.Marshal([]string{c.Key, c.Slug})
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor decodes a cursor made by Cursor.String.
func ParseCursor(s string) (Cursor, error) {
	var parts []string
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &parts)
	}
	if err != nil || len(parts) != 2 || parts[1] == "" {
		return Cursor{}, Errorf(EINVALID, "invalid cursor %q: pass a cursor from a previous page's edges or pageInfo", s)
	}
	return Cursor{Key: parts[0], Slug: parts[1]}, nil
}

// PageArgs selects a page of a list: up to First items after a cursor.
type PageArgs struct {
	First int
	After *Cursor
}

// NewPageArgs validates a client's first/after pair. A nil first means
// DefaultPageSize.
func NewPageArgs(first *int, after *string) (PageArgs, error) {
	p := PageArgs{First: DefaultPageSize}
	if first != nil {
		switch {
		case *first < 0:
			return p, Errorf(EINVALID, "first must not be negative, got %d", *first)
		case *first > MaxPageSize:
			return p, Errorf(EINVALID, "first must be at most %d, got %d: page with after", MaxPageSize, *first)
		}
		p.First = *first
	}
	if after != nil {
		c, err := ParseCursor(*after)
		if err != nil {
			return p, err
		}
		p.After = &c
	}
	return p, nil
}

// Page is one page of an ordered list.
type Page[T any] struct {
	Items       []T
	Cursors     []Cursor
	HasNextPage bool
	HasPrevious bool
	count       func(context.Context) (int, error)
}

// TotalCount counts the whole list, not just the page. It runs a query, so
// it is computed only when asked for.
func (p *Page[T]) TotalCount(ctx context.Context) (int, error) { return p.count(ctx) }

// pageQuery describes how to page through one table in (key, slug) order.
type pageQuery struct {
	table   string // FROM clause, with alias
	columns string
	key     string // sort expression
	slug    string // unique tie-breaker column
	where   []string
	args    []any
}

func findPage[T any](ctx context.Context, s *Store, p PageArgs, q pageQuery, scan func(rowScanner) (T, error), key, slug func(T) string) (*Page[T], error) {
	where, args := append([]string{}, q.where...), append([]any{}, q.args...)
	countWhere, countArgs := sqlWhere(where), append([]any{}, args...)
	if p.After != nil {
		where = append(where, fmt.Sprintf(`(%s, %s) > (?, ?)`, q.key, q.slug))
		args = append(args, p.After.Key, p.After.Slug)
	}
	query := `SELECT ` + q.columns + ` FROM ` + q.table + sqlWhere(where) +
		` ORDER BY ` + q.key + `, ` + q.slug + ` LIMIT ?`
	items, err := queryAll(ctx, s, scan, query, append(args, p.First+1)...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", q.table, err)
	}
	page := &Page[T]{HasPrevious: p.After != nil}
	if len(items) > p.First {
		items, page.HasNextPage = items[:p.First], true
	}
	page.Items = items
	for _, it := range items {
		page.Cursors = append(page.Cursors, Cursor{Key: key(it), Slug: slug(it)})
	}
	page.count = func(ctx context.Context) (int, error) {
		var n int
		err := s.queryRow(ctx, `SELECT count(*) FROM `+q.table+countWhere, countArgs...).Scan(&n)
		if err != nil {
			return 0, fmt.Errorf("count %s: %w", q.table, err)
		}
		return n, nil
	}
	return page, nil
}

func sqlWhere(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return ` WHERE ` + strings.Join(conds, ` AND `)
}
