package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/investgraph/investgraph/graph"
)

// PersistedOperations is a set of known GraphQL documents, each with an id:
// the operations a production client may send by reference, and in
// allow-list mode the only ones the server runs.
type PersistedOperations struct {
	ids    map[string]string // id → document
	hashes map[string]string // sha256 → document
}

// ReadPersistedOperations reads a persisted-operations file. It accepts
// Apollo's persisted query manifest
//
//	{"format": "apollo-persisted-query-manifest", "version": 1,
//	 "operations": [{"id": "...", "name": "...", "type": "query", "body": "..."}]}
//
// and the plain map of id to document that Relay and GraphQL Code Generator
// write:
//
//	{"<id>": "query ..."}
//
// Every document must be valid against the schema, so a stale file fails at
// start-up rather than at a client's first request.
func ReadPersistedOperations(path string) (*PersistedOperations, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read persisted operations: %w", err)
	}
	ops, err := ParsePersistedOperations(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ops, nil
}

// ParsePersistedOperations parses the contents of a persisted-operations
// file; see ReadPersistedOperations.
func ParsePersistedOperations(data []byte) (*PersistedOperations, error) {
	docs, err := decodeOperations(data)
	if err != nil {
		return nil, err
	}
	schema := graph.Schema()
	ops := &PersistedOperations{ids: map[string]string{}, hashes: map[string]string{}}
	ids := make([]string, 0, len(docs))
	for id := range docs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		body := docs[id]
		doc, err := parser.ParseQuery(&ast.Source{Name: id, Input: body})
		if err != nil {
			return nil, fmt.Errorf("operation %q: %w", id, err)
		}
		if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
			return nil, fmt.Errorf("operation %q: %w", id, errs)
		}
		ops.ids[id] = body
		ops.hashes[queryHash(body)] = body
	}
	return ops, nil
}

// decodeOperations reads either file format into id → document.
func decodeOperations(data []byte) (map[string]string, error) {
	var manifest struct {
		Format     string `json:"format"`
		Operations []struct {
			ID   string `json:"id"`
			Body string `json:"body"`
		} `json:"operations"`
	}
	if err := json.Unmarshal(data, &manifest); err == nil && manifest.Operations != nil {
		if manifest.Format != "" && manifest.Format != "apollo-persisted-query-manifest" {
			return nil, fmt.Errorf("unknown manifest format %q", manifest.Format)
		}
		docs := make(map[string]string, len(manifest.Operations))
		for i, op := range manifest.Operations {
			if op.ID == "" || op.Body == "" {
				return nil, fmt.Errorf("operation %d: id and body are required", i)
			}
			docs[op.ID] = op.Body
		}
		return docs, nil
	}
	var docs map[string]string
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&docs); err != nil {
		return nil, fmt.Errorf("want an Apollo manifest or a JSON object of id to document: %w", err)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("no operations")
	}
	return docs, nil
}

// Len returns how many operations there are.
func (p *PersistedOperations) Len() int {
	if p == nil {
		return 0
	}
	return len(p.ids)
}

func (p *PersistedOperations) byID(id string) (string, bool) {
	if p == nil {
		return "", false
	}
	q, ok := p.ids[id]
	return q, ok
}

func (p *PersistedOperations) byHash(hash string) (string, bool) {
	if p == nil {
		return "", false
	}
	q, ok := p.hashes[hash]
	return q, ok
}

// allows reports whether query is one of the operations, by its text.
func (p *PersistedOperations) allows(query string) bool {
	_, ok := p.byHash(queryHash(query))
	return ok
}
