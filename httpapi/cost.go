package httpapi

import (
	"context"
	"encoding/json"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/investgraph/investgraph/db"
)

// The cost model, after GitHub's and Shopify's: a query costs what it could
// make the server fetch.
//
//   - A scalar or enum field costs 0.
//   - Any other field (an object, or a list of anything) costs 1 plus the
//     cost of its selections times its multiplier; in a list of objects each
//     object costs at least 1, even with only scalars selected.
//   - The multiplier of a field with a first, last or limit argument is that
//     argument (first and last are capped at db.MaxPageSize, which the
//     resolvers enforce); with a depth argument, the depth. An omitted
//     argument counts as its schema default, or db.DefaultPageSize.
//   - A list without such an argument multiplies by the length of its list
//     argument if it has one (nodes(ids: ...)), by 1 for the edges and nodes
//     of a Relay connection (already counted by the connection's first),
//     and by assumedListSize otherwise.
//
// The rules read only the schema and the arguments, so fields added to the
// schema are priced without code here. A ComplexityRoot function set in the
// generated Config still takes precedence for its field.

// assumedListSize is the multiplier of a list the client cannot size.
const assumedListSize = 10

// costSchema is the generated executable schema with the cost model as its
// complexity function.
type costSchema struct {
	graphql.ExecutableSchema
}

// Complexity prices one field for gqlgen's complexity walker.
func (s costSchema) Complexity(ctx context.Context, typeName, field string, childComplexity int, args map[string]any) (int, bool) {
	if c, ok := s.ExecutableSchema.Complexity(ctx, typeName, field, childComplexity, args); ok {
		return c, true
	}
	return fieldCost(s.Schema(), typeName, field, childComplexity, args)
}

// fieldCost applies the cost model. ok is false for scalars and enums and
// for fields it does not know, which gqlgen then prices itself.
func fieldCost(schema *ast.Schema, typeName, field string, child int, args map[string]any) (cost int, ok bool) {
	parent := schema.Types[typeName]
	if parent == nil {
		return 0, false
	}
	def := parent.Fields.ForName(field)
	if def == nil {
		return 0, false
	}
	isList := def.Type.Elem != nil
	named := schema.Types[def.Type.Name()]
	leaf := named != nil && (named.Kind == ast.Scalar || named.Kind == ast.Enum)
	if leaf && !isList {
		return 0, false
	}
	if isList && !leaf {
		child = max(child, 1) // each object fetched costs at least 1
	}
	return saturatingAdd(1, saturatingMul(multiplier(parent, def, isList, args), child)), true
}

// multiplier is how many times a field's selections may be fetched.
func multiplier(parent *ast.Definition, def *ast.FieldDefinition, isList bool, args map[string]any) int {
	for _, name := range []string{"first", "last", "limit"} {
		if arg := def.Arguments.ForName(name); arg != nil {
			n := argInt(arg, args)
			if name != "limit" {
				n = min(n, db.MaxPageSize)
			}
			return n
		}
	}
	if arg := def.Arguments.ForName("depth"); arg != nil {
		return argInt(arg, args)
	}
	if !isList {
		return 1
	}
	if isConnection(parent) && (def.Name == "edges" || def.Name == "nodes") {
		return 1
	}
	for _, arg := range def.Arguments {
		if list, ok := args[arg.Name].([]any); ok && arg.Type.Elem != nil {
			return len(list)
		}
	}
	return assumedListSize
}

// isConnection reports whether a type is a Relay connection.
func isConnection(def *ast.Definition) bool {
	return len(def.Name) > len("Connection") && def.Name[len(def.Name)-len("Connection"):] == "Connection"
}

// argInt reads an integer argument, falling back to its schema default and
// then to db.DefaultPageSize; negative values count as 0.
func argInt(arg *ast.ArgumentDefinition, args map[string]any) int {
	if n, ok := toInt(args[arg.Name]); ok {
		return max(n, 0)
	}
	if arg.DefaultValue != nil {
		if v, err := arg.DefaultValue.Value(nil); err == nil {
			if n, ok := toInt(v); ok {
				return max(n, 0)
			}
		}
	}
	return db.DefaultPageSize
}

// toInt converts the integer forms argument values take.
func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int32:
		return int(n), true
	case int64:
		return int(max(min(n, math.MaxInt32), math.MinInt32)), true
	case float64:
		return int(max(min(n, math.MaxInt32), math.MinInt32)), true
	case json.Number:
		i, err := strconv.ParseInt(string(n), 10, 32)
		return int(i), err == nil
	}
	return 0, false
}

func saturatingAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

func saturatingMul(a, b int) int {
	if a != 0 && b > math.MaxInt/a {
		return math.MaxInt
	}
	return a * b
}

// costLimit computes each operation's cost with gqlgen's complexity walker,
// rejects it over the limit, and charges it to the client's rate-limit
// budget, all before anything runs.
type costLimit struct {
	max     int
	limiter *rateLimiter // nil when rate limiting is off
	es      graphql.ExecutableSchema
}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = &costLimit{}

// ExtensionName names the extension for gqlgen.
func (*costLimit) ExtensionName() string { return "CostLimit" }

// Validate keeps the schema whose Complexity prices fields.
func (c *costLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	return nil
}

// MutateOperationContext prices the operation and charges for it.
func (c *costLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	info := infoFrom(ctx)
	info.cost = complexity.Calculate(ctx, c.es, opCtx.Operation, opCtx.Variables, complexity.WithFixedScalarValue(0))
	info.costKnown = true
	if c.max > 0 && info.cost > c.max {
		return requestError(CodeCostLimitExceeded,
			"the query costs %d, more than the limit of %d: ask for fewer items (a smaller first) or fewer nested lists",
			info.cost, c.max)
	}
	if c.limiter != nil {
		// One point was charged when the request arrived.
		return c.limiter.charge(info, max(info.cost, 1)-1)
	}
	return nil
}
