package db

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// ListSize is how many children the parents of one list field have.
type ListSize struct {
	// Parents is the number of rows of the parent's table.
	Parents int64
	// Children is the number of children of all parents together.
	Children int64
	// Max is the number of children of the parent with the most.
	Max int64
	// P99 is a number of children no more than 1% of parents exceed.
	P99 int64
}

// AggregateSize is the work of computing one aggregate and the most it
// returns.
type AggregateSize struct {
	// Scanned is the number of rows computing it reads.
	Scanned int64
	// Groups is the most groups a money summary returns.
	Groups int64
	// Listed is the most amounts a money summary's groups list in all.
	Listed int64
	// Excluded is the most amounts a money summary lists as left out.
	Excluded int64
}

// Statistics describe the shape of the data, for pricing queries before
// they run. They are derived whenever the data is replaced.
type Statistics struct {
	// Lists holds the size of each list field that follows a relation, by
	// its GraphQL name: "Company.projects", "Meeting.participants", ...
	Lists map[string]ListSize
	// Aggregates holds the work of "counts" and of "money" with each
	// grouping: "money COMPANY", "money SECTOR", ...
	Aggregates map[string]AggregateSize

	// hubs holds, by list, the children of each parent with more than the
	// list's P99, under hubKey of its slug and of each of its names.
	hubs map[string]map[string]int64
}

// ChildrenOf returns how many children, at most, the parent with slug (or,
// when slug is "", the one named name, as FindCompanyByName matches names)
// has in list: its own count if it is one of the few parents with more than
// P99, else P99. ok is false for a list without statistics.
func (st *Statistics) ChildrenOf(list, slug, name string) (n int64, ok bool) {
	size, ok := st.Lists[list]
	if !ok {
		return 0, false
	}
	key := hubKey("slug", slug)
	if slug == "" {
		key = hubKey("name", NormalizeName(name))
	}
	if n, ok := st.hubs[list][key]; ok {
		return n, true
	}
	return size.P99, true
}

func hubKey(kind, value string) string { return kind + ":" + value }

// Statistics reads the statistics of the data.
func (s *Store) Statistics(ctx context.Context) (*Statistics, error) {
	st := &Statistics{
		Lists:      map[string]ListSize{},
		Aggregates: map[string]AggregateSize{},
		hubs:       map[string]map[string]int64{},
	}
	err := s.each(ctx, func(r rowScanner) error {
		var list string
		var size ListSize
		if err := r.Scan(&list, &size.Parents, &size.Children, &size.Max, &size.P99); err != nil {
			return err
		}
		st.Lists[list] = size
		return nil
	}, `SELECT list, parents, children, max_children, p99_children FROM list_sizes`)
	if err != nil {
		return nil, fmt.Errorf("statistics: %w", err)
	}
	for list, parts := range unionLists {
		var union ListSize
		for _, part := range parts {
			size := st.Lists[part]
			union.Parents += size.Parents
			union.Children += size.Children
			union.Max = max(union.Max, size.Max)
			union.P99 = max(union.P99, size.P99)
		}
		st.Lists[list] = union
	}
	err = s.each(ctx, func(r rowScanner) error {
		var name string
		var size AggregateSize
		if err := r.Scan(&name, &size.Scanned, &size.Groups, &size.Listed, &size.Excluded); err != nil {
			return err
		}
		st.Aggregates[name] = size
		return nil
	}, `SELECT aggregate, scanned, groups, listed, excluded FROM aggregate_sizes`)
	if err != nil {
		return nil, fmt.Errorf("statistics: %w", err)
	}
	err = s.each(ctx, func(r rowScanner) error {
		var list, slug, norm string
		var n int64
		if err := r.Scan(&list, &slug, &norm, &n); err != nil {
			return err
		}
		hubs := st.hubs[list]
		if hubs == nil {
			hubs = map[string]int64{}
			st.hubs[list] = hubs
		}
		hubs[hubKey("slug", slug)] = n
		if norm != "" {
			// Names are not unique: a name answers for its largest list.
			hubs[hubKey("name", norm)] = max(hubs[hubKey("name", norm)], n)
		}
		return nil
	}, hubsQuery)
	if err != nil {
		return nil, fmt.Errorf("statistics: %w", err)
	}
	return st, nil
}

// hubsQuery lists the hubs of every list with the slug and each normalized
// name (” for kinds without names) of the parent.
var hubsQuery = func() string {
	var parts []string
	for _, p := range []struct{ subject, table string }{
		{"company", "companies"}, {"person", "people"}, {"project", "projects"},
		{"meeting", "meetings"}, {"agreement", "agreements"},
	} {
		parts = append(parts, `SELECT h.list, x.slug, coalesce(n.norm, ''), h.children
	FROM list_hubs h JOIN `+p.table+` x ON x.id = h.subject_id
	LEFT JOIN names n ON n.subject = h.subject AND n.subject_id = h.subject_id
	WHERE h.subject = '`+p.subject+`'`)
	}
	return strings.Join(parts, "\nUNION ALL\n")
}()

