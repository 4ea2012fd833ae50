package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
)

// GraphQL error codes, in extensions.code. gqlgen sets the parse and
// validation codes itself.
const (
	CodeParseFailed      = errcode.ParseFailed      // GRAPHQL_PARSE_FAILED
	CodeValidationFailed = errcode.ValidationFailed // GRAPHQL_VALIDATION_FAILED
	CodeBadUserInput     = "BAD_USER_INPUT"
	CodeNotFound         = "NOT_FOUND"
	CodeConflict         = "CONFLICT"
	CodeInternal         = "INTERNAL"
	// CodeUnavailable: the database cannot be reached; retry later.
	CodeUnavailable = "UNAVAILABLE"

	// Request errors: the request was rejected before anything ran.
	CodeBadRequest             = "BAD_REQUEST"
	CodeMethodNotAllowed       = "METHOD_NOT_ALLOWED"
	CodeNotAcceptable          = "NOT_ACCEPTABLE"
	CodeUnsupportedMediaType   = "UNSUPPORTED_MEDIA_TYPE"
	CodeRequestTooLarge        = "REQUEST_TOO_LARGE"
	CodeTokenLimitExceeded     = "TOKEN_LIMIT_EXCEEDED"
	CodeDepthLimitExceeded     = "DEPTH_LIMIT_EXCEEDED"
	CodeAliasLimitExceeded     = "ALIAS_LIMIT_EXCEEDED"
	CodeCostLimitExceeded      = "COST_LIMIT_EXCEEDED"
	CodeQueryTooComplex        = "QUERY_TOO_COMPLEX"
	CodeIntrospectionDisabled  = "INTROSPECTION_DISABLED"
	CodePersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND"
	CodeOperationNotAllowed    = "OPERATION_NOT_ALLOWED"
	CodeRateLimited            = "RATE_LIMITED"

	// Budget errors: the request ran and was stopped, without data, for
	// resolving more objects than Limits.MaxObjects or producing more than
	// Limits.MaxResponseBytes.
	CodeObjectLimitExceeded = "OBJECT_LIMIT_EXCEEDED"
	CodeResponseTooLarge    = "RESPONSE_TOO_LARGE"

	// CodeTimeout marks fields cut short by the per-request deadline.
	CodeTimeout = "TIMEOUT"
	// CodeCanceled marks a request whose client went away.
	CodeCanceled = "CANCELED"
)

// codes maps store error codes to GraphQL error codes: the one table where
// the store's vocabulary meets the client's.
var codes = map[string]string{
	db.EINVALID:  CodeBadUserInput,
	db.ENOTFOUND: CodeNotFound,
	db.ECONFLICT: CodeConflict,
	db.EINTERNAL: CodeInternal,

	db.EUNAUTHORIZED: CodeUnauthenticated,
	db.EFORBIDDEN:    CodeForbidden,
	db.EUNAVAILABLE:  CodeUnavailable,
}

// httpStatuses gives the HTTP status of a response that carries no data,
// by the code of its first error, whatever media type the client accepts.
// Codes not listed are GraphQL request errors (parse, validation, limits):
// 400 with application/graphql-response+json and, as the GraphQL-over-HTTP
// specification asks, 200 with application/json.
var httpStatuses = map[string]int{
	CodeBadRequest:           http.StatusBadRequest,
	CodeMethodNotAllowed:     http.StatusMethodNotAllowed,
	CodeNotAcceptable:        http.StatusNotAcceptable,
	CodeUnsupportedMediaType: http.StatusUnsupportedMediaType,
	CodeRequestTooLarge:      http.StatusRequestEntityTooLarge,
	CodeOperationNotAllowed:  http.StatusForbidden,
	CodeRateLimited:          http.StatusTooManyRequests,
	CodeTimeout:              http.StatusGatewayTimeout,
	CodeCanceled:             499, // client closed request, as nginx logs it
	CodeInternal:             http.StatusInternalServerError,
	CodeUnavailable:          http.StatusServiceUnavailable,
	CodeUnauthenticated:      http.StatusUnauthorized,
	CodeForbidden:            http.StatusForbidden,

	// A valid query the server will not complete: ask for less.
	CodeObjectLimitExceeded: http.StatusUnprocessableEntity,
	CodeResponseTooLarge:    http.StatusUnprocessableEntity,
}

// requestError returns a GraphQL error with a code, for the transport and
// the request checks.
func requestError(code, format string, args ...any) *gqlerror.Error {
	e := &gqlerror.Error{Message: fmt.Sprintf(format, args...)}
	setCode(e, code)
	return e
}

