package db

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Counts is how many objects of each kind there are.
type Counts struct {
	Companies, People, Projects, Meetings, Agreements, Sources, Measurements, Amounts int
	Statements, Events                                                                int
}

// countStatement counts the rows of each kind of object, in the order of
// Counts' fields: those reported on or before ?1 if restricted, else all.
// Without a condition, count(*) walks a table's pages instead of reading
// its rows.
func countStatement(restricted bool) string {
	var counts []string
	for _, t := range [][3]string{
		{"companies", "first_reported"}, {"people", "first_reported"}, {"projects", "first_reported"},
		{"meetings", "first_reported"}, {"agreements", "first_reported"}, {"sources", "published_start"},
		{"measurements", "reported", string(FactMeasurement)}, {"amounts", "reported", string(FactAmount)},
		{"statements", "reported", string(FactStatement)}, {"events", "first_reported"},
	} {
		q := `(SELECT count(*) FROM ` + t[0]
		switch {
		case restricted:
			q += ` WHERE ` + t[1] + ` <= ?1)`
		case t[2] != "":
			// Retracted facts are left out by the day's mark (see
			// retractionStatements); counting them apart keeps the walk.
			q += `) - (SELECT count(*) FROM retractions WHERE fact_type = '` + t[2] + `')`
		default:
			q += `)`
		}
		counts = append(counts, q)
	}
	return `SELECT ` + strings.Join(counts, ", ")
}

var countAll, countReported = countStatement(false), countStatement(true)

// Count counts the objects of each kind visible under ctx, in one
// statement, or from the memo of ctx's data version (see memoized).
func (s *Store) Count(ctx context.Context) (*Counts, error) {
	query, args, k := countAll, []any(nil), memoKey{kind: "count"}
	if _, ok := AsOf(ctx); ok {
		query, args, k.args = countReported, []any{cutoff(ctx)}, cutoff(ctx)
	}
	c, err := memoized(ctx, s, k, func() (Counts, int, error) {
		var c Counts
		err := s.queryRow(ctx, query, args...).
			Scan(&c.Companies, &c.People, &c.Projects, &c.Meetings, &c.Agreements, &c.Sources, &c.Measurements, &c.Amounts,
				&c.Statements, &c.Events)
		return c, 1, err
	})
	if err != nil {
		return nil, fmt.Errorf("count: %w", err)
	}
	return &c, nil
}

// MoneyGrouping says how MoneySummary groups totals.
type MoneyGrouping string

// The groupings of MoneySummary.
const (
	ByCounterpartyCountry MoneyGrouping = "COUNTERPARTY_COUNTRY"
	ByCompany             MoneyGrouping = "COMPANY"
	BySector              MoneyGrouping = "SECTOR"
	ByYear                MoneyGrouping = "YEAR"
)

// ExclusionReason says why an amount was left out of a total.
type ExclusionReason string

// The reasons an amount is left out of a money total.
const (
	SameDealReportedAgain ExclusionReason = "SAME_DEAL_REPORTED_AGAIN"
	CoveredByAgreement    ExclusionReason = "COVERED_BY_AGREEMENT"
	UpperBoundOnly        ExclusionReason = "UPPER_BOUND_ONLY"
	OtherCurrency         ExclusionReason = "OTHER_CURRENCY"
	NotInBasis            ExclusionReason = "NOT_IN_BASIS"
)

// MoneySummary is a money total, grouped, with what it left out.
type MoneySummary struct {
	GroupBy           MoneyGrouping
	Currency          string
	Total             float64
	TotalIsLowerBound bool
	GroupsOverlap     bool
	Groups            []*MoneyGroup
	Excluded          []*ExcludedAmount
}

// MoneyGroup is the total of one group.
type MoneyGroup struct {
	Key          string
	Label        string
	Total        float64
	IsLowerBound bool
	Amounts      []*Amount
	ByReportYear bool // a report year standing in for dates the sources do not give
}

// ExcludedAmount is an amount left out of a total, and why.
type ExcludedAmount struct {
	Amount         *Amount
	Reason         ExclusionReason
	Explanation    string
	CountedInstead *Amount
}

