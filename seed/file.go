package seed

// File is one seed file: everything a single source article reports. Entities
// are identified by slug; the same slug in several files is one entity, whose
// lists (aliases, citations, participants, figures, ...) are the union of what
// each file says and whose scalar fields must agree wherever they are given.
//
// Every `cite` lists paragraph numbers of this file's source: paragraphs are the
// article's non-empty lines, counted from 1.
type File struct {
	Source     SourceEntry      `yaml:"source,omitempty"`
	Companies  []CompanyEntry   `yaml:"companies,omitempty"`
	People     []PersonEntry    `yaml:"people,omitempty"`
	Projects   []ProjectEntry   `yaml:"projects,omitempty"`
	Meetings   []MeetingEntry   `yaml:"meetings,omitempty"`
	Agreements []AgreementEntry `yaml:"agreements,omitempty"`
	Events     []EventEntry     `yaml:"events,omitempty"`
	Statements []StatementEntry `yaml:"statements,omitempty"`
	// Retractions withdraw facts, as the retract mutation does; the seed
	// export writes the database's retractions here, so that loading the
	// files again retracts the same facts. A changeset cannot carry them.
	Retractions []RetractionEntry `yaml:"retractions,omitempty"`
}

// Evidence says whether a fact is stated in the paragraph it cites (the
// default) or inferred by the curator, and then from what: an inference
// without a note is refused.
type Evidence struct {
	Basis         string `yaml:"basis,omitempty"`
	InferenceNote string `yaml:"inferenceNote,omitempty"`
}

// Inferred maps the attributes and links of an entity that the curator
// inferred to a note saying from what: an attribute by its name (`kind`,
// `region`, `parent`), a link by its list and slug (`participants/zhu-hexin`,
// `projects/caspi-bitum-expansion`). Everything not listed is stated.
type Inferred map[string]string

// SourceEntry describes the article a file is built from.
type SourceEntry struct {
	Slug        string `yaml:"slug,omitempty"`
	Title       string `yaml:"title,omitempty"`
	Publisher   string `yaml:"publisher,omitempty"`
	Attribution string `yaml:"attribution,omitempty"`
	PublishedOn string `yaml:"publishedOn,omitempty"`
	Paragraphs  int    `yaml:"paragraphs,omitempty"`
	// Text is the article's paragraphs, its non-empty lines in order, when
	// a changeset carries them: then Citation.text gives the paragraph a
	// fact cites. There must be exactly Paragraphs of them.
	Text []string `yaml:"text,omitempty"`
}

// CompanyEntry is an organization: a company, bank, state body or association.
type CompanyEntry struct {
	Slug         string             `yaml:"slug,omitempty"`
	Name         string             `yaml:"name,omitempty"`
	Aliases      []string           `yaml:"aliases,omitempty"`
	Kind         string             `yaml:"kind,omitempty"`
	Country      string             `yaml:"country,omitempty"`
	Parent       string             `yaml:"parent,omitempty"`
	Founded      string             `yaml:"founded,omitempty"`
	Headquarters string             `yaml:"headquarters,omitempty"`
	Description  string             `yaml:"description,omitempty"`
	Cite         []int              `yaml:"cite,omitempty,flow"`
	Measurements []MeasurementEntry `yaml:"measurements,omitempty"`
	Inferred     Inferred           `yaml:"inferred,omitempty"`
}

// PersonEntry is a person and the positions this article reports for them.
type PersonEntry struct {
	Slug        string          `yaml:"slug,omitempty"`
	Name        string          `yaml:"name,omitempty"`
	Aliases     []string        `yaml:"aliases,omitempty"`
	Description string          `yaml:"description,omitempty"`
	Cite        []int           `yaml:"cite,omitempty,flow"`
	Positions   []PositionEntry `yaml:"positions,omitempty"`
	Inferred    Inferred        `yaml:"inferred,omitempty"`
}

// PositionEntry is a title held at an organization, as reported on a date
// (the source's publication date unless reportedOn says otherwise).
type PositionEntry struct {
	Organization string `yaml:"organization,omitempty"`
	Title        string `yaml:"title,omitempty"`
	ReportedOn   string `yaml:"reportedOn,omitempty"`
	Cite         []int  `yaml:"cite,omitempty,flow"`
	// AttributedTo is the slug of the person or organization the article
	// credits with the title ("according to").
	AttributedTo string `yaml:"attributedTo,omitempty"`
	Evidence     `yaml:",inline"`
}

