package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"

	"github.com/investgraph/investgraph/db"
)

// recoverPanic turns a panic in a resolver into an internal error for that
// request alone, logging it with its stack.
func recoverPanic(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in resolver", "request_id", requestID(ctx),
			"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return db.Errorf(db.EINTERNAL, "internal error")
	}
}

// recoverHTTP turns a panic anywhere else in the handler into a 500 with a
// GraphQL error, logged with its stack, instead of a dropped connection.
// http.ErrAbortHandler is passed on: it is how a handler asks net/http to
// abort the response.
func recoverHTTP(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			logger.ErrorContext(r.Context(), "panic in handler", "request_id", requestID(r.Context()),
				"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			info := infoFrom(r.Context())
			info.status, info.outcome = http.StatusInternalServerError, CodeInternal
			writeStatus(w, http.StatusInternalServerError,
				`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
		}()
		next.ServeHTTP(w, r)
	})
}