// dealRef is an agreement or a project: the thing amounts are reported for.
type dealRef struct {
	agreement bool
	id        int64
}

func dealOf(a *Amount) dealRef {
	if a.AgreementID != nil {
		return dealRef{agreement: true, id: *a.AgreementID}
	}
	return dealRef{id: *a.ProjectID}
}

// deal is what the rule needs to know about a deal: the groups its counted
// amount falls in (none when what they depend on is unknown) and, for an
// agreement, the projects with amounts that it covers; then its reports that
// may count, the counted one first, and the amount it counts at, if any.
type deal struct {
	groups   []groupKey
	projects []int64
	reports  []reportedAmount
	counted  *Amount
}

type reportedAmount struct {
	*Amount
	published string // publication date of the reporting source
}

// MoneySummary totals the amounts in currency, grouped by g, by this rule:
//
//  1. Amounts in another currency and UP_TO amounts (ceilings) are left out.
//  2. Each deal (an agreement or a project) counts once: of several reports
//     of its amount, the most precise counts (EXACT, then ABOUT, then
//     AT_LEAST), and among equally precise ones the latest report.
//  3. An agreement's amount covers the projects it names: a project amount
//     is left out when an agreement covering the project has a counted one.
//  4. AT_LEAST amounts count at their stated value and mark the total as a
//     lower bound.
func (s *Store) MoneySummary(ctx context.Context, g MoneyGrouping, currency string) (*MoneySummary, error) {
	return s.MoneySummaryWith(ctx, g, currency, MoneyOptions{})
}

// MoneyOptions are the choices of a money summary beyond its grouping and
// currency.
type MoneyOptions struct {
	// UndatedByReportYear puts a deal no source dates, grouped by year, in
	// the year it was first reported (a group marked ByReportYear) rather
	// than in the group UNDATED.
	UndatedByReportYear bool
	// Bases keeps only amounts of these bases; the others are listed as
	// NOT_IN_BASIS exclusions. Every amount when empty.
	Bases []Basis
}

// MoneySummaryWith is MoneySummary with options.
func (s *Store) MoneySummaryWith(ctx context.Context, g MoneyGrouping, currency string, opts MoneyOptions) (*MoneySummary, error) {
	if !slices.Contains([]MoneyGrouping{ByCounterpartyCountry, ByCompany, BySector, ByYear}, g) {
		return nil, Errorf(EINVALID, "cannot group money by %q", g)
	}
	currency, err := ParseCurrency("currency", currency)
	if err != nil {
		return nil, err
	}
	// Dashboards ask for the same summary at once, and at scale each one
	// reads every amount: concurrent requests for one summary of one version
	// of the data share a single computation, so its time and memory are
	// spent once. A request that joins another's reports none of its
	// statements.
	//
	// Within a snapshot that knew its data version, a summary is also kept
	// for the version's later requests (see memoized); it is not changed
	// once made, so they share it as they share one computation.
	k := memoKey{kind: "money", args: fmt.Sprintf("%s %s %s %t %v", cutoff(ctx), g, currency, opts.UndatedByReportYear, opts.Bases)}
	return memoized(ctx, s, k, func() (*MoneySummary, int, error) {
		sum, err := s.sharedMoneySummary(ctx, g, currency, opts)
		if err != nil {
			return nil, 0, err
		}
		rows := len(sum.Excluded) + len(sum.Groups)
		for _, grp := range sum.Groups {
			rows += len(grp.Amounts)
		}
		return sum, rows, nil
	})
}

