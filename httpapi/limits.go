package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Limits bounds what one request may ask of the server. Most are checked
// before any SQL runs, MaxObjects and MaxResponseBytes while it runs; a
// zero field takes its default and a negative one turns that limit off.
type Limits struct {
	// MaxBodyBytes bounds a POST body (and a GET query string); larger
	// requests get 413.
	MaxBodyBytes int64
	// MaxTokens bounds the lexical tokens of a GraphQL document, so the parser
	// stops early on huge documents.
	MaxTokens int
	// MaxDepth bounds how deeply selections nest. Introspection fields are
	// not counted: GraphiQL's introspection query alone nests 15 deep.
	MaxDepth int
	// MaxAliases bounds the aliased fields of a document.
	MaxAliases int
	// MaxCost bounds a query's cost (see cost.go).
	MaxCost int
	// Timeout bounds a request's whole run; the SQL it runs is canceled when
	// it expires, and no resolver, prefetch step or list element starts
	// after it.
	Timeout time.Duration
	// MaxObjects bounds the objects a request resolves, counted as it runs
	// whatever its cost said: an unpaged list is priced by what 99% of
	// its parents hold, and a hub that appears throughout a response holds
	// far more. Over it the request stops with OBJECT_LIMIT_EXCEEDED before
	// the response is built.
	MaxObjects int
	// MaxResponseBytes bounds the size of a response's data; a larger one is
	// not sent, RESPONSE_TOO_LARGE is.
	MaxResponseBytes int64
}

// DefaultLimits are the limits of a zero Limits field: generous for any
// dashboard query of this schema, small enough that no single request can
// hold the server for long.
var DefaultLimits = Limits{
	MaxBodyBytes: 1 << 20,
	MaxTokens:    10_000,
	MaxDepth:     12,
	MaxAliases:   30,
	MaxCost:      100_000,
	Timeout:      10 * time.Second,
	// About 150 MB of response being built, the most one request may hold
	// (measured: the hub query of README's cost section).
	MaxObjects:       200_000,
	MaxResponseBytes: 16 << 20,
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBodyBytes == 0 {
		l.MaxBodyBytes = d.MaxBodyBytes
	}
	if l.MaxTokens == 0 {
		l.MaxTokens = d.MaxTokens
	}
	if l.MaxDepth == 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxAliases == 0 {
		l.MaxAliases = d.MaxAliases
	}
	if l.MaxCost == 0 {
		l.MaxCost = d.MaxCost
	}
	if l.Timeout == 0 {
		l.Timeout = d.Timeout
	}
	if l.MaxObjects == 0 {
		l.MaxObjects = d.MaxObjects
	}
	if l.MaxResponseBytes == 0 {
		l.MaxResponseBytes = d.MaxResponseBytes
	}
	return l
}

// Fixed safeguards, not settings: they keep the work of checking a
// document small, and no real query comes near them (GraphiQL's
// introspection query, 183 tokens, expands to 229 fields and as many
// overlaps).
const (
	// maxExpandedFields bounds the fields of an operation once its
	// fragments are expanded: pricing walks the expanded operation.
	maxExpandedFields = 100_000
	// maxOverlaps bounds the field pairs validation compares (see
	// walker.overlaps): about 10 ms of validation at worst.
	maxOverlaps = 10_000
)

// documentChecks rejects a document before gqlgen validates it: too many
// tokens, too deep, too many aliases, fragments that expand too far, fields
// repeated too often, introspection when it is off, and a mutation sent
// with GET. It runs before validation because validation itself is what a
// hostile document makes slow (overlapping-field checks are quadratic in
// the fields that share a response name).
type documentChecks struct {
	limits        Limits
	introspection bool
	cache         *countingCache[*ast.QueryDocument]
}

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = documentChecks{}

// ExtensionName names the extension for gqlgen.
func (documentChecks) ExtensionName() string { return "DocumentChecks" }

// Validate is called once when the extension is added.
func (documentChecks) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters checks the document of params.
func (c documentChecks) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	info := infoFrom(ctx)
	// A cached document has passed these checks before: documents are
	// cached only after validation, which comes after this.
	doc, cached := c.cache.peek(ctx, params.Query)
	if !cached {
		var err error
		doc, err = parser.ParseQueryWithTokenLimit(&ast.Source{Input: params.Query}, max(c.limits.MaxTokens, 0))
		if err != nil {
			if c.limits.MaxTokens > 0 && overTokenLimit(params.Query, c.limits.MaxTokens) {
				return requestError(CodeTokenLimitExceeded,
					"the query has more than %d tokens", c.limits.MaxTokens)
			}
			return nil // gqlgen reports the syntax error
		}
		if err := c.check(doc); err != nil {
			return err
		}
	}
	op := doc.Operations.ForName(params.OperationName)
	if op == nil {
		return nil // gqlgen reports the missing operation
	}
	if op.Name != "" {
		info.operation = op.Name
	}
	if info.method == http.MethodGet && op.Operation != ast.Query && !streaming(ctx) {
		return requestError(CodeMethodNotAllowed,
			"GET requests can only run queries: send this %s with POST", op.Operation)
	}
	return nil
}

// check applies the structural limits to a parsed document.
func (c documentChecks) check(doc *ast.QueryDocument) *gqlerror.Error {
	w := newWalker(doc)
	if !c.introspection && w.introspects() {
		return requestError(CodeIntrospectionDisabled, "introspection is disabled on this server")
	}
	if c.limits.MaxAliases > 0 {
		if n := w.aliases(); n > c.limits.MaxAliases {
			return requestError(CodeAliasLimitExceeded,
				"the query has %d aliases, more than the limit of %d", n, c.limits.MaxAliases)
		}
	}
	if c.limits.MaxDepth > 0 {
		for _, op := range doc.Operations {
			if d := w.depth(op.SelectionSet, c.limits.MaxDepth); d > c.limits.MaxDepth {
				return requestError(CodeDepthLimitExceeded,
					"the query nests more than %d levels deep", c.limits.MaxDepth)
			}
		}
	}
	for _, op := range doc.Operations {
		if w.expanded(op.SelectionSet, maxExpandedFields) > maxExpandedFields {
			return requestError(CodeQueryTooComplex,
				"the query's fragments expand to more than %d fields", maxExpandedFields)
		}
		if w.overlaps([]ast.SelectionSet{op.SelectionSet}, nil, maxOverlaps) > maxOverlaps {
			return requestError(CodeQueryTooComplex,
				"the query selects the same fields too many times over (directly or through fragments): merge them")
		}
	}
	return nil
}