// listRelation is the relation behind a list field: the parent's table,
// and the children, rows of a table that name their parent in a column
// (counts gives each parent with children its id, parent, and their
// number, n). subject names the parent's kind for list_hubs, or is "" for
// parents no query can name (positions, participants).
type listRelation struct {
	list, subject, parents string
	children               children
}

// children are the rows of table whose column names a parent: all of
// them, those where it is set (notNull), or the citations of one kind of
// subject (subject).
type children struct {
	table, column string
	notNull       bool
	subject       string
}

// childrenIn are all the rows of table, each naming its parent in column.
func childrenIn(table, column string) children {
	return children{table: table, column: column}
}

// childrenSetIn are the rows of table whose column is set, naming their
// parent.
func childrenSetIn(table, column string) children {
	return children{table: table, column: column, notNull: true}
}

// citationsOf are the citations of one kind of subject.
func citationsOf(subject string) children {
	return children{table: "citations", column: "subject_id", subject: subject}
}

// counts is the statement giving each parent with children its id
// (parent) and their number (n).
func (c children) counts() string {
	where := ""
	switch {
	case c.subject != "":
		where = ` WHERE subject = '` + c.subject + `'`
	case c.notNull:
		where = ` WHERE ` + c.column + ` IS NOT NULL`
	}
	return `SELECT ` + c.column + ` AS parent, count(*) AS n FROM ` + c.table + where + ` GROUP BY ` + c.column
}

// listRelations covers every list field that reads the store. A list field
// added to the schema without a relation here is priced at a fixed size.
var listRelations = []listRelation{
	{"Company.subsidiaries", "company", "companies", childrenSetIn("companies", "parent_id")},
	{"Company.positions", "company", "companies", childrenIn("positions", "organization_id")},
	{"Company.projects", "company", "companies", childrenIn("project_participants", "company_id")},
	{"Company.agreements", "company", "companies", childrenIn("agreement_parties", "company_id")},
	{"Company.meetings", "company", "companies", childrenIn("meeting_organizations", "company_id")},
	{"Company.measurements", "company", "companies", childrenSetIn("measurements", "company_id")},
	{"Company.citations", "company", "companies", citationsOf("company")},
	{"Person.positions", "person", "people", childrenIn("positions", "person_id")},
	{"Person.meetings", "person", "people", childrenIn("meeting_participants", "person_id")},
	{"Person.citations", "person", "people", citationsOf("person")},
	{"Position.citations", "", "positions", citationsOf("position")},
	{"Meeting.participants", "meeting", "meetings", childrenIn("meeting_participants", "meeting_id")},
	{"Meeting.organizations", "meeting", "meetings", childrenIn("meeting_organizations", "meeting_id")},
	{"Meeting.projects", "meeting", "meetings", childrenIn("meeting_projects", "meeting_id")},
	{"Meeting.agreements", "meeting", "meetings", childrenSetIn("agreements", "meeting_id")},
	{"Meeting.citations", "meeting", "meetings", citationsOf("meeting")},
	{"Project.participants", "project", "projects", childrenIn("project_participants", "project_id")},
	// capacityHistory is the capacity metrics of measurements: no longer.
	{"Project.capacityHistory", "project", "projects", childrenSetIn("measurements", "project_id")},
	{"Project.measurements", "project", "projects", childrenSetIn("measurements", "project_id")},
	{"Project.milestones", "project", "projects", childrenIn("milestones", "project_id")},
	{"Project.amounts", "project", "projects", childrenSetIn("amounts", "project_id")},
	{"Project.agreements", "project", "projects", childrenIn("agreement_projects", "project_id")},
	{"Project.meetings", "project", "projects", childrenIn("meeting_projects", "project_id")},
	{"Project.citations", "project", "projects", citationsOf("project")},
	{"ProjectParticipant.citations", "", "project_participants", citationsOf("participant")},
	{"Agreement.parties", "agreement", "agreements", childrenIn("agreement_parties", "agreement_id")},
	{"Agreement.signatories", "agreement", "agreements", childrenIn("agreement_signatories", "agreement_id")},
	{"Agreement.amounts", "agreement", "agreements", childrenSetIn("amounts", "agreement_id")},
	{"Agreement.projects", "agreement", "agreements", childrenIn("agreement_projects", "agreement_id")},
	{"Agreement.citations", "agreement", "agreements", citationsOf("agreement")},
}

