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

// Cursor marks a position in an ordered list: the ordering, and the sort
// key and slug of the item before it. It stays valid as long as the same
// ordering is used.
type Cursor struct {
	Order string
	Key   string
	Slug  string
}

// String encodes the cursor as an opaque string.
func (c Cursor) String() string {
	b, _ := json.Marshal([]string{c.Order, c.Key, c.Slug})
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor decodes a cursor made by Cursor.String.
func ParseCursor(s string) (Cursor, error) {
	var parts []string
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &parts)
	}
	if err != nil || len(parts) != 3 || parts[2] == "" {
		return Cursor{}, Errorf(EINVALID, "invalid cursor %q: pass a cursor from a previous page's edges or pageInfo", s)
	}
	return Cursor{Order: parts[0], Key: parts[1], Slug: parts[2]}, nil
}

// Order is how a list is sorted: a field name and a direction. The zero
// value is the list's default ordering.
type Order struct {
	Field string
	Desc  bool
}

func (o Order) String() string {
	if o.Desc {
		return o.Field + " DESC"
	}
	return o.Field
}

// orderings lists the ways a table can be sorted, by name, each a text SQL
// expression over the table's alias. The first is the default.
type orderings []struct{ name, expr string }

// pick resolves o against the orderings, returning the sort expression.
func (os orderings) pick(o Order) (Order, string, error) {
	if o.Field == "" {
		o.Field = os[0].name
	}
	var names []string
	for _, x := range os {
		if x.name == o.Field {
			return o, x.expr, nil
		}
		names = append(names, x.name)
	}
	return o, "", Errorf(EINVALID, "cannot order by %q: use one of %s", o.Field, strings.Join(names, ", "))
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
	order   Order
	key     string // sort expression
	slug    string // unique tie-breaker column
	// visible is the column holding when a row was first reported; rows
	// reported after the context's as-of cutoff are left out.
	visible string
	where   []string
	args    []any
}

// findPage reads one page. The sort key is selected first, so the cursor of
// each item is exactly what the next page compares against.
func findPage[T any](ctx context.Context, s *Store, p PageArgs, q pageQuery, scan func(rowScanner, ...any) (T, error), slug func(T) string) (*Page[T], error) {
	where, args := append([]string{}, q.where...), append([]any{}, q.args...)
	if q.visible != "" {
		where, args = append(where, q.visible+` <= ?`), append(args, cutoff(ctx))
	}
	countWhere, countArgs := sqlWhere(where), append([]any{}, args...)
	cmp, dir := ">", ""
	if q.order.Desc {
		cmp, dir = "<", " DESC"
	}
	if p.After != nil {
		if p.After.Order != q.order.String() {
			return nil, Errorf(EINVALID, "the cursor belongs to ordering %q, not %q: restart without after, or keep the ordering",
				p.After.Order, q.order.String())
		}
		where = append(where, fmt.Sprintf(`(%s, %s) %s (?, ?)`, q.key, q.slug, cmp))
		args = append(args, p.After.Key, p.After.Slug)
	}
	query := `SELECT ` + q.key + `, ` + q.columns + ` FROM ` + q.table + sqlWhere(where) +
		` ORDER BY ` + q.key + dir + `, ` + q.slug + dir + ` LIMIT ?`
	type keyed struct {
		key  string
		item T
	}
	rows, err := queryAll(ctx, s, func(r rowScanner) (keyed, error) {
		var k keyed
		item, err := scan(r, &k.key)
		k.item = item
		return k, err
	}, query, append(args, p.First+1)...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", q.table, err)
	}
	page := &Page[T]{HasPrevious: p.After != nil}
	if len(rows) > p.First {
		rows, page.HasNextPage = rows[:p.First], true
	}
	for _, r := range rows {
		page.Items = append(page.Items, r.item)
		page.Cursors = append(page.Cursors, Cursor{Order: q.order.String(), Key: r.key, Slug: slug(r.item)})
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
