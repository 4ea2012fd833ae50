package oracle

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// This file compares what the API answers with the extended model: every
// relation, the orderings and filters with paging in both directions,
// lookups, neighborhood, paths, timeline, search and money.

// relationSelections select, per list, every field of relationFields.
var relationSelections = map[string]string{
	"companies": `slug parent { slug } subsidiaries { slug } positions { title person { slug } } meetings { slug }
		measurements { metric value asOf status citation { paragraph source { title } } } citations { paragraph source { title } }`,
	"people": `slug positions { title organization { slug } } meetings { slug } citations { paragraph source { title } } statements { slug }`,
	"projects": `slug amounts { amount currency approximation citation { paragraph source { title } } } agreements { slug }
		meetings { slug } milestones { name date status citation { paragraph } } citations { paragraph source { title } }`,
	"meetings": `slug organizations { slug } projects { slug } agreements { slug } citations { paragraph source { title } } event { slug } statements { slug }`,
	"agreements": `slug parties { slug } signatories { slug } projects { slug } meeting { slug }
		amounts { amount currency approximation citation { paragraph source { title } } } citations { paragraph source { title } }
		event { slug } partOf { slug } parts { slug }`,
}

type obj = map[string]any

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case nil:
		return "-"
	}
	return fmt.Sprint(v)
}

func field(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(obj)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// flatten turns one relation field of an API node into the model's strings.
func flatten(name string, v any) []string {
	var items []any
	switch x := v.(type) {
	case nil:
		return []string{}
	case []any:
		items = x
	default:
		items = []any{x}
	}
	out := []string{}
	for _, it := range items {
		var s string
		switch name {
		case "positions":
			other := field(it, "person", "slug")
			if other == nil {
				other = field(it, "organization", "slug")
			}
			s = str(other) + " " + str(field(it, "title"))
		case "measurements":
			s = fmt.Sprintf("%s %s %s %s %s ¶%s", str(field(it, "metric")), str(field(it, "value")), str(field(it, "asOf")),
				str(field(it, "status")), str(field(it, "citation", "source", "title")), str(field(it, "citation", "paragraph")))
		case "amounts":
			s = fmt.Sprintf("%s %s %s %s ¶%s", str(field(it, "amount")), str(field(it, "currency")), str(field(it, "approximation")),
				str(field(it, "citation", "source", "title")), str(field(it, "citation", "paragraph")))
		case "milestones":
			s = fmt.Sprintf("%s %s %s ¶%s", str(field(it, "name")), str(field(it, "date")), str(field(it, "status")), str(field(it, "citation", "paragraph")))
		case "citations":
			s = fmt.Sprintf("%s ¶%s", str(field(it, "source", "title")), str(field(it, "paragraph")))
		default:
			s = str(field(it, "slug"))
		}
		out = append(out, s)
	}
	return out
}

// listPage is one page of a root list, decoded loosely.
type listPage struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage, HasPreviousPage bool
		StartCursor, EndCursor       *string
	}
	Edges []struct {
		Cursor string
		Node   obj
	}
}

// walkArgs says how to walk a root list.
type walkArgs struct {
	list, date, selection string
	size                  int
	backward              bool
	order                 string // "FIELD ASC" or ""
	filter                obj
}

// walkList pages through a root list and returns its totalCount and the
// nodes in list order (a backward walk is put back into list order). It
// checks every page's cursors and paging flags on the way.
func walkList(t testing.TB, h http.Handler, a walkArgs) (int, []obj) {
	t.Helper()
	args, params := []string{}, []string{}
	vars := map[string]any{}
	if a.backward {
		args = append(args, fmt.Sprintf("last: %d, before: $cursor", a.size))
	} else {
		args = append(args, fmt.Sprintf("first: %d, after: $cursor", a.size))
	}
	params = append(params, "$cursor: String")
	if a.order != "" {
		f, dir, _ := strings.Cut(a.order, " ")
		args = append(args, fmt.Sprintf("orderBy: {field: %s, direction: %s}", f, dir))
	}
	if a.filter != nil {
		args = append(args, "filter: $filter")
		params = append(params, "$filter: "+filterTypes[a.list])
		vars["filter"] = a.filter
	}
	body := fmt.Sprintf(`%s(%s) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { %s } } }`,
		a.list, strings.Join(args, ", "), a.selection)
	if a.date != "" {
		params = append(params, "$date: PartialDate!")
		vars["date"] = a.date
		body = `view: asOf(date: $date) { ` + body + ` }`
	}
	query := fmt.Sprintf(`query(%s) { %s }`, strings.Join(params, ", "), body)
	label := fmt.Sprintf("%s %s %v size %d backward %v asOf %q", a.list, a.order, a.filter, a.size, a.backward, a.date)
	var pages [][]obj
	total := -1
	vars["cursor"] = nil
	for n := 0; ; n++ {
		if n > 5000 {
			t.Fatalf("%s: the walk does not end", label)
		}
		var p listPage
		data := post(t, h, query, vars)
		if a.date != "" {
			var d struct{ View map[string]listPage }
			decode(t, data, &d)
			p = d.View[a.list]
		} else {
			var d map[string]listPage
			decode(t, data, &d)
			p = d[a.list]
		}
		if total >= 0 && p.TotalCount != total {
			t.Errorf("%s: totalCount %d, then %d", label, total, p.TotalCount)
		}
		total = p.TotalCount
		var nodes []obj
		for _, e := range p.Edges {
			nodes = append(nodes, e.Node)
		}
		if len(p.Edges) > a.size {
			t.Errorf("%s: a page of %d asked for %d", label, len(p.Edges), a.size)
		}
		if len(p.Edges) == 0 {
			if p.PageInfo.StartCursor != nil || p.PageInfo.EndCursor != nil {
				t.Errorf("%s: an empty page with cursors %v %v", label, p.PageInfo.StartCursor, p.PageInfo.EndCursor)
			}
		} else if p.PageInfo.StartCursor == nil || *p.PageInfo.StartCursor != p.Edges[0].Cursor ||
			p.PageInfo.EndCursor == nil || *p.PageInfo.EndCursor != p.Edges[len(p.Edges)-1].Cursor {
			t.Errorf("%s: pageInfo cursors %v %v are not the page's first and last edge cursors", label, p.PageInfo.StartCursor, p.PageInfo.EndCursor)
		}
		more := p.PageInfo.HasNextPage
		if a.backward {
			more = p.PageInfo.HasPreviousPage
			pages = append([][]obj{nodes}, pages...)
		} else {
			pages = append(pages, nodes)
		}
		if !more {
			if len(p.Edges) == a.size && sumLen(pages) < total {
				t.Errorf("%s: no more pages after %d of %d", label, sumLen(pages), total)
			}
			break
		}
		if len(p.Edges) == 0 {
			t.Errorf("%s: an empty page says more follow", label)
			break
		}
		if a.backward {
			vars["cursor"] = *p.PageInfo.StartCursor
		} else {
			vars["cursor"] = *p.PageInfo.EndCursor
		}
	}
	var all []obj
	for _, p := range pages {
		all = append(all, p...)
	}
	return total, all
}

