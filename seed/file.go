package seed

// File is one seed file: everything a single source article reports. Entities
// are identified by slug; the same slug in several files is one entity, whose
// lists (aliases, citations, participants, figures, ...) are the union of what
// each file says and whose scalar fields must agree wherever they are given.
//
// Every `cite` lists paragraph numbers of this file's source: paragraphs are the
// article's non-empty lines, counted from 1.
type File struct {
	Source     SourceEntry      `yaml:"source"`
	Companies  []CompanyEntry   `yaml:"companies"`
	People     []PersonEntry    `yaml:"people"`
	Projects   []ProjectEntry   `yaml:"projects"`
	Meetings   []MeetingEntry   `yaml:"meetings"`
	Agreements []AgreementEntry `yaml:"agreements"`
	Events     []EventEntry     `yaml:"events"`
	Statements []StatementEntry `yaml:"statements"`
}

// Evidence says whether a fact is stated in the paragraph it cites (the
// default) or inferred by the curator, and then from what: an inference
// without a note is refused.
type Evidence struct {
	Basis         string `yaml:"basis"`
	InferenceNote string `yaml:"inferenceNote"`
}

// Inferred maps the attributes and links of an entity that the curator
// inferred to a note saying from what: an attribute by its name (`kind`,
// `region`, `parent`), a link by its list and slug (`participants/zhu-hexin`,
// `projects/caspi-bitum-expansion`). Everything not listed is stated.
type Inferred map[string]string

// SourceEntry describes the article a file is built from.
type SourceEntry struct {
	Slug        string `yaml:"slug"`
	Title       string `yaml:"title"`
	Publisher   string `yaml:"publisher"`
	Attribution string `yaml:"attribution"`
	PublishedOn string `yaml:"publishedOn"`
	Paragraphs  int    `yaml:"paragraphs"`
}

// CompanyEntry is an organization: a company, bank, state body or association.
type CompanyEntry struct {
	Slug         string             `yaml:"slug"`
	Name         string             `yaml:"name"`
	Aliases      []string           `yaml:"aliases"`
	Kind         string             `yaml:"kind"`
	Country      string             `yaml:"country"`
	Parent       string             `yaml:"parent"`
	Founded      string             `yaml:"founded"`
	Headquarters string             `yaml:"headquarters"`
	Description  string             `yaml:"description"`
	Cite         []int              `yaml:"cite"`
	Measurements []MeasurementEntry `yaml:"measurements"`
	Inferred     Inferred           `yaml:"inferred"`
}

// PersonEntry is a person and the positions this article reports for them.
type PersonEntry struct {
	Slug        string          `yaml:"slug"`
	Name        string          `yaml:"name"`
	Aliases     []string        `yaml:"aliases"`
	Description string          `yaml:"description"`
	Cite        []int           `yaml:"cite"`
	Positions   []PositionEntry `yaml:"positions"`
	Inferred    Inferred        `yaml:"inferred"`
}

// PositionEntry is a title held at an organization, as reported on a date
// (the source's publication date unless reportedOn says otherwise).
type PositionEntry struct {
	Organization string `yaml:"organization"`
	Title        string `yaml:"title"`
	ReportedOn   string `yaml:"reportedOn"`
	Cite         []int  `yaml:"cite"`
	// AttributedTo is the slug of the person or organization the article
	// credits with the title ("according to").
	AttributedTo string `yaml:"attributedTo"`
	Evidence     `yaml:",inline"`
}

// ProjectEntry is an investment project and what this article says about it.
type ProjectEntry struct {
	Slug         string             `yaml:"slug"`
	Name         string             `yaml:"name"`
	Aliases      []string           `yaml:"aliases"`
	Sector       string             `yaml:"sector"`
	Status       string             `yaml:"status"`
	Region       string             `yaml:"region"`
	Description  string             `yaml:"description"`
	Cite         []int              `yaml:"cite"`
	Participants []ParticipantEntry `yaml:"participants"`
	Measurements []MeasurementEntry `yaml:"measurements"`
	Milestones   []MilestoneEntry   `yaml:"milestones"`
	Amounts      []AmountEntry      `yaml:"amounts"`
	Inferred     Inferred           `yaml:"inferred"`
}

// ParticipantEntry links a company to a project in a role.
type ParticipantEntry struct {
	Company  string `yaml:"company"`
	Role     string `yaml:"role"`
	Cite     []int  `yaml:"cite"`
	Evidence `yaml:",inline"`
}

