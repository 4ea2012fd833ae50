package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// answerQueries are the documents TestAnswers runs: each root field with
// every field beneath it, and the fields of the objects those lead to (see
// selectAll), now
// and as of a day in the middle of the seed.
func answerQueries() map[string]string {
	s := graph.Schema()
	citic, zhu := graph.GlobalID("Company", "citic-group"), graph.GlobalID("Person", "zhu-hexin")
	caspi := graph.GlobalID("Project", "caspi-bitum-expansion")
	sel := func(typ string) string { return selectAll(s, s.Types[typ], 1) }
	conn := func(typ string) string {
		return "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { " + sel(typ) + " } }"
	}
	roots := map[string]string{
		"companies":  `companies(first: 100) { ` + conn("Company") + ` }`,
		"people":     `people(first: 100) { ` + conn("Person") + ` }`,
		"projects":   `projects(first: 100) { ` + conn("Project") + ` }`,
		"meetings":   `meetings(first: 100) { ` + conn("Meeting") + ` }`,
		"agreements": `agreements(first: 100) { ` + conn("Agreement") + ` }`,
		"sources":    `sources(first: 100) { ` + conn("Source") + ` }`,
		"lookups": fmt.Sprintf(`a: company(name: "KMG") { %s } b: person(id: %q) { %s } c: project(name: "Caspi Bitum") { %s }
			d: agreement(slug: "citic-five-documents-2023") { %s } e: nodes(ids: [%q, %q, %q]) { id __typename }`,
			sel("Company"), zhu, sel("Person"), sel("Project"), sel("Agreement"), citic, zhu, caspi),
		"search": `search(query: "citic", first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { cursor score snippet node { __typename ... on Node { id } } } }
			s2: search(query: "bitu*", types: [PROJECT, COMPANY], last: 2) { totalCount pageInfo { hasPreviousPage startCursor } edges { cursor node { ... on Node { id } } } }`,
		"timeline": `timeline(first: 100) { totalCount edges { cursor node { ` + sel("TimelineEvent") + ` } } }
			t2: timeline(subject: "` + caspi + `", from: "2023", to: "2024-H2", last: 5) { totalCount pageInfo { hasPreviousPage hasNextPage startCursor endCursor } edges { node { date kind title } } }
			t3: timeline(kinds: [MILESTONE, MEETING], from: "2024-08") { totalCount edges { node { date kind title } } }`,
		"aggregates": `aggregates { counts { ` + sel("Counts") + ` }
			byCountry: money(groupBy: COUNTERPARTY_COUNTRY) { ` + sel("MoneySummary") + ` }
			byCompany: money(groupBy: COMPANY) { ` + sel("MoneySummary") + ` }
			bySector: money(groupBy: SECTOR) { ` + sel("MoneySummary") + ` }
			byYear: money(groupBy: YEAR, currency: "usd") { ` + sel("MoneySummary") + ` } }`,
		"graph": fmt.Sprintf(`neighborhood(id: %q, depth: 2) { %s } paths(from: %q, to: %q, maxHops: 4, first: 5) { %s }`,
			citic, sel("Neighborhood"), graph.GlobalID("Person", "kassym-jomart-tokayev"), caspi, sel("Path")),
	}
	out := map[string]string{}
	for name, q := range roots {
		out[name] = "{ " + q + " }"
		out[name+"-asof-2023-10-18"] = `{ asOf(date: "2023-10-18") { ` + q + ` } }`
	}
	return out
}