func sumLen(pages [][]obj) int {
	n := 0
	for _, p := range pages {
		n += len(p)
	}
	return n
}

// lookupField is the root field that looks one object of each list up.
var lookupField = map[string]string{"companies": "company", "people": "person", "projects": "project", "agreements": "agreement"}

var filterTypes = map[string]string{
	"companies": "CompanyFilter", "people": "PersonFilter", "projects": "ProjectFilter",
	"meetings": "MeetingFilter", "agreements": "AgreementFilter",
}

func slugsOf(nodes []obj) []string {
	out := []string{}
	for _, n := range nodes {
		out = append(out, str(n["slug"]))
	}
	return out
}

// CompareRelations checks every relation field of every visible object
// against the model, as of each date, and returns how many items each
// field ("companies.parent") held over all dates, so a test can tell that
// there was something to compare.
func CompareRelations(t testing.TB, h http.Handler, o *Oracle, dates []string) map[string]int {
	t.Helper()
	seen := map[string]int{}
	for _, date := range dates {
		w, err := o.world(date)
		if err != nil {
			t.Fatal(err)
		}
		want := w.relations()
		for list, fields := range relationFields {
			_, nodes := walkList(t, h, walkArgs{list: list, date: date, selection: relationSelections[list], size: 50})
			if len(nodes) == 0 {
				continue
			}
			for _, n := range nodes {
				r := ref(list, str(n["slug"]))
				for _, f := range fields {
					got, exp := flatten(f, n[f]), want[r][f]
					seen[list+"."+f] += len(exp)
					if !sameBag(got, exp) {
						t.Errorf("asOf %q: %s %s\n  API    %q\n  oracle %q", date, r, f, sorted(got), sorted(exp))
					}
				}
			}
		}
	}
	return seen
}

// Empty lists the relation fields that held nothing in seen.
func Empty(seen map[string]int) []string {
	var out []string
	for list, fields := range relationFields {
		for _, f := range fields {
			if seen[list+"."+f] == 0 {
				out = append(out, list+"."+f)
			}
		}
	}
	slices.Sort(out)
	return out
}

// CompareOrders walks every root list in every ordering, both directions
// of it, forward and backward, a page of each size at a time, and checks
// the sequence against the model's.
func CompareOrders(t testing.TB, h http.Handler, o *Oracle, dates []string, sizes []int) {
	t.Helper()
	for _, date := range dates {
		w, err := o.world(date)
		if err != nil {
			t.Fatal(err)
		}
		for _, list := range append(slices.Clone(Kinds), "sources") {
			selection := "slug"
			if list == "sources" {
				selection = "slug: title"
			}
			for _, f := range Orderings[list] {
				for _, desc := range []bool{false, true} {
					want := w.ordered(list, f, desc, nil)
					if list == "sources" {
						want = titles(w, want)
					}
					dir := map[bool]string{false: "ASC", true: "DESC"}[desc]
					for _, size := range sizes {
						for _, back := range []bool{false, true} {
							total, nodes := walkList(t, h, walkArgs{list: list, date: date, selection: selection, size: size, backward: back, order: f + " " + dir})
							if got := slugsOf(nodes); total != len(want) || !slices.Equal(got, want) {
								t.Errorf("asOf %q: %s by %s %s, pages of %d, backward %v: totalCount %d\n  API    %q\n  oracle %q",
									date, list, f, dir, size, back, total, got, want)
							}
						}
					}
				}
			}
		}
	}
}

func titles(w *world, slugs []string) []string {
	bySlug := map[string]string{}
	for _, r := range w.o.rows("sources") {
		bySlug[text(r["slug"])] = text(r["title"])
	}
	out := make([]string, len(slugs))
	for i, s := range slugs {
		out[i] = bySlug[s]
	}
	return out
}

// filterCase is one generated filter with the model's rule for it.
type filterCase struct {
	list   string
	filter obj
	keep   func(r map[string]any) bool
}

