package export

// The graph as the export reads it through the GraphQL API: plain structs
// decoded from its responses, one per object type, holding global IDs where
// the API returns an object that is exported in its own right.

// Graph is every object of the graph, or of its asOf view, in the API's
// list orders.
type Graph struct {
	// AsOf is the date the graph is viewed as of; empty for today's graph.
	AsOf       string
	Sources    []*Source
	Companies  []*Company
	People     []*Person
	Projects   []*Project
	Meetings   []*Meeting
	Agreements []*Agreement
	Statements []*Statement
	Events     []*Event

	sourceByID map[string]*Source
}

// Ref is an object named by its global ID.
type Ref struct {
	ID string `json:"id"`
}

// Fact is whether a fact is stated in the paragraph it cites or a curator
// inferred it, and for an inference what from (Basis in the schema).
type Fact struct {
	Basis         string `json:"basis"`
	InferenceNote string `json:"inferenceNote"`
}

// Inferred reports whether the fact is an inference.
func (f Fact) Inferred() bool { return f.Basis == "INFERRED" }

// Evidence is the basis of one attribute of an object.
type Evidence struct {
	Attribute string `json:"attribute"`
	Fact
}

// attributeFact returns the basis of attribute among ev: stated unless ev
// lists it as inferred.
func attributeFact(ev []Evidence, attribute string) Fact {
	for _, e := range ev {
		if e.Attribute == attribute {
			return e.Fact
		}
	}
	return Fact{Basis: "STATED"}
}

// Citation is a paragraph of a source.
type Citation struct {
	Paragraph int `json:"paragraph"`
	Source    Ref `json:"source"`
}

// Source is an article.
type Source struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Publisher   string `json:"publisher"`
	Attribution string `json:"attribution"`
	PublishedOn string `json:"publishedOn"`
	Paragraphs  int    `json:"paragraphs"`
}

// Measurement is a figure about a company or project.
type Measurement struct {
	Metric        string   `json:"metric"`
	Label         string   `json:"label"`
	Value         float64  `json:"value"`
	Unit          string   `json:"unit"`
	Approximation string   `json:"approximation"`
	AsOf          string   `json:"asOf"`
	Status        string   `json:"status"`
	Citation      Citation `json:"citation"`
	ReportedOn    string   `json:"reportedOn"`
	Counterparty  *Ref     `json:"counterparty"`
	PeriodStart   string   `json:"periodStart"`
	PeriodEnd     string   `json:"periodEnd"`
	AttributedTo  *Ref     `json:"attributedTo"`
	Fact
}

// Amount is a sum of money as one source reports it.
type Amount struct {
	Amount        float64  `json:"amount"`
	Currency      string   `json:"currency"`
	Approximation string   `json:"approximation"`
	Label         string   `json:"label"`
	Citation      Citation `json:"citation"`
	ReportedOn    string   `json:"reportedOn"`
	AttributedTo  *Ref     `json:"attributedTo"`
	Fact
}

// Position is a title reported for a person at an organization.
type Position struct {
	Person       Ref        `json:"person"`
	Title        string     `json:"title"`
	ReportedOn   string     `json:"reportedOn"`
	Citations    []Citation `json:"citations"`
	AttributedTo *Ref       `json:"attributedTo"`
	Fact
}

// Company is an organization.
type Company struct {
	ID           string         `json:"id"`
	Slug         string         `json:"slug"`
	Name         string         `json:"name"`
	Aliases      []string       `json:"aliases"`
	Kind         string         `json:"kind"`
	Country      string         `json:"country"`
	Founded      string         `json:"founded"`
	Headquarters string         `json:"headquarters"`
	Description  string         `json:"description"`
	Parent       *Ref           `json:"parent"`
	Positions    []*Position    `json:"positions"`
	Measurements []*Measurement `json:"measurements"`
	Evidence     []Evidence     `json:"evidence"`
	Citations    []Citation     `json:"citations"`
}

// Person is a person named in a source.
type Person struct {
	ID          string     `json:"id"`
	Slug        string     `json:"slug"`
	Name        string     `json:"name"`
	Aliases     []string   `json:"aliases"`
	Description string     `json:"description"`
	Citations   []Citation `json:"citations"`
}

// Participant is a company's role in a project.
type Participant struct {
	Company   Ref        `json:"company"`
	Role      string     `json:"role"`
	Citations []Citation `json:"citations"`
	Fact
}

