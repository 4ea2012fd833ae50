package graph

import (
	"context"
	"reflect"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/loader"
	"github.com/investgraph/investgraph/graph/model"
)

// prefetch loads, once a root field has resolved, everything its selection
// will ask the loaders for, one level of the query at a time: each child
// field is fetched for all its parents of the level in one statement, and
// its own children for all of those, and so on down. The resolvers beneath
// then find their values in the request's loaders and return at once.
//
// gqlgen resolves fields on many goroutines and has no notion of a level, so
// a loader left to gather keys on its own must guess when a level's keys
// have all come; under load a guess can split a batch. Walking the
// selection here makes the statements a request runs a property of the
// query's shape alone: one per field path that reads the store. A field
// missing from steps is not prefetched: its resolvers' loads gather into
// batches as package loader describes, and the loader_batches_total metric
// counts those batches as "gathered".
func prefetch(ctx context.Context, fc *graphql.FieldContext, res any) {
	w := prefetcher{op: graphql.GetOperationContext(ctx), loaders: loader.For(ctx)}
	w.walk(ctx, fc.Field.Selections, objects(res))
}

// startsWalk reports whether fc's resolver starts a prefetch walk: a root
// field, or a resolver whose results no walk reaches (Aggregates.money
// computes its own), with a selection beneath it.
func startsWalk(fc *graphql.FieldContext) bool {
	return fc.IsResolver && len(fc.Field.Selections) > 0 && steps[fc.Object][fc.Field.Name] == nil
}

// objects returns a root field's result as the list of objects its
// selection applies to.
func objects(res any) []any {
	switch v := res.(type) {
	case []model.Node:
		return nonNil(v)
	case []*db.Path:
		return nonNil(v)
	}
	return nonNil([]any{res})
}

// prefetcher prefetches one root field's selection.
type prefetcher struct {
	op      *graphql.OperationContext
	loaders *loader.Loaders
}

// walk prefetches the fields sel selects on objs, the objects of one level
// that one field path reached, then the levels beneath each of them.
func (w prefetcher) walk(ctx context.Context, sel ast.SelectionSet, objs []any) {
	if len(objs) == 0 || ctx.Err() != nil {
		return
	}
	// The objects of a level are of one type, or of the few types of an
	// interface or union: group them by type.
	byType := map[string][]any{}
	var order []string
	for _, o := range objs {
		name := typeName(o)
		if name == "" {
			continue
		}
		if _, ok := byType[name]; !ok {
			order = append(order, name)
		}
		byType[name] = append(byType[name], o)
	}
	for _, name := range order {
		fields := steps[name]
		if fields == nil {
			continue
		}
		for _, f := range graphql.CollectFields(w.op, sel, implementors()[name]) {
			step := fields[f.Name]
			if step == nil {
				continue
			}
			children := step(ctx, w.loaders, byType[name])
			if len(f.Selections) > 0 {
				w.walk(ctx, f.Selections, children)
			}
		}
	}
}

// A step loads one field for all parents of a level and returns the objects
// it leads to, for the next level. Values the store did not return, and
// errors, are left out: the field's resolver reports them.
type step func(ctx context.Context, l *loader.Loaders, parents []any) []any

// Short names for the table below.
type (
	loaders     = loader.Loaders
	byID[V any] = loader.Loader[int64, V]
)

