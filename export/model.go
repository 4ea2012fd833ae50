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

	sourceByID map[string]*Source
}

// Ref is an object named by its global ID.
type Ref struct {
	ID string `json:"id"`
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
}

// Amount is a sum of money as one source reports it.
type Amount struct {
	Amount        float64  `json:"amount"`
	Currency      string   `json:"currency"`
	Approximation string   `json:"approximation"`
	Label         string   `json:"label"`
	Citation      Citation `json:"citation"`
}

// Position is a title reported for a person at an organization.
type Position struct {
	Person     Ref        `json:"person"`
	Title      string     `json:"title"`
	ReportedOn string     `json:"reportedOn"`
	Citations  []Citation `json:"citations"`
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
}

// Milestone is a dated step of a project.
type Milestone struct {
	Name     string   `json:"name"`
	Date     string   `json:"date"`
	Status   string   `json:"status"`
	Citation Citation `json:"citation"`
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
	Citations     []Citation `json:"citations"`
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
	Amounts                    []*Amount  `json:"amounts"`
	Citations                  []Citation `json:"citations"`
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
