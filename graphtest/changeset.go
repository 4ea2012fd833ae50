package graphtest

import (
	"errors"
	"sort"
	"testing"

	"github.com/goccy/go-yaml"
)

// Changeset is a changeset as a test sends it: one seed file, as YAML
// text or in the structured form (Structured converts the one into the
// other), a message and an optional idempotency key.
type Changeset struct {
	YAML string
	// Input is the seed file as the structured form's input objects
	// (ChangesetInput.changeset), sent as well as YAML unless that is "".
	Input          map[string]any
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
	in := map[string]any{"message": c.Message}
	if c.YAML != "" || c.Input == nil {
		in["yaml"] = c.YAML
	}
	if c.Input != nil {
		in["changeset"] = c.Input
	}
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

// Structured returns c with its YAML text converted to the structured
// form's input objects: the same keys, with the maps of the YAML form
// (inferred, roles) as the lists the structured form takes.
func (c Changeset) Structured(t testing.TB) Changeset {
	t.Helper()
	in, err := StructuredInput(c.YAML)
	if err != nil {
		t.Fatalf("structured form: %v", err)
	}
	c.YAML, c.Input = "", in
	return c
}

// StructuredInput converts the YAML text of a seed file into the input
// objects of ChangesetInput.changeset.
func StructuredInput(text string) (map[string]any, error) {
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return nil, err
	}
	if doc == nil {
		return nil, errors.New("the document is empty")
	}
	return structured(doc).(map[string]any), nil
}

// structured rewrites a decoded YAML value: inferred becomes a list of
// {key, note}, roles a list of {participant, role}, in key order.
func structured(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			m, isMap := x.(map[string]any)
			switch {
			case k == "inferred" && isMap:
				out[k] = pairs(m, "key", "note")
			case k == "roles" && isMap:
				out[k] = pairs(m, "participant", "role")
			default:
				out[k] = structured(x)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = structured(x)
		}
		return out
	}
	return v
}

func pairs(m map[string]any, key, value string) []any {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		out = append(out, map[string]any{key: k, value: m[k]})
	}
	return out
}

// ChangesSubscription follows the revisions that touch $subjects (global
// IDs) and objects of $kinds (ChangeKind names), after $after; each
// variable may be left out. An event decodes into ChangeEvent.
const ChangesSubscription = `subscription Changes($subjects: [ID!], $kinds: [ChangeKind!], $after: ID) {
  changes(subjects: $subjects, kinds: $kinds, after: $after) { kinds nodes { __typename id } revision { ` + RevisionFields + ` } }
}`

// ChangeEvent is one event of ChangesSubscription.
type ChangeEvent struct {
	Changes struct {
		Revision Revision
		Kinds    []string
		Nodes    []struct {
			Typename string `json:"__typename"`
			ID       string
		}
	}
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