// sharedMoneySummary computes a money summary, sharing the computation
// with the concurrent requests for the same one of the same data.
func (s *Store) sharedMoneySummary(ctx context.Context, g MoneyGrouping, currency string, opts MoneyOptions) (*MoneySummary, error) {
	key := fmt.Sprintf("%s %s %s %s %t %v", s.readVersion(ctx), cutoff(ctx), g, currency, opts.UndatedByReportYear, opts.Bases)
	for {
		res := s.summaries.DoChan(key, func() (any, error) { return s.moneySummary(ctx, g, currency, opts) })
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case r := <-res:
			if r.Err != nil && ctx.Err() == nil && (errors.Is(r.Err, context.Canceled) || errors.Is(r.Err, context.DeadlineExceeded)) {
				continue // the request that ran it gave up; this one has not
			}
			if r.Err != nil {
				return nil, r.Err
			}
			return r.Val.(*MoneySummary), nil
		}
	}
}

// moneySummary computes MoneySummary's result.
func (s *Store) moneySummary(ctx context.Context, g MoneyGrouping, currency string, opts MoneyOptions) (*MoneySummary, error) {
	// The amounts and the deals' facts are read at once, on two connections
	// of the read pool: at scale, each takes a good part of the summary's time.
	var (
		deals    map[dealRef]*deal
		dealsErr error
		read     = make(chan struct{})
	)
	go func() {
		defer close(read)
		deals, dealsErr = s.dealFacts(ctx, g)
	}()
	amounts, err := s.reportedAmounts(ctx)
	<-read
	if err = cmp.Or(err, dealsErr); err != nil {
		return nil, err
	}
	sum := &MoneySummary{GroupBy: g, Currency: currency, GroupsOverlap: g == ByCompany}
	exclude := func(a *Amount, r ExclusionReason, instead *Amount, why string) {
		sum.Excluded = append(sum.Excluded, &ExcludedAmount{Amount: a, Reason: r, Explanation: why, CountedInstead: instead})
	}

	// Rules 1 and 2: one amount per deal.
	var counting []*deal // the deals with amounts that may count, in the order of their first
	for _, a := range amounts {
		switch {
		case !KeepBasis(opts.Bases, a.Basis):
			exclude(a.Amount, NotInBasis, nil, fmt.Sprintf("its basis, %s, is not among those asked for", a.Basis))
		case a.Currency != currency:
			exclude(a.Amount, OtherCurrency, nil, fmt.Sprintf("reported in %s, not %s", a.Currency, currency))
		case a.Approximation == "UP_TO":
			exclude(a.Amount, UpperBoundOnly, nil, "an \"up to\" figure is a ceiling, not an amount committed")
		default:
			k := dealOf(a.Amount)
			d := deals[k]
			if d == nil {
				d = &deal{}
				deals[k] = d
			}
			if len(d.reports) == 0 {
				counting = append(counting, d)
			}
			d.reports = append(d.reports, a)
		}
	}
	for _, d := range counting {
		slices.SortStableFunc(d.reports, func(x, y reportedAmount) int {
			return cmp.Or(cmp.Compare(precision(x.Approximation), precision(y.Approximation)),
				-cmp.Compare(x.published, y.published), cmp.Compare(x.ID, y.ID))
		})
		d.counted = d.reports[0].Amount
		for _, r := range d.reports[1:] {
			exclude(r.Amount, SameDealReportedAgain, d.counted,
				"another report of the same deal counts instead: the more precise figure, then the later report")
		}
	}

	// Rule 3: agreements cover their projects.
	for _, d := range counting {
		for _, id := range d.projects {
			if p := deals[dealRef{id: id}]; p != nil && p.counted != nil {
				exclude(p.counted, CoveredByAgreement, d.counted, "the project is covered by an agreement whose amount counts")
				p.counted = nil
			}
		}
	}

	// An amount left out names the one that counts instead, even when the
	// one it was left out for is left out in turn: another report of a
	// project covered by an agreement names the agreement's amount.
	countInstead(sum.Excluded)

	// Rule 4 and grouping.
	groups := map[string]*MoneyGroup{}
	for _, d := range counting {
		a := d.counted
		if a == nil {
			continue
		}
		lower := a.Approximation == "AT_LEAST"
		sum.Total += a.Amount
		sum.TotalIsLowerBound = sum.TotalIsLowerBound || lower
		for _, key := range groupKeys(g, d, opts) {
			grp, ok := groups[key.key]
			if !ok {
				grp = &MoneyGroup{Key: key.key, Label: key.label, ByReportYear: key.byReportYear}
				groups[key.key] = grp
				sum.Groups = append(sum.Groups, grp)
			}
			grp.Total += a.Amount
			grp.IsLowerBound = grp.IsLowerBound || lower
			grp.Amounts = append(grp.Amounts, a)
		}
	}
	slices.SortStableFunc(sum.Groups, func(x, y *MoneyGroup) int {
		return cmp.Or(-cmp.Compare(x.Total, y.Total), cmp.Compare(x.Key, y.Key))
	})
	return sum, nil
}

