package export

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/investgraph/investgraph/db"
)

// FtM writes the graph as FollowTheMoney entities, one JSON object a line
// (the format Aleph's and OpenSanctions' tools read with `ftm`). The mapping,
// chosen from the FollowTheMoney 3 model:
//
//   - a source article is an Article (title, publishedAt, publisher, author);
//   - an organization is a Company (companies, state-owned companies, joint
//     ventures, banks), a PublicBody (states and government bodies) or an
//     Organization (the rest), with parent for a subsidiary;
//   - a person is a Person; a reported title is an Employment (employee,
//     employer, role, date), or a Membership for a state, a government body
//     or a business association, whose people hold office or a seat rather
//     than a job;
//   - a meeting is an Event (involved: its people and organizations), and
//     so is a visit, trip, roundtable, business council or ceremony (its
//     kind a keyword); a meeting held during an event, an agreement that
//     came out of one and an event within a larger one are UnknownLinks
//     ("part of"), a document of a package too ("in package");
//   - a statement is a Note on its speaker (entity), its summary the
//     description, with UnknownLinks to what it is about ("about") and to
//     the meeting or event it was said at ("said at");
//   - a project is a Project, each organization's part in it a
//     ProjectParticipant (role);
//   - an agreement is a Contract (contractDate, type, project), with an
//     UnknownLink for each party ("party"), signatory ("signatory"), and its
//     meeting ("signed at"); a meeting's projects are UnknownLinks too
//     ("discussed").
//
// Every Thing lists the articles that cite it under proof, and one
// Documentation per article and entity says which paragraphs (role
// "paragraphs 3, 5"); a link's summary names its articles and paragraphs.
// What a curator inferred rather than read in the paragraph says so in its
// summary (a link, participation, position or statement: "Inferred: " and
// the note), a figure or sum in its text ("inferred"); "according to"
// names who a source attributes a figure, sum or title to.
// A date given as a quarter or half-year, which FtM cannot write, is the
// startDate and endDate of its months.
func FtM(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	f := &ftmWriter{w: bw, g: g, schema: map[string]string{}, facts: map[[3]string]Fact{}, names: map[string]string{}}
	for _, c := range g.Companies {
		f.schema[c.ID] = companySchema(c.Kind)
		f.names[c.ID] = c.Name
	}
	for _, p := range g.People {
		f.names[p.ID] = p.Name
	}
	for _, r := range Relationships(g) {
		f.facts[[3]string{r.Type, r.From, r.To}] = r.Fact
	}
	f.write(g)
	if f.err != nil {
		return f.err
	}
	return bw.Flush()
}

// companySchema is the FtM schema of an organization of the kind.
func companySchema(kind string) string {
	switch kind {
	case "COMPANY", "STATE_OWNED_COMPANY", "JOINT_VENTURE", "BANK":
		return "Company"
	case "STATE", "GOVERNMENT_BODY":
		return "PublicBody"
	}
	return "Organization"
}

// companyTopics are the FtM topics of an organization of the kind.
var companyTopics = map[string][]string{
	"STATE_OWNED_COMPANY": {"gov.soe"},
	"BANK":                {"fin.bank"},
	"MULTILATERAL_BANK":   {"fin.bank", "gov.igo"},
	"STATE":               {"gov.national"},
	"GOVERNMENT_BODY":     {"gov"},
}

// membershipKinds are the organizations whose positions are memberships.
var membershipKinds = []string{"STATE", "GOVERNMENT_BODY", "BUSINESS_ASSOCIATION"}

type ftmEntity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

type ftmWriter struct {
	w      *bufio.Writer
	g      *Graph
	schema map[string]string  // company ID → FtM schema
	facts  map[[3]string]Fact // type, from, to → the relationship's basis
	names  map[string]string  // company and person ID → name
	err    error
}

// fact is the basis of the relationship of the type between from and to.
func (f *ftmWriter) fact(typ, from, to string) Fact {
	if fc, ok := f.facts[[3]string{typ, from, to}]; ok {
		return fc
	}
	return stated
}

// basisText is "" for a stated fact, "Inferred: note" for an inferred one.
func basisText(fc Fact) string {
	if !fc.Inferred() {
		return ""
	}
	if fc.InferenceNote == "" {
		return "Inferred by a curator."
	}
	return "Inferred: " + fc.InferenceNote
}