// ProjectEntry is an investment project and what this article says about it.
type ProjectEntry struct {
	Slug         string             `yaml:"slug,omitempty"`
	Name         string             `yaml:"name,omitempty"`
	Aliases      []string           `yaml:"aliases,omitempty"`
	Sector       string             `yaml:"sector,omitempty"`
	Status       string             `yaml:"status,omitempty"`
	Region       string             `yaml:"region,omitempty"`
	Description  string             `yaml:"description,omitempty"`
	Cite         []int              `yaml:"cite,omitempty,flow"`
	Participants []ParticipantEntry `yaml:"participants,omitempty"`
	Measurements []MeasurementEntry `yaml:"measurements,omitempty"`
	Milestones   []MilestoneEntry   `yaml:"milestones,omitempty"`
	Amounts      []AmountEntry      `yaml:"amounts,omitempty"`
	Inferred     Inferred           `yaml:"inferred,omitempty"`
}

// ParticipantEntry links a company to a project in a role.
type ParticipantEntry struct {
	Company  string `yaml:"company,omitempty"`
	Role     string `yaml:"role,omitempty"`
	Cite     []int  `yaml:"cite,omitempty,flow"`
	Evidence `yaml:",inline"`
}

// MeasurementEntry is a figure at a date: a capacity, a length, a head count.
type MeasurementEntry struct {
	Metric        string  `yaml:"metric,omitempty"`
	Label         string  `yaml:"label,omitempty"`
	Value         float64 `yaml:"value,omitempty"`
	Unit          string  `yaml:"unit,omitempty"`
	Approximation string  `yaml:"approximation,omitempty"`
	AsOf          string  `yaml:"asOf,omitempty"`
	Status        string  `yaml:"status,omitempty"`
	Cite          int     `yaml:"cite,omitempty"`
	// AttributedTo is the slug of the person or organization the article
	// says gave the figure.
	AttributedTo string `yaml:"attributedTo,omitempty"`
	// Counterparty is the slug of the other side of a two-sided figure
	// (the partner in trade, the country invested in); PeriodStart and
	// PeriodEnd the period it covers ("since 2005" is a start).
	Counterparty string `yaml:"counterparty,omitempty"`
	PeriodStart  string `yaml:"periodStart,omitempty"`
	PeriodEnd    string `yaml:"periodEnd,omitempty"`
	Evidence     `yaml:",inline"`
}

// MilestoneEntry is a dated step of a project, planned or achieved.
type MilestoneEntry struct {
	Name     string `yaml:"name,omitempty"`
	Date     string `yaml:"date,omitempty"`
	Status   string `yaml:"status,omitempty"`
	Cite     int    `yaml:"cite,omitempty"`
	Evidence `yaml:",inline"`
}

// AmountEntry is a sum of money as one article reports it.
type AmountEntry struct {
	Amount        float64 `yaml:"amount,omitempty"`
	Currency      string  `yaml:"currency,omitempty"`
	Approximation string  `yaml:"approximation,omitempty"`
	Label         string  `yaml:"label,omitempty"`
	Cite          int     `yaml:"cite,omitempty"`
	AttributedTo  string  `yaml:"attributedTo,omitempty"`
	Evidence      `yaml:",inline"`
}

// MeetingEntry is a meeting between people, on behalf of organizations.
type MeetingEntry struct {
	Slug          string   `yaml:"slug,omitempty"`
	Date          string   `yaml:"date,omitempty"`
	Location      string   `yaml:"location,omitempty"`
	Occasion      string   `yaml:"occasion,omitempty"`
	Summary       string   `yaml:"summary,omitempty"`
	Participants  []string `yaml:"participants,omitempty,flow"`
	Organizations []string `yaml:"organizations,omitempty,flow"`
	Topics        []string `yaml:"topics,omitempty"`
	Projects      []string `yaml:"projects,omitempty,flow"`
	Cite          []int    `yaml:"cite,omitempty,flow"`
	// Roles gives, by participant slug, HOST, GUEST or DELEGATION_MEMBER
	// where the article says so.
	Roles    map[string]string `yaml:"roles,omitempty"`
	Event    string            `yaml:"event,omitempty"`
	Inferred Inferred          `yaml:"inferred,omitempty"`
}

