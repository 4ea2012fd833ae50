package graph

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"golang.org/x/sync/singleflight"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/loader"
	"github.com/investgraph/investgraph/seed"
)

// maxRevisionViews is how many revisions' graphs are kept built. The log
// never changes, so a revision's graph never does: a view is dropped only
// to bound memory, the least recently asked for first.
const maxRevisionViews = 4

// viewBuildTimeout bounds the building of one revision's graph, which
// runs apart from the request that asked for it, as others may wait for
// it too.
const viewBuildTimeout = 2 * time.Minute

// revisionViews keeps the graphs of the revisions asked for lately, each
// built once however many requests ask for it at once.
type revisionViews struct {
	mu       sync.Mutex
	recent   []revisionView // most recently asked for last
	building singleflight.Group
}

type revisionView struct {
	id   int64
	view *db.Store
}

// get returns the view of revision id, building it with build when it is
// not kept.
func (v *revisionViews) get(ctx context.Context, id int64, build func(context.Context) (*db.Store, error)) (*db.Store, error) {
	if s := v.lookup(id); s != nil {
		return s, nil
	}
	res := v.building.DoChan(strconv.FormatInt(id, 10), func() (any, error) {
		if s := v.lookup(id); s != nil {
			return s, nil
		}
		bctx, cancel := context.WithTimeout(context.Background(), viewBuildTimeout)
		defer cancel()
		s, err := build(bctx)
		if err != nil {
			return nil, err
		}
		v.keep(id, s)
		return s, nil
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-res:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*db.Store), nil
	}
}

func (v *revisionViews) lookup(id int64) *db.Store {
	v.mu.Lock()
	defer v.mu.Unlock()
	for i, e := range v.recent {
		if e.id == id {
			v.recent = append(append(v.recent[:i:i], v.recent[i+1:]...), e)
			return e.view
		}
	}
	return nil
}

// keep adds a view, dropping the least recently asked for beyond
// maxRevisionViews. A dropped view closes itself once the requests still
// reading it are done (see db.Store.View).
func (v *revisionViews) keep(id int64, s *db.Store) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.recent = append(v.recent, revisionView{id: id, view: s})
	if n := len(v.recent) - maxRevisionViews; n > 0 {
		clear(v.recent[:n])
		v.recent = v.recent[n:]
	}
}

// parseRevisionRef reads the id atRevision takes: a revision's, or that of
// revision 0 (the seed before any revision).
func parseRevisionRef(id string) (int64, error) {
	if slug, err := slugFromID(id, typeRevision); err == nil && slug == "0" {
		return 0, nil
	}
	n, err := parseRevisionID(id)
	if err != nil {
		return 0, &db.Error{Code: db.EINVALID, Field: "id", Message: db.ErrorMessage(err) +
			"; atRevision takes a Revision.id from `revisions`, or \"" + revisionID(0) + "\" for the seed before any revision"}
	}
	return n, nil
}

// revisionSchema is an executable schema that, before an operation runs,
// finds the view of the graph every Query.atRevision of it names, building
// those it has not kept. A bad or unknown id fails the whole operation
// with one error, and the fields beneath atRevision then read the view
// (scopeRevision).
type revisionSchema struct {
	graphql.ExecutableSchema
	r *Resolver
}

type revisionScopesKey struct{}

// revisionScopes are the views an operation's atRevision fields read, by
// the id each was given.
type revisionScopes map[string]*db.Store

// Exec runs the operation of ctx with its revisions' views.
func (s *revisionSchema) Exec(ctx context.Context) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return s.ExecutableSchema.Exec(ctx)
	}
	ids := revisionArguments(oc)
	if len(ids) == 0 {
		return s.ExecutableSchema.Exec(ctx)
	}
	scopes := revisionScopes{}
	for _, id := range ids {
		if _, ok := scopes[id]; ok {
			continue
		}
		view, err := s.r.revisionView(ctx, id)
		if err != nil {
			graphql.AddError(ctx, err)
			return graphql.OneShot(&graphql.Response{Data: []byte("null")})
		}
		scopes[id] = view
	}
	// The fields run under the context the response handler is called
	// with, which must carry the views too.
	next := s.ExecutableSchema.Exec(context.WithValue(ctx, revisionScopesKey{}, scopes))
	return func(ctx context.Context) *graphql.Response {
		return next(context.WithValue(ctx, revisionScopesKey{}, scopes))
	}
}