// according is " according to Name" where a source attributes a fact.
func (f *ftmWriter) according(r *Ref) string {
	if r == nil || f.names[r.ID] == "" {
		return ""
	}
	return " according to " + f.names[r.ID]
}

func (f *ftmWriter) emit(id, schema string, props props) {
	if f.err != nil {
		return
	}
	b, err := json.Marshal(ftmEntity{ID: id, Schema: schema, Properties: props.m})
	if err != nil {
		f.err = err
		return
	}
	b = append(b, '\n')
	_, f.err = f.w.Write(b)
}

// props builds an entity's properties, leaving empty values out.
type props struct{ m map[string][]string }

func newProps() props { return props{m: map[string][]string{}} }

func (p props) add(name string, values ...string) props {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(p.m[name], v) {
			p.m[name] = append(p.m[name], v)
		}
	}
	return p
}

// dates sets the date, or startDate and endDate, that d means.
func (p props) dates(dateProp, d string) props {
	if d == "" {
		return p
	}
	pd, err := db.ParsePartialDate(d)
	if err != nil {
		return p
	}
	switch pd.Precision {
	case db.PrecisionHalf, db.PrecisionQuarter:
		return p.add("startDate", pd.Start()[:7]).add("endDate", pd.End()[:7])
	}
	return p.add(dateProp, pd.String())
}