// filters draws n random filters over the values the data holds.
func (w *world) filters(r *rand.Rand, n int) []filterCase {
	o := w.o
	values := func(table, col string) []string {
		seen := map[string]bool{}
		var out []string
		for _, row := range o.rows(table) {
			if v := text(row[col]); v != "" && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
		slices.Sort(out)
		return out
	}
	pick := func(vs []string) []string {
		var out []string
		for _, v := range vs {
			if r.IntN(3) == 0 {
				out = append(out, v)
			}
		}
		if len(out) == 0 && len(vs) > 0 {
			out = append(out, vs[r.IntN(len(vs))])
		}
		return out
	}
	in := func(vs []string, v string) bool {
		return slices.Contains(vs, strings.ToUpper(v)) || slices.Contains(vs, v)
	}
	upper := func(vs []string) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = strings.ToUpper(v)
		}
		return out
	}
	some := func(list string) (int64, string) {
		rows := o.rows(list)
		row := rows[r.IntN(len(rows))]
		return integer(row["id"]), ID(list, text(row["slug"]))
	}
	linked := func(table, col string, id int64, otherCol string) map[int64]bool {
		out := map[int64]bool{}
		for _, row := range o.rows(table) {
			if integer(row[col]) == id {
				out[integer(row[otherCol])] = true
			}
		}
		return out
	}
	// a date with a random precision within the data's years.
	days := o.PublicationDays()
	date := func() string {
		d := days[r.IntN(len(days))]
		switch r.IntN(3) {
		case 0:
			return d[:4]
		case 1:
			return d[:7]
		}
		return d
	}
	// fromTo draws an optional from and to, from never after to.
	fromTo := func(f obj) (from, to string) {
		if r.IntN(2) == 0 {
			from = date()
		}
		if r.IntN(2) == 0 {
			to = date()
		}
		if from != "" && to != "" {
			if firstOf(from) > lastOf(to) {
				from, to = to, from
			}
			if firstOf(from) > lastOf(to) {
				to = ""
			}
		}
		if from != "" {
			f["from"] = from
		}
		if to != "" {
			f["to"] = to
		}
		return from, to
	}
	overlaps := func(start, end, from, to string) bool {
		if start == "" {
			return false
		}
		if from != "" {
			f, _, _ := span(from)
			if end < f {
				return false
			}
		}
		if to != "" {
			_, l, _ := span(to)
			if start > l {
				return false
			}
		}
		return true
	}
	var cases []filterCase
	for range n {
		switch r.IntN(5) {
		case 0:
			countries, kinds := pick(values("companies", "country")), upper(pick(values("companies", "kind")))
			f := obj{}
			useC, useK := r.IntN(2) == 0, r.IntN(2) == 0
			if useC {
				f["country"] = countries
			}
			if useK {
				f["kind"] = kinds
			}
			cases = append(cases, filterCase{"companies", f, func(row map[string]any) bool {
				return (!useC || in(countries, text(row["country"]))) && (!useK || in(kinds, text(row["kind"])))
			}})
		case 1:
			id, gid := some("companies")
			posVisible := map[int64]bool{}
			for _, row := range o.rows("positions") {
				if integer(row["organization_id"]) == id && w.sees("companies", id) && (w.date == "" || w.cited("position", integer(row["id"]))) {
					posVisible[integer(row["person_id"])] = true
				}
			}
			cases = append(cases, filterCase{"people", obj{"organization": gid}, func(row map[string]any) bool {
				return posVisible[integer(row["id"])]
			}})
		case 2:
			sectors, statuses := upper(pick(values("projects", "sector"))), upper(pick(values("projects", "status")))
			from, to := "", ""
			f := obj{"sector": sectors}
			useS := r.IntN(2) == 0
			if useS {
				f["status"] = statuses
			}
			from, to = fromTo(f)
			var company map[int64]bool
			if r.IntN(3) == 0 {
				id, gid := some("companies")
				f["company"] = gid
				company = map[int64]bool{}
				for _, row := range o.rows("project_participants") {
					if integer(row["company_id"]) == id && w.sees("companies", id) && (w.date == "" || w.cited("participant", integer(row["id"]))) {
						company[integer(row["project_id"])] = true
					}
				}
			}
			cases = append(cases, filterCase{"projects", f, func(row map[string]any) bool {
				id := integer(row["id"])
				if !in(sectors, text(row["sector"])) || useS && !in(statuses, text(row["status"])) || company != nil && !company[id] {
					return false
				}
				if from == "" && to == "" {
					return true
				}
				for _, s := range o.citedBy[key("project", id)] {
					if !w.published(s) {
						continue
					}
					day := o.published[s]
					if overlaps(day, day, from, to) {
						return true
					}
				}
				return false
			}})
		case 3:
			f := obj{}
			from, to := fromTo(f)
			var keepLink func(int64) bool
			switch r.IntN(4) {
			case 0:
				id, gid := some("people")
				f["participant"] = gid
				m := linked("meeting_participants", "person_id", id, "meeting_id")
				keepLink = func(meeting int64) bool { return m[meeting] && w.sees("people", id) }
			case 1:
				id, gid := some("companies")
				f["organization"] = gid
				m := linked("meeting_organizations", "company_id", id, "meeting_id")
				keepLink = func(meeting int64) bool { return m[meeting] && w.sees("companies", id) }
			case 2:
				id, gid := some("projects")
				f["project"] = gid
				m := linked("meeting_projects", "project_id", id, "meeting_id")
				keepLink = func(meeting int64) bool { return m[meeting] && w.sees("projects", id) }
			}
			cases = append(cases, filterCase{"meetings", f, func(row map[string]any) bool {
				return (keepLink == nil || keepLink(integer(row["id"]))) &&
					overlaps(text(row["date_start"]), text(row["date_end"]), from, to)
			}})
		case 4:
			kinds := upper(pick(values("agreements", "kind")))
			f := obj{"kind": kinds}
			from, to := fromTo(f)
			var party map[int64]bool
			if r.IntN(3) == 0 {
				id, gid := some("companies")
				f["party"] = gid
				party = map[int64]bool{}
				if w.sees("companies", id) {
					party = linked("agreement_parties", "company_id", id, "agreement_id")
				}
			}
			var lo, hi = math.Inf(-1), math.Inf(1)
			bounded := false
			if r.IntN(3) == 0 {
				lo, bounded = math.Pow(10, float64(6+r.IntN(5))), true
				f["minAmount"] = lo
			}
			if r.IntN(3) == 0 {
				hi, bounded = math.Pow(10, float64(7+r.IntN(5))), true
				hi = math.Max(hi, lo)
				f["maxAmount"] = hi
			}
			currency := "USD"
			if bounded && r.IntN(2) == 0 {
				f["currency"] = "usd"
			}
			cases = append(cases, filterCase{"agreements", f, func(row map[string]any) bool {
				id := integer(row["id"])
				if !in(kinds, text(row["kind"])) || party != nil && !party[id] {
					return false
				}
				if (from != "" || to != "") && !overlaps(text(row["signed_start"]), text(row["signed_end"]), from, to) {
					return false
				}
				if !bounded {
					return true
				}
				for _, a := range o.rows("amounts") {
					v, _ := a["amount"].(float64)
					if integer(a["agreement_id"]) == id && w.published(integer(a["source_id"])) &&
						strings.EqualFold(text(a["currency"]), currency) && v >= lo && v <= hi {
						return true
					}
				}
				return false
			}})
		}
	}
	return cases
}

