package model

import "github.com/investgraph/investgraph/db"

// RevisionConnection is a page of revisions, oldest first.
type RevisionConnection struct {
	Edges      []*RevisionEdge
	PageInfo   *PageInfo
	TotalCount int
}

// RevisionEdge is one revision in a RevisionConnection.
type RevisionEdge struct {
	Cursor string
	Node   *db.Revision
}

// ApplyChangesetPayload is what applyChangeset did.
type ApplyChangesetPayload struct {
	Revision *db.Revision
	Replayed bool
}
