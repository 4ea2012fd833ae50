// Package oracle is a deliberately simple, independent model of what the
// gateway shows as of a date, for property tests. It reads the raw tables
// of a database (sources, citations, the entity tables and their link
// tables) with plain whole-table queries and decides visibility in Go,
// sharing no query code with the store, so a test can compare the API's
// answers with it:
//
//   - an object is visible as of D when a source published on or before
//     D's last day cites it;
//   - a project participation is visible when it is cited so, and its
//     company and project are visible;
//   - an agreement's party, and a meeting's participant, is visible when
//     both its ends are;
//   - a figure (a measurement or an amount) is visible when the source
//     that reports it is published by then and the object it belongs to is
//     visible;
//   - a source is visible when it is published by then;
//   - without a date, everything is visible.
package oracle

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sort"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Kinds are the root lists the oracle models, by their GraphQL field.
var Kinds = []string{"companies", "people", "projects", "meetings", "agreements"}

// citation subject of each root list's objects.
var subjects = map[string]string{
	"companies": "company", "people": "person", "projects": "project",
	"meetings": "meeting", "agreements": "agreement",
}

// Participant is one company's part in one project, as the API shows it
// under Company.projects.
type Participant struct {
	Project string // project slug
	Role    string // as stored, upper-cased by the API
}

// Oracle holds the raw rows it needs.
type Oracle struct {
	published    map[int64]string            // source id → first day of publication
	citedBy      map[string][]int64          // "subject/id" → citing source ids
	slugs        map[string]map[int64]string // list → id → slug
	participants []participantRow
	parties      []partyRow
	attendees    []attendeeRow
	sources      map[int64]sourceRow
	measurements []measurementRow
	amounts      []amountRow
	raw          map[string][]map[string]any         // table → every row
	rawByID      map[string]map[int64]map[string]any // table → id → row
}

type attendeeRow struct{ meeting, person int64 }

type sourceRow struct{ title, publishedOn string }

type measurementRow struct {
	company, project, source, paragraph              int64
	metric, label, unit, approximation, asOf, status string
	value                                            float64
}

type amountRow struct{ project, agreement, source int64 }

type participantRow struct {
	id, project, company int64
	role                 string
}

type partyRow struct{ agreement, company int64 }

// Load reads the raw tables of db.
func Load(ctx context.Context, db *sql.DB) (*Oracle, error) {
	o := &Oracle{published: map[int64]string{}, citedBy: map[string][]int64{}, slugs: map[string]map[int64]string{}, sources: map[int64]sourceRow{}}
	sources, err := table(ctx, db, "sources")
	if err != nil {
		return nil, err
	}
	for _, r := range sources {
		o.published[integer(r["id"])] = text(r["published_start"])
		o.sources[integer(r["id"])] = sourceRow{text(r["title"]), text(r["published_on"])}
	}
	citations, err := table(ctx, db, "citations")
	if err != nil {
		return nil, err
	}
	for _, r := range citations {
		k := key(text(r["subject"]), integer(r["subject_id"]))
		o.citedBy[k] = append(o.citedBy[k], integer(r["source_id"]))
	}
	for _, list := range Kinds {
		rows, err := table(ctx, db, list)
		if err != nil {
			return nil, err
		}
		o.slugs[list] = map[int64]string{}
		for _, r := range rows {
			o.slugs[list][integer(r["id"])] = text(r["slug"])
		}
	}
	parts, err := table(ctx, db, "project_participants")
	if err != nil {
		return nil, err
	}
	for _, r := range parts {
		o.participants = append(o.participants, participantRow{integer(r["id"]), integer(r["project_id"]), integer(r["company_id"]), text(r["role"])})
	}
	parties, err := table(ctx, db, "agreement_parties")
	if err != nil {
		return nil, err
	}
	for _, r := range parties {
		o.parties = append(o.parties, partyRow{integer(r["agreement_id"]), integer(r["company_id"])})
	}
	attendees, err := table(ctx, db, "meeting_participants")
	if err != nil {
		return nil, err
	}
	for _, r := range attendees {
		o.attendees = append(o.attendees, attendeeRow{integer(r["meeting_id"]), integer(r["person_id"])})
	}
	measurements, err := table(ctx, db, "measurements")
	if err != nil {
		return nil, err
	}
	for _, r := range measurements {
		value, _ := r["value"].(float64)
		o.measurements = append(o.measurements, measurementRow{
			company: integer(r["company_id"]), project: integer(r["project_id"]),
			source: integer(r["source_id"]), paragraph: integer(r["paragraph"]),
			metric: text(r["metric"]), label: text(r["label"]), unit: text(r["unit"]),
			approximation: text(r["approximation"]), asOf: text(r["as_of"]), status: text(r["status"]),
			value: value,
		})
	}
	amounts, err := table(ctx, db, "amounts")
	if err != nil {
		return nil, err
	}
	for _, r := range amounts {
		o.amounts = append(o.amounts, amountRow{integer(r["project_id"]), integer(r["agreement_id"]), integer(r["source_id"])})
	}
	o.raw, o.rawByID = map[string][]map[string]any{}, map[string]map[int64]map[string]any{}
	for _, name := range modelTables {
		rows, err := table(ctx, db, name)
		if err != nil {
			return nil, err
		}
		o.raw[name], o.rawByID[name] = rows, map[int64]map[string]any{}
		for _, r := range rows {
			if id, ok := r["id"].(int64); ok {
				o.rawByID[name][id] = r
			}
		}
	}
	return o, nil
}

