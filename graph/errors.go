package graph

import (
	"context"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/investgraph/investgraph/db"
)

// GraphQL error codes, in extensions.code. gqlgen sets the parse and
// validation codes itself.
const (
	CodeBadUserInput = "BAD_USER_INPUT"
	CodeNotFound     = "NOT_FOUND"
	CodeConflict     = "CONFLICT"
	CodeInternal     = "INTERNAL"
)

// codes maps store error codes to GraphQL error codes: the one table where
// the store's vocabulary meets the client's.
var codes = map[string]string{
	db.EINVALID:  CodeBadUserInput,
	db.ENOTFOUND: CodeNotFound,
	db.ECONFLICT: CodeConflict,
	db.EINTERNAL: CodeInternal,
}

// errorPresenter gives every error an extensions.code. Application errors
// keep their message; anything unexpected is logged in full and shown to the
// client only as "internal error", so no SQL or stack reaches it.
func errorPresenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var appErr *db.Error
		switch {
		case errors.As(err, &appErr):
			gqlErr.Message = appErr.Message
			setCode(gqlErr, codes[appErr.Code])
		case gqlErr.Extensions["code"] != nil:
			// A parse or validation error gqlgen has already classified.
		default:
			logger.ErrorContext(ctx, "request failed", "path", gqlErr.Path.String(), "err", err)
			gqlErr.Message = "internal error"
			setCode(gqlErr, CodeInternal)
		}
		return gqlErr
	}
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}
