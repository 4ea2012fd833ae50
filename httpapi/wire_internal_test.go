package httpapi

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestMarshalResponseMatchesEncodingJSON encodes generated responses, their
// data written with and without indentation and HTML escaping, both ways,
// and requires the bytes json.Marshal gives.
func TestMarshalResponseMatchesEncodingJSON(t *testing.T) {
	for seed := range uint64(5000) {
		rng := rand.New(rand.NewPCG(seed, 14))
		v := genValue(rng, 4)
		var src bytes.Buffer
		enc := json.NewEncoder(&src)
		enc.SetEscapeHTML(rng.IntN(2) == 0)
		if rng.IntN(2) == 0 {
			enc.SetIndent(strings.Repeat(" ", rng.IntN(3)), "\t")
		}
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		out := wireResponse{Data: bytes.TrimRight(src.Bytes(), "\n")}
		if rng.IntN(3) == 0 {
			out.Errors = gqlerror.List{{Message: genString(rng), Path: ast.Path{ast.PathName("a"), ast.PathIndex(1)}}}
		}
		if rng.IntN(2) == 0 {
			out.Extensions = map[string]any{"sqlStatements": rng.IntN(9), "x<": genString(rng)}
		}
		want, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		got, err := marshalResponse(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("seed %d: data %s\ngot  %s\nwant %s", seed, out.Data, got, want)
		}
	}
}

func genValue(rng *rand.Rand, depth int) any {
	switch k := rng.IntN(7); {
	case depth == 0 || k == 0:
		return genString(rng)
	case k == 1:
		return rng.Float64() * 1e6
	case k == 2:
		return rng.IntN(2) == 0
	case k == 3:
		return nil
	case k == 4:
		m := map[string]any{}
		for range rng.IntN(4) {
			m[genString(rng)] = genValue(rng, depth-1)
		}
		return m
	default:
		s := make([]any, rng.IntN(4))
		for i := range s {
			s[i] = genValue(rng, depth-1)
		}
		return s
	}
}

var genRunes = []rune("ab <>&\"\\/\t\n\r\u2028\u2029\u0001é漢🙂 \u007f")

func genString(rng *rand.Rand) string {
	r := make([]rune, rng.IntN(8))
	for i := range r {
		r[i] = genRunes[rng.IntN(len(genRunes))]
	}
	return string(r)
}
