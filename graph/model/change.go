package model

import "github.com/investgraph/investgraph/db"

// Change is one revision of the changes stream with the objects it touched
// that the subscription's filters select.
type Change struct {
	Revision *db.Revision
	// Selected are the touched objects the filters select, in touched order.
	Selected []db.SlugRef
	Kinds    []ChangeKind
}