// steps holds, by type and field, how to prefetch each field that reads the
// store or leads to objects whose fields do.
var steps = map[string]map[string]step{
	"Company": {
		"aliases":      load(func(l *loaders) *byID[[]string] { return &l.CompanyAliases }, companyID),
		"parent":       loadOne(func(l *loaders) *byID[*db.Company] { return &l.Company }, func(c *db.Company) *int64 { return c.ParentID }),
		"subsidiaries": load(func(l *loaders) *byID[[]*db.Company] { return &l.Subsidiaries }, companyID),
		"positions":    load(func(l *loaders) *byID[[]*db.Position] { return &l.PositionsByOrganization }, companyID),
		"projects":     load(func(l *loaders) *byID[[]*db.ProjectParticipant] { return &l.ParticipantsByCompany }, companyID),
		"agreements":   load(func(l *loaders) *byID[[]*db.Agreement] { return &l.AgreementsByCompany }, companyID),
		"meetings":     load(func(l *loaders) *byID[[]*db.Meeting] { return &l.MeetingsByCompany }, companyID),
		"measurements": load(func(l *loaders) *byID[[]*db.Measurement] { return &l.MeasurementsByCompany }, companyID),
		"citations":    citations(db.SubjectCompany, companyID),
	},
	"Person": {
		"aliases":   load(func(l *loaders) *byID[[]string] { return &l.PersonAliases }, personID),
		"positions": load(func(l *loaders) *byID[[]*db.Position] { return &l.PositionsByPerson }, personID),
		"meetings":  load(func(l *loaders) *byID[[]*db.Meeting] { return &l.MeetingsByPerson }, personID),
		"citations": citations(db.SubjectPerson, personID),
	},
	"Position": {
		"person":       loadOne(func(l *loaders) *byID[*db.Person] { return &l.Person }, func(p *db.Position) *int64 { return &p.PersonID }),
		"organization": loadOne(func(l *loaders) *byID[*db.Company] { return &l.Company }, func(p *db.Position) *int64 { return &p.OrganizationID }),
		"citations":    citations(db.SubjectPosition, func(p *db.Position) int64 { return p.ID }),
	},
	"Meeting": {
		"participants":  load(func(l *loaders) *byID[[]*db.Person] { return &l.MeetingParticipants }, meetingID),
		"organizations": load(func(l *loaders) *byID[[]*db.Company] { return &l.MeetingOrganizations }, meetingID),
		"topics":        load(func(l *loaders) *byID[[]string] { return &l.MeetingTopics }, meetingID),
		"projects":      load(func(l *loaders) *byID[[]*db.Project] { return &l.MeetingProjects }, meetingID),
		"agreements":    load(func(l *loaders) *byID[[]*db.Agreement] { return &l.AgreementsByMeeting }, meetingID),
		"citations":     citations(db.SubjectMeeting, meetingID),
	},
	"Project": {
		"aliases":         load(func(l *loaders) *byID[[]string] { return &l.ProjectAliases }, projectID),
		"participants":    load(func(l *loaders) *byID[[]*db.ProjectParticipant] { return &l.ParticipantsByProject }, projectID),
		"capacityHistory": load(func(l *loaders) *byID[[]*db.Measurement] { return &l.MeasurementsByProject }, projectID),
		"measurements":    load(func(l *loaders) *byID[[]*db.Measurement] { return &l.MeasurementsByProject }, projectID),
		"milestones":      load(func(l *loaders) *byID[[]*db.Milestone] { return &l.MilestonesByProject }, projectID),
		"amounts":         load(func(l *loaders) *byID[[]*db.Amount] { return &l.AmountsByProject }, projectID),
		"agreements":      load(func(l *loaders) *byID[[]*db.Agreement] { return &l.AgreementsByProject }, projectID),
		"meetings":        load(func(l *loaders) *byID[[]*db.Meeting] { return &l.MeetingsByProject }, projectID),
		"citations":       citations(db.SubjectProject, projectID),
	},
	"ProjectParticipant": {
		"company":   loadOne(func(l *loaders) *byID[*db.Company] { return &l.Company }, func(p *db.ProjectParticipant) *int64 { return &p.CompanyID }),
		"project":   loadOne(func(l *loaders) *byID[*db.Project] { return &l.Project }, func(p *db.ProjectParticipant) *int64 { return &p.ProjectID }),
		"citations": citations(db.SubjectParticipant, func(p *db.ProjectParticipant) int64 { return p.ID }),
	},
	"Agreement": {
		"parties":     load(func(l *loaders) *byID[[]*db.Company] { return &l.AgreementParties }, agreementID),
		"signatories": load(func(l *loaders) *byID[[]*db.Person] { return &l.AgreementSignatories }, agreementID),
		"amounts":     load(func(l *loaders) *byID[[]*db.Amount] { return &l.AmountsByAgreement }, agreementID),
		"projects":    load(func(l *loaders) *byID[[]*db.Project] { return &l.AgreementProjects }, agreementID),
		"meeting":     loadOne(func(l *loaders) *byID[*db.Meeting] { return &l.Meeting }, func(a *db.Agreement) *int64 { return a.MeetingID }),
		"citations":   citations(db.SubjectAgreement, agreementID),
	},
	"Measurement": {"citation": pick(func(m *db.Measurement) []any { return []any{&m.Citation} })},
	"Milestone":   {"citation": pick(func(m *db.Milestone) []any { return []any{&m.Citation} })},
	"Amount": {
		"project":   loadOne(func(l *loaders) *byID[*db.Project] { return &l.Project }, func(a *db.Amount) *int64 { return a.ProjectID }),
		"agreement": loadOne(func(l *loaders) *byID[*db.Agreement] { return &l.Agreement }, func(a *db.Amount) *int64 { return a.AgreementID }),
		"citation":  pick(func(a *db.Amount) []any { return []any{&a.Citation} }),
	},
	"Citation": {
		"source": loadOne(func(l *loaders) *byID[*db.Source] { return &l.Source }, func(c *db.Citation) *int64 { return &c.SourceID }),
	},

	"CompanyConnection":   {"edges": pick(func(c *model.CompanyConnection) []any { return anys(c.Edges) })},
	"CompanyEdge":         {"node": pick(func(e *model.CompanyEdge) []any { return []any{e.Node} })},
	"PersonConnection":    {"edges": pick(func(c *model.PersonConnection) []any { return anys(c.Edges) })},
	"PersonEdge":          {"node": pick(func(e *model.PersonEdge) []any { return []any{e.Node} })},
	"ProjectConnection":   {"edges": pick(func(c *model.ProjectConnection) []any { return anys(c.Edges) })},
	"ProjectEdge":         {"node": pick(func(e *model.ProjectEdge) []any { return []any{e.Node} })},
	"MeetingConnection":   {"edges": pick(func(c *model.MeetingConnection) []any { return anys(c.Edges) })},
	"MeetingEdge":         {"node": pick(func(e *model.MeetingEdge) []any { return []any{e.Node} })},
	"AgreementConnection": {"edges": pick(func(c *model.AgreementConnection) []any { return anys(c.Edges) })},
	"AgreementEdge":       {"node": pick(func(e *model.AgreementEdge) []any { return []any{e.Node} })},
	"SourceConnection":    {"edges": pick(func(c *model.SourceConnection) []any { return anys(c.Edges) })},
	"SourceEdge":          {"node": pick(func(e *model.SourceEdge) []any { return []any{e.Node} })},

	"SearchConnection": {"edges": pick(func(c *model.SearchConnection) []any { return anys(c.Edges) })},
	"SearchEdge": {"node": nodes(func(e *model.SearchEdge) []db.NodeRef {
		return []db.NodeRef{{Type: searchTypes[e.Hit.Kind], ID: e.Hit.ID}}
	})},
	"TimelineConnection": {"edges": pick(func(c *model.TimelineConnection) []any { return anys(c.Edges) })},
	"TimelineEdge":       {"node": pick(func(e *model.TimelineEdge) []any { return []any{e.Node} })},
	"TimelineEvent": {
		"subject":   nodes(func(e *db.TimelineEvent) []db.NodeRef { return []db.NodeRef{e.Subject} }),
		"citations": eventCitations,
	},

	"Neighborhood": {
		"center":        nodes(func(s *db.Subgraph) []db.NodeRef { return []db.NodeRef{s.Center} }),
		"nodes":         nodes(func(s *db.Subgraph) []db.NodeRef { return s.Nodes }),
		"relationships": relationships(func(s *db.Subgraph) []*db.Relationship { return s.Relationships }),
	},
	"Path": {
		"elements":      pathElements,
		"nodes":         pathNodes,
		"relationships": pathRelationships,
	},
	// The steps of the lists of relationships above load both ends; these
	// hand them to the next level.
	"Relationship": {
		"from": nodes(func(r *db.Relationship) []db.NodeRef { return []db.NodeRef{r.From} }),
		"to":   nodes(func(r *db.Relationship) []db.NodeRef { return []db.NodeRef{r.To} }),
	},

	"MoneySummary": {
		"groups":   pick(func(s *db.MoneySummary) []any { return anys(s.Groups) }),
		"excluded": pick(func(s *db.MoneySummary) []any { return anys(s.Excluded) }),
	},
	"MoneyGroup": {"amounts": pick(func(g *db.MoneyGroup) []any { return anys(g.Amounts) })},
	"ExcludedAmount": {
		"amount":         pick(func(e *db.ExcludedAmount) []any { return []any{e.Amount} }),
		"countedInstead": pick(func(e *db.ExcludedAmount) []any { return []any{e.CountedInstead} }),
	},
}