// revisionArguments lists the ids the operation's atRevision fields are
// given, wherever they are (under fragments, asOf or another atRevision).
func revisionArguments(oc *graphql.OperationContext) []string {
	var ids []string
	seen := map[string]bool{}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				if sel.Name == "atRevision" && sel.ObjectDefinition != nil && sel.ObjectDefinition.Name == "Query" {
					if id, ok := sel.ArgumentMap(oc.Variables)["id"].(string); ok {
						ids = append(ids, id)
					}
				}
				walk(sel.SelectionSet)
			case *ast.InlineFragment:
				walk(sel.SelectionSet)
			case *ast.FragmentSpread:
				if f := oc.Doc.Fragments.ForName(sel.Name); f != nil && !seen[sel.Name] {
					seen[sel.Name] = true
					walk(f.SelectionSet)
				}
			}
		}
	}
	walk(oc.Operation.SelectionSet)
	return ids
}

// revisionView returns the graph as it stood after the revision id, an
// EINVALID error for an id that is not a revision's, ENOTFOUND for one no
// revision has.
func (r *Resolver) revisionView(ctx context.Context, id string) (*db.Store, error) {
	n, err := parseRevisionRef(id)
	if err != nil {
		return nil, err
	}
	live := db.WithView(ctx, nil)
	if n > 0 {
		if _, err := r.Store.FindRevisionByID(live, n); err != nil {
			if db.ErrorCode(err) == db.ENOTFOUND {
				return nil, &db.Error{Code: db.ENOTFOUND, Field: "id", Message: "no revision has id " + db.Quote(id) + ": list them with `revisions`"}
			}
			return nil, err
		}
	}
	return r.views.get(ctx, n, func(ctx context.Context) (*db.Store, error) {
		return r.buildView(ctx, n)
	})
}

// buildView builds the graph after revision n: the seed files with the
// changesets up to it replayed, through the same code that applies them.
func (r *Resolver) buildView(ctx context.Context, n int64) (*db.Store, error) {
	d, err := seed.DatasetAt(ctx, r.Store, r.seedFiles(), n)
	if err != nil {
		return nil, err
	}
	return r.Store.View(ctx, d, n)
}

// scopeRevision gives a resolver under a Query.atRevision field that
// field's view of the graph (db.WithView), so that every read beneath it,
// by root lookups, lists and loaders, reads the graph as it stood after
// that revision. The nearest atRevision wins; asOf scopes independently of
// it (scopeAsOf), so the two compose either way round.
func scopeRevision(ctx context.Context, fc *graphql.FieldContext) context.Context {
	for f := fc; f != nil; f = f.Parent {
		if f.Object == "Query" && f.Field.Field != nil && f.Field.Name == "atRevision" {
			return withRevision(ctx, f.Args["id"])
		}
	}
	return ctx
}

// withRevision scopes ctx to the view of the revision id, which the
// operation's pre-pass found (revisionSchema.Exec).
func withRevision(ctx context.Context, id any) context.Context {
	scopes, _ := ctx.Value(revisionScopesKey{}).(revisionScopes)
	if s, ok := id.(string); ok && scopes[s] != nil {
		return db.WithView(ctx, scopes[s])
	}
	return ctx
}

// history resolves the history of the object typ:slug.
func history(ctx context.Context, typ, slug string) ([]*db.NodeChange, error) {
	return loader.For(ctx).History.Load(ctx, db.SlugRef{Type: typ, Slug: slug})
}