// CompareFilters checks n random filters per date against the model, the
// results in the list's default order.
func CompareFilters(t testing.TB, h http.Handler, o *Oracle, dates []string, n int, seed uint64) (matched int) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed+1))
	for _, date := range dates {
		w, err := o.world(date)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range w.filters(r, n) {
			want := w.ordered(c.list, Orderings[c.list][0], false, c.keep)
			total, nodes := walkList(t, h, walkArgs{list: c.list, date: date, selection: "slug", size: 100, filter: c.filter})
			if got := slugsOf(nodes); total != len(want) || !slices.Equal(got, want) {
				f, _ := json.Marshal(c.filter)
				t.Errorf("asOf %q: %s(filter: %s): totalCount %d\n  API    %q\n  oracle %q", date, c.list, f, total, got, want)
			}
			matched += len(want)
		}
	}
	return matched
}

// CompareLookups fetches every object of every list, visible or not, by
// global ID and by slug, and checks that exactly the visible ones come
// back.
func CompareLookups(t testing.TB, h http.Handler, o *Oracle, dates []string) {
	t.Helper()
	type target struct{ list, slug string }
	var all []target
	for _, list := range graphLists {
		for _, r := range o.rows(list) {
			all = append(all, target{list, text(r["slug"])})
		}
	}
	for _, date := range dates {
		w, err := o.world(date)
		if err != nil {
			t.Fatal(err)
		}
		visible := map[string]bool{}
		for _, list := range graphLists {
			for _, id := range w.visibleObjects(list) {
				visible[ref(list, o.slugOf(list, id))] = true
			}
		}
		// 25 at a time: the lookups are aliases, and the API allows 30.
		for start := 0; start < len(all); start += 25 {
			batch := all[start:min(start+25, len(all))]
			var ids []string
			var lookups []string
			for i, tg := range batch {
				ids = append(ids, ID(tg.list, tg.slug))
				switch tg.list {
				case "companies", "people", "projects", "agreements":
					lookups = append(lookups, fmt.Sprintf(`l%d: %s(slug: %q) { id }`, i, lookupField[tg.list], tg.slug))
				}
			}
			body := `nodes(ids: $ids) { id } ` + strings.Join(lookups, " ")
			vars := map[string]any{"ids": ids}
			query := `query($ids: [ID!]!) { ` + body + ` }`
			if date != "" {
				query = `query($ids: [ID!]!, $date: PartialDate!) { view: asOf(date: $date) { ` + body + ` } }`
				vars["date"] = date
			}
			var got map[string]json.RawMessage
			data := post(t, h, query, vars)
			if date != "" {
				var d struct{ View map[string]json.RawMessage }
				decode(t, data, &d)
				got = d.View
			} else {
				decode(t, data, &got)
			}
			var nodes []*struct{ ID string }
			decode(t, got["nodes"], &nodes)
			for i, tg := range batch {
				want := visible[ref(tg.list, tg.slug)]
				if (nodes[i] != nil) != want || nodes[i] != nil && nodes[i].ID != ids[i] {
					t.Errorf("asOf %q: node(%s %s) gave %v, visible %v", date, tg.list, tg.slug, nodes[i], want)
				}
				if l, ok := got[fmt.Sprintf("l%d", i)]; ok && (string(l) != "null") != want {
					t.Errorf("asOf %q: lookup of %s %s gave %s, visible %v", date, tg.list, tg.slug, l, want)
				}
			}
		}
	}
}

// refOfID turns a global ID back into the model's ref.
func refOfID(id string) string {
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return "?" + id
	}
	typ, slug, _ := strings.Cut(string(b), ":")
	return ref(listOf[typ], slug)
}

// graphObjects are the refs of every visible object that can be a node.
func (w *world) graphObjects() []string {
	var out []string
	for _, list := range graphLists {
		for _, id := range w.visibleObjects(list) {
			out = append(out, ref(list, w.o.slugOf(list, id)))
		}
	}
	slices.Sort(out)
	return out
}

func idOfRef(r string) string {
	list, slug, _ := strings.Cut(r, "/")
	return ID(list, slug)
}

type relationship struct{ Type, Label, FromID, ToID string }

func (r relationship) edge() edge { return edge{r.Type, refOfID(r.FromID), refOfID(r.ToID), r.Label} }

const relationshipFields = `type label fromId toId`

// CompareNeighborhoods checks the neighborhood of n random visible objects
// per date, at depths 1 and 2: the nodes within reach (nearest first) and
// every relationship among them, or a refusal when more than limit objects
// are within reach.
func CompareNeighborhoods(t testing.TB, h http.Handler, o *Oracle, dates []string, n int, seed uint64) (nodes int) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed+2))
	const limit = 300
	for _, date := range dates {
		w, err := o.world(date)
		if err != nil {
			t.Fatal(err)
		}
		g := w.graph()
		objects := w.graphObjects()
		if len(objects) == 0 {
			continue
		}
		for range n {
			center := objects[r.IntN(len(objects))]
			depth := 1 + r.IntN(2)
			dist := g.distances(center, depth)
			body := fmt.Sprintf(`neighborhood(id: %q, depth: %d, limit: %d) { center { id } nodes { id } relationships { %s } }`, idOfRef(center), depth, limit, relationshipFields)
			data, errs := postAllowingErrors(t, h, asOfQuery(body, date), asOfVars(date))
			label := fmt.Sprintf("asOf %q: neighborhood of %s, depth %d", date, center, depth)
			if len(dist) > limit {
				if len(errs) == 0 {
					t.Errorf("%s: %d objects within reach, more than the limit %d, but no refusal", label, len(dist), limit)
				}
				continue
			}
			if len(errs) > 0 {
				t.Errorf("%s: %s", label, errs)
				continue
			}
			var got struct {
				Center        struct{ ID string }
				Nodes         []struct{ ID string }
				Relationships []relationship
			}
			decode(t, unwrap(t, data, date)["neighborhood"], &got)
			var gotNodes []string
			last := -1
			for i, nd := range got.Nodes {
				rf := refOfID(nd.ID)
				gotNodes = append(gotNodes, rf)
				if d, ok := dist[rf]; ok && d < last {
					t.Errorf("%s: node %d %s at distance %d after one at %d", label, i, rf, d, last)
				} else if ok {
					last = d
				}
			}
			if refOfID(got.Center.ID) != center || len(gotNodes) == 0 || gotNodes[0] != center {
				t.Errorf("%s: center %s, first node %v", label, got.Center.ID, gotNodes)
			}
			var wantNodes []string
			for k := range dist {
				wantNodes = append(wantNodes, k)
			}
			if !sameBag(gotNodes, wantNodes) {
				t.Errorf("%s: nodes\n  API    %q\n  oracle %q", label, sorted(gotNodes), sorted(wantNodes))
			}
			var gotEdges, wantEdges []string
			for _, rel := range got.Relationships {
				gotEdges = append(gotEdges, rel.edge().String())
			}
			seen := map[string]bool{}
			for _, e := range g.edges {
				_, a := dist[e.from]
				_, b := dist[e.to]
				if s := e.String(); a && b && !seen[s] {
					seen[s] = true
					wantEdges = append(wantEdges, s)
				}
			}
			if !sameBag(gotEdges, wantEdges) {
				t.Errorf("%s: relationships\n  API    %q\n  oracle %q", label, sorted(gotEdges), sorted(wantEdges))
			}
			nodes += len(wantNodes)
		}
	}
	return nodes
}

