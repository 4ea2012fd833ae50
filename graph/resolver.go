package graph

import "github.com/investgraph/investgraph/db"

// Resolver is the root resolver and the place dependencies are injected.
type Resolver struct {
	Store *db.Store
}