// countInstead makes every exclusion's CountedInstead the amount that
// counts: while it names an amount that is itself excluded, it names what
// that one was excluded for, and the explanation says so.
func countInstead(excluded []*ExcludedAmount) {
	instead := make(map[*Amount]*ExcludedAmount, len(excluded))
	for _, e := range excluded {
		instead[e.Amount] = e
	}
	for _, e := range excluded {
		// Each step follows an exclusion made before, so there are at most
		// as many steps as exclusions.
		for range excluded {
			next, ok := instead[e.CountedInstead]
			if e.CountedInstead == nil || !ok {
				break
			}
			e.CountedInstead = next.CountedInstead
			e.Explanation += "; that report is left out in turn: " + next.Explanation
		}
	}
}

// precision ranks approximations, most precise first.
func precision(a Approximation) int {
	return slices.Index([]Approximation{"EXACT", "ABOUT", "AT_LEAST", "UP_TO"}, a)
}

type groupKey struct {
	key, label   string
	byReportYear bool
}

var countryNames = map[string]string{"CN": "China", "KZ": "Kazakhstan"}

// homeCountry is the country whose organizations are not counterparties.
const homeCountry = "KZ"

// groupKeys returns the groups a deal's counted amount falls in.
func groupKeys(g MoneyGrouping, d *deal, opts MoneyOptions) []groupKey {
	if len(d.groups) > 0 {
		return d.groups
	}
	switch g {
	case ByCounterpartyCountry:
		return []groupKey{{key: "UNKNOWN", label: "Unknown counterparty"}}
	case ByCompany:
		return []groupKey{{key: "UNKNOWN", label: "No organization named"}}
	case BySector:
		return []groupKey{{key: "UNSPECIFIED", label: "No sector"}}
	}
	// No source dates the deal: the year is not known, unless asked to go
	// by the year of the report, which the group then says.
	if !opts.UndatedByReportYear {
		return []groupKey{{key: "UNDATED", label: "No date in the sources"}}
	}
	var year string
	if len(d.reports[0].published) >= 4 {
		year = d.reports[0].published[:4] // the counted report
	}
	// A group of its own, apart from the deals signed that year.
	return []groupKey{{key: "REPORTED-" + year, label: year + " (year reported; no date in the sources)", byReportYear: true}}
}

// dealGroupFacts are, by grouping, the statement that reads from deal_facts
// what the deals' groups depend on as of a cutoff (?1). Each row: 'group',
// whether the deal is an agreement, its id, the least and the greatest
// value its groups depend on (NULL if none) and a label, which dealGroup
// turns into a group.
var dealGroupFacts = map[MoneyGrouping]string{
	// The countries of the parties but the home country (?2). A party
	// without a country is a multilateral organization.
	ByCounterpartyCountry: `
		SELECT 'group', agreement, deal_id, min(nullif(country, ?2)), max(nullif(country, ?2)), ''
		FROM deal_facts WHERE fact = 'party' AND reported <= ?1 GROUP BY agreement, deal_id`,
	ByCompany: `
		SELECT 'group', agreement, deal_id, value, value, name FROM deal_facts WHERE fact = 'party' AND reported <= ?1`,
	BySector: `
		SELECT 'group', agreement, deal_id, min(value), max(value), '' FROM deal_facts WHERE fact = 'sector' AND reported <= ?1
		GROUP BY agreement, deal_id`,
	ByYear: `
		SELECT 'group', agreement, deal_id, value, value, '' FROM deal_facts WHERE fact = 'year' AND reported <= ?1`,
}