// ComparePaths checks paths between n random pairs of visible objects per
// date: none when the model has no path of at most maxHops, otherwise
// between 1 and first paths, all of the shortest length, each a walk along
// relationships the model has, distinct, and as many as first allows.
func ComparePaths(t testing.TB, h http.Handler, o *Oracle, dates []string, n int, seed uint64) (found int) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed+3))
	for _, date := range dates {
		w, err := o.world(date)
		if err != nil {
			t.Fatal(err)
		}
		g := w.graph()
		objects := w.graphObjects()
		if len(objects) < 2 {
			continue
		}
		for range n {
			a, b := objects[r.IntN(len(objects))], objects[r.IntN(len(objects))]
			if a == b {
				continue
			}
			if r.IntN(2) == 0 && len(g.adj[a]) > 0 {
				// a pair within reach, so that paths are often found
				near := g.distances(a, 3)
				var keys []string
				for k := range near {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				if b = keys[r.IntN(len(keys))]; b == a {
					continue
				}
			}
			maxHops, first := 1+r.IntN(4), 1+r.IntN(5)
			length, count := g.shortestPaths(a, b, maxHops, first)
			body := fmt.Sprintf(`paths(from: %q, to: %q, maxHops: %d, first: %d) { length nodes { id } relationships { %s } }`,
				idOfRef(a), idOfRef(b), maxHops, first, relationshipFields)
			data, errs := postAllowingErrors(t, h, asOfQuery(body, date), asOfVars(date))
			label := fmt.Sprintf("asOf %q: paths %s → %s, maxHops %d, first %d", date, a, b, maxHops, first)
			if len(errs) > 0 {
				if !strings.Contains(string(errs[0]), "5000") {
					t.Errorf("%s: %s", label, errs)
				}
				continue
			}
			var got []struct {
				Length        int
				Nodes         []struct{ ID string }
				Relationships []relationship
			}
			decode(t, unwrap(t, data, date)["paths"], &got)
			if len(got) != count {
				t.Errorf("%s: %d paths, oracle %d of length %d", label, len(got), count, length)
			}
			distinct := map[string]bool{}
			for _, p := range got {
				var seq []string
				for _, nd := range p.Nodes {
					seq = append(seq, refOfID(nd.ID))
				}
				key := strings.Join(seq, " ")
				for _, rel := range p.Relationships {
					key += " " + rel.edge().String()
				}
				if distinct[key] {
					t.Errorf("%s: path %s twice", label, key)
				}
				distinct[key] = true
				if p.Length != length || len(seq) != length+1 || len(p.Relationships) != length || seq[0] != a || seq[len(seq)-1] != b {
					t.Errorf("%s: path of length %d (%d relationships) %v, oracle length %d", label, p.Length, len(p.Relationships), seq, length)
					continue
				}
				for i, rel := range p.Relationships {
					e := rel.edge()
					pair := [2]string{seq[i], seq[i+1]}
					if !slices.ContainsFunc(g.pairs[pair], func(m edge) bool { return m.String() == e.String() }) {
						t.Errorf("%s: step %d %s is not a relationship between %s and %s in the oracle", label, i, e, pair[0], pair[1])
					}
				}
			}
			found += len(got)
		}
	}
	return found
}

func asOfQuery(body, date string) string {
	if date == "" {
		return `{ ` + body + ` }`
	}
	return `query($date: PartialDate!) { view: asOf(date: $date) { ` + body + ` } }`
}

func asOfVars(date string) map[string]any {
	if date == "" {
		return nil
	}
	return map[string]any{"date": date}
}

// unwrap returns the root fields of data, under the asOf view when there
// is a date.
func unwrap(t testing.TB, data json.RawMessage, date string) map[string]json.RawMessage {
	t.Helper()
	if date == "" {
		var d map[string]json.RawMessage
		decode(t, data, &d)
		return d
	}
	var d struct{ View map[string]json.RawMessage }
	decode(t, data, &d)
	return d.View
}

// postAllowingErrors posts a query and returns its data and errors; only
// a transport failure fails the test.
func postAllowingErrors(t testing.TB, h http.Handler, query string, vars map[string]any) (json.RawMessage, []json.RawMessage) {
	t.Helper()
	_, data, errs, _ := send(t, h, query, vars)
	return data, errs
}

// send posts a query and returns the status, the data, the errors and the
// whole body; a body that is not a GraphQL response fails the test.
func send(t testing.TB, h http.Handler, query string, vars map[string]any) (int, json.RawMessage, []json.RawMessage, string) {
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
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("status %d: %s\nquery: %s", rec.Code, rec.Body.String(), query)
	}
	return rec.Code, resp.Data, resp.Errors, rec.Body.String()
}

// TimelineKinds are the kinds of timeline event.
var TimelineKinds = []string{"MEETING", "SIGNING", "MILESTONE", "MEASUREMENT", "POSITION", "PUBLICATION", "STATEMENT", "EVENT"}

