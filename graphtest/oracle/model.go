package oracle

import (
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// This file models the rest of the read side from the raw tables: every
// relation of every object, the orderings and filters of the root lists,
// lookups, the relationship graph behind neighborhood and paths, the
// timeline's events and the money rule's bookkeeping. Each rule is
// written from the schema's descriptions, not from the store's queries.

// tables the extended model reads whole, besides those Load reads itself.
var modelTables = []string{
	"companies", "people", "projects", "meetings", "agreements", "sources",
	"positions", "project_participants", "meeting_participants", "meeting_organizations",
	"meeting_projects", "agreement_parties", "agreement_signatories", "agreement_projects",
	"measurements", "milestones", "amounts", "citations",
}

// typeOf maps each root list to the GraphQL type of its objects.
var typeOf = map[string]string{
	"companies": "Company", "people": "Person", "projects": "Project",
	"meetings": "Meeting", "agreements": "Agreement", "sources": "Source",
}

// listOf maps a GraphQL type name back to its root list.
var listOf = map[string]string{
	"Company": "companies", "Person": "people", "Project": "projects",
	"Meeting": "meetings", "Agreement": "agreements", "Source": "sources",
}

// world is the oracle's view of the raw rows as of one date.
type world struct {
	o            *Oracle
	date, cutoff string
}

func (o *Oracle) world(date string) (*world, error) {
	cutoff, err := lastDay(date)
	if err != nil {
		return nil, err
	}
	return &world{o: o, date: date, cutoff: cutoff}, nil
}

// published reports whether the source with id is published by the cut-off.
func (w *world) published(source int64) bool {
	return w.date == "" || w.o.published[source] <= w.cutoff
}

// cited reports whether a published source cites subject/id.
func (w *world) cited(subject string, id int64) bool {
	for _, s := range w.o.citedBy[key(subject, id)] {
		if w.published(s) {
			return true
		}
	}
	return false
}

// sees reports whether the object with id in list is visible.
func (w *world) sees(list string, id int64) bool {
	if id == 0 {
		return false
	}
	if list == "sources" {
		return w.published(id)
	}
	if _, ok := w.o.slugs[list][id]; !ok {
		return false
	}
	return w.date == "" || w.cited(subjects[list], id)
}

func (o *Oracle) rows(table string) []map[string]any { return o.raw[table] }

// slugOf is the slug of the object with id in list.
func (o *Oracle) slugOf(list string, id int64) string {
	if list == "sources" {
		return text(o.rawByID["sources"][id]["slug"])
	}
	return o.slugs[list][id]
}

// ref names an object across the model and the API: "companies/citic-group".
func ref(list, slug string) string { return list + "/" + slug }

// ID is the global ID the API gives the object with slug in list.
func ID(list, slug string) string { return globalID(typeOf[list], slug) }

// visibleObjects lists the ids of the visible objects of list.
func (w *world) visibleObjects(list string) []int64 {
	var ids []int64
	for _, r := range w.o.rows(list) {
		if id := integer(r["id"]); w.sees(list, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Relations maps each visible object (by ref) to its relation fields, each
// a bag of strings in the form the API's answer is turned into.
type Relations map[string]map[string][]string

func (r Relations) add(obj, field, item string) {
	if r[obj] == nil {
		r[obj] = map[string][]string{}
	}
	r[obj][field] = append(r[obj][field], item)
}

// relationFields are the relation fields compared, per list; each visible
// object has every one of them, possibly empty.
var relationFields = map[string][]string{
	"companies":  {"parent", "subsidiaries", "positions", "meetings", "measurements", "citations"},
	"people":     {"positions", "meetings", "citations"},
	"projects":   {"amounts", "agreements", "meetings", "milestones", "citations"},
	"meetings":   {"organizations", "projects", "agreements", "citations"},
	"agreements": {"parties", "signatories", "projects", "meeting", "amounts", "citations"},
}

// relations computes every relation field of every visible object.
func (w *world) relations() Relations {
	o := w.o
	rel := Relations{}
	for list, fields := range relationFields {
		for _, id := range w.visibleObjects(list) {
			obj := ref(list, o.slugOf(list, id))
			rel[obj] = map[string][]string{}
			for _, f := range fields {
				rel[obj][f] = []string{}
			}
		}
	}
	obj := func(list string, id int64) string { return ref(list, o.slugOf(list, id)) }
	both := func(l1 string, id1 int64, l2 string, id2 int64) bool { return w.sees(l1, id1) && w.sees(l2, id2) }
	for _, r := range o.rows("companies") {
		id, parent := integer(r["id"]), integer(r["parent_id"])
		if both("companies", id, "companies", parent) {
			rel.add(obj("companies", id), "parent", o.slugOf("companies", parent))
			rel.add(obj("companies", parent), "subsidiaries", o.slugOf("companies", id))
		}
	}
	for _, r := range o.rows("positions") {
		person, org := integer(r["person_id"]), integer(r["organization_id"])
		if both("people", person, "companies", org) && (w.date == "" || w.cited("position", integer(r["id"]))) {
			title := text(r["title"])
			rel.add(obj("companies", org), "positions", o.slugOf("people", person)+" "+title)
			rel.add(obj("people", person), "positions", o.slugOf("companies", org)+" "+title)
		}
	}
	links := []struct {
		table, fromCol, fromList, fromField, toCol, toList, toField string
	}{
		{"meeting_organizations", "meeting_id", "meetings", "organizations", "company_id", "companies", "meetings"},
		{"meeting_projects", "meeting_id", "meetings", "projects", "project_id", "projects", "meetings"},
		{"meeting_participants", "meeting_id", "meetings", "", "person_id", "people", "meetings"},
		{"agreement_parties", "agreement_id", "agreements", "parties", "company_id", "companies", ""},
		{"agreement_signatories", "agreement_id", "agreements", "signatories", "person_id", "people", ""},
		{"agreement_projects", "agreement_id", "agreements", "projects", "project_id", "projects", "agreements"},
	}
	for _, l := range links {
		for _, r := range o.rows(l.table) {
			from, to := integer(r[l.fromCol]), integer(r[l.toCol])
			if !both(l.fromList, from, l.toList, to) {
				continue
			}
			if l.fromField != "" {
				rel.add(obj(l.fromList, from), l.fromField, o.slugOf(l.toList, to))
			}
			if l.toField != "" {
				rel.add(obj(l.toList, to), l.toField, o.slugOf(l.fromList, from))
			}
		}
	}
	for _, r := range o.rows("agreements") {
		id, meeting := integer(r["id"]), integer(r["meeting_id"])
		if both("agreements", id, "meetings", meeting) {
			rel.add(obj("agreements", id), "meeting", o.slugOf("meetings", meeting))
			rel.add(obj("meetings", meeting), "agreements", o.slugOf("agreements", id))
		}
	}
	for _, r := range o.rows("measurements") {
		company := integer(r["company_id"])
		if company != 0 && w.sees("companies", company) && w.published(integer(r["source_id"])) {
			rel.add(obj("companies", company), "measurements", o.measurementRow(r))
		}
	}
	for _, r := range o.rows("milestones") {
		project := integer(r["project_id"])
		if w.sees("projects", project) && w.published(integer(r["source_id"])) {
			rel.add(obj("projects", project), "milestones", fmt.Sprintf("%s %s %s ¶%d", text(r["name"]), orNone(text(r["date"])),
				strings.ToUpper(text(r["status"])), integer(r["paragraph"])))
		}
	}
	for _, r := range o.rows("amounts") {
		if !w.published(integer(r["source_id"])) {
			continue
		}
		if p := integer(r["project_id"]); w.sees("projects", p) {
			rel.add(obj("projects", p), "amounts", o.amountRow(r))
		}
		if a := integer(r["agreement_id"]); w.sees("agreements", a) {
			rel.add(obj("agreements", a), "amounts", o.amountRow(r))
		}
	}
	for _, r := range o.rows("citations") {
		subject, id, source := text(r["subject"]), integer(r["subject_id"]), integer(r["source_id"])
		list := ""
		for l, s := range subjects {
			if s == subject {
				list = l
			}
		}
		if list == "" || !w.sees(list, id) || !w.published(source) {
			continue
		}
		rel.add(obj(list, id), "citations", fmt.Sprintf("%s ¶%d", text(o.rawByID["sources"][source]["title"]), integer(r["paragraph"])))
	}
	return rel
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (o *Oracle) measurementRow(r map[string]any) string {
	value, _ := r["value"].(float64)
	return fmt.Sprintf("%s %s %s %s %s ¶%d", strings.ToUpper(text(r["metric"])), strconv.FormatFloat(value, 'g', -1, 64),
		text(r["as_of"]), strings.ToUpper(text(r["status"])), text(o.rawByID["sources"][integer(r["source_id"])]["title"]), integer(r["paragraph"]))
}

func (o *Oracle) amountRow(r map[string]any) string {
	amount, _ := r["amount"].(float64)
	return fmt.Sprintf("%s %s %s %s ¶%d", strconv.FormatFloat(amount, 'g', -1, 64), strings.ToUpper(text(r["currency"])),
		strings.ToUpper(text(r["approximation"])), text(o.rawByID["sources"][integer(r["source_id"])]["title"]), integer(r["paragraph"]))
}

// Orderings are the orderBy fields of each root list, the default first.
var Orderings = map[string][]string{
	"companies":  {"NAME", "COUNTRY", "FIRST_REPORTED"},
	"people":     {"NAME", "FIRST_REPORTED"},
	"projects":   {"NAME", "FIRST_REPORTED"},
	"meetings":   {"DATE"},
	"agreements": {"SIGNED_ON", "TITLE", "AMOUNT"},
	"sources":    {"PUBLISHED_ON"},
}

// nocase folds ASCII letters only, as SQLite's NOCASE collation does: "É"
// and "é" stay different.
func nocase(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// firstReported is the first publication day of a published source citing
// subject/id.
func (w *world) firstReported(subject string, id int64) string {
	first := ""
	for _, s := range w.o.citedBy[key(subject, id)] {
		if d := w.o.published[s]; w.published(s) && (first == "" || d < first) {
			first = d
		}
	}
	return first
}

// sortKey is the key the schema says list is ordered by under field.
func (w *world) sortKey(list, field string, r map[string]any) string {
	id := integer(r["id"])
	switch field {
	case "NAME":
		return nocase(text(r["name"]))
	case "TITLE":
		return nocase(text(r["title"]))
	case "COUNTRY":
		return text(r["country"])
	case "FIRST_REPORTED":
		return w.firstReported(subjects[list], id)
	case "DATE":
		return text(r["date_start"])
	case "PUBLISHED_ON":
		return text(r["published_start"])
	case "SIGNED_ON":
		if s := text(r["signed_start"]); s != "" {
			return s
		}
		return "\xff" // undated last in ascending order
	case "AMOUNT":
		largest := 0.0
		for _, a := range w.o.rows("amounts") {
			if integer(a["agreement_id"]) == id && w.published(integer(a["source_id"])) {
				v, _ := a["amount"].(float64)
				largest = math.Max(largest, v)
			}
		}
		return fmt.Sprintf("%020.2f", largest)
	}
	panic("oracle: no ordering " + field)
}

// Ordered returns the slugs of the visible objects of list that keep
// satisfies, in the order field and direction give, ties broken by slug in
// the same direction.
func (w *world) ordered(list, field string, desc bool, keep func(r map[string]any) bool) []string {
	type item struct{ key, slug string }
	var items []item
	for _, r := range w.o.rows(list) {
		if !w.sees(list, integer(r["id"])) || keep != nil && !keep(r) {
			continue
		}
		items = append(items, item{w.sortKey(list, field, r), text(r["slug"])})
	}
	slices.SortFunc(items, func(a, b item) int {
		c := strings.Compare(a.key, b.key)
		if c == 0 {
			c = strings.Compare(a.slug, b.slug)
		}
		if desc {
			c = -c
		}
		return c
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.slug
	}
	return out
}

// edge is one typed, directed relationship of the graph.
type edge struct {
	typ, from, to, label string
}

// String is how edges are compared: labels only where they say more than
// the type (a position's title, a participation's role), and MET with its
// two people in either order.
func (e edge) String() string {
	from, to := e.from, e.to
	if e.typ == "MET" && to < from {
		from, to = to, from
	}
	switch e.typ {
	case "POSITION", "PARTICIPANT":
		return fmt.Sprintf("%s %s→%s %s", e.typ, from, to, strings.ToUpper(e.label))
	}
	return fmt.Sprintf("%s %s→%s", e.typ, from, to)
}

// edges lists every visible relationship, as the schema's RelationshipType
// describes them.
func (w *world) edges() []edge {
	o := w.o
	var es []edge
	obj := func(list string, id int64) string { return ref(list, o.slugOf(list, id)) }
	add := func(typ, fromList string, from int64, toList string, to int64, label string) {
		if w.sees(fromList, from) && w.sees(toList, to) {
			es = append(es, edge{typ, obj(fromList, from), obj(toList, to), label})
		}
	}
	for _, r := range o.rows("positions") {
		if w.date == "" || w.cited("position", integer(r["id"])) {
			add("POSITION", "people", integer(r["person_id"]), "companies", integer(r["organization_id"]), text(r["title"]))
		}
	}
	for _, r := range o.rows("project_participants") {
		if w.date == "" || w.cited("participant", integer(r["id"])) {
			add("PARTICIPANT", "companies", integer(r["company_id"]), "projects", integer(r["project_id"]), text(r["role"]))
		}
	}
	for _, l := range []struct{ typ, table, fromCol, fromList, toCol, toList string }{
		{"PARTY", "agreement_parties", "company_id", "companies", "agreement_id", "agreements"},
		{"SIGNATORY", "agreement_signatories", "person_id", "people", "agreement_id", "agreements"},
		{"COVERS", "agreement_projects", "agreement_id", "agreements", "project_id", "projects"},
		{"ATTENDED", "meeting_participants", "person_id", "people", "meeting_id", "meetings"},
		{"REPRESENTED_AT", "meeting_organizations", "company_id", "companies", "meeting_id", "meetings"},
		{"DISCUSSED", "meeting_projects", "meeting_id", "meetings", "project_id", "projects"},
		{"SIGNED_AT", "agreements", "id", "agreements", "meeting_id", "meetings"},
		{"SUBSIDIARY_OF", "companies", "id", "companies", "parent_id", "companies"},
	} {
		for _, r := range o.rows(l.table) {
			add(l.typ, l.fromList, integer(r[l.fromCol]), l.toList, integer(r[l.toCol]), "")
		}
	}
	attended := map[int64][]int64{}
	for _, r := range o.rows("meeting_participants") {
		m, p := integer(r["meeting_id"]), integer(r["person_id"])
		if w.sees("meetings", m) && w.sees("people", p) {
			attended[m] = append(attended[m], p)
		}
	}
	met := map[[2]int64]bool{}
	for _, people := range attended {
		for _, a := range people {
			for _, b := range people {
				if a < b && !met[[2]int64{a, b}] {
					met[[2]int64{a, b}] = true
					add("MET", "people", a, "people", b, "")
				}
			}
		}
	}
	return es
}

// graph is the visible relationship graph, both directions of every edge.
type graph struct {
	edges []edge
	adj   map[string][]string // object → its neighbours, each once
	pairs map[[2]string][]edge
}

func (w *world) graph() *graph {
	g := &graph{edges: w.edges(), adj: map[string][]string{}, pairs: map[[2]string][]edge{}}
	for _, e := range g.edges {
		for _, p := range [][2]string{{e.from, e.to}, {e.to, e.from}} {
			if len(g.pairs[p]) == 0 {
				g.adj[p[0]] = append(g.adj[p[0]], p[1])
			}
			g.pairs[p] = append(g.pairs[p], e)
		}
	}
	for k := range g.adj {
		slices.Sort(g.adj[k])
	}
	return g
}

// distances is a breadth-first walk from center, at most depth steps.
func (g *graph) distances(center string, depth int) map[string]int {
	dist := map[string]int{center: 0}
	frontier := []string{center}
	for d := 1; d <= depth && len(frontier) > 0; d++ {
		var next []string
		for _, n := range frontier {
			for _, m := range g.adj[n] {
				if _, ok := dist[m]; !ok {
					dist[m] = d
					next = append(next, m)
				}
			}
		}
		frontier = next
	}
	return dist
}

// shortestPaths counts the shortest node sequences from a to b of at most
// maxHops steps, capped at most, and returns their length (-1 for none).
func (g *graph) shortestPaths(a, b string, maxHops, most int) (length, count int) {
	dist := g.distances(a, maxHops)
	d, ok := dist[b]
	if !ok {
		return -1, 0
	}
	ways := map[string]int{a: 1}
	byDist := map[int][]string{}
	for n, k := range dist {
		byDist[k] = append(byDist[k], n)
	}
	for k := 1; k <= d; k++ {
		for _, n := range byDist[k] {
			for _, m := range g.adj[n] {
				if dist[m] == k-1 {
					ways[n] = min(ways[n]+ways[m], most)
				}
			}
		}
	}
	return d, ways[b]
}

// globalID encodes an ID as the API's ids are documented to stay stable:
// the type name and slug, base64url without padding.
func globalID(typ, slug string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + slug))
}

// event is one timeline event as the model sees it.
type event struct {
	kind, date, subject string
}

func (e event) String() string { return e.kind + " " + e.date + " " + e.subject }

// timeline lists every visible dated thing, about company (a company's
// id) when it is not 0, as the schema describes Query.timeline.
func (w *world) timeline(company int64) []event {
	o := w.o
	var es []event
	obj := func(list string, id int64) string { return ref(list, o.slugOf(list, id)) }
	linked := func(table, col, otherCol string) map[int64]bool {
		out := map[int64]bool{}
		for _, r := range o.rows(table) {
			if integer(r[col]) == company && w.sees("companies", company) {
				out[integer(r[otherCol])] = true
			}
		}
		return out
	}
	about := func(set map[int64]bool, id int64) bool { return company == 0 || set[id] }
	meetings, agreements := linked("meeting_organizations", "company_id", "meeting_id"), linked("agreement_parties", "company_id", "agreement_id")
	projects := map[int64]bool{}
	for _, r := range o.rows("project_participants") {
		if integer(r["company_id"]) == company && (w.date == "" || w.cited("participant", integer(r["id"]))) && w.sees("companies", company) {
			projects[integer(r["project_id"])] = true
		}
	}
	for _, r := range o.rows("meetings") {
		if id := integer(r["id"]); w.sees("meetings", id) && about(meetings, id) {
			es = append(es, event{"MEETING", text(r["date"]), obj("meetings", id)})
		}
	}
	for _, r := range o.rows("agreements") {
		if id := integer(r["id"]); w.sees("agreements", id) && text(r["signed_on"]) != "" && about(agreements, id) {
			es = append(es, event{"SIGNING", text(r["signed_on"]), obj("agreements", id)})
		}
	}
	for _, r := range o.rows("milestones") {
		p := integer(r["project_id"])
		if text(r["date"]) != "" && w.published(integer(r["source_id"])) && w.sees("projects", p) && about(projects, p) {
			es = append(es, event{"MILESTONE", text(r["date"]), obj("projects", p)})
		}
	}
	for _, r := range o.rows("measurements") {
		if !w.published(integer(r["source_id"])) {
			continue
		}
		if c := integer(r["company_id"]); c != 0 && w.sees("companies", c) && (company == 0 || c == company) {
			es = append(es, event{"MEASUREMENT", text(r["as_of"]), obj("companies", c)})
		}
		if p := integer(r["project_id"]); p != 0 && w.sees("projects", p) && about(projects, p) {
			es = append(es, event{"MEASUREMENT", text(r["as_of"]), obj("projects", p)})
		}
	}
	for _, r := range o.rows("positions") {
		person, org := integer(r["person_id"]), integer(r["organization_id"])
		if w.sees("people", person) && w.sees("companies", org) && (w.date == "" || w.cited("position", integer(r["id"]))) && (company == 0 || org == company) {
			es = append(es, event{"POSITION", text(r["reported_on"]), obj("people", person)})
		}
	}
	citing := map[int64]bool{}
	for _, s := range o.citedBy[key("company", company)] {
		citing[s] = true
	}
	for _, r := range o.rows("sources") {
		if id := integer(r["id"]); w.published(id) && (company == 0 || citing[id] && w.sees("companies", company)) {
			es = append(es, event{"PUBLICATION", text(r["published_on"]), obj("sources", id)})
		}
	}
	return es
}

// moneyItem is one visible amount and what the documented rule does with
// it.
type moneyItem struct {
	key            string // as moneyAmount.String gives it
	row            map[string]any
	reason         string // "" when counted
	countedInstead string // key of the amount counted in its place, if any
	groups         map[string][]string
}

var precision = map[string]int{"EXACT": 0, "ABOUT": 1, "AT_LEAST": 2}

// money applies the README's rule against double counting, in currency,
// to the visible amounts, and puts each counted amount in its groups.
func (w *world) money(currency string) []*moneyItem {
	o := w.o
	var items []*moneyItem
	deals := map[string][]*moneyItem{}
	for _, r := range o.rows("amounts") {
		if !w.published(integer(r["source_id"])) {
			continue
		}
		deal := ""
		if p := integer(r["project_id"]); w.sees("projects", p) {
			deal = ref("projects", o.slugOf("projects", p))
		} else if a := integer(r["agreement_id"]); w.sees("agreements", a) {
			deal = ref("agreements", o.slugOf("agreements", a))
		} else {
			continue
		}
		it := &moneyItem{key: deal + " " + o.amountRow(r), row: r, groups: map[string][]string{}}
		items = append(items, it)
		switch {
		case !strings.EqualFold(text(r["currency"]), currency):
			it.reason = "OTHER_CURRENCY"
		case strings.EqualFold(text(r["approximation"]), "UP_TO"):
			it.reason = "UPPER_BOUND_ONLY"
		default:
			deals[deal] = append(deals[deal], it)
		}
	}
	best := map[string]*moneyItem{}
	for deal, reports := range deals {
		slices.SortStableFunc(reports, func(a, b *moneyItem) int {
			pa, pb := precision[strings.ToUpper(text(a.row["approximation"]))], precision[strings.ToUpper(text(b.row["approximation"]))]
			if pa != pb {
				return pa - pb
			}
			return strings.Compare(o.published[integer(b.row["source_id"])], o.published[integer(a.row["source_id"])])
		})
		best[deal] = reports[0]
		for _, it := range reports[1:] {
			it.reason, it.countedInstead = "SAME_DEAL_REPORTED_AGAIN", reports[0].key
		}
	}
	// covered projects: a visible agreement with a counted amount names them
	coveredBy := map[string]string{}
	for _, r := range o.rows("agreement_projects") {
		a, p := integer(r["agreement_id"]), integer(r["project_id"])
		if !w.sees("agreements", a) || !w.sees("projects", p) {
			continue
		}
		if b := best[ref("agreements", o.slugOf("agreements", a))]; b != nil {
			coveredBy[ref("projects", o.slugOf("projects", p))] = b.key
		}
	}
	for deal, b := range best {
		if instead, ok := coveredBy[deal]; ok {
			b.reason, b.countedInstead = "COVERED_BY_AGREEMENT", instead
			for _, it := range deals[deal][1:] {
				it.countedInstead = instead
			}
		}
	}
	for _, it := range items {
		if it.reason == "" {
			w.moneyGroups(it)
		}
	}
	return items
}

// moneyGroups puts a counted amount in its groups, by each grouping, as
// the schema's MoneyGrouping describes them.
func (w *world) moneyGroups(it *moneyItem) {
	o := w.o
	r := it.row
	var orgs []int64
	var sectors []string
	year := ""
	if p := integer(r["project_id"]); p != 0 {
		for _, pp := range o.rows("project_participants") {
			if integer(pp["project_id"]) == p && w.sees("companies", integer(pp["company_id"])) && (w.date == "" || w.cited("participant", integer(pp["id"]))) {
				orgs = append(orgs, integer(pp["company_id"]))
			}
		}
		sectors = append(sectors, strings.ToUpper(text(o.rawByID["projects"][p]["sector"])))
	} else {
		a := integer(r["agreement_id"])
		for _, ap := range o.rows("agreement_parties") {
			if integer(ap["agreement_id"]) == a && w.sees("companies", integer(ap["company_id"])) {
				orgs = append(orgs, integer(ap["company_id"]))
			}
		}
		for _, ap := range o.rows("agreement_projects") {
			if p := integer(ap["project_id"]); integer(ap["agreement_id"]) == a && w.sees("projects", p) {
				sectors = append(sectors, strings.ToUpper(text(o.rawByID["projects"][p]["sector"])))
			}
		}
		if s := text(o.rawByID["agreements"][a]["signed_start"]); s != "" {
			year = s[:4]
		}
	}
	if year == "" {
		year = o.published[integer(r["source_id"])][:4]
	}
	countries := map[string]bool{}
	for _, c := range orgs {
		it.groups["COMPANY"] = append(it.groups["COMPANY"], o.slugOf("companies", c))
		if country := text(o.rawByID["companies"][c]["country"]); country != "KZ" {
			countries[country] = true
		}
	}
	it.groups["COMPANY"] = unique(it.groups["COMPANY"])
	switch {
	case len(countries) == 0:
		it.groups["COUNTERPARTY_COUNTRY"] = []string{"UNKNOWN"}
	case len(countries) > 1:
		it.groups["COUNTERPARTY_COUNTRY"] = []string{"MULTIPLE"}
	case countries[""]:
		it.groups["COUNTERPARTY_COUNTRY"] = []string{"MULTILATERAL"}
	default:
		for c := range countries {
			it.groups["COUNTERPARTY_COUNTRY"] = []string{c}
		}
	}
	switch sectors = unique(sectors); len(sectors) {
	case 0:
		it.groups["SECTOR"] = nil // not modelled: an agreement covering no visible project
	case 1:
		it.groups["SECTOR"] = sectors
	default:
		it.groups["SECTOR"] = []string{"MULTIPLE"}
	}
	it.groups["YEAR"] = []string{year}
}

func unique(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}
