package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/investgraph/investgraph/graph"
)

// allowedMethods is the Allow header of /graphql.
const allowedMethods = "GET, POST, OPTIONS"

// httpTransport serves GraphQL over HTTP as the GraphQL-over-HTTP
// specification describes it: POST with a JSON body, GET with the parameters
// in the query string (queries only), responses in application/json or
// application/graphql-response+json as the Accept header prefers, and every
// failure as a GraphQL response with an extensions.code. It replaces gqlgen's
// GET and POST transports, whose status codes differ from the specification.
type httpTransport struct {
	maxBody int64
	limiter *rateLimiter // nil when rate limiting is off
	// inFlight caps each client's running requests; nil when off.
	inFlight *inFlight
	// maxObjects and maxResponse are Limits.MaxObjects and
	// Limits.MaxResponseBytes, off when negative (see budget.go).
	maxObjects  int
	maxResponse int64
}

var _ graphql.Transport = httpTransport{}

// Supports claims every request to /graphql, so that even unsupported
// methods and media types get a GraphQL error rather than a bare 400.
func (httpTransport) Supports(*http.Request) bool { return true }

// Do serves one request.
func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	info := infoFrom(ctx)
	info.method = r.Method
	switch r.Method {
	case http.MethodGet, http.MethodPost:
	case http.MethodOptions:
		w.Header().Set("Allow", allowedMethods)
		w.WriteHeader(http.StatusNoContent)
		info.status, info.outcome = http.StatusNoContent, "ok"
		return
	default:
		w.Header().Set("Allow", allowedMethods)
		t.fail(ctx, w, exec, mediaJSON, requestError(CodeMethodNotAllowed,
			"method %s is not allowed: use POST, or GET for queries", r.Method))
		return
	}
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		t.fail(ctx, w, exec, mediaJSON, requestError(CodeNotAcceptable,
			"the Accept header allows neither %s nor %s", mediaGraphQLResponse, mediaJSON))
		return
	}
	// Every request costs at least one point, charged before its body is
	// read, so that a client flooding the server with junk is throttled too.
	// The rest of its cost is charged once the query's cost is known.
	if t.limiter != nil {
		info.budget = t.limiter.budgetFor(info.client)
		if err := t.limiter.charge(info, 1); err != nil {
			t.fail(ctx, w, exec, media, err)
			return
		}
	}
	if t.inFlight != nil {
		release, err := t.inFlight.acquire(ctx, info)
		if err != nil {
			t.fail(ctx, w, exec, media, err)
			return
		}
		defer release()
	}
	start := graphql.Now()
	var (
		params *graphql.RawParams
		gqlErr *gqlerror.Error
	)
	if r.Method == http.MethodGet {
		params, info.documentID, gqlErr = readGET(r, t.maxBody)
	} else {
		params, info.documentID, gqlErr = readPOST(w, r, t.maxBody)
	}
	if gqlErr != nil {
		t.fail(ctx, w, exec, media, gqlErr)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	info.operation = params.OperationName
	info.variables = params.Variables

	ctx = graph.WithObjectLimit(ctx, int64(t.maxObjects), objectLimitError)
	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs)
		t.write(w, info, media, resp, false)
		return
	}
	allowance, capped := t.limiter.objectAllowance(info, t.maxObjects, t.inFlight.running(info.client))
	if capped {
		ctx = graph.WithObjectLimit(ctx, allowance, func(int64) error { return requestError(CodeRateLimited, "rate limit exceeded") })
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	resp := responses(ctx)
	if resp == nil {
		// The executor gives no response when the context ended first.
		t.fail(ctx, w, exec, media, contextError(ctx))
		return
	}
	if capped && graph.ObjectLimitExceeded(ctx) {
		resolved := graph.ObjectsResolved(ctx)
		t.limiter.settle(info, resolved)
		t.fail(ctx, w, exec, media, t.limiter.allowanceSpent(info, allowance, resolved))
		return
	}
	if err := t.overBudget(ctx, resp); err != nil {
		t.fail(ctx, w, exec, media, err)
		return
	}
	if err := cutShort(resp.Errors); err != nil {
		t.fail(ctx, w, exec, media, err)
		return
	}
	if err := authFailure(resp); err != nil {
		t.fail(ctx, w, exec, media, err)
		return
	}
	t.write(w, info, media, resp, true)
}

// contextError explains why ctx ended.
func contextError(ctx context.Context) *gqlerror.Error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return requestError(CodeTimeout, "the request ran out of time")
	}
	return requestError(CodeCanceled, "the request was canceled")
}

// fail responds with a request error.
func (t httpTransport) fail(ctx context.Context, w http.ResponseWriter, exec graphql.GraphExecutor, media string, err *gqlerror.Error) {
	t.write(w, infoFrom(ctx), media, exec.DispatchError(ctx, gqlerror.List{err}), false)
}

// wireResponse is a GraphQL response as sent: a request error has no data
// entry at all, as the specification requires, while an executed operation
// always has one.
type wireResponse struct {
	Errors     gqlerror.List   `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

// write sends resp with the status the specification asks for: 200 when
// the operation ran (even with field errors), and otherwise the status of
// its first error's code. An operation that ran but could not reach the
// database (UNAVAILABLE) gets 503, with Retry-After.
func (t httpTransport) write(w http.ResponseWriter, info *requestInfo, media string, resp *graphql.Response, executed bool) {
	out := wireResponse{Errors: resp.Errors, Extensions: resp.Extensions}
	status := http.StatusOK
	if executed {
		out.Data = resp.Data
		if len(out.Data) == 0 {
			out.Data = json.RawMessage("null")
		}
		if hasCode(resp.Errors, CodeUnavailable) {
			// The database could not be reached: whatever data came is
			// incomplete, and a client, proxy or load balancer should
			// retry, which 503 says however the body is read.
			status = http.StatusServiceUnavailable
		}
	} else {
		status = requestErrorStatus(resp.Errors, media)
	}
	body, err := marshalResponse(out)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(wireResponse{Errors: gqlerror.List{requestError(CodeInternal, "internal error")}})
	}

	info.status, info.outcome = status, "ok"
	if len(out.Errors) > 0 {
		info.outcome = errorCode(out.Errors[0])
	}
	h := w.Header()
	h.Set("Content-Type", media+"; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept")
	if status == http.StatusMethodNotAllowed && h.Get("Allow") == "" {
		h.Set("Allow", "POST") // a mutation sent with GET
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(max(info.retryAfter.Seconds(), 1)))))
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// hasCode reports whether one of errs has the code.
func hasCode(errs gqlerror.List, code string) bool {
	for _, e := range errs {
		if errorCode(e) == code {
			return true
		}
	}
	return false
}

// requestErrorStatus is the status of a response without data.
func requestErrorStatus(errs gqlerror.List, media string) int {
	var code string
	if len(errs) > 0 {
		code = errorCode(errs[0])
	}
	if status, ok := httpStatuses[code]; ok {
		return status
	}
	if media == mediaJSON {
		return http.StatusOK
	}
	return http.StatusBadRequest
}
