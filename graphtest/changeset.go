package graphtest

import (
	"testing"
)

// Changeset is a changeset as a test sends it: the text of one seed file,
// a message and an optional idempotency key.
type Changeset struct {
	YAML           string
	Message        string
	IdempotencyKey string
}

// Revision is a revision as the API returns it.
type Revision struct {
	ID             string
	Kind           string
	Author         string
	CreatedAt      string
	Message        string
	Added          int
	Changed        int
	IdempotencyKey *string
	Source         *struct {
		ID    string
		Title string
	}
	Touched []struct {
		Typename string `json:"__typename"`
		ID       string
	}
}

// RevisionFields selects every field of Revision, for queries and
// subscriptions that decode into it.
const RevisionFields = `id kind author createdAt message added changed idempotencyKey source { id title } touched { __typename id }`

// ApplyChangesetMutation applies $input and returns the revision with
// RevisionFields.
const ApplyChangesetMutation = `mutation Apply($input: ChangesetInput!) {
  applyChangeset(input: $input) { replayed revision { ` + RevisionFields + ` } }
}`

// Vars are the variables of ApplyChangesetMutation for c.
func (c Changeset) Vars() map[string]any {
	in := map[string]any{"yaml": c.YAML, "message": c.Message}
	if c.IdempotencyKey != "" {
		in["idempotencyKey"] = c.IdempotencyKey
	}
	return map[string]any{"input": in}
}

// TryChangeset sends c with the server's token (As) and returns the
// response, whatever it is.
func (s *Server) TryChangeset(t testing.TB, c Changeset) *Response {
	t.Helper()
	return s.Do(t, ApplyChangesetMutation, c.Vars())
}

// ApplyChangeset sends c with the server's token (As), failing the test
// unless it is applied, and returns the revision and whether it was a
// replay of an earlier one.
func (s *Server) ApplyChangeset(t testing.TB, c Changeset) (rev Revision, replayed bool) {
	t.Helper()
	var out struct {
		ApplyChangeset struct {
			Replayed bool
			Revision Revision
		}
	}
	s.MustQuery(t, ApplyChangesetMutation, c.Vars(), &out)
	return out.ApplyChangeset.Revision, out.ApplyChangeset.Replayed
}

// Retraction is a retraction as a test sends it: the fact's id, the
// reason, and optionally a citation (a source's id and a paragraph) and an
// idempotency key.
type Retraction struct {
	Fact           string
	Reason         string
	Source         string // "" for no citation
	Paragraph      int
	IdempotencyKey string
}

// RetractMutation retracts $input and returns the revision with
// RevisionFields.
const RetractMutation = `mutation Retract($input: RetractInput!) {
  retract(input: $input) { replayed revision { ` + RevisionFields + ` } }
}`

// Vars are the variables of RetractMutation for r.
func (r Retraction) Vars() map[string]any {
	in := map[string]any{"fact": r.Fact, "reason": r.Reason}
	if r.Source != "" {
		in["citation"] = map[string]any{"source": r.Source, "paragraph": r.Paragraph}
	}
	if r.IdempotencyKey != "" {
		in["idempotencyKey"] = r.IdempotencyKey
	}
	return map[string]any{"input": in}
}

// TryRetract sends r with the server's token (As) and returns the
// response, whatever it is.
func (s *Server) TryRetract(t testing.TB, r Retraction) *Response {
	t.Helper()
	return s.Do(t, RetractMutation, r.Vars())
}

// Retract sends r with the server's token (As), failing the test unless
// the fact is retracted, and returns the revision and whether it was a
// replay of an earlier one.
func (s *Server) Retract(t testing.TB, r Retraction) (rev Revision, replayed bool) {
	t.Helper()
	var out struct {
		Retract struct {
			Replayed bool
			Revision Revision
		}
	}
	s.MustQuery(t, RetractMutation, r.Vars(), &out)
	return out.Retract.Revision, out.Retract.Replayed
}