func (f *ftmWriter) write(g *Graph) {
	for _, s := range g.Sources {
		f.emit(s.ID, "Article", newProps().
			add("title", s.Title).add("name", s.Title).
			add("publisher", s.Publisher).add("author", s.Attribution).
			add("publishedAt", s.PublishedOn))
	}
	for _, c := range g.Companies {
		p := newProps().add("name", c.Name).add("alias", c.Aliases...).
			add("country", strings.ToLower(c.Country)).add("description", c.Description).
			add("address", c.Headquarters).add("legalForm", enumWords(c.Kind))
		p = p.dates("incorporationDate", c.Founded)
		if c.Parent != nil {
			p.add("parent", c.Parent.ID)
		}
		p.add("topics", companyTopics[c.Kind]...)
		f.thing(c.ID, f.schema[c.ID], p, c.Citations)
	}
	for _, c := range g.Companies {
		for _, pos := range c.Positions {
			id := edgeID("position", pos.Person.ID, c.ID, pos.Title, pos.ReportedOn)
			p := newProps().add("role", pos.Title).dates("date", pos.ReportedOn).
				add("summary", joinSentences(f.reportedIn(pos.Citations)+f.according(pos.AttributedTo), basisText(pos.Fact)))
			if slices.Contains(membershipKinds, c.Kind) {
				f.emit(id, "Membership", p.add("member", pos.Person.ID).add("organization", c.ID))
			} else {
				f.emit(id, "Employment", p.add("employee", pos.Person.ID).add("employer", c.ID))
			}
		}
	}
	for _, pe := range g.People {
		f.thing(pe.ID, "Person", newProps().add("name", pe.Name).add("alias", pe.Aliases...).
			add("description", pe.Description), pe.Citations)
	}
	for _, pr := range g.Projects {
		p := newProps().add("name", pr.Name).add("alias", pr.Aliases...).
			add("description", pr.Description).add("status", enumWords(pr.Status)).
			add("keywords", enumWords(pr.Sector)).add("address", pr.Region).add("country", "kz")
		for _, a := range pr.Amounts {
			p.add("summary", f.amountText(a))
		}
		f.thing(pr.ID, "Project", p, pr.Citations)
		for _, part := range pr.Participants {
			f.emit(edgeID("participant", part.Company.ID, pr.ID, part.Role), "ProjectParticipant", newProps().
				add("participant", part.Company.ID).add("project", pr.ID).
				add("role", enumWords(part.Role)).add("summary", joinSentences(f.reportedIn(part.Citations), basisText(part.Fact))))
		}
	}
	for _, e := range g.Events {
		f.event(e)
	}
	for _, m := range g.Meetings {
		name := m.Occasion
		if name == "" {
			name = "Meeting"
			if m.Location != "" {
				name += " in " + m.Location
			}
		}
		p := newProps().add("name", name+" ("+m.Date+")").add("location", m.Location).
			add("summary", m.Summary).add("keywords", m.Topics...).dates("date", m.Date)
		for _, r := range m.Participants {
			p.add("involved", r.ID)
		}
		for _, r := range m.Organizations {
			p.add("involved", r.ID)
		}
		f.thing(m.ID, "Event", p, m.Citations)
		for _, r := range m.Projects {
			f.link("DISCUSSED", m.ID, r.ID, "discussed", m.Citations)
		}
		if m.Event != nil {
			f.link("PART_OF", m.ID, m.Event.ID, "part of", m.Citations)
		}
	}
	for _, a := range g.Agreements {
		p := newProps().add("name", a.Title).add("title", a.Title).add("summary", a.Summary).
			add("type", enumWords(a.Kind)).dates("contractDate", a.SignedOn)
		if a.DocumentCount != nil {
			p.add("description", fmt.Sprintf("%s%d documents", approxWord(a.DocumentCountApproximation), *a.DocumentCount))
		}
		for _, r := range a.Projects {
			p.add("project", r.ID)
		}
		for _, am := range a.Amounts {
			p.add("description", f.amountText(am))
		}
		f.thing(a.ID, "Contract", p, a.Citations)
		for _, r := range a.Parties {
			f.link("PARTY", r.ID, a.ID, "party", a.Citations)
		}
		for _, r := range a.Signatories {
			f.link("SIGNATORY", r.ID, a.ID, "signatory", a.Citations)
		}
		if a.Meeting != nil {
			f.link("SIGNED_AT", a.ID, a.Meeting.ID, "signed at", a.Citations)
		}
	}
	// Agreements' links to events and packages once every agreement and
	// event is written.
	for _, a := range g.Agreements {
		if a.Event != nil {
			f.link("PART_OF", a.ID, a.Event.ID, "part of", a.Citations)
		}
		if a.PartOf != nil {
			f.link("IN_PACKAGE", a.ID, a.PartOf.ID, "in package", a.Citations)
		}
	}
	for _, e := range g.Events {
		if e.PartOf != nil {
			f.link("PART_OF", e.ID, e.PartOf.ID, "part of", e.Citations)
		}
	}
	for _, st := range g.Statements {
		name := "Statement by " + f.names[st.Speaker.ID]
		if st.Date != "" {
			name += " (" + st.Date + ")"
		} else {
			name += " (reported " + st.ReportedOn + ")"
		}
		p := newProps().add("name", name).add("entity", st.Speaker.ID).add("description", st.Summary).
			add("summary", joinSentences(f.reportedIn([]Citation{st.Citation}), basisText(st.Fact)))
		f.thing(st.ID, "Note", p, []Citation{st.Citation})
		cites := []Citation{st.Citation}
		for _, r := range st.About {
			f.link("ABOUT", st.ID, r.ID, "about", cites)
		}
		if st.Meeting != nil {
			f.link("SAID_AT", st.ID, st.Meeting.ID, "said at", cites)
		}
		if st.Event != nil {
			f.link("SAID_AT", st.ID, st.Event.ID, "said at", cites)
		}
	}
}

// event writes an Event of the graph as an FtM Event.
func (f *ftmWriter) event(e *Event) {
	p := newProps().add("name", e.Name).add("location", e.Location).add("description", e.Description).
		add("keywords", enumWords(e.Kind))
	if e.Start != "" && e.End != "" && e.End != e.Start {
		if s, err := db.ParsePartialDate(e.Start); err == nil {
			p.add("startDate", s.Start())
		}
		if en, err := db.ParsePartialDate(e.End); err == nil {
			p.add("endDate", en.End())
		}
	} else {
		p = p.dates("date", e.Start)
	}
	for _, fc := range e.Evidence {
		if fc.Inferred() {
			p.add("notes", fc.Attribute+": "+basisText(fc.Fact))
		}
	}
	f.thing(e.ID, "Event", p, e.Citations)
}

// joinSentences joins the non-empty parts with ". ".
func joinSentences(parts ...string) string {
	var out []string
	for _, s := range parts {
		if s = strings.TrimSuffix(strings.TrimSpace(s), "."); s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, ". ") + "."
}

