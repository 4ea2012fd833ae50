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
}

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
}

// PersonEntry is a person and the positions this article reports for them.
type PersonEntry struct {
	Slug        string          `yaml:"slug"`
	Name        string          `yaml:"name"`
	Aliases     []string        `yaml:"aliases"`
	Description string          `yaml:"description"`
	Cite        []int           `yaml:"cite"`
	Positions   []PositionEntry `yaml:"positions"`
}

// PositionEntry is a title held at an organization, as reported on a date
// (the source's publication date unless reportedOn says otherwise).
type PositionEntry struct {
	Organization string `yaml:"organization"`
	Title        string `yaml:"title"`
	ReportedOn   string `yaml:"reportedOn"`
	Cite         []int  `yaml:"cite"`
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
}

// ParticipantEntry links a company to a project in a role.
type ParticipantEntry struct {
	Company string `yaml:"company"`
	Role    string `yaml:"role"`
	Cite    []int  `yaml:"cite"`
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
}

// MilestoneEntry is a dated step of a project, planned or achieved.
type MilestoneEntry struct {
	Name   string `yaml:"name"`
	Date   string `yaml:"date"`
	Status string `yaml:"status"`
	Cite   int    `yaml:"cite"`
}

// AmountEntry is a sum of money as one article reports it.
type AmountEntry struct {
	Amount        float64 `yaml:"amount"`
	Currency      string  `yaml:"currency"`
	Approximation string  `yaml:"approximation"`
	Label         string  `yaml:"label"`
	Cite          int     `yaml:"cite"`
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
}
