package httpapi

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/investgraph/investgraph/graph"
)

// The budget of a request that runs: the objects it resolves, counted by
// package graph as the request runs (graph.WithObjectLimit), the bytes of
// its response, and its deadline. Over any, the client gets one error and no
// data: a response cut short would look complete.

// objectLimitError is the error of a request over Limits.MaxObjects.
func objectLimitError(limit int64) error {
	e := requestError(CodeObjectLimitExceeded,
		"the query resolves more than %d objects, the most one request may: ask for fewer nested lists "+
			"(a company's projects' participants' projects repeat every hub's projects), fewer items (a smaller first), "+
			"or split it into several queries", limit)
	e.Extensions["limit"] = limit
	return e
}

// overBudget returns the error that replaces resp if the request went over
// its object limit or resp is larger than allowed.
func (t httpTransport) overBudget(ctx context.Context, resp *graphql.Response) *gqlerror.Error {
	if graph.ObjectLimitExceeded(ctx) {
		err := objectLimitError(int64(t.maxObjects)).(*gqlerror.Error)
		err.Extensions["objects"] = graph.ObjectsResolved(ctx)
		return err
	}
	if t.maxResponse > 0 && int64(len(resp.Data)) > t.maxResponse {
		err := requestError(CodeResponseTooLarge,
			"the response is %d bytes, more than the limit of %d: select fewer fields, fewer items (a smaller first) "+
				"or fewer nested lists, or split the query", len(resp.Data), t.maxResponse)
		err.Extensions["limit"] = t.maxResponse
		return err
	}
	return nil
}

// cutShort returns the request error to send if the deadline or the client
// stopped the request while it ran: its data then has holes where resolvers
// were stopped (see graph.FieldMiddleware), and only the reason is sent, as
// the first field error gave it but for the whole request.
func cutShort(errs gqlerror.List) *gqlerror.Error {
	for _, e := range errs {
		if c := errorCode(e); c == CodeTimeout || c == CodeCanceled {
			return requestError(c, "%s", e.Message)
		}
	}
	return nil
}