// selectAll selects every field of def that needs no argument: scalars and
// enums, and objects down to depth more levels; an interface or union
// gets __typename and each possible type's fields one level less deep.
func selectAll(s *ast.Schema, def *ast.Definition, depth int) string {
	var parts []string
	if def.Kind == ast.Interface || def.Kind == ast.Union {
		// The possible types' own fields are selected elsewhere: here their
		// ids, or for those without one, their fields under aliases, as
		// fields of one name may have different types.
		parts = append(parts, "__typename")
		for _, p := range s.GetPossibleTypes(def) {
			if p.Fields.ForName("id") != nil {
				parts = append(parts, "... on "+p.Name+" { id }")
				continue
			}
			var aliased []string
			for _, f := range p.Fields {
				if k := s.Types[f.Type.Name()].Kind; (k == ast.Scalar || k == ast.Enum) && len(f.Arguments) == 0 {
					aliased = append(aliased, p.Name+"_"+f.Name+": "+f.Name)
				}
			}
			parts = append(parts, "... on "+p.Name+" { "+strings.Join(aliased, " ")+" }")
		}
		return strings.Join(parts, " ")
	}
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || slices.ContainsFunc(f.Arguments, func(a *ast.ArgumentDefinition) bool {
			return a.Type.NonNull && a.DefaultValue == nil
		}) {
			continue
		}
		t := s.Types[f.Type.Name()]
		switch t.Kind {
		case ast.Scalar, ast.Enum:
			parts = append(parts, f.Name)
		default:
			if depth > 0 {
				if inner := selectAll(s, t, depth-1); inner != "" {
					parts = append(parts, f.Name+" { "+inner+" }")
				}
			} else if t.Fields.ForName("id") != nil {
				parts = append(parts, f.Name+" { id }")
			}
		}
	}
	return strings.Join(parts, " ")
}

// TestAnswers holds the whole API to reviewed answers: every field of every
// object under each root field, now and as of a day, must answer as
// testdata/answers says, on gqlgen's executor and on the compiled one.
// After a change meant to change an answer, rerun with -update and review
// the diff.
func TestAnswers(t *testing.T) {
	servers := map[string]*graphtest.Server{
		"gqlgen":   graphtest.New(t),
		"compiled": graphtest.New(t, graphtest.WithOptions(httpapi.Options{Executor: graph.ExecutorCompiled})),
	}
	queries := answerQueries()
	var ran strings.Builder
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range queries {
			if !yield(k) {
				return
			}
		}
	}) {
		path := filepath.Join("testdata", "answers", name+".json")
		for _, executor := range []string{"gqlgen", "compiled"} {
			before := compiledRuns(t, servers["compiled"])
			resp := servers[executor].Do(t, queries[name], nil)
			if executor == "compiled" {
				on := "gqlgen"
				if compiledRuns(t, servers["compiled"]) > before {
					on = "compiled"
				}
				fmt.Fprintf(&ran, "%s %s\n", name, on)
			}
			if len(resp.Errors) > 0 {
				t.Errorf("%s on %s: %s", name, executor, resp.Errors[0].Message)
				continue
			}
			var buf bytes.Buffer
			if err := json.Indent(&buf, resp.Data, "", ""); err != nil {
				t.Fatal(err)
			}
			buf.WriteByte('\n')
			if *update && executor == "gqlgen" {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v: run go test ./graph -run TestAnswers -update and review the answers", err)
			}
			if !bytes.Equal(buf.Bytes(), want) && !sameAnswer(t, buf.Bytes(), want) {
				t.Errorf("%s on %s answers differently from %s (if that is meant, rerun with -update and review the diff):\n%s",
					name, executor, path, firstLineDiff(buf.String(), string(want)))
			}
		}
	}
	// Which executor ran each query on the compiled server.
	path := filepath.Join("testdata", "answers", "executors.txt")
	if *update {
		if err := os.WriteFile(path, []byte(ran.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run go test ./graph -run TestAnswers -update", err)
	}
	if got := ran.String(); got != string(want) {
		t.Errorf("the compiled executor ran other queries than %s says (rerun with -update if meant):\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

// firstLineDiff shows where two texts first differ, with a few lines of
// context.
func firstLineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		if i >= len(g) || i >= len(w) || g[i] != w[i] {
			from := max(0, i-3)
			return fmt.Sprintf("line %d\n got: %s\nwant: %s", i+1, strings.Join(g[from:min(i+1, len(g))], "\n      "), strings.Join(w[from:min(i+1, len(w))], "\n      "))
		}
	}
	return "same"
}