// thing writes an entity with its proof and one Documentation per source
// that cites it.
func (f *ftmWriter) thing(id, schema string, p props, cites []Citation) {
	bySource, order := groupCitations(cites)
	for _, src := range order {
		p.add("proof", src)
	}
	f.emit(id, schema, p)
	for _, src := range order {
		f.emit(edgeID("documentation", src, id), "Documentation", newProps().
			add("document", src).add("entity", id).
			add("role", paragraphWord(bySource[src])+joinInts(bySource[src])))
	}
}

// link writes an UnknownLink from subject to object for the relationship
// of the type, which Relationships holds, with its basis.
func (f *ftmWriter) link(typ, subject, object, role string, cites []Citation) {
	if _, ok := f.facts[[3]string{typ, subject, object}]; !ok {
		return // an end the view does not hold
	}
	f.emit(edgeID("link", subject, object, role), "UnknownLink", newProps().
		add("subject", subject).add("object", object).add("role", role).
		add("summary", joinSentences(f.reportedIn(cites), basisText(f.fact(typ, subject, object)))))
}

// reportedIn names the articles and paragraphs of cites.
func (f *ftmWriter) reportedIn(cites []Citation) string {
	bySource, order := groupCitations(cites)
	parts := make([]string, 0, len(order))
	for _, id := range order {
		parts = append(parts, citationText(f.g, id, bySource[id]))
	}
	if len(parts) == 0 {
		return ""
	}
	return "Reported in " + strings.Join(parts, "; ")
}

// citationText is "Title (2023-10-12), paragraphs 3, 5".
func citationText(g *Graph, sourceID string, paragraphs []int) string {
	title, date := sourceID, ""
	if s := g.Source(sourceID); s != nil {
		title, date = s.Title, s.PublishedOn
	}
	return fmt.Sprintf("%s (%s), %s%s", title, date, paragraphWord(paragraphs), joinInts(paragraphs))
}

// paragraphWord is "paragraph " or "paragraphs ", for the count.
func paragraphWord(paragraphs []int) string {
	if len(paragraphs) == 1 {
		return "paragraph "
	}
	return "paragraphs "
}

// groupCitations gathers cites' paragraphs by source, sources in first-cited
// order.
func groupCitations(cites []Citation) (map[string][]int, []string) {
	by := map[string][]int{}
	var order []string
	for _, c := range cites {
		if _, ok := by[c.Source.ID]; !ok {
			order = append(order, c.Source.ID)
		}
		if !slices.Contains(by[c.Source.ID], c.Paragraph) {
			by[c.Source.ID] = append(by[c.Source.ID], c.Paragraph)
		}
	}
	for _, ps := range by {
		slices.Sort(ps)
	}
	return by, order
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// amountText is "about 1200000000 USD (label), Title (date), paragraph 4",
// with "according to" and "inferred: note" where they apply.
func (f *ftmWriter) amountText(a *Amount) string { return amountText(a, f.g, f.names) }

func amountText(a *Amount, g *Graph, names map[string]string) string {
	s := approxWord(a.Approximation) + strconv.FormatFloat(a.Amount, 'f', -1, 64) + " " + a.Currency
	if a.Label != "" {
		s += " (" + a.Label + ")"
	}
	if a.AttributedTo != nil && names[a.AttributedTo.ID] != "" {
		s += " according to " + names[a.AttributedTo.ID]
	}
	s += ", " + citationText(g, a.Citation.Source.ID, []int{a.Citation.Paragraph})
	if a.Inferred() {
		s += "; inferred"
		if a.InferenceNote != "" {
			s += ": " + a.InferenceNote
		}
	}
	return s
}

// approxWord is the word an approximation reads as before a number.
func approxWord(approx string) string {
	switch approx {
	case "ABOUT":
		return "about "
	case "AT_LEAST":
		return "at least "
	case "UP_TO":
		return "up to "
	}
	return ""
}

// enumWords turns STATE_OWNED_COMPANY into "state owned company".
func enumWords(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", " "))
}

// edgeID derives a stable ID for an entity the API has no ID for.
func edgeID(kind string, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "ig-" + kind + "-" + hex.EncodeToString(sum[:12])
}