// CompareTimelines checks, per date, the whole timeline and n random
// narrowed ones (a company as subject, from, to, kinds), each walked in
// pages of each size forward and backward: the events (kind, date,
// subject) against the model, the order by period start then length, and
// the same sequence whatever the page size and direction.
func CompareTimelines(t testing.TB, h http.Handler, o *Oracle, dates []string, n int, seed uint64, sizes []int) (events int) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed+4))
	days := o.PublicationDays()
	companies := o.rows("companies")
	for _, date := range dates {
		w, err := o.world(date)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n + 1 {
			var company int64
			args := map[string]any{}
			var from, to string
			var kinds []string
			if i > 0 {
				if r.IntN(2) == 0 {
					c := companies[r.IntN(len(companies))]
					company = integer(c["id"])
					args["subject"] = ID("companies", text(c["slug"]))
				}
				if r.IntN(2) == 0 {
					from = days[r.IntN(len(days))][:4+3*r.IntN(2)]
					args["from"] = from
				}
				if r.IntN(3) == 0 {
					to = days[r.IntN(len(days))][:7]
					if f, _, _ := span(from); from != "" && f > lastOf(to) {
						to = ""
					} else {
						args["to"] = to
					}
				}
				if r.IntN(2) == 0 {
					for _, k := range TimelineKinds {
						if r.IntN(2) == 0 {
							kinds = append(kinds, k)
						}
					}
					if len(kinds) > 0 {
						args["kinds"] = kinds
					}
				}
			}
			var want []string
			for _, e := range w.timeline(company) {
				start, end, err := span(e.date)
				if err != nil {
					t.Fatalf("model: %v", err)
				}
				if (len(kinds) == 0 || slices.Contains(kinds, e.kind)) && (from == "" || end >= firstOf(from)) && (to == "" || start <= lastOf(to)) {
					want = append(want, e.String())
				}
			}
			label := fmt.Sprintf("asOf %q: timeline %v", date, args)
			if company != 0 && !w.sees("companies", company) {
				// the subject is not visible: the API refuses it as unknown
				_, errs := postAllowingErrors(t, h, asOfQuery(timelineBody(args, "first: 5"), date), asOfVars(date))
				if len(errs) == 0 || !strings.Contains(string(errs[0]), "NOT_FOUND") {
					t.Errorf("%s: a subject not yet reported gave %s", label, errs)
				}
				continue
			}
			var first []string
			for _, size := range sizes {
				for _, back := range []bool{false, true} {
					got, total := walkTimeline(t, h, date, args, size, back)
					var keys []string
					for _, e := range got {
						keys = append(keys, e.String())
					}
					if total != len(want) || !sameBag(keys, want) {
						t.Errorf("%s: totalCount %d\n  API    %q\n  oracle %q", label, total, sorted(keys), sorted(want))
					}
					if first == nil {
						first = keys
						if err := inPeriodOrder(got); err != nil {
							t.Errorf("%s: %v", label, err)
						}
					} else if !slices.Equal(keys, first) {
						t.Errorf("%s: pages of %d, backward %v, give another order:\n  %q\n  %q", label, size, back, keys, first)
					}
				}
			}
			events += len(want)
		}
	}
	return events
}

func firstOf(d string) string { f, _, _ := span(d); return f }
func lastOf(d string) string  { _, l, _ := span(d); return l }

// inPeriodOrder checks the documented order: by the period's first day,
// then the shorter period first.
func inPeriodOrder(es []event) error {
	var prev [2]string
	for i, e := range es {
		start, end, err := span(e.date)
		if err != nil {
			return err
		}
		k := [2]string{start, end}
		if i > 0 && (k[0] < prev[0] || k[0] == prev[0] && k[1] < prev[1]) {
			return fmt.Errorf("event %d (%s) after a period %v", i, e, prev)
		}
		prev = k
	}
	return nil
}

func timelineBody(args map[string]any, paging string) string {
	var parts []string
	for _, k := range []string{"subject", "from", "to"} {
		if v, ok := args[k]; ok {
			parts = append(parts, fmt.Sprintf("%s: %q", k, v))
		}
	}
	if v, ok := args["kinds"]; ok {
		parts = append(parts, fmt.Sprintf("kinds: [%s]", strings.Join(v.([]string), ", ")))
	}
	parts = append(parts, paging)
	return fmt.Sprintf(`timeline(%s) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { date kind subject { id } } } }`, strings.Join(parts, ", "))
}

// walkTimeline pages through a timeline and returns its events in
// timeline order and its totalCount.
func walkTimeline(t testing.TB, h http.Handler, date string, args map[string]any, size int, backward bool) ([]event, int) {
	t.Helper()
	var pages [][]event
	cursor := ""
	total := -1
	for n := 0; ; n++ {
		if n > 5000 {
			t.Fatalf("timeline %v: the walk does not end", args)
		}
		paging := fmt.Sprintf("first: %d", size)
		if backward {
			paging = fmt.Sprintf("last: %d", size)
		}
		if cursor != "" {
			paging += fmt.Sprintf(", %s: %q", map[bool]string{false: "after", true: "before"}[backward], cursor)
		}
		data := post(t, h, asOfQuery(timelineBody(args, paging), date), asOfVars(date))
		var p struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage, HasPreviousPage bool
				StartCursor, EndCursor       *string
			}
			Edges []struct {
				Cursor string
				Node   struct {
					Date, Kind string
					Subject    struct{ ID string }
				}
			}
		}
		decode(t, unwrap(t, data, date)["timeline"], &p)
		if total >= 0 && total != p.TotalCount {
			t.Errorf("timeline %v: totalCount %d, then %d", args, total, p.TotalCount)
		}
		total = p.TotalCount
		var es []event
		for _, e := range p.Edges {
			es = append(es, event{e.Node.Kind, e.Node.Date, refOfID(e.Node.Subject.ID)})
		}
		if len(p.Edges) > 0 && (p.PageInfo.StartCursor == nil || *p.PageInfo.StartCursor != p.Edges[0].Cursor ||
			p.PageInfo.EndCursor == nil || *p.PageInfo.EndCursor != p.Edges[len(p.Edges)-1].Cursor) {
			t.Errorf("timeline %v: pageInfo cursors are not the page's first and last edge cursors", args)
		}
		more := p.PageInfo.HasNextPage
		if backward {
			more = p.PageInfo.HasPreviousPage
			pages = append([][]event{es}, pages...)
		} else {
			pages = append(pages, es)
		}
		if !more || len(p.Edges) == 0 {
			break
		}
		if backward {
			cursor = *p.PageInfo.StartCursor
		} else {
			cursor = *p.PageInfo.EndCursor
		}
	}
	var all []event
	for _, p := range pages {
		all = append(all, p...)
	}
	if len(all) != total {
		t.Errorf("timeline %v: walked %d events of %d", args, len(all), total)
	}
	return all, total
}