// implementors lists, by object type, the type and the interfaces and
// unions it belongs to, as fragments name them, read from the schema.
var implementors = sync.OnceValue(func() map[string][]string {
	schema := Schema()
	m := map[string][]string{}
	for name, def := range schema.Types {
		if def.Kind == ast.Object {
			m[name] = append([]string{name}, def.Interfaces...)
		}
	}
	for _, def := range schema.Types {
		if def.Kind == ast.Union {
			for _, member := range def.Types {
				m[member] = append(m[member], def.Name)
			}
		}
	}
	return m
})

// typeName returns the GraphQL type of a resolved object, or "" for nil or
// a value the walk does not descend into.
func typeName(o any) string {
	switch o.(type) {
	case *db.Company:
		return "Company"
	case *db.Person:
		return "Person"
	case *db.Project:
		return "Project"
	case *db.Meeting:
		return "Meeting"
	case *db.Agreement:
		return "Agreement"
	case *db.Source:
		return "Source"
	case *db.Position:
		return "Position"
	case *db.ProjectParticipant:
		return "ProjectParticipant"
	case *db.Measurement:
		return "Measurement"
	case *db.Milestone:
		return "Milestone"
	case *db.Amount:
		return "Amount"
	case *db.Citation:
		return "Citation"
	case *model.CompanyConnection:
		return "CompanyConnection"
	case *model.CompanyEdge:
		return "CompanyEdge"
	case *model.PersonConnection:
		return "PersonConnection"
	case *model.PersonEdge:
		return "PersonEdge"
	case *model.ProjectConnection:
		return "ProjectConnection"
	case *model.ProjectEdge:
		return "ProjectEdge"
	case *model.MeetingConnection:
		return "MeetingConnection"
	case *model.MeetingEdge:
		return "MeetingEdge"
	case *model.AgreementConnection:
		return "AgreementConnection"
	case *model.AgreementEdge:
		return "AgreementEdge"
	case *model.SourceConnection:
		return "SourceConnection"
	case *model.SourceEdge:
		return "SourceEdge"
	case *model.SearchConnection:
		return "SearchConnection"
	case *model.SearchEdge:
		return "SearchEdge"
	case *model.TimelineConnection:
		return "TimelineConnection"
	case *model.TimelineEdge:
		return "TimelineEdge"
	case *db.TimelineEvent:
		return "TimelineEvent"
	case *db.Subgraph:
		return "Neighborhood"
	case *db.Path:
		return "Path"
	case *db.Relationship:
		return "Relationship"
	case *db.MoneySummary:
		return "MoneySummary"
	case *db.MoneyGroup:
		return "MoneyGroup"
	case *db.ExcludedAmount:
		return "ExcludedAmount"
	}
	return ""
}

