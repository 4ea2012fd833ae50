package graph

import (
	"context"
	"math"
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
//
// The walk also knows, before gqlgen builds the response, how many objects
// each level will put in it, and charges them to the request's budget: it
// stops with the budget's error once the budget is spent, or with the
// context's once the request's deadline has passed.
func prefetch(ctx context.Context, sel ast.SelectionSet, res any, b *budget) error {
	w := prefetcher{op: graphql.GetOperationContext(ctx), loaders: loader.For(ctx), budget: b}
	objs := objects(res)
	weights := make([]int64, len(objs))
	for i := range weights {
		weights[i] = 1
	}
	if err := b.walk(int64(len(objs))); err != nil {
		return err
	}
	objs, weights = merge(objs, weights)
	return w.walk(ctx, sel, objs, weights)
}

// startsWalk reports whether fc's resolver starts a prefetch walk: a root
// field, or a resolver whose results no walk reaches (Aggregates.money
// computes its own), with a selection beneath it.
func startsWalk(fc *graphql.FieldContext) bool {
	return walkStarts(fc.Object, fc.Field.Name, fc.IsResolver, len(fc.Field.Selections) > 0)
}

// walkStarts reports whether a field object.name starts a prefetch walk,
// as startsWalk does for a field's context.
func walkStarts(object, name string, resolver, selections bool) bool {
	return resolver && selections && steps[object][name] == nil
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
	budget  *budget
}

// walk prefetches the fields sel selects on objs, the distinct objects of
// one level that one field path reached, then the levels beneath each of
// them. weights[i] is how many times objs[i] appears in the response: a
// company that takes part in many of the level's projects is loaded once
// but its own lists are counted once per appearance.
func (w prefetcher) walk(ctx context.Context, sel ast.SelectionSet, objs []any, weights []int64) error {
	if len(objs) == 0 {
		return nil
	}
	for _, g := range byType(objs, weights) {
		fields := steps[g.name]
		if fields == nil {
			continue
		}
		for _, f := range graphql.CollectFields(w.op, sel, implementors()[g.name]) {
			step := fields[f.Name]
			if step == nil {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			children, counts := step(ctx, w.loaders, g.objs)
			if f.Arguments.ForName("basis") != nil {
				prefetchLinkBases(ctx, w.loaders, g.name, f.Name, g.objs)
			}
			if len(f.Selections) == 0 {
				continue // scalars, such as aliases: loaded, not objects
			}
			childWeights, n := weigh(counts, g.weights, len(children))
			if err := w.budget.walk(n); err != nil {
				return err
			}
			children, childWeights = merge(children, childWeights)
			if err := w.walk(ctx, f.Selections, children, childWeights); err != nil {
				return err
			}
		}
	}
	return nil
}

// group is the objects of one type in a level, with their weights.
type group struct {
	name    string
	objs    []any
	weights []int64
}

// byType groups the objects of a level by type, in the order the types
// first appear. A level's objects are of one type, or of the few types of an
// interface or union.
func byType(objs []any, weights []int64) []group {
	name := typeName(objs[0])
	one := name != ""
	for _, o := range objs[1:] {
		one = one && typeName(o) == name
	}
	if one {
		return []group{{name: name, objs: objs, weights: weights}}
	}
	var groups []group
	index := map[string]int{}
	for i, o := range objs {
		name := typeName(o)
		if name == "" {
			continue
		}
		j, ok := index[name]
		if !ok {
			j = len(groups)
			index[name] = j
			groups = append(groups, group{name: name})
		}
		groups[j].objs = append(groups[j].objs, o)
		groups[j].weights = append(groups[j].weights, weights[i])
	}
	return groups
}

// weigh gives each child the weight of its parent, counts[i] children
// being parent i's, and returns the children's total weight: how many
// objects the level puts in the response.
func weigh(counts []int, weights []int64, children int) (childWeights []int64, total int64) {
	childWeights = make([]int64, 0, children)
	for i, n := range counts {
		for range n {
			childWeights = append(childWeights, weights[i])
		}
		total = saturatingAdd(total, saturatingMul(int64(n), weights[i]))
	}
	return childWeights, total
}

// merge keeps one of each object, with the weights of its copies added up:
// the many participations of one hub lead to one company, whose lists are
// loaded once.
func merge(objs []any, weights []int64) ([]any, []int64) {
	if len(objs) < 2 {
		return objs, weights
	}
	index := make(map[any]int, len(objs))
	out, outWeights := objs[:0], weights[:0]
	for i, o := range objs {
		if j, ok := index[o]; ok {
			outWeights[j] = saturatingAdd(outWeights[j], weights[i])
			continue
		}
		index[o] = len(out)
		out = append(out, o)
		outWeights = append(outWeights, weights[i])
	}
	return out, outWeights
}

func saturatingAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func saturatingMul(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

// A step loads one field for all parents of a level and returns the objects
// it leads to, for the next level, parent by parent: the first counts[0]
// children are parents[0]'s, the next counts[1] parents[1]'s, and so on.
// Values the store did not return, and errors, are left out: the field's
// resolver reports them.
type step func(ctx context.Context, l *loader.Loaders, parents []any) (children []any, counts []int)

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
		"text":   paragraphTexts,
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
	case *db.Statement:
		return "Statement"
	case *db.Event:
		return "Event"
	case *db.MeetingParticipation:
		return "MeetingParticipation"
	case *db.AttributeInference:
		return "AttributeEvidence"
	case *model.StatementConnection:
		return "StatementConnection"
	case *model.StatementEdge:
		return "StatementEdge"
	case *model.EventConnection:
		return "EventConnection"
	case *model.EventEdge:
		return "EventEdge"
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