// PublicationDays returns every distinct first day of publication of a
// source, ascending.
func (o *Oracle) PublicationDays() []string {
	seen := map[string]bool{}
	var days []string
	for _, d := range o.published {
		if !seen[d] {
			seen[d] = true
			days = append(days, d)
		}
	}
	sort.Strings(days)
	return days
}

// View is what is visible as of one date.
type View struct {
	// Lists maps each root list to the slugs visible in it.
	Lists map[string]map[string]bool
	// Projects maps each visible company's slug to its visible
	// participations.
	Projects map[string][]Participant
	// Agreements maps each visible company's slug to the slugs of the
	// visible agreements it is a party to.
	Agreements map[string][]string
	// Participants maps each visible project's slug to its visible
	// participations, Project set to the company's slug.
	Participants map[string][]Participant
	// Attendees maps each visible meeting's slug to the slugs of its
	// visible participants.
	Attendees map[string][]string
	// Figures maps each visible project's slug to its visible
	// measurements.
	Figures map[string][]Figure
	// Counts is what aggregates.counts shows.
	Counts Counts
	// Waiting counts the measurements and amounts whose source is
	// published but whose owner is not yet visible.
	Waiting int
}

// Figure is a measurement as the API shows it.
type Figure struct {
	Metric, Label, Unit, Approximation, AsOf, Status string
	Value                                            float64
	Source, PublishedOn                              string // the citing source's title and publishedOn
	Paragraph                                        int64
}

// Counts mirrors aggregates.counts.
type Counts struct {
	Companies, People, Projects, Meetings, Agreements, Sources, Measurements, Amounts int
}

