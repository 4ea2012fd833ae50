package model

import "github.com/investgraph/investgraph/db"

// SearchResult is one of the objects search finds. Like Node, it is bound
// to the domain types without adding methods to them.
type SearchResult any

// Actor is the *db.Person or *db.Company a fact is attributed to.
type Actor any

// PathElement is an object or a *Relationship on a path.
type PathElement any

// Relationship is a relationship with the global IDs of its two ends.
type Relationship struct {
	*db.Relationship
	FromID, ToID string
}

// SearchEdge is one ranked search result; its node is resolved by a loader.
type SearchEdge struct {
	Cursor  string
	Hit     db.SearchHit
	Score   float64
	Snippet string
}

// SearchConnection is a page of search results.
type SearchConnection struct {
	Edges      []*SearchEdge
	PageInfo   *PageInfo
	TotalCount int
}

// TimelineEdge is one event of a timeline page.
type TimelineEdge struct {
	Cursor string
	Node   *db.TimelineEvent
}

// TimelineConnection is a page of timeline events.
type TimelineConnection struct {
	Edges      []*TimelineEdge
	PageInfo   *PageInfo
	TotalCount int
}

// Aggregates is the entry point of the dashboard figures; its fields are
// resolvers.
type Aggregates struct{}

// NewPageInfo describes an offset-paged list: cursors of the first and last
// edge, and whether items lie before and after the page.
func NewPageInfo(cursors []string, offset, total int) *PageInfo {
	info := &PageInfo{HasPreviousPage: offset > 0, HasNextPage: offset+len(cursors) < total}
	if len(cursors) > 0 {
		info.StartCursor, info.EndCursor = &cursors[0], &cursors[len(cursors)-1]
	}
	return info
}
