package oracle

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Dates returns the asOf dates worth comparing: no date, every source
// publication day and the day before it, a few years and months, and n
// random days between the first publication and a year after the last. At
// most limit dates besides "" are kept (all when limit <= 0), drawn evenly.
func (o *Oracle) Dates(n, limit int, seed uint64) []string {
	days := o.PublicationDays()
	if len(days) == 0 {
		return []string{""}
	}
	set := map[string]bool{}
	var first, last time.Time
	for _, d := range days {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			continue
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
		set[d] = true
		set[t.AddDate(0, 0, -1).Format(time.DateOnly)] = true
		set[t.Format("2006-01")] = true
		set[t.Format("2006")] = true
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	span := int(last.AddDate(1, 0, 0).Sub(first).Hours()/24) + 1
	for range n {
		set[first.AddDate(0, 0, r.IntN(span)).Format(time.DateOnly)] = true
	}
	var dates []string
	for d := range set {
		dates = append(dates, d)
	}
	sort.Strings(dates)
	if limit > 0 && len(dates) > limit {
		picked := make([]string, 0, limit)
		for i := range limit {
			picked = append(picked, dates[i*len(dates)/limit])
		}
		dates = picked
	}
	return append([]string{""}, dates...)
}

// fields each root list's walk selects.
var selections = map[string]string{
	"companies":  `slug projects { role project { slug } } agreements { slug }`,
	"people":     `slug`,
	"projects":   `slug participants { role company { slug } } measurements { ` + figureFields + ` } capacityHistory { ` + figureFields + ` }`,
	"meetings":   `slug participants { slug }`,
	"agreements": `slug`,
}

// figureFields is what each measurement is compared by.
const figureFields = `metric label value unit approximation asOf status citation { paragraph source { title publishedOn } }`

type node struct {
	Slug     string
	Projects []struct {
		Role    string
		Project struct{ Slug string }
	}
	Agreements   []struct{ Slug string }
	Participants []struct {
		Slug    string // a meeting's participant
		Role    string // a project's participant
		Company struct{ Slug string }
	}
	Measurements    []measurement
	CapacityHistory []measurement
}

type measurement struct {
	Metric, Unit, Approximation, AsOf, Status string
	Label                                     *string
	Value                                     float64
	Citation                                  struct {
		Paragraph int64
		Source    struct{ Title, PublishedOn string }
	}
}

// capacity are the metrics capacityHistory lists, as the schema describes
// it: production, processing, power, heat and throughput capacity.
var capacity = map[string]bool{
	"PRODUCTION_CAPACITY": true, "PROCESSING_CAPACITY": true, "POWER_CAPACITY": true,
	"HEAT_CAPACITY": true, "THROUGHPUT_CAPACITY": true,
}

func (m measurement) String() string {
	label := ""
	if m.Label != nil {
		label = *m.Label
	}
	return fmt.Sprintf("%s %q %s %s %s %s %s @%s %s ¶%d", m.Metric, label, strconv.FormatFloat(m.Value, 'g', -1, 64), m.Unit,
		m.Approximation, m.AsOf, m.Status, m.Citation.Source.PublishedOn, m.Citation.Source.Title, m.Citation.Paragraph)
}

func (f Figure) String() string {
	return fmt.Sprintf("%s %q %s %s %s %s %s @%s %s ¶%d", strings.ToUpper(f.Metric), f.Label, strconv.FormatFloat(f.Value, 'g', -1, 64), f.Unit,
		strings.ToUpper(f.Approximation), f.AsOf, strings.ToUpper(f.Status), f.PublishedOn, f.Source, f.Paragraph)
}

type page struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage bool
		EndCursor   string
	}
	Edges []struct{ Node node }
}

// Partial counts the dates at which some, but not all, of the objects of
// every root list are visible: the dates that can tell a cut-off from
// none.
func (o *Oracle) Partial(t testing.TB, dates []string) int {
	t.Helper()
	all, err := o.As("")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, date := range dates {
		v, err := o.As(date)
		if err != nil {
			t.Fatal(err)
		}
		partial := true
		for _, list := range Kinds {
			if k := len(v.Lists[list]); k == 0 || k == len(all.Lists[list]) {
				partial = false
			}
		}
		if partial {
			n++
		}
	}
	return n
}

// Coverage sums, over some dates, what the oracle shows beyond the root
// lists, so a test can tell that a comparison had something to compare.
type Coverage struct {
	Figures, Capacity, ProjectParticipants, MeetingParticipants int
	// Waiting sums the figures held back only because their owner is not
	// yet visible.
	Waiting int
}

// Covers returns the coverage of dates.
func (o *Oracle) Covers(t testing.TB, dates []string) Coverage {
	t.Helper()
	var c Coverage
	for _, date := range dates {
		v, err := o.As(date)
		if err != nil {
			t.Fatal(err)
		}
		for _, figures := range v.Figures {
			c.Figures += len(figures)
			for _, f := range figures {
				if capacity[strings.ToUpper(f.Metric)] {
					c.Capacity++
				}
			}
		}
		for _, p := range v.Participants {
			c.ProjectParticipants += len(p)
		}
		for _, p := range v.Attendees {
			c.MeetingParticipants += len(p)
		}
		c.Waiting += v.Waiting
	}
	return c
}

