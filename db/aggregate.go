package db

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
)

// Counts is how many objects of each kind there are.
type Counts struct {
	Companies, People, Projects, Meetings, Agreements, Sources, Measurements, Amounts int
}

// Count counts the objects of each kind visible under ctx, in one statement.
func (s *Store) Count(ctx context.Context) (*Counts, error) {
	var c Counts
	at := cutoff(ctx)
	err := s.queryRow(ctx, `SELECT
		(SELECT count(*) FROM companies WHERE first_reported <= ?1),
		(SELECT count(*) FROM people WHERE first_reported <= ?1),
		(SELECT count(*) FROM projects WHERE first_reported <= ?1),
		(SELECT count(*) FROM meetings WHERE first_reported <= ?1),
		(SELECT count(*) FROM agreements WHERE first_reported <= ?1),
		(SELECT count(*) FROM sources WHERE published_start <= ?1),
		(SELECT count(*) FROM measurements WHERE reported <= ?1),
		(SELECT count(*) FROM amounts WHERE reported <= ?1)`, at).
		Scan(&c.Companies, &c.People, &c.Projects, &c.Meetings, &c.Agreements, &c.Sources, &c.Measurements, &c.Amounts)
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
}

// ExcludedAmount is an amount left out of a total, and why.
type ExcludedAmount struct {
	Amount         *Amount
	Reason         ExclusionReason
	Explanation    string
	CountedInstead *Amount
}

// deal is an agreement or a project: the thing amounts are reported for.
type deal struct {
	kind     string // "agreement" or "project"
	id       int64
	year     string // signing year of an agreement, if known
	sectors  []string
	parties  []dealParty
	projects []int64 // projects an agreement covers
}