// searchable are the lists search finds by name (or title), with their
// SearchType and name column.
var searchable = []struct{ list, typ, col string }{
	{"companies", "COMPANY", "name"}, {"people", "PERSON", "name"}, {"projects", "PROJECT", "name"},
	{"agreements", "AGREEMENT", "title"}, {"sources", "SOURCE", "title"}, {"events", "EVENT", "name"},
}

// CompareSearch searches, per date, for the names of n random objects,
// visible or not, as quoted phrases narrowed to their type: a visible
// object is found, one not yet reported is not, and every result of every
// search is visible as of the date.
func CompareSearch(t testing.TB, h http.Handler, o *Oracle, dates []string, n int, seed uint64) (found int) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed+5))
	for _, date := range dates {
		w, err := o.world(date)
		if err != nil {
			t.Fatal(err)
		}
		visible := map[string]bool{}
		for _, r := range w.graphObjects() {
			visible[r] = true
		}
		for range n {
			s := searchable[r.IntN(len(searchable))]
			rows := o.rows(s.list)
			row := rows[r.IntN(len(rows))]
			name := text(row[s.col])
			if strings.ContainsAny(name, `()^:{}+"*`) {
				continue
			}
			target := ref(s.list, text(row["slug"]))
			body := fmt.Sprintf(`search(query: %q, types: [%s], first: 100) { totalCount edges { node { ... on Node { id } } } }`, `"`+name+`"`, s.typ)
			data := post(t, h, asOfQuery(body, date), asOfVars(date))
			var got struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID string } }
			}
			decode(t, unwrap(t, data, date)["search"], &got)
			label := fmt.Sprintf("asOf %q: search %q in %s", date, name, s.typ)
			hit := false
			for _, e := range got.Edges {
				rf := refOfID(e.Node.ID)
				if !visible[rf] {
					t.Errorf("%s: found %s, not visible then", label, rf)
				}
				if !strings.HasPrefix(rf, s.list+"/") {
					t.Errorf("%s: found %s, not of that type", label, rf)
				}
				hit = hit || rf == target
			}
			if got.TotalCount < len(got.Edges) || len(got.Edges) < 100 && got.TotalCount != len(got.Edges) {
				t.Errorf("%s: totalCount %d with %d results", label, got.TotalCount, len(got.Edges))
			}
			if hit != visible[target] && (hit || len(got.Edges) < 100) {
				t.Errorf("%s: found %s %v, visible %v", label, target, hit, visible[target])
			}
			if hit {
				found++
			}
		}
	}
	return found
}

// MoneyGroupings are the ways money totals can be grouped.
var MoneyGroupings = []string{"COUNTERPARTY_COUNTRY", "COMPANY", "SECTOR", "YEAR"}

type moneyAmount struct {
	Amount        float64
	Currency      string
	Approximation string
	Project       *struct{ Slug string }
	Agreement     *struct{ Slug string }
	Citation      struct {
		Paragraph int64
		Source    struct{ Title string }
	}
}

func (a moneyAmount) String() string {
	owner := "-"
	if a.Project != nil {
		owner = ref("projects", a.Project.Slug)
	} else if a.Agreement != nil {
		owner = ref("agreements", a.Agreement.Slug)
	}
	return fmt.Sprintf("%s %s %s %s %s ¶%d", owner, strconv.FormatFloat(a.Amount, 'g', -1, 64), strings.ToUpper(a.Currency),
		strings.ToUpper(a.Approximation), a.Citation.Source.Title, a.Citation.Paragraph)
}

const moneyAmountFields = `amount currency approximation project { slug } agreement { slug } citation { paragraph source { title } }`