// Milestone is a dated step of a project.
type Milestone struct {
	Name     string   `json:"name"`
	Date     string   `json:"date"`
	Status   string   `json:"status"`
	Citation Citation `json:"citation"`
	Fact
}

// Project is an investment project.
type Project struct {
	ID           string         `json:"id"`
	Slug         string         `json:"slug"`
	Name         string         `json:"name"`
	Aliases      []string       `json:"aliases"`
	Sector       string         `json:"sector"`
	Status       string         `json:"status"`
	Region       string         `json:"region"`
	Description  string         `json:"description"`
	Participants []*Participant `json:"participants"`
	Measurements []*Measurement `json:"measurements"`
	Milestones   []*Milestone   `json:"milestones"`
	Amounts      []*Amount      `json:"amounts"`
	Citations    []Citation     `json:"citations"`
}

// Meeting is a meeting between people.
type Meeting struct {
	ID            string     `json:"id"`
	Slug          string     `json:"slug"`
	Date          string     `json:"date"`
	Location      string     `json:"location"`
	Occasion      string     `json:"occasion"`
	Summary       string     `json:"summary"`
	Topics        []string   `json:"topics"`
	Participants  []Ref      `json:"participants"`
	Organizations []Ref      `json:"organizations"`
	Projects      []Ref      `json:"projects"`
	Event         *Ref       `json:"event"`
	Evidence      []Evidence `json:"evidence"`
	Citations     []Citation `json:"citations"`
	// Participations are Participants with the basis of each.
	Participations []Participation `json:"participations"`
	// StatedOrganizations and StatedProjects are those of Organizations
	// and Projects the sources state.
	StatedOrganizations []Ref `json:"statedOrganizations"`
	StatedProjects      []Ref `json:"statedProjects"`
}

// Participation is a person's attendance of a meeting.
type Participation struct {
	Person Ref `json:"person"`
	Fact
}

// Agreement is a signed document or package of documents.
type Agreement struct {
	ID                         string     `json:"id"`
	Slug                       string     `json:"slug"`
	Title                      string     `json:"title"`
	Kind                       string     `json:"kind"`
	SignedOn                   string     `json:"signedOn"`
	Summary                    string     `json:"summary"`
	DocumentCount              *int       `json:"documentCount"`
	DocumentCountApproximation string     `json:"documentCountApproximation"`
	Parties                    []Ref      `json:"parties"`
	Signatories                []Ref      `json:"signatories"`
	Projects                   []Ref      `json:"projects"`
	Meeting                    *Ref       `json:"meeting"`
	Event                      *Ref       `json:"event"`
	PartOf                     *Ref       `json:"partOf"`
	ReportedOn                 string     `json:"reportedOn"`
	Status                     string     `json:"status"`
	Amounts                    []*Amount  `json:"amounts"`
	Evidence                   []Evidence `json:"evidence"`
	Citations                  []Citation `json:"citations"`
	// StatedParties, StatedSignatories and StatedProjects are those of
	// Parties, Signatories and Projects the sources state.
	StatedParties     []Ref `json:"statedParties"`
	StatedSignatories []Ref `json:"statedSignatories"`
	StatedProjects    []Ref `json:"statedProjects"`
}

// Statement is what a person said, as one paragraph reports it.
type Statement struct {
	ID         string   `json:"id"`
	Slug       string   `json:"slug"`
	Date       string   `json:"date"`
	ReportedOn string   `json:"reportedOn"`
	Summary    string   `json:"summary"`
	Speaker    Ref      `json:"speaker"`
	Meeting    *Ref     `json:"meeting"`
	Event      *Ref     `json:"event"`
	About      []Ref    `json:"about"`
	Citation   Citation `json:"citation"`
	Fact
}

// Event is a visit, trip, roundtable, business council or ceremony.
type Event struct {
	ID          string     `json:"id"`
	Slug        string     `json:"slug"`
	Name        string     `json:"name"`
	Kind        string     `json:"kind"`
	Start       string     `json:"start"`
	End         string     `json:"end"`
	Location    string     `json:"location"`
	Description string     `json:"description"`
	PartOf      *Ref       `json:"partOf"`
	Evidence    []Evidence `json:"evidence"`
	Citations   []Citation `json:"citations"`
}

// Source returns the source with global ID id, or nil.
func (g *Graph) Source(id string) *Source {
	if g.sourceByID == nil {
		g.sourceByID = make(map[string]*Source, len(g.Sources))
		for _, s := range g.Sources {
			g.sourceByID[s.ID] = s
		}
	}
	return g.sourceByID[id]
}