func companyID(c *db.Company) int64     { return c.ID }
func personID(p *db.Person) int64       { return p.ID }
func projectID(p *db.Project) int64     { return p.ID }
func meetingID(m *db.Meeting) int64     { return m.ID }
func agreementID(a *db.Agreement) int64 { return a.ID }

// load is the step of a list field read through a loader keyed by the
// parent's row id.
func load[P, C any](of func(*loader.Loaders) *loader.Loader[int64, []C], key func(*P) int64) step {
	return func(ctx context.Context, l *loader.Loaders, parents []any) []any {
		keys := make([]int64, 0, len(parents))
		for _, p := range parents {
			if p, ok := p.(*P); ok {
				keys = append(keys, key(p))
			}
		}
		lists, found := of(l).LoadAll(ctx, unique(keys))
		var out []any
		for i, list := range lists {
			if found[i] {
				out = append(out, anys(list)...)
			}
		}
		return out
	}
}

// loadOne is the step of a field holding one object read through a loader
// by a row id of the parent's (nil when the parent has none).
func loadOne[P, C any](of func(*loader.Loaders) *loader.Loader[int64, *C], key func(*P) *int64) step {
	return func(ctx context.Context, l *loader.Loaders, parents []any) []any {
		keys := make([]int64, 0, len(parents))
		for _, p := range parents {
			if p, ok := p.(*P); ok {
				if k := key(p); k != nil {
					keys = append(keys, *k)
				}
			}
		}
		values, found := of(l).LoadAll(ctx, unique(keys))
		out := make([]any, 0, len(values))
		for i, v := range values {
			if found[i] {
				out = append(out, v)
			}
		}
		return out
	}
}

// citations is the step of a citations field of a subject of kind s.
func citations[P any](s db.Subject, id func(*P) int64) step {
	return func(ctx context.Context, l *loader.Loaders, parents []any) []any {
		keys := make([]db.SubjectKey, 0, len(parents))
		for _, p := range parents {
			if p, ok := p.(*P); ok {
				keys = append(keys, db.SubjectKey{Subject: s, ID: id(p)})
			}
		}
		return loadCitations(ctx, l, keys)
	}
}