// CompareMoney checks the money rule's bookkeeping, per date and grouping,
// against the model's visible amounts: every visible amount is counted or
// left out once, and nothing else appears; other currencies and UP_TO
// ceilings are left out for those reasons; an amount counted instead is
// itself counted; the total is the sum of the counted amounts, each once,
// and the same for every grouping; each group's total is the sum of its
// amounts; groups come largest first; the lower-bound flag says whether an
// AT_LEAST amount counts.
func CompareMoney(t testing.TB, h http.Handler, o *Oracle, dates []string) (counted int) {
	t.Helper()
	for _, date := range dates {
		w, err := o.world(date)
		if err != nil {
			t.Fatal(err)
		}
		model := w.money("USD")
		var want []string
		byKey := map[string]*moneyItem{}
		for _, it := range model {
			want = append(want, it.key)
			byKey[it.key] = it
		}
		var firstTotal *float64
		var firstCounted []string
		for _, g := range MoneyGroupings {
			body := fmt.Sprintf(`aggregates { money(groupBy: %s, currency: "usd") { currency total totalIsLowerBound
				groups { key total amounts { %s } } excluded { reason amount { %s } countedInstead { %s } } } }`, g, moneyAmountFields, moneyAmountFields, moneyAmountFields)
			data := post(t, h, asOfQuery(body, date), asOfVars(date))
			var got struct {
				Money struct {
					Currency          string
					Total             float64
					TotalIsLowerBound bool
					Groups            []struct {
						Key     string
						Total   float64
						Amounts []moneyAmount
					}
					Excluded []struct {
						Reason         string
						Amount         moneyAmount
						CountedInstead *moneyAmount
					}
				}
			}
			decode(t, unwrap(t, data, date)["aggregates"], &got)
			m := got.Money
			label := fmt.Sprintf("asOf %q: money by %s", date, g)
			if m.Currency != "USD" {
				t.Errorf("%s: currency %q for usd", label, m.Currency)
			}
			countedSet := map[string]moneyAmount{}
			groupsOf := map[string][]string{}
			for i, grp := range m.Groups {
				sum := 0.0
				inGroup := map[string]bool{}
				for _, a := range grp.Amounts {
					if inGroup[a.String()] {
						t.Errorf("%s: group %s lists %s twice", label, grp.Key, a)
					}
					inGroup[a.String()] = true
					groupsOf[a.String()] = append(groupsOf[a.String()], grp.Key)
					countedSet[a.String()] = a
					sum += a.Amount
				}
				if !near(sum, grp.Total) {
					t.Errorf("%s: group %s total %g, its amounts sum to %g", label, grp.Key, grp.Total, sum)
				}
				if i > 0 && grp.Total > m.Groups[i-1].Total {
					t.Errorf("%s: group %s (%g) after a smaller one (%g)", label, grp.Key, grp.Total, m.Groups[i-1].Total)
				}
			}
			var seen []string
			lower, total := false, 0.0
			for k, a := range countedSet {
				seen = append(seen, k)
				total += a.Amount
				lower = lower || a.Approximation == "AT_LEAST"
				if a.Currency != "USD" || a.Approximation == "UP_TO" {
					t.Errorf("%s: counted %s", label, k)
				}
			}
			for k := range countedSet {
				it := byKey[k]
				switch {
				case it == nil:
				case it.reason != "":
					t.Errorf("%s: counted %s, which the rule leaves out as %s", label, k, it.reason)
				case it.groups[g] != nil && !sameBag(groupsOf[k], it.groups[g]):
					t.Errorf("%s: %s in groups %q, oracle %q", label, k, sorted(groupsOf[k]), it.groups[g])
				}
			}
			for _, it := range model {
				if _, ok := countedSet[it.key]; it.reason == "" && !ok {
					t.Errorf("%s: %s is not counted, though the rule counts it", label, it.key)
				}
			}
			for _, x := range m.Excluded {
				k := x.Amount.String()
				if it := byKey[k]; it != nil && it.reason != "" {
					instead := ""
					if x.CountedInstead != nil {
						instead = x.CountedInstead.String()
					}
					if x.Reason != it.reason || instead == "" && len(it.countedInstead) > 0 || instead != "" && !slices.Contains(it.countedInstead, instead) {
						t.Errorf("%s: %s left out as %s for %q, oracle %s for one of %q", label, k, x.Reason, instead, it.reason, it.countedInstead)
					}
				}
				if _, ok := countedSet[k]; ok {
					t.Errorf("%s: %s both counted and left out", label, k)
				}
				seen = append(seen, k)
				switch {
				case x.Amount.Currency != "USD" && x.Reason != "OTHER_CURRENCY",
					x.Amount.Currency == "USD" && x.Amount.Approximation == "UP_TO" && x.Reason != "UPPER_BOUND_ONLY":
					t.Errorf("%s: %s left out as %s", label, k, x.Reason)
				}
				if x.CountedInstead != nil {
					if _, ok := countedSet[x.CountedInstead.String()]; !ok {
						t.Errorf("%s: %s left out for %s, which is not counted", label, k, x.CountedInstead)
					}
				}
			}
			if !sameBag(seen, want) {
				t.Errorf("%s: counted and left out\n  API    %q\n  oracle %q", label, sorted(seen), sorted(want))
			}
			if !near(total, m.Total) {
				t.Errorf("%s: total %g, the counted amounts sum to %g", label, m.Total, total)
			}
			if lower != m.TotalIsLowerBound {
				t.Errorf("%s: totalIsLowerBound %v, an AT_LEAST amount counted: %v", label, m.TotalIsLowerBound, lower)
			}
			if firstTotal == nil {
				firstTotal, firstCounted = &m.Total, sorted(keys(countedSet))
			} else if !near(*firstTotal, m.Total) || !slices.Equal(firstCounted, sorted(keys(countedSet))) {
				t.Errorf("%s: total %g over %d amounts, by %s %g over %d", label, m.Total, len(countedSet), MoneyGroupings[0], *firstTotal, len(firstCounted))
			}
			counted += len(countedSet)
		}
	}
	return counted
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-6*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// ExploreOptions sizes a run of Explore to its graph.
type ExploreOptions struct {
	OrderDates    int   // how many of the dates the orderings are walked at
	OrderSizes    []int // page sizes of the ordering walks
	Filters       int   // random filters per date
	FilterSeed    uint64
	TimelineSizes []int // page sizes of the timeline walks
	LookupDates   int   // how many of the dates every object is looked up at; 0 for all
}

// Explore runs every comparison of this file as subtests of t, each
// failing when it had nothing to compare.
func Explore(t *testing.T, h http.Handler, o *Oracle, dates []string, opt ExploreOptions) {
	first := func(n int) []string {
		if n <= 0 || n > len(dates) {
			return dates
		}
		return dates[:n]
	}
	nonEmpty := func(t *testing.T, n int, what string) {
		if n == 0 {
			t.Fatal(what)
		}
	}
	t.Run("relations", func(t *testing.T) {
		seen := CompareRelations(t, h, o, dates)
		if empty := Empty(seen); len(empty) > 0 {
			t.Errorf("nothing to compare in %v", empty)
		}
		t.Logf("items compared: %v", seen)
	})
	t.Run("orders", func(t *testing.T) { CompareOrders(t, h, o, first(opt.OrderDates), opt.OrderSizes) })
	t.Run("filters", func(t *testing.T) {
		nonEmpty(t, CompareFilters(t, h, o, dates, opt.Filters, opt.FilterSeed), "no filter matched anything")
	})
	t.Run("neighborhoods", func(t *testing.T) {
		nonEmpty(t, CompareNeighborhoods(t, h, o, dates, 12, 3), "no neighborhood had anything in it")
	})
	t.Run("paths", func(t *testing.T) { nonEmpty(t, ComparePaths(t, h, o, dates, 12, 4), "no path was found") })
	t.Run("timelines", func(t *testing.T) {
		nonEmpty(t, CompareTimelines(t, h, o, first(6), 6, 5, opt.TimelineSizes), "no timeline had events")
	})
	t.Run("search", func(t *testing.T) { nonEmpty(t, CompareSearch(t, h, o, dates, 20, 6), "search found nothing") })
	t.Run("money", func(t *testing.T) { nonEmpty(t, CompareMoney(t, h, o, dates), "no amount was counted") })
	t.Run("lookups", func(t *testing.T) { CompareLookups(t, h, o, first(opt.LookupDates)) })
}