// As returns the view as of date: "" for no date, else YYYY, YYYY-MM or
// YYYY-MM-DD, which is cut at its last day.
func (o *Oracle) As(date string) (View, error) {
	cutoff, err := lastDay(date)
	if err != nil {
		return View{}, err
	}
	visible := func(subject string, id int64) bool {
		if date == "" {
			return true
		}
		for _, s := range o.citedBy[key(subject, id)] {
			if o.published[s] <= cutoff {
				return true
			}
		}
		return false
	}
	v := View{
		Lists: map[string]map[string]bool{}, Projects: map[string][]Participant{}, Agreements: map[string][]string{},
		Participants: map[string][]Participant{}, Attendees: map[string][]string{}, Figures: map[string][]Figure{},
	}
	for _, list := range Kinds {
		v.Lists[list] = map[string]bool{}
		for id, slug := range o.slugs[list] {
			if visible(subjects[list], id) {
				v.Lists[list][slug] = true
			}
		}
	}
	company := func(id int64) (string, bool) {
		slug := o.slugs["companies"][id]
		return slug, v.Lists["companies"][slug]
	}
	for c := range v.Lists["companies"] {
		v.Projects[c] = []Participant{}
		v.Agreements[c] = []string{}
	}
	for p := range v.Lists["projects"] {
		v.Participants[p] = []Participant{}
		v.Figures[p] = []Figure{}
	}
	for m := range v.Lists["meetings"] {
		v.Attendees[m] = []string{}
	}
	for _, p := range o.participants {
		c, ok := company(p.company)
		project := o.slugs["projects"][p.project]
		if ok && v.Lists["projects"][project] && visible("participant", p.id) {
			v.Projects[c] = append(v.Projects[c], Participant{project, p.role})
			v.Participants[project] = append(v.Participants[project], Participant{c, p.role})
		}
	}
	for _, p := range o.parties {
		c, ok := company(p.company)
		agreement := o.slugs["agreements"][p.agreement]
		if ok && v.Lists["agreements"][agreement] {
			v.Agreements[c] = append(v.Agreements[c], agreement)
		}
	}
	for _, a := range o.attendees {
		meeting, person := o.slugs["meetings"][a.meeting], o.slugs["people"][a.person]
		if v.Lists["meetings"][meeting] && v.Lists["people"][person] {
			v.Attendees[meeting] = append(v.Attendees[meeting], person)
		}
	}
	published := func(source int64) bool { return date == "" || o.published[source] <= cutoff }
	owned := func(list string, id int64) bool { return id != 0 && v.Lists[list][o.slugs[list][id]] }
	for _, m := range o.measurements {
		if !published(m.source) {
			continue
		}
		if !owned("companies", m.company) && !owned("projects", m.project) {
			v.Waiting++
			continue
		}
		v.Counts.Measurements++
		if m.project == 0 {
			continue
		}
		s := o.sources[m.source]
		p := o.slugs["projects"][m.project]
		v.Figures[p] = append(v.Figures[p], Figure{
			Metric: m.metric, Label: m.label, Unit: m.unit, Approximation: m.approximation,
			AsOf: m.asOf, Status: m.status, Value: m.value,
			Source: s.title, PublishedOn: s.publishedOn, Paragraph: m.paragraph,
		})
	}
	for _, a := range o.amounts {
		switch {
		case !published(a.source):
		case owned("projects", a.project) || owned("agreements", a.agreement):
			v.Counts.Amounts++
		default:
			v.Waiting++
		}
	}
	for id := range o.sources {
		if published(id) {
			v.Counts.Sources++
		}
	}
	v.Counts.Companies, v.Counts.People = len(v.Lists["companies"]), len(v.Lists["people"])
	v.Counts.Projects, v.Counts.Meetings = len(v.Lists["projects"]), len(v.Lists["meetings"])
	v.Counts.Agreements = len(v.Lists["agreements"])
	return v, nil
}

// lastDay is the last day a date covers, as YYYY-MM-DD.
func lastDay(date string) (string, error) {
	for _, layout := range []struct {
		layout string
		years  int
		months int
		days   int
	}{{"2006-01-02", 0, 0, 1}, {"2006-01", 0, 1, 0}, {"2006", 1, 0, 0}} {
		if t, err := time.Parse(layout.layout, date); err == nil {
			return t.AddDate(layout.years, layout.months, layout.days-1).Format("2006-01-02"), nil
		}
	}
	if date == "" {
		return "", nil
	}
	return "", fmt.Errorf("oracle: date %q is not YYYY, YYYY-MM or YYYY-MM-DD", date)
}

func key(subject string, id int64) string { return fmt.Sprintf("%s/%d", subject, id) }

// table reads a whole table, each row as a map from column name to value.
func table(ctx context.Context, db *sql.DB, name string) ([]map[string]any, error) {
	rows, err := db.QueryContext(ctx, "SELECT * FROM "+name)
	if err != nil {
		return nil, fmt.Errorf("oracle: read %s: %w", name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("oracle: read %s: %w", name, err)
		}
		r := map[string]any{}
		for i, c := range cols {
			r[c] = vals[i]
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func integer(v any) int64 {
	n, _ := v.(int64)
	return n
}

func text(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	}
	return ""
}

// LoadFile reads the raw tables of the SQLite database at path, through a
// read-only connection of its own.
func LoadFile(ctx context.Context, path string) (*Oracle, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("oracle: open %s: %w", path, err)
	}
	defer db.Close()
	return Load(ctx, db)
}

// Long reports whether INVESTGRAPH_ORACLE=long asks for the long run:
// every date instead of a sample.
func Long() bool { return os.Getenv("INVESTGRAPH_ORACLE") == "long" }