// AgreementEntry is a signed document or package of documents.
type AgreementEntry struct {
	Slug                       string        `yaml:"slug,omitempty"`
	Title                      string        `yaml:"title,omitempty"`
	Kind                       string        `yaml:"kind,omitempty"`
	SignedOn                   string        `yaml:"signedOn,omitempty"`
	Summary                    string        `yaml:"summary,omitempty"`
	Parties                    []string      `yaml:"parties,omitempty,flow"`
	Signatories                []string      `yaml:"signatories,omitempty,flow"`
	Projects                   []string      `yaml:"projects,omitempty,flow"`
	Meeting                    string        `yaml:"meeting,omitempty"`
	DocumentCount              int           `yaml:"documentCount,omitempty"`
	DocumentCountApproximation string        `yaml:"documentCountApproximation,omitempty"`
	Amounts                    []AmountEntry `yaml:"amounts,omitempty"`
	Cite                       []int         `yaml:"cite,omitempty,flow"`
	// Status is SIGNED (the default), REACHED or PLANNED.
	Status string `yaml:"status,omitempty"`
	// PartOf is the slug of the package of documents it belongs to.
	PartOf string `yaml:"partOf,omitempty"`
	// Event is the slug of the event it came out of; an agreement signed at
	// a meeting of an event belongs to that event without it.
	Event    string   `yaml:"event,omitempty"`
	Inferred Inferred `yaml:"inferred,omitempty"`
}

// EventEntry is a visit, trip, roundtable, council session or ceremony.
type EventEntry struct {
	Slug        string   `yaml:"slug,omitempty"`
	Name        string   `yaml:"name,omitempty"`
	Kind        string   `yaml:"kind,omitempty"`
	Start       string   `yaml:"start,omitempty"`
	End         string   `yaml:"end,omitempty"`
	Location    string   `yaml:"location,omitempty"`
	Description string   `yaml:"description,omitempty"`
	PartOf      string   `yaml:"partOf,omitempty"`
	Cite        []int    `yaml:"cite,omitempty,flow"`
	Inferred    Inferred `yaml:"inferred,omitempty"`
}

// StatementEntry is what a person said, as one paragraph reports it.
type StatementEntry struct {
	// Slug defaults to SOURCE-PARAGRAPH-SPEAKER; give one when a speaker
	// says two things in one paragraph.
	Slug    string `yaml:"slug,omitempty"`
	Speaker string `yaml:"speaker,omitempty"`
	// Date is when it was said, if the article says; leave it empty
	// otherwise (the statement is then reported on the source's date).
	Date    string `yaml:"date,omitempty"`
	Meeting string `yaml:"meeting,omitempty"`
	Event   string `yaml:"event,omitempty"`
	// About lists the slugs of what it is about: companies, people,
	// projects, meetings, agreements or events.
	About    []string `yaml:"about,omitempty,flow"`
	Summary  string   `yaml:"summary,omitempty"`
	Cite     int      `yaml:"cite,omitempty"`
	Evidence `yaml:",inline"`
}

// RetractionEntry withdraws one fact of the graph, which stays, marked as
// retracted: the fact's kind and key (the two parts of its API id, which
// `id` fields return; see db.FactRef), why, the paragraph of this file's
// source that shows it wrong, if any, and who retracted it and when.
type RetractionEntry struct {
	// Type is the kind of fact: Position, ProjectParticipant, Measurement,
	// Milestone, Amount, Statement or MeetingParticipation.
	Type   string `yaml:"type,omitempty"`
	Key    string `yaml:"key,omitempty"`
	Reason string `yaml:"reason,omitempty"`
	Cite   int    `yaml:"cite,omitempty"`
	// By names who retracted it (a token's name, for a retraction made
	// through the API); At is when, in RFC 3339.
	By string `yaml:"by,omitempty"`
	At string `yaml:"at,omitempty"`
}
