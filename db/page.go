package db

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
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
		return Cursor{}, Errorf(EINVALID, "invalid cursor %s: pass a cursor from a previous page's edges or pageInfo", Quote(s))
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

// PageArgs selects a page of a list, as Relay's cursor connections do:
// After and Before, when set, bound a window of the list; the page is the
// first First items of the window or, when Backward, its last Last items.
type PageArgs struct {
	First    int
	After    *Cursor
	Last     int
	Before   *Cursor
	Backward bool
}

// NewPageArgs validates a client's first/after/last/before. Without first
// and last the page is the first DefaultPageSize items; first and last
// together are refused, as the Relay specification discourages them.
func NewPageArgs(first *int, after *string, last *int, before *string) (PageArgs, error) {
	p := PageArgs{First: DefaultPageSize}
	var err error
	switch {
	case first != nil && last != nil:
		return p, Errorf(EINVALID, "pass first or last, not both: first pages forward from after, last backward from before")
	case first != nil:
		p.First, err = pageSize("first", "after", *first)
	case last != nil:
		p.First, p.Backward = 0, true
		p.Last, err = pageSize("last", "before", *last)
	}
	if err != nil {
		return p, err
	}
	if p.After, err = parseOptionalCursor(after); err != nil {
		return p, err
	}
	if p.Before, err = parseOptionalCursor(before); err != nil {
		return p, err
	}
	return p, nil
}

// pageSize checks the value of the page size argument name, which pages
// on with the cursor argument next.
func pageSize(name, next string, n int) (int, error) {
	switch {
	case n < 0:
		return 0, Errorf(EINVALID, "%s must not be negative, got %d", name, n)
	case n > MaxPageSize:
		return 0, Errorf(EINVALID, "%s must be at most %d, got %d: page with %s", name, MaxPageSize, n, next)
	}
	return n, nil
}

func parseOptionalCursor(s *string) (*Cursor, error) {
	if s == nil {
		return nil, nil
	}
	c, err := ParseCursor(*s)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// size is the number of items the page holds at most.
func (p PageArgs) size() int {
	if p.Backward {
		return p.Last
	}
	return p.First
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
	keyArgs []any  // the arguments of key's ? parameters
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
	// Keys grow along the list's order: after a cursor is greater in an
	// ascending list, smaller in a descending one.
	after, before, dir, back := ">", "<", "", " DESC"
	if q.order.Desc {
		after, before, dir, back = "<", ">", " DESC", ""
	}
	for _, c := range []struct {
		cursor *Cursor
		cmp    string
	}{{p.After, after}, {p.Before, before}} {
		if c.cursor == nil {
			continue
		}
		if c.cursor.Order != q.order.String() {
			return nil, Errorf(EINVALID, "the cursor belongs to ordering %q, not %q: restart without a cursor, or keep the ordering",
				c.cursor.Order, q.order.String())
		}
		where = append(where, fmt.Sprintf(`(%s, %s) %s (?%s, ?)`, q.key, q.slug, c.cmp, keyCollation(q.key)))
		args = append(append(args, q.keyArgs...), c.cursor.Key, c.cursor.Slug)
	}
	// A backward page reads the window from its end, then turns the rows
	// round. One row beyond the page tells whether there is more.
	if p.Backward {
		dir = back
	}
	query := `SELECT ` + strings.TrimSuffix(q.key, nocase) + `, ` + q.columns + ` FROM ` + q.table + sqlWhere(where) +
		` ORDER BY ` + q.key + dir + `, ` + q.slug + dir + ` LIMIT ?`
	type keyed struct {
		key  string
		item T
	}
	n := p.size()
	rows, err := queryAll(ctx, s, func(r rowScanner) (keyed, error) {
		var k keyed
		item, err := scan(r, &k.key)
		k.item = item
		return k, err
	}, query, slices.Concat(q.keyArgs, args, q.keyArgs, []any{n + 1})...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", q.table, err)
	}
	more := len(rows) > n
	if more {
		rows = rows[:n]
	}
	page := &Page[T]{HasNextPage: more, HasPrevious: p.After != nil}
	if p.Backward {
		slices.Reverse(rows)
		page.HasNextPage, page.HasPrevious = p.Before != nil, more
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

// nocase ends the keys of the orderings by name, which ignore ASCII case.
const nocase = " COLLATE NOCASE"

// keyCollation is the collation to compare a cursor's key in, for key:
// that of a key by name, spelled out so that PostgreSQL, where the key is
// lower(name) (see translatePostgres), lowers the cursor's key too. The
// key is selected without it, so that a cursor holds the name as it is on
// both engines.
func keyCollation(key string) string {
	if strings.HasSuffix(key, nocase) {
		return nocase
	}
	return ""
}