// unionLists are lists whose parents are those of several others: an event
// has one citation or those of its subject, of any kind. Statistics sums
// their sizes and takes the largest of their Max and of their P99 (which
// bounds the union's: at most 1% of each part's parents exceed it).
var unionLists = map[string][]string{
	"TimelineEvent.citations": {"Company.citations", "Person.citations", "Position.citations", "Meeting.citations",
		"Project.citations", "ProjectParticipant.citations", "Agreement.citations"},
}

// statisticsStatements fill list_sizes, list_hubs and aggregate_sizes (see
// migration 0004, which also runs them once over the data it finds). They
// run after dealFactsStatements, whose table the money sizes count.
var statisticsStatements = slices.Concat(
	[]string{`DELETE FROM list_sizes`, `DELETE FROM list_hubs`, `DELETE FROM aggregate_sizes`},
	listSizeStatements(listRelations),
	aggregateSizeStatements,
)

// listSizeStatements derive each relation's row of list_sizes and, for
// parents a query can name, its hubs. P99 is the children of the parent
// ranked just after the top 1% (parents without children rank last).
func listSizeStatements(relations []listRelation) []string {
	var out []string
	for _, r := range relations {
		out = append(out, `INSERT INTO list_sizes (list, parents, children, max_children, p99_children)
	WITH d(n) AS (SELECT n FROM (`+r.children.counts()+`)),
		p(n) AS (SELECT count(*) FROM `+r.parents+`)
	SELECT '`+r.list+`', (SELECT n FROM p), (SELECT coalesce(sum(n), 0) FROM d), (SELECT coalesce(max(n), 0) FROM d),
		coalesce((SELECT n FROM d ORDER BY n DESC LIMIT 1 OFFSET (SELECT n / 100 FROM p)), 0)`)
		if r.subject != "" {
			out = append(out, `INSERT INTO list_hubs (list, subject, subject_id, children)
	SELECT '`+r.list+`', '`+r.subject+`', parent, n FROM (`+r.children.counts()+`)
	WHERE n > (SELECT p99_children FROM list_sizes WHERE list = '`+r.list+`')`)
		}
	}
	return out
}

// aggregateSizeStatements derive aggregate_sizes. Counts reads every row
// of the tables it counts. A money summary reads every amount and the deal
// facts of its grouping and of covered projects (see dealGroupFacts); its
// groups list each counted deal once per group it falls in, which is once
// except by company, where it is once per party.
var aggregateSizeStatements = []string{
	`INSERT INTO aggregate_sizes (aggregate, scanned, groups, listed, excluded)
	SELECT 'counts', (SELECT count(*) FROM companies) + (SELECT count(*) FROM people) + (SELECT count(*) FROM projects)
		+ (SELECT count(*) FROM meetings) + (SELECT count(*) FROM agreements) + (SELECT count(*) FROM sources)
		+ (SELECT count(*) FROM measurements) + (SELECT count(*) FROM amounts), 0, 0, 0`,
	`INSERT INTO aggregate_sizes (aggregate, scanned, groups, listed, excluded)
	SELECT 'money COMPANY', (SELECT count(*) FROM amounts) + (SELECT count(*) FROM deal_facts WHERE fact IN ('party', 'project')),
		(SELECT count(DISTINCT value) FROM deal_facts WHERE fact = 'party') + 1,
		(SELECT count(*) FROM amounts) + (SELECT count(*) FROM deal_facts WHERE fact = 'party'),
		(SELECT count(*) FROM amounts)`,
	`INSERT INTO aggregate_sizes (aggregate, scanned, groups, listed, excluded)
	SELECT 'money COUNTERPARTY_COUNTRY', (SELECT count(*) FROM amounts) + (SELECT count(*) FROM deal_facts WHERE fact IN ('party', 'project')),
		(SELECT count(DISTINCT country) FROM deal_facts WHERE fact = 'party') + 3,
		(SELECT count(*) FROM amounts), (SELECT count(*) FROM amounts)`,
	`INSERT INTO aggregate_sizes (aggregate, scanned, groups, listed, excluded)
	SELECT 'money SECTOR', (SELECT count(*) FROM amounts) + (SELECT count(*) FROM deal_facts WHERE fact IN ('sector', 'project')),
		(SELECT count(DISTINCT value) FROM deal_facts WHERE fact = 'sector') + 2,
		(SELECT count(*) FROM amounts), (SELECT count(*) FROM amounts)`,
	`INSERT INTO aggregate_sizes (aggregate, scanned, groups, listed, excluded)
	SELECT 'money YEAR', (SELECT count(*) FROM amounts) + (SELECT count(*) FROM deal_facts WHERE fact IN ('year', 'project')),
		(SELECT count(DISTINCT value) FROM deal_facts WHERE fact = 'year')
			+ (SELECT count(DISTINCT substr(published_start, 1, 4)) FROM sources) + 1,
		(SELECT count(*) FROM amounts), (SELECT count(*) FROM amounts)`,
}