// dealProjects follows a statement of dealGroupFacts with the projects with
// amounts that agreements cover: rows of 'project', 1, the agreement's id
// and the project's, twice.
const dealProjects = `
	UNION ALL
	SELECT 'project', agreement, deal_id, value, value, '' FROM deal_facts WHERE fact = 'project'`

// dealGroup returns the group a row of dealGroupFacts[g] puts a deal in,
// if any.
func dealGroup(g MoneyGrouping, least, greatest sql.NullString, label string) (groupKey, bool) {
	several := least.String != greatest.String
	switch g {
	case ByCounterpartyCountry:
		c := least.String
		switch {
		case !least.Valid:
			return groupKey{key: "UNKNOWN", label: "Unknown counterparty"}, true
		case several:
			return groupKey{key: "MULTIPLE", label: "Several counterparty countries"}, true
		case c == "":
			c = "MULTILATERAL"
		}
		return groupKey{key: c, label: cmp.Or(countryNames[c], c)}, true
	case ByCompany:
		return groupKey{key: least.String, label: label}, true
	case BySector:
		if several {
			return groupKey{key: "MULTIPLE", label: "Several sectors"}, true
		}
		return groupKey{key: least.String, label: sectorLabel(least.String)}, true
	}
	return groupKey{key: least.String, label: least.String}, least.String != ""
}

func sectorLabel(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "_", " "))
	return strings.ToUpper(s[:1]) + s[1:]
}

// reportedAmounts reads the amounts visible under ctx, in id order, with
// the publication dates of their reports (which is when they were reported).
func (s *Store) reportedAmounts(ctx context.Context) ([]reportedAmount, error) {
	amounts, err := queryAll(ctx, s, func(r rowScanner) (reportedAmount, error) {
		var ra reportedAmount
		a, err := scanAmount(r, &ra.published)
		ra.Amount = a
		return ra, err
	}, `SELECT s.published_start, `+amountColumns+` FROM amounts x JOIN sources s ON s.id = x.source_id
		WHERE x.reported <= ? ORDER BY x.id`, cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("money summary: %w", err)
	}
	return amounts, nil
}

// dealFacts reads what grouping by g needs to know about the deals with
// amounts, as of the cutoff under ctx, in one statement: their groups and
// the projects with amounts that agreements cover.
func (s *Store) dealFacts(ctx context.Context, g MoneyGrouping) (map[dealRef]*deal, error) {
	args := []any{cutoff(ctx)}
	if g == ByCounterpartyCountry {
		args = append(args, homeCountry)
	}
	deals := map[dealRef]*deal{}
	err := s.each(ctx, func(r rowScanner) error {
		var (
			fact, label     string
			k               dealRef
			least, greatest sql.NullString
		)
		if err := r.Scan(&fact, &k.agreement, &k.id, &least, &greatest, &label); err != nil {
			return err
		}
		d := deals[k]
		if d == nil {
			d = &deal{}
			deals[k] = d
		}
		if fact == "project" {
			id, err := strconv.ParseInt(least.String, 10, 64)
			if err != nil {
				return fmt.Errorf("project %q: %w", least.String, err)
			}
			d.projects = append(d.projects, id)
		} else if key, ok := dealGroup(g, least, greatest, label); ok {
			d.groups = append(d.groups, key)
		}
		return nil
	}, dealGroupFacts[g]+dealProjects, args...)
	if err != nil {
		return nil, fmt.Errorf("money summary: %w", err)
	}
	// An agreement's projects are taken in the text order of their ids, the
	// order in which summaries have always listed the amounts they cover.
	for _, d := range deals {
		slices.SortFunc(d.projects, func(x, y int64) int {
			return strings.Compare(strconv.FormatInt(x, 10), strconv.FormatInt(y, 10))
		})
	}
	return deals, nil
}

// each runs a query and calls row for each row.
func (s *Store) each(ctx context.Context, row func(rowScanner) error, query string, args ...any) error {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