// errorPresenter gives every error an extensions.code. Application errors
// keep their message; anything unexpected is logged in full and shown to the
// client only as "internal error", so no SQL or stack reaches it. Errors
// about input values are put in GraphQL's terms (explainValue), and no
// message echoes a huge input whole (shorten).
func errorPresenter(logger *slog.Logger, timeout string) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var appErr *db.Error
		switch {
		case errors.As(err, &appErr):
			gqlErr.Message = appErr.Message
			setCode(gqlErr, codes[appErr.Code])
			if appErr.Field != "" {
				gqlErr.Extensions["field"] = appErr.Field
			}
		case badValue(gqlErr):
			// A well-formed query with a bad input value (an unknown enum
			// value, a variable of the wrong type or missing) is bad user
			// input rather than a bad query, as Apollo classifies it too.
			gqlErr.Message = explainValue(ctx, graph.Schema(), gqlErr)
			setCode(gqlErr, CodeBadUserInput)
			if f := valueField(ctx, gqlErr); f != "" {
				gqlErr.Extensions["field"] = f
			}
		case gqlErr.Extensions["code"] != nil:
			// A parse, validation or request error already classified.
		case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
			gqlErr.Message = "the request ran out of time (limit " + timeout + ")"
			setCode(gqlErr, CodeTimeout)
		case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
			gqlErr.Message = "the request was canceled"
			setCode(gqlErr, CodeCanceled)
		case db.ErrorCode(err) == db.EUNAVAILABLE:
			// A connection lost while serving: logged, and told as such,
			// so that the client knows to try again.
			logger.WarnContext(ctx, "database unavailable", "request_id", requestID(ctx),
				"path", gqlErr.Path.String(), "err", err)
			gqlErr.Message = db.UnavailableMessage
			setCode(gqlErr, CodeUnavailable)
		default:
			logger.ErrorContext(ctx, "request failed", "request_id", requestID(ctx),
				"path", gqlErr.Path.String(), "err", err)
			gqlErr.Message = "internal error"
			setCode(gqlErr, CodeInternal)
		}
		gqlErr.Message = shorten(gqlErr.Message)
		return gqlErr
	}
}

// badValue reports whether a validation error is about an input value: a
// literal of the wrong type or an unknown enum value (the ValuesOfCorrectType
// rule), or a variable's value (errors gqlgen reports at path variable.NAME).
func badValue(e *gqlerror.Error) bool {
	if errorCode(e) != CodeValidationFailed {
		return false
	}
	return e.Rule == "ValuesOfCorrectType" || (len(e.Path) > 0 && e.Path[0] == ast.PathName("variable"))
}

// valueField is the place of a bad input value in the form of an
// application error's field: in the variables for an error about one
// (input.changeset.source.paragraphs for variable.input.changeset...), or
// from the argument for a literal, found by the error's location in the
// document.
func valueField(ctx context.Context, e *gqlerror.Error) string {
	if len(e.Path) >= 2 && e.Path[0] == ast.PathName("variable") {
		// As explainVariable: a single value given for a list is reported
		// at index 0 of a list the client did not write.
		name, _ := e.Path[1].(ast.PathName)
		var b strings.Builder
		b.WriteString(string(name))
		raw, sent := infoFrom(ctx).variables[string(name)]
		for _, step := range e.Path[2:] {
			switch step := step.(type) {
			case ast.PathName:
				b.WriteString("." + string(step))
				obj, _ := raw.(map[string]any)
				raw = obj[string(step)]
			case ast.PathIndex:
				list, isList := raw.([]any)
				if isList || !sent { // unknown values (a stream's) keep the index
					fmt.Fprintf(&b, "[%d]", step)
				}
				if isList && int(step) < len(list) {
					raw = list[step]
				}
			}
		}
		return b.String()
	}
	if len(e.Locations) == 0 || !graphql.HasOperationContext(ctx) {
		return ""
	}
	op := graphql.GetOperationContext(ctx)
	doc := op.Doc
	if doc == nil {
		// A document that fails validation is not kept: parse it again,
		// which only an error about a value costs.
		var err error
		if doc, err = parser.ParseQuery(&ast.Source{Input: op.RawQuery}); err != nil {
			return ""
		}
	}
	return newWalker(doc).literalAt(e.Locations[0].Line, e.Locations[0].Column)
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

// errorCode returns the extensions.code of e, or "" if it has none.
func errorCode(e *gqlerror.Error) string {
	if e == nil {
		return ""
	}
	c, _ := e.Extensions["code"].(string)
	return c
}
