package oracle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
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
	"projects":   `slug`,
	"meetings":   `slug`,
	"agreements": `slug`,
}

type node struct {
	Slug     string
	Projects []struct {
		Role    string
		Project struct{ Slug string }
	}
	Agreements []struct{ Slug string }
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

// Compare checks, for each date, every root list's totalCount and the
// slugs of a full forward walk, and each visible company's participations
// and agreements, against the oracle's view.
func Compare(t testing.TB, h http.Handler, o *Oracle, dates []string) {
	t.Helper()
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
			if list != "companies" {
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
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp struct {
		Data   json.RawMessage
		Errors []json.RawMessage
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || rec.Code != http.StatusOK || len(resp.Errors) > 0 {
		t.Fatalf("status %d: %s\nquery: %s %v", rec.Code, rec.Body.String(), query, vars)
	}
	return resp.Data
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
