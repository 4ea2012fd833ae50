package graph_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/db/dbtest"
)

// withoutRanking returns data, an answer, with the edges of every search
// field kept as the objects found, in a fixed order, without their score,
// snippet and cursor, when the tests run on PostgreSQL: it ranks hits and
// cuts snippets otherwise than SQLite (see db.Store.Search), so its
// answers are held to the same hits. On SQLite data is returned as it is.
func withoutRanking(t *testing.T, data []byte) []byte {
	t.Helper()
	if dbtest.Engine() != db.EnginePostgres {
		return data
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("answer: %v", err)
	}
	v = unranked(t, v, false)
	out, err := json.MarshalIndent(v, "", "")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// unranked is withoutRanking on a decoded value; search is set within a
// search field.
func unranked(t *testing.T, v any, search bool) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = unranked(t, e, k == "search")
		}
		if search {
			if edges, ok := v["edges"].([]any); ok {
				keys := make([]string, len(edges))
				for i, e := range edges {
					if m, ok := e.(map[string]any); ok {
						delete(m, "score")
						delete(m, "snippet")
						delete(m, "cursor")
					}
					b, _ := json.Marshal(e)
					keys[i] = string(b)
				}
				slices.Sort(keys)
				sorted := make([]any, len(keys))
				for i, k := range keys {
					json.Unmarshal([]byte(k), &sorted[i])
				}
				v["edges"] = sorted
			}
		}
		return v
	case []any:
		for i, e := range v {
			v[i] = unranked(t, e, false)
		}
	}
	return v
}

// sameAnswer compares two answers as withoutRanking leaves them.
func sameAnswer(t *testing.T, got, want []byte) bool {
	t.Helper()
	return bytes.Equal(withoutRanking(t, got), withoutRanking(t, want))
}
