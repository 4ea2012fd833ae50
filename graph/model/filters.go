package model

import "github.com/investgraph/investgraph/db"

// OrderDirection is ASC or DESC.
type OrderDirection string

// Field enums of the root lists' orderings. Their values are the store's
// ordering names.
type (
	CompanyOrderField   string
	PersonOrderField    string
	ProjectOrderField   string
	MeetingOrderField   string
	AgreementOrderField string
	SourceOrderField    string
	EventOrderField     string
)

// CompanyFilter narrows Query.companies.
type CompanyFilter struct {
	Country []string
	Kind    []db.CompanyKind
	Text    *string
	Basis   []db.Basis
}

// CompanyOrder orders Query.companies.
type CompanyOrder struct {
	Field     CompanyOrderField
	Direction OrderDirection
}

// PersonFilter narrows Query.people.
type PersonFilter struct {
	Text         *string
	Organization *string
}

// PersonOrder orders Query.people.
type PersonOrder struct {
	Field     PersonOrderField
	Direction OrderDirection
}

// ProjectFilter narrows Query.projects.
type ProjectFilter struct {
	Sector  []db.ProjectSector
	Status  []db.ProjectStatus
	Region  *string
	Company *string
	From    *db.PartialDate
	To      *db.PartialDate
	Text    *string
	Basis   []db.Basis
}

// ProjectOrder orders Query.projects.
type ProjectOrder struct {
	Field     ProjectOrderField
	Direction OrderDirection
}

// MeetingFilter narrows Query.meetings.
type MeetingFilter struct {
	From         *db.PartialDate
	To           *db.PartialDate
	Participant  *string
	Organization *string
	Project      *string
	Location     *string
	Basis        []db.Basis
}

// MeetingOrder orders Query.meetings.
type MeetingOrder struct {
	Field     MeetingOrderField
	Direction OrderDirection
}

// AgreementFilter narrows Query.agreements.
type AgreementFilter struct {
	Kind      []db.AgreementKind
	Party     *string
	From      *db.PartialDate
	To        *db.PartialDate
	MinAmount *float64
	MaxAmount *float64
	Currency  *string
	Basis     []db.Basis
	Status    []db.AgreementStatus
}

// AgreementOrder orders Query.agreements.
type AgreementOrder struct {
	Field     AgreementOrderField
	Direction OrderDirection
}

// SourceOrder orders Query.sources.
type SourceOrder struct {
	Field     SourceOrderField
	Direction OrderDirection
}

// StatementFilter narrows Query.statements.
type StatementFilter struct {
	Speaker *string
	About   *string
	Meeting *string
	Event   *string
	From    *db.PartialDate
	To      *db.PartialDate
	Basis   []db.Basis
}

// EventFilter narrows Query.events.
type EventFilter struct {
	Kind        []db.EventKind
	From        *db.PartialDate
	To          *db.PartialDate
	Participant *string
	Location    *string
	Text        *string
	Basis       []db.Basis
}

// EventOrder orders Query.events.
type EventOrder struct {
	Field     EventOrderField
	Direction OrderDirection
}

// NewOrder converts an ordering input's field and direction to the store's.
func NewOrder(field string, dir OrderDirection) db.Order {
	return db.Order{Field: field, Desc: dir == "DESC"}
}
