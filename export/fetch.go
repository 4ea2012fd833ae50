package export

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
)

// fragments holds the selections each list is read with.
//
//go:embed graph.graphql
var fragments string

// Fetch reads the whole graph through the GraphQL API, in process: as it
// stands, or as of asOf (a PartialDate such as 2023-12-31) when asOf is not
// empty, with exactly the visibility rules Query.asOf applies. All its
// queries read one snapshot of the store. An invalid asOf is a db.EINVALID
// error.
func Fetch(ctx context.Context, store *db.Store, asOf string) (*Graph, error) {
	if asOf != "" {
		d, err := db.ParsePartialDate(asOf)
		if err != nil {
			return nil, err
		}
		asOf = d.String()
	}
	ctx, end := store.WithSnapshot(ctx)
	defer end()
	f := fetcher{store: store, exec: executor.New(graph.NewExecutableSchema(store)), asOf: asOf}
	f.exec.AroundFields(graph.FieldMiddleware)
	g := &Graph{AsOf: asOf}
	lists := []struct {
		fragment string
		into     func(json.RawMessage) error
	}{
		{"Sources", appendTo(&g.Sources)},
		{"Companies", appendTo(&g.Companies)},
		{"People", appendTo(&g.People)},
		{"Projects", appendTo(&g.Projects)},
		{"Meetings", appendTo(&g.Meetings)},
		{"Agreements", appendTo(&g.Agreements)},
		{"Statements", appendTo(&g.Statements)},
		{"Events", appendTo(&g.Events)},
	}
	for _, l := range lists {
		if err := f.list(ctx, l.fragment, l.into); err != nil {
			return nil, fmt.Errorf("export: read %s: %w", strings.ToLower(l.fragment), err)
		}
	}
	return g, nil
}

// appendTo decodes a page's nodes and appends them to list.
func appendTo[T any](list *[]T) func(json.RawMessage) error {
	return func(edges json.RawMessage) error {
		var page []struct{ Node T }
		if err := json.Unmarshal(edges, &page); err != nil {
			return err
		}
		for _, e := range page {
			*list = append(*list, e.Node)
		}
		return nil
	}
}

type fetcher struct {
	store *db.Store
	exec  *executor.Executor
	asOf  string
}

// list pages through the list the named fragment selects.
func (f fetcher) list(ctx context.Context, fragment string, into func(json.RawMessage) error) error {
	query := operation(fragment, f.asOf != "")
	var after any
	for {
		var data struct {
			List *page                 `json:"list"`
			AsOf *struct{ List *page } `json:"asOf"`
		}
		vars := map[string]any{"after": after}
		if f.asOf != "" {
			vars["date"] = f.asOf
		}
		if err := f.run(ctx, query, vars, &data); err != nil {
			return err
		}
		p := data.List
		if data.AsOf != nil {
			p = data.AsOf.List
		}
		if p == nil {
			return errors.New("the response has no list")
		}
		if err := into(p.Edges); err != nil {
			return err
		}
		if !p.PageInfo.HasNextPage || p.PageInfo.EndCursor == "" {
			return nil
		}
		after = p.PageInfo.EndCursor
	}
}

type page struct {
	PageInfo struct {
		HasNextPage bool   `json:"hasNextPage"`
		EndCursor   string `json:"endCursor"`
	} `json:"pageInfo"`
	Edges json.RawMessage `json:"edges"`
}

// run executes one operation with fresh loaders, as a request would.
func (f fetcher) run(ctx context.Context, query string, vars map[string]any, out any) error {
	ctx = graph.WithLoaders(ctx, f.store)
	ctx = graphql.StartOperationTrace(ctx)
	opCtx, errs := f.exec.CreateOperationContext(ctx, &graphql.RawParams{Query: query, Variables: vars})
	if len(errs) > 0 {
		return errs
	}
	respond, ctx := f.exec.DispatchOperation(ctx, opCtx)
	resp := respond(ctx)
	if resp == nil {
		return errors.New("no response")
	}
	if len(resp.Errors) > 0 {
		return resp.Errors
	}
	return json.Unmarshal(resp.Data, out)
}

// operation is the query that reads one page of the list fragment selects,
// under Query.asOf when asOf is set, with the fragments it uses.
func operation(fragment string, asOf bool) string {
	var b strings.Builder
	if asOf {
		fmt.Fprintf(&b, "query Export%s($after: String, $date: PartialDate!) { asOf(date: $date) { ...%s } }\n", fragment, fragment)
	} else {
		fmt.Fprintf(&b, "query Export%s($after: String) { ...%[1]s }\n", fragment)
	}
	defs := fragmentDefs()
	seen := map[string]bool{}
	var add func(name string)
	add = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		def, ok := defs[name]
		if !ok {
			panic("export: graph.graphql has no fragment " + name) // a broken build
		}
		b.WriteString(def)
		for _, m := range spread.FindAllStringSubmatch(def, -1) {
			add(m[1])
		}
	}
	add(fragment)
	return b.String()
}

var spread = regexp.MustCompile(`\.\.\.([A-Za-z_][A-Za-z0-9_]*)`)

// fragmentDefs splits graph.graphql into its fragment definitions, by name.
func fragmentDefs() map[string]string {
	defs := map[string]string{}
	for _, part := range strings.Split("\n"+fragments, "\nfragment ")[1:] {
		name, _, _ := strings.Cut(part, " ")
		defs[name] = "fragment " + part + "\n"
	}
	return defs
}