// eventCitations is the step of TimelineEvent.citations: an event carries
// its one citation or names the subject whose citations it has.
func eventCitations(ctx context.Context, l *loader.Loaders, parents []any) []any {
	var keys []db.SubjectKey
	var out []any
	for _, p := range parents {
		switch e := p.(*db.TimelineEvent); {
		case e.Citation != nil:
			out = append(out, e.Citation)
		case e.CitationsOf != nil:
			keys = append(keys, *e.CitationsOf)
		}
	}
	return append(out, loadCitations(ctx, l, keys)...)
}

func loadCitations(ctx context.Context, l *loader.Loaders, keys []db.SubjectKey) []any {
	lists, found := l.Citations.LoadAll(ctx, unique(keys))
	var out []any
	for i, list := range lists {
		if found[i] {
			out = append(out, anys(list)...)
		}
	}
	return out
}

// nodes is the step of a field holding the objects of node references: one
// statement per type referenced.
func nodes[P any](refs func(*P) []db.NodeRef) step {
	return func(ctx context.Context, l *loader.Loaders, parents []any) []any {
		byType := map[string][]int64{}
		for _, p := range parents {
			if p, ok := p.(*P); ok {
				for _, r := range refs(p) {
					byType[r.Type] = append(byType[r.Type], r.ID)
				}
			}
		}
		var out []any
		for typ, ids := range byType {
			out = append(out, loadNodeIDs(ctx, l, typ, unique(ids))...)
		}
		return out
	}
}

// relationships is the step of a list of relationships, which their
// resolvers return with the global IDs of their ends: it loads the ends.
func relationships[P any](rels func(*P) []*db.Relationship) step {
	ends := nodes(func(p *P) []db.NodeRef {
		var refs []db.NodeRef
		for _, r := range rels(p) {
			refs = append(refs, r.From, r.To)
		}
		return refs
	})
	return func(ctx context.Context, l *loader.Loaders, parents []any) []any {
		ends(ctx, l, parents)
		var out []any
		for _, p := range parents {
			if p, ok := p.(*P); ok {
				out = append(out, anys(rels(p))...)
			}
		}
		return out
	}
}

// The steps of a path's fields.
var (
	pathNodes         = nodes(func(p *db.Path) []db.NodeRef { return p.Nodes })
	pathRelationships = relationships(func(p *db.Path) []*db.Relationship { return p.Relationships })
)

// pathElements is the step of Path.elements: the path's objects and the
// relationships between them.
func pathElements(ctx context.Context, l *loader.Loaders, parents []any) []any {
	return append(pathNodes(ctx, l, parents), pathRelationships(ctx, l, parents)...)
}

func loadNodeIDs(ctx context.Context, l *loader.Loaders, typ string, ids []int64) []any {
	switch typ {
	case typeCompany:
		return found(l.Company.LoadAll(ctx, ids))
	case typePerson:
		return found(l.Person.LoadAll(ctx, ids))
	case typeProject:
		return found(l.Project.LoadAll(ctx, ids))
	case typeMeeting:
		return found(l.Meeting.LoadAll(ctx, ids))
	case typeAgreement:
		return found(l.Agreement.LoadAll(ctx, ids))
	case typeSource:
		return found(l.Source.LoadAll(ctx, ids))
	}
	return nil
}

// pick is the step of a field whose objects the parent holds.
func pick[P any](children func(*P) []any) step {
	return func(_ context.Context, _ *loader.Loaders, parents []any) []any {
		var out []any
		for _, p := range parents {
			if p, ok := p.(*P); ok {
				out = append(out, nonNil(children(p))...)
			}
		}
		return out
	}
}

// found returns the values LoadAll found.
func found[V any](values []V, found []bool) []any {
	out := make([]any, 0, len(values))
	for i, v := range values {
		if found[i] {
			out = append(out, v)
		}
	}
	return out
}

func anys[T any](s []T) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// nonNil returns the elements of s that are not nil, nor nil pointers
// wrapped in an interface.
func nonNil[T any](s []T) []any {
	out := make([]any, 0, len(s))
	for _, v := range s {
		if a := any(v); a != nil && typeName(a) != "" && !isNilPointer(a) {
			out = append(out, a)
		}
	}
	return out
}

// unique returns keys without repeats, in first-seen order.
func unique[K comparable](keys []K) []K {
	seen := make(map[K]struct{}, len(keys))
	out := keys[:0:0]
	for _, k := range keys {
		if _, ok := seen[k]; !ok {
			seen[k] = struct{}{}
			out = append(out, k)
		}
	}
	return out
}

func isNilPointer(v any) bool {
	r := reflect.ValueOf(v)
	return r.Kind() == reflect.Pointer && r.IsNil()
}
