package db

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// listSizeRows derives the rows of list_sizes and list_hubs from the rows
// of the graph's tables as datasetRows gives them, as listSizeStatements
// derive them from the tables: a changeset has every row in memory, and
// counting there costs a fraction of the statements' grouping of each
// child table again (a sixth of an article-size changeset's statements at
// twenty changesets, and more as the graph grows). TestRevise_Incremental-
// EqualsFullBuild holds the two to the same rows.
func listSizeRows(tables []tableRows) (sizes, hubs [][]any, err error) {
	byTable := make(map[string]*tableRows, len(tables))
	for i := range tables {
		name, _, _ := strings.Cut(tables[i].into, " (")
		byTable[strings.TrimSpace(name)] = &tables[i]
	}
	for _, r := range listRelations {
		parents, ok := byTable[r.parents]
		if !ok {
			return nil, nil, fmt.Errorf("list sizes: no rows of %s", r.parents)
		}
		counts, err := childCounts(byTable, r.children)
		if err != nil {
			return nil, nil, fmt.Errorf("list sizes: %s: %w", r.list, err)
		}
		n := make([]int64, 0, len(counts))
		var sum, most int64
		for _, c := range counts {
			n = append(n, c.n)
			sum += c.n
			most = max(most, c.n)
		}
		// The children of the parent ranked just after the top 1%, as the
		// statement's ORDER BY n DESC LIMIT 1 OFFSET parents / 100.
		slices.SortFunc(n, func(a, b int64) int { return cmp.Compare(b, a) })
		var p99 int64
		if at := int64(len(parents.rows)) / 100; at < int64(len(n)) {
			p99 = n[at]
		}
		sizes = append(sizes, []any{r.list, int64(len(parents.rows)), sum, most, p99})
		if r.subject == "" {
			continue
		}
		for _, c := range counts {
			if c.n > p99 {
				hubs = append(hubs, []any{r.list, r.subject, c.parent, c.n})
			}
		}
	}
	return sizes, hubs, nil
}

// childCount is one parent's number of children.
type childCount struct {
	parent any
	n      int64
}

// childCounts counts the children of each parent, in the order the
// parents first have one, as the statement's GROUP BY gives them.
func childCounts(byTable map[string]*tableRows, c children) ([]childCount, error) {
	t, ok := byTable[c.table]
	if !ok {
		return nil, fmt.Errorf("no rows of %s", c.table)
	}
	columns := strings.Split(strings.TrimSuffix(t.into[strings.Index(t.into, "(")+1:], ")"), ",")
	at, subjectAt := -1, -1
	for i, col := range columns {
		switch strings.TrimSpace(col) {
		case c.column:
			at = i
		case "subject":
			subjectAt = i
		}
	}
	if at < 0 || (c.subject != "" && subjectAt < 0) {
		return nil, fmt.Errorf("%s has no column %s", c.table, c.column)
	}
	index := map[any]int{}
	var out []childCount
	for _, row := range t.rows {
		if c.subject != "" && row[subjectAt] != c.subject {
			continue
		}
		parent, set := idValue(row[at])
		if !set && (c.notNull || c.subject != "") {
			continue
		}
		i, ok := index[parent]
		if !ok {
			i = len(out)
			index[parent] = i
			out = append(out, childCount{parent: parent})
		}
		out[i].n++
	}
	return out, nil
}

// idValue is the id a row's column holds, as the table stores it, and
// whether it is set (not NULL).
func idValue(v any) (any, bool) {
	switch v := v.(type) {
	case nil:
		return nil, false
	case *int64:
		if v == nil {
			return nil, false
		}
		return *v, true
	default:
		return v, true
	}
}

// listSizeTables are the tables listSizeRows' rows are written to.
var listSizeTables = [2]string{
	`list_sizes (list, parents, children, max_children, p99_children)`,
	`list_hubs (list, subject, subject_id, children)`,
}

// writeListSizes replaces the rows of list_sizes and list_hubs with those
// listSizeRows derives from tables.
func writeListSizes(ctx context.Context, tx *sql.Tx, tables []tableRows) error {
	sizes, hubs, err := listSizeRows(tables)
	if err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM list_sizes`, `DELETE FROM list_hubs`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("list sizes: %w", err)
		}
	}
	w := &batchWriter{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}}
	defer w.close()
	for i, rows := range [][][]any{sizes, hubs} {
		w.insert(listSizeTables[i], len(rows), func(a []any, j int) []any { return append(a, rows[j]...) })
	}
	if w.err != nil {
		return fmt.Errorf("list sizes: %w", w.err)
	}
	return nil
}