// Compare checks, for each date, every root list's totalCount and the
// slugs of a full forward walk; each visible company's participations and
// agreements; each visible project's participants, measurements and
// capacityHistory; each visible meeting's participants; and
// aggregates.counts, against the oracle's view.
func Compare(t testing.TB, h http.Handler, o *Oracle, dates []string) {
	t.Helper()
	CompareCounts(t, h, o, dates)
	for _, date := range dates {
		want, err := o.As(date)
		if err != nil {
			t.Fatal(err)
		}
		for _, list := range Kinds {
			total, nodes := walk(t, h, list, date)
			label := fmt.Sprintf("asOf %q: %s", date, list)
			if date == "" {
				label = "no asOf: " + list
			}
			if total != len(want.Lists[list]) {
				t.Errorf("%s: totalCount %d, oracle %d", label, total, len(want.Lists[list]))
			}
			got := map[string]bool{}
			for _, n := range nodes {
				if got[n.Slug] {
					t.Errorf("%s: %s twice in the walk", label, n.Slug)
				}
				got[n.Slug] = true
			}
			if total != len(nodes) {
				t.Errorf("%s: totalCount %d, but the walk gave %d", label, total, len(nodes))
			}
			if extra, missing := diff(got, want.Lists[list]); len(extra)+len(missing) > 0 {
				t.Errorf("%s: API shows %v the oracle hides, hides %v the oracle shows", label, extra, missing)
			}
			switch list {
			case "projects":
				compareProjects(t, label, nodes, want)
				continue
			case "meetings":
				for _, n := range nodes {
					var got []string
					for _, p := range n.Participants {
						got = append(got, p.Slug)
					}
					if !sameBag(got, want.Attendees[n.Slug]) {
						t.Errorf("%s: %s participants %v, oracle %v", label, n.Slug, sorted(got), sorted(want.Attendees[n.Slug]))
					}
				}
				continue
			case "companies":
			default:
				continue
			}
			for _, n := range nodes {
				var gotParts, wantParts []string
				for _, p := range n.Projects {
					gotParts = append(gotParts, p.Project.Slug+" "+p.Role)
				}
				for _, p := range want.Projects[n.Slug] {
					wantParts = append(wantParts, p.Project+" "+strings.ToUpper(p.Role))
				}
				if !sameBag(gotParts, wantParts) {
					t.Errorf("%s: %s projects %v, oracle %v", label, n.Slug, sorted(gotParts), sorted(wantParts))
				}
				var gotAgr []string
				for _, a := range n.Agreements {
					gotAgr = append(gotAgr, a.Slug)
				}
				if !sameBag(gotAgr, want.Agreements[n.Slug]) {
					t.Errorf("%s: %s agreements %v, oracle %v", label, n.Slug, sorted(gotAgr), sorted(want.Agreements[n.Slug]))
				}
			}
		}
	}
}

// compareProjects checks each visible project's participants, measurements
// and capacityHistory against the oracle's view.
func compareProjects(t testing.TB, label string, nodes []node, want View) {
	t.Helper()
	for _, n := range nodes {
		var gotParts, wantParts []string
		for _, p := range n.Participants {
			gotParts = append(gotParts, p.Company.Slug+" "+p.Role)
		}
		for _, p := range want.Participants[n.Slug] {
			wantParts = append(wantParts, p.Project+" "+strings.ToUpper(p.Role))
		}
		if !sameBag(gotParts, wantParts) {
			t.Errorf("%s: %s participants %v, oracle %v", label, n.Slug, sorted(gotParts), sorted(wantParts))
		}
		var all, capacities []string
		for _, f := range want.Figures[n.Slug] {
			all = append(all, f.String())
			if capacity[strings.ToUpper(f.Metric)] {
				capacities = append(capacities, f.String())
			}
		}
		for _, field := range []struct {
			name string
			got  []measurement
			want []string
		}{{"measurements", n.Measurements, all}, {"capacityHistory", n.CapacityHistory, capacities}} {
			var got []string
			for _, m := range field.got {
				got = append(got, m.String())
			}
			if !sameBag(got, field.want) {
				t.Errorf("%s: %s %s\n  API    %q\n  oracle %q", label, n.Slug, field.name, sorted(got), sorted(field.want))
			}
			if err := inAsOfOrder(field.got); err != nil {
				t.Errorf("%s: %s %s: %v", label, n.Slug, field.name, err)
			}
		}
	}
}

// inAsOfOrder checks the schema's order of figures: by the period asOf
// covers, its start, then its end, actual before target at the same date.
func inAsOfOrder(figures []measurement) error {
	var prev []string
	for i, m := range figures {
		start, end, err := span(m.AsOf)
		if err != nil {
			return err
		}
		k := []string{start, end, m.Status}
		if i > 0 && slices.Compare(prev, k) > 0 {
			return fmt.Errorf("figure %d (%s) after %v", i, m, prev)
		}
		prev = k
	}
	return nil
}

