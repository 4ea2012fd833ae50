// Package scalar marshals the schema's custom scalars to and from the
// store's types.
package scalar

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/investgraph/investgraph/db"
)

// MarshalPartialDate writes a PartialDate in the form its source gave it.
func MarshalPartialDate(d db.PartialDate) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(d.String()))
	})
}

// UnmarshalPartialDate parses a PartialDate from a string input.
func UnmarshalPartialDate(v any) (db.PartialDate, error) {
	s, ok := v.(string)
	if !ok {
		return db.PartialDate{}, db.Errorf(db.EINVALID, "a PartialDate must be a string such as \"2024-Q4\", got %s", kindOf(v))
	}
	d, err := db.ParsePartialDate(s)
	if err != nil {
		return db.PartialDate{}, fmt.Errorf("PartialDate: %w", err)
	}
	return d, nil
}

// kindOf names the kind of a JSON or GraphQL input value in the client's
// terms rather than Go's.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, int, int32, int64, float32, float64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	default:
		return "a value of another type"
	}
}