type dealParty struct{ slug, name, country string }

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
	if !slices.Contains([]MoneyGrouping{ByCounterpartyCountry, ByCompany, BySector, ByYear}, g) {
		return nil, Errorf(EINVALID, "cannot group money by %q", g)
	}
	if currency = strings.ToUpper(strings.TrimSpace(currency)); len(currency) != 3 {
		return nil, Errorf(EINVALID, "currency %q is not an ISO 4217 code such as USD", currency)
	}
	amounts, deals, err := s.dealsAndAmounts(ctx)
	if err != nil {
		return nil, err
	}
	sum := &MoneySummary{GroupBy: g, Currency: currency, GroupsOverlap: g == ByCompany}
	exclude := func(a *Amount, r ExclusionReason, instead *Amount, why string) {
		sum.Excluded = append(sum.Excluded, &ExcludedAmount{Amount: a, Reason: r, Explanation: why, CountedInstead: instead})
	}

	// Rules 1 and 2: one amount per deal.
	byDeal := map[string][]reportedAmount{}
	var dealKeys []string
	for _, a := range amounts {
		switch {
		case a.Currency != currency:
			exclude(a.Amount, OtherCurrency, nil, fmt.Sprintf("reported in %s, not %s", a.Currency, currency))
		case a.Approximation == "UP_TO":
			exclude(a.Amount, UpperBoundOnly, nil, "an \"up to\" figure is a ceiling, not an amount committed")
		default:
			k := dealKey(a.Amount)
			if _, ok := byDeal[k]; !ok {
				dealKeys = append(dealKeys, k)
			}
			byDeal[k] = append(byDeal[k], a)
		}
	}
	counted := map[string]*Amount{}
	for _, k := range dealKeys {
		reports := byDeal[k]
		slices.SortStableFunc(reports, func(x, y reportedAmount) int {
			return cmp.Or(cmp.Compare(precision(x.Approximation), precision(y.Approximation)),
				-cmp.Compare(x.published, y.published), cmp.Compare(x.ID, y.ID))
		})
		counted[k] = reports[0].Amount
		for _, r := range reports[1:] {
			exclude(r.Amount, SameDealReportedAgain, reports[0].Amount,
				"another report of the same deal counts instead: the more precise figure, then the later report")
		}
	}

	// Rule 3: agreements cover their projects.
	for _, k := range dealKeys {
		d := deals[k]
		if d.kind != "agreement" {
			continue
		}
		for _, pid := range d.projects {
			pk := fmt.Sprintf("project:%d", pid)
			if a, ok := counted[pk]; ok {
				exclude(a, CoveredByAgreement, counted[k], "the project is covered by an agreement whose amount counts")
				delete(counted, pk)
			}
		}
	}

	// Rule 4 and grouping.
	groups := map[string]*MoneyGroup{}
	for _, k := range dealKeys {
		a, ok := counted[k]
		if !ok {
			continue
		}
		lower := a.Approximation == "AT_LEAST"
		sum.Total += a.Amount
		sum.TotalIsLowerBound = sum.TotalIsLowerBound || lower
		for _, key := range groupKeys(g, deals[k], byDeal[k]) {
			grp, ok := groups[key.key]
			if !ok {
				grp = &MoneyGroup{Key: key.key, Label: key.label}
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

func dealKey(a *Amount) string {
	if a.AgreementID != nil {
		return fmt.Sprintf("agreement:%d", *a.AgreementID)
	}
	return fmt.Sprintf("project:%d", *a.ProjectID)
}

// precision ranks approximations, most precise first.
func precision(a Approximation) int {
	return slices.Index([]Approximation{"EXACT", "ABOUT", "AT_LEAST", "UP_TO"}, a)
}

type groupKey struct{ key, label string }

var countryNames = map[string]string{"CN": "China", "KZ": "Kazakhstan"}

// groupKeys returns the groups a deal's counted amount falls in.
func groupKeys(g MoneyGrouping, d *deal, reports []reportedAmount) []groupKey {
	switch g {
	case ByCounterpartyCountry:
		countries := map[string]bool{}
		for _, p := range d.parties {
			switch p.country {
			case "KZ":
			case "":
				countries["MULTILATERAL"] = true
			default:
				countries[p.country] = true
			}
		}
		switch len(countries) {
		case 0:
			return []groupKey{{"UNKNOWN", "Unknown counterparty"}}
		case 1:
			for c := range countries {
				return []groupKey{{c, cmp.Or(countryNames[c], c)}}
			}
		}
		return []groupKey{{"MULTIPLE", "Several counterparty countries"}}
	case ByCompany:
		var keys []groupKey
		for _, p := range d.parties {
			keys = append(keys, groupKey{p.slug, p.name})
		}
		if len(keys) == 0 {
			return []groupKey{{"UNKNOWN", "No organization named"}}
		}
		return keys
	case BySector:
		switch len(d.sectors) {
		case 0:
			return []groupKey{{"UNSPECIFIED", "No sector"}}
		case 1:
			return []groupKey{{d.sectors[0], sectorLabel(d.sectors[0])}}
		}
		return []groupKey{{"MULTIPLE", "Several sectors"}}
	}
	year := d.year
	if year == "" && len(reports[0].published) >= 4 {
		year = reports[0].published[:4] // reports[0] is the counted report
	}
	return []groupKey{{year, year}}
}

func sectorLabel(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "_", " "))
	return strings.ToUpper(s[:1]) + s[1:]
}

// dealsAndAmounts reads the amounts visible under ctx and what the rule
// needs to know about the deals they belong to.
func (s *Store) dealsAndAmounts(ctx context.Context) ([]reportedAmount, map[string]*deal, error) {
	at := cutoff(ctx)
	amounts, err := queryAll(ctx, s, func(r rowScanner) (reportedAmount, error) {
		var ra reportedAmount
		a, err := scanAmount(r, &ra.published)
		ra.Amount = a
		return ra, err
	}, `SELECT s.published_start, `+amountColumns+`
		FROM amounts x JOIN sources s ON s.id = x.source_id
		WHERE x.reported <= ? ORDER BY x.id`, at)
	if err != nil {
		return nil, nil, fmt.Errorf("money summary: %w", err)
	}
	// Everything about deals in one statement: one row per (deal, fact).
	rows, err := s.query(ctx, `
		SELECT 'agreement', a.id, 'year', substr(a.signed_start, 1, 4), '', '' FROM agreements a
			WHERE a.first_reported <= ?1 AND a.signed_start IS NOT NULL
		UNION ALL
		SELECT 'agreement', l.agreement_id, 'party', c.slug, c.name, coalesce(c.country, '')
			FROM agreement_parties l JOIN companies c ON c.id = l.company_id WHERE c.first_reported <= ?1
		UNION ALL
		SELECT 'agreement', l.agreement_id, 'project', CAST(l.project_id AS TEXT), '', '' FROM agreement_projects l
		UNION ALL
		SELECT 'agreement', l.agreement_id, 'sector', p.sector, '', ''
			FROM agreement_projects l JOIN projects p ON p.id = l.project_id WHERE p.first_reported <= ?1
		UNION ALL
		SELECT 'project', p.id, 'sector', p.sector, '', '' FROM projects p WHERE p.first_reported <= ?1
		UNION ALL
		SELECT 'project', pp.project_id, 'party', c.slug, c.name, coalesce(c.country, '')
			FROM project_participants pp JOIN companies c ON c.id = pp.company_id WHERE pp.first_reported <= ?1
		ORDER BY 1, 2, 3, 4`, at)
	if err != nil {
		return nil, nil, fmt.Errorf("money summary: %w", err)
	}
	defer rows.Close()
	deals := map[string]*deal{}
	for rows.Next() {
		var (
			kind, fact, v1, v2, v3 string
			id                     int64
		)
		if err := rows.Scan(&kind, &id, &fact, &v1, &v2, &v3); err != nil {
			return nil, nil, fmt.Errorf("money summary: %w", err)
		}
		k := fmt.Sprintf("%s:%d", kind, id)
		d, ok := deals[k]
		if !ok {
			d = &deal{kind: kind, id: id}
			deals[k] = d
		}
		switch fact {
		case "year":
			d.year = v1
		case "party":
			if !slices.ContainsFunc(d.parties, func(p dealParty) bool { return p.slug == v1 }) {
				d.parties = append(d.parties, dealParty{v1, v2, v3})
			}
		case "project":
			var pid int64
			fmt.Sscan(v1, &pid)
			d.projects = append(d.projects, pid)
		case "sector":
			if !slices.Contains(d.sectors, v1) {
				d.sectors = append(d.sectors, v1)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("money summary: %w", err)
	}
	for _, a := range amounts {
		if k := dealKey(a.Amount); deals[k] == nil {
			deals[k] = &deal{}
		}
	}
	return amounts, deals, nil
}