// span is the first and last day a PartialDate covers: YYYY, YYYY-Hn,
// YYYY-Qn, YYYY-MM or YYYY-MM-DD.
func span(date string) (string, string, error) {
	var year, part int
	var first time.Time
	var months, days int
	switch {
	case len(date) == 7 && date[5] == 'H':
		if _, err := fmt.Sscanf(date, "%4d-H%1d", &year, &part); err != nil || part < 1 || part > 2 {
			return "", "", fmt.Errorf("bad date %q", date)
		}
		first, months = time.Date(year, time.Month(6*part-5), 1, 0, 0, 0, 0, time.UTC), 6
	case len(date) == 7 && date[5] == 'Q':
		if _, err := fmt.Sscanf(date, "%4d-Q%1d", &year, &part); err != nil || part < 1 || part > 4 {
			return "", "", fmt.Errorf("bad date %q", date)
		}
		first, months = time.Date(year, time.Month(3*part-2), 1, 0, 0, 0, 0, time.UTC), 3
	default:
		var err error
		for _, l := range []struct {
			layout       string
			months, days int
		}{{"2006", 12, 0}, {"2006-01", 1, 0}, {"2006-01-02", 0, 1}} {
			if first, err = time.Parse(l.layout, date); err == nil {
				months, days = l.months, l.days
				break
			}
		}
		if err != nil {
			return "", "", fmt.Errorf("bad date %q", date)
		}
	}
	return first.Format(time.DateOnly), first.AddDate(0, months, days-1).Format(time.DateOnly), nil
}

// CompareCounts checks aggregates.counts as of each date against the
// oracle's view.
func CompareCounts(t testing.TB, h http.Handler, o *Oracle, dates []string) {
	t.Helper()
	const fields = `counts { companies people projects meetings agreements sources measurements amounts }`
	for _, date := range dates {
		want, err := o.As(date)
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ Counts Counts }
		if date == "" {
			var d struct{ Aggregates *struct{ Counts Counts } }
			decode(t, post(t, h, `{ aggregates { `+fields+` } }`, nil), &d)
			got.Counts = d.Aggregates.Counts
		} else {
			var d struct {
				View struct{ Aggregates struct{ Counts Counts } }
			}
			decode(t, post(t, h, `query($date: PartialDate!) { view: asOf(date: $date) { aggregates { `+fields+` } } }`, map[string]any{"date": date}), &d)
			got.Counts = d.View.Aggregates.Counts
		}
		if got.Counts != want.Counts {
			t.Errorf("asOf %q: aggregates.counts %+v, oracle %+v", date, got.Counts, want.Counts)
		}
	}
}

// walk pages through a root list, 100 at a time, under asOf date ("" for
// none), and returns its totalCount and every node.
func walk(t testing.TB, h http.Handler, list, date string) (int, []node) {
	t.Helper()
	query := fmt.Sprintf(`query($after: String) { %s(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { %s } } } }`, list, selections[list])
	if date != "" {
		query = fmt.Sprintf(`query($after: String, $date: PartialDate!) { view: asOf(date: $date) { %s(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { %s } } } } }`, list, selections[list])
	}
	var nodes []node
	total := -1
	vars := map[string]any{"after": nil}
	if date != "" {
		vars["date"] = date
	}
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatalf("%s as of %q: the walk does not end", list, date)
		}
		data := post(t, h, query, vars)
		var p page
		if date == "" {
			var d map[string]page
			decode(t, data, &d)
			p = d[list]
		} else {
			var d struct{ View map[string]page }
			decode(t, data, &d)
			p = d.View[list]
		}
		if total >= 0 && p.TotalCount != total {
			t.Errorf("%s as of %q: totalCount changed from %d to %d while paging", list, date, total, p.TotalCount)
		}
		total = p.TotalCount
		for _, e := range p.Edges {
			nodes = append(nodes, e.Node)
		}
		if !p.PageInfo.HasNextPage {
			return total, nodes
		}
		vars["after"] = p.PageInfo.EndCursor
	}
}

func post(t testing.TB, h http.Handler, query string, vars map[string]any) json.RawMessage {
	t.Helper()
	code, data, errs, body := send(t, h, query, vars)
	if code != http.StatusOK || len(errs) > 0 {
		t.Fatalf("status %d: %s\nquery: %s %v", code, body, query, vars)
	}
	return data
}

func decode(t testing.TB, data json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}

// diff returns the keys only in got and those only in want, sorted.
func diff(got, want map[string]bool) (extra, missing []string) {
	for k := range got {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	for k := range want {
		if !got[k] {
			missing = append(missing, k)
		}
	}
	return sorted(extra), sorted(missing)
}

func sameBag(a, b []string) bool { return slices.Equal(sorted(a), sorted(b)) }

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	if s == nil {
		s = []string{}
	}
	return s
}