// MeasurementEntry is a figure at a date: a capacity, a length, a head count.
type MeasurementEntry struct {
	Metric        string  `yaml:"metric"`
	Label         string  `yaml:"label"`
	Value         float64 `yaml:"value"`
	Unit          string  `yaml:"unit"`
	Approximation string  `yaml:"approximation"`
	AsOf          string  `yaml:"asOf"`
	Status        string  `yaml:"status"`
	Cite          int     `yaml:"cite"`
	// AttributedTo is the slug of the person or organization the article
	// says gave the figure.
	AttributedTo string `yaml:"attributedTo"`
	// Counterparty is the slug of the other side of a two-sided figure
	// (the partner in trade, the country invested in); PeriodStart and
	// PeriodEnd the period it covers ("since 2005" is a start).
	Counterparty string `yaml:"counterparty"`
	PeriodStart  string `yaml:"periodStart"`
	PeriodEnd    string `yaml:"periodEnd"`
	Evidence     `yaml:",inline"`
}

// MilestoneEntry is a dated step of a project, planned or achieved.
type MilestoneEntry struct {
	Name     string `yaml:"name"`
	Date     string `yaml:"date"`
	Status   string `yaml:"status"`
	Cite     int    `yaml:"cite"`
	Evidence `yaml:",inline"`
}

// AmountEntry is a sum of money as one article reports it.
type AmountEntry struct {
	Amount        float64 `yaml:"amount"`
	Currency      string  `yaml:"currency"`
	Approximation string  `yaml:"approximation"`
	Label         string  `yaml:"label"`
	Cite          int     `yaml:"cite"`
	AttributedTo  string  `yaml:"attributedTo"`
	Evidence      `yaml:",inline"`
}

// MeetingEntry is a meeting between people, on behalf of organizations.
type MeetingEntry struct {
	Slug          string   `yaml:"slug"`
	Date          string   `yaml:"date"`
	Location      string   `yaml:"location"`
	Occasion      string   `yaml:"occasion"`
	Summary       string   `yaml:"summary"`
	Participants  []string `yaml:"participants"`
	Organizations []string `yaml:"organizations"`
	Topics        []string `yaml:"topics"`
	Projects      []string `yaml:"projects"`
	Cite          []int    `yaml:"cite"`
	// Roles gives, by participant slug, HOST, GUEST or DELEGATION_MEMBER
	// where the article says so.
	Roles    map[string]string `yaml:"roles"`
	Event    string            `yaml:"event"`
	Inferred Inferred          `yaml:"inferred"`
}

// AgreementEntry is a signed document or package of documents.
type AgreementEntry struct {
	Slug                       string        `yaml:"slug"`
	Title                      string        `yaml:"title"`
	Kind                       string        `yaml:"kind"`
	SignedOn                   string        `yaml:"signedOn"`
	Summary                    string        `yaml:"summary"`
	Parties                    []string      `yaml:"parties"`
	Signatories                []string      `yaml:"signatories"`
	Projects                   []string      `yaml:"projects"`
	Meeting                    string        `yaml:"meeting"`
	DocumentCount              int           `yaml:"documentCount"`
	DocumentCountApproximation string        `yaml:"documentCountApproximation"`
	Amounts                    []AmountEntry `yaml:"amounts"`
	Cite                       []int         `yaml:"cite"`
	// Status is SIGNED (the default), REACHED or PLANNED.
	Status string `yaml:"status"`
	// PartOf is the slug of the package of documents it belongs to.
	PartOf string `yaml:"partOf"`
	// Event is the slug of the event it came out of; an agreement signed at
	// a meeting of an event belongs to that event without it.
	Event    string   `yaml:"event"`
	Inferred Inferred `yaml:"inferred"`
}

// EventEntry is a visit, trip, roundtable, council session or ceremony.
type EventEntry struct {
	Slug        string   `yaml:"slug"`
	Name        string   `yaml:"name"`
	Kind        string   `yaml:"kind"`
	Start       string   `yaml:"start"`
	End         string   `yaml:"end"`
	Location    string   `yaml:"location"`
	Description string   `yaml:"description"`
	PartOf      string   `yaml:"partOf"`
	Cite        []int    `yaml:"cite"`
	Inferred    Inferred `yaml:"inferred"`
}

// StatementEntry is what a person said, as one paragraph reports it.
type StatementEntry struct {
	// Slug defaults to SOURCE-PARAGRAPH-SPEAKER; give one when a speaker
	// says two things in one paragraph.
	Slug    string `yaml:"slug"`
	Speaker string `yaml:"speaker"`
	// Date is when it was said, if the article says; leave it empty
	// otherwise (the statement is then reported on the source's date).
	Date    string `yaml:"date"`
	Meeting string `yaml:"meeting"`
	Event   string `yaml:"event"`
	// About lists the slugs of what it is about: companies, people,
	// projects, meetings, agreements or events.
	About    []string `yaml:"about"`
	Summary  string   `yaml:"summary"`
	Cite     int      `yaml:"cite"`
	Evidence `yaml:",inline"`
}
