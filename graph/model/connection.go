// Package model holds the GraphQL types that are not domain types: pages and
// edges of the root lists, and the few models gqlgen generates.
package model

import (
	"context"

	"github.com/investgraph/investgraph/db"
)

// PageInfo is Relay's page information.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// connection holds what every connection type shares: page information and a
// lazily computed total.
type connection struct {
	PageInfo *PageInfo
	total    func(context.Context) (int, error)
}

// TotalCount counts the whole list; it queries only when a client asks.
func (c connection) TotalCount(ctx context.Context) (int, error) { return c.total(ctx) }

// newConnection builds the edges of a page with edge and the shared
// connection fields.
func newConnection[T, E any](p *db.Page[T], edge func(cursor string, node T) E) ([]E, connection) {
	edges := make([]E, len(p.Items))
	info := &PageInfo{HasNextPage: p.HasNextPage, HasPreviousPage: p.HasPrevious}
	for i, it := range p.Items {
		c := p.Cursors[i].String()
		edges[i] = edge(c, it)
		if i == 0 {
			info.StartCursor = &c
		}
		info.EndCursor = &c
	}
	return edges, connection{PageInfo: info, total: p.TotalCount}
}

// CompanyEdge is one company in a CompanyConnection.
type CompanyEdge struct {
	Cursor string
	Node   *db.Company
}

// CompanyConnection is a page of companies.
type CompanyConnection struct {
	connection
	Edges []*CompanyEdge
}

// NewCompanyConnection wraps a page of companies.
func NewCompanyConnection(p *db.Page[*db.Company]) *CompanyConnection {
	edges, c := newConnection(p, func(cursor string, n *db.Company) *CompanyEdge { return &CompanyEdge{cursor, n} })
	return &CompanyConnection{c, edges}
}

// PersonEdge is one person in a PersonConnection.
type PersonEdge struct {
	Cursor string
	Node   *db.Person
}

// PersonConnection is a page of people.
type PersonConnection struct {
	connection
	Edges []*PersonEdge
}

// NewPersonConnection wraps a page of people.
func NewPersonConnection(p *db.Page[*db.Person]) *PersonConnection {
	edges, c := newConnection(p, func(cursor string, n *db.Person) *PersonEdge { return &PersonEdge{cursor, n} })
	return &PersonConnection{c, edges}
}

// ProjectEdge is one project in a ProjectConnection.
type ProjectEdge struct {
	Cursor string
	Node   *db.Project
}

// ProjectConnection is a page of projects.
type ProjectConnection struct {
	connection
	Edges []*ProjectEdge
}

// NewProjectConnection wraps a page of projects.
func NewProjectConnection(p *db.Page[*db.Project]) *ProjectConnection {
	edges, c := newConnection(p, func(cursor string, n *db.Project) *ProjectEdge { return &ProjectEdge{cursor, n} })
	return &ProjectConnection{c, edges}
}

// MeetingEdge is one meeting in a MeetingConnection.
type MeetingEdge struct {
	Cursor string
	Node   *db.Meeting
}

// MeetingConnection is a page of meetings.
type MeetingConnection struct {
	connection
	Edges []*MeetingEdge
}

// NewMeetingConnection wraps a page of meetings.
func NewMeetingConnection(p *db.Page[*db.Meeting]) *MeetingConnection {
	edges, c := newConnection(p, func(cursor string, n *db.Meeting) *MeetingEdge { return &MeetingEdge{cursor, n} })
	return &MeetingConnection{c, edges}
}

// AgreementEdge is one agreement in an AgreementConnection.
type AgreementEdge struct {
	Cursor string
	Node   *db.Agreement
}

// AgreementConnection is a page of agreements.
type AgreementConnection struct {
	connection
	Edges []*AgreementEdge
}

// NewAgreementConnection wraps a page of agreements.
func NewAgreementConnection(p *db.Page[*db.Agreement]) *AgreementConnection {
	edges, c := newConnection(p, func(cursor string, n *db.Agreement) *AgreementEdge { return &AgreementEdge{cursor, n} })
	return &AgreementConnection{c, edges}
}

// SourceEdge is one source in a SourceConnection.
type SourceEdge struct {
	Cursor string
	Node   *db.Source
}

// SourceConnection is a page of sources.
type SourceConnection struct {
	connection
	Edges []*SourceEdge
}

// NewSourceConnection wraps a page of sources.
func NewSourceConnection(p *db.Page[*db.Source]) *SourceConnection {
	edges, c := newConnection(p, func(cursor string, n *db.Source) *SourceEdge { return &SourceEdge{cursor, n} })
	return &SourceConnection{c, edges}
}

// StatementEdge is one statement in a StatementConnection.
type StatementEdge struct {
	Cursor string
	Node   *db.Statement
}

// StatementConnection is a page of statements.
type StatementConnection struct {
	connection
	Edges []*StatementEdge
}

// NewStatementConnection wraps a page of statements.
func NewStatementConnection(p *db.Page[*db.Statement]) *StatementConnection {
	edges, c := newConnection(p, func(cursor string, n *db.Statement) *StatementEdge { return &StatementEdge{cursor, n} })
	return &StatementConnection{c, edges}
}

// EventEdge is one event in an EventConnection.
type EventEdge struct {
	Cursor string
	Node   *db.Event
}

// EventConnection is a page of events.
type EventConnection struct {
	connection
	Edges []*EventEdge
}

// NewEventConnection wraps a page of events.
func NewEventConnection(p *db.Page[*db.Event]) *EventConnection {
	edges, c := newConnection(p, func(cursor string, n *db.Event) *EventEdge { return &EventEdge{cursor, n} })
	return &EventConnection{c, edges}
}

// Node is any object with a global ID: *db.Company, *db.Person, *db.Project,
// *db.Meeting, *db.Agreement, *db.Source, *db.Statement or *db.Event. The domain types stay free of
// GraphQL methods; the resolvers derive global IDs.
type Node any
