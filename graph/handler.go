package graph

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/loader"
)

// Options configures the HTTP handler. The zero value is usable.
type Options struct {
	// Logger receives internal errors and recovered panics; slog.Default()
	// when nil.
	Logger *slog.Logger
	// LoaderWait is how long loaders collect keys; loader.DefaultWait when 0.
	LoaderWait time.Duration
}

// NewHandler returns the gateway's HTTP handler: GraphiQL at / and the
// GraphQL API at /graphql.
func NewHandler(store *db.Store, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.LoaderWait == 0 {
		opts.LoaderWait = loader.DefaultWait
	}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{Store: store}}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.SetErrorPresenter(errorPresenter(opts.Logger))
	srv.SetRecoverFunc(recoverPanic(opts.Logger))
	srv.AroundResponses(reportStatements)

	mux := http.NewServeMux()
	mux.Handle("GET /{$}", playground.Handler("investgraph", "/graphql"))
	mux.Handle("/graphql", countStatements(loader.Middleware(store, opts.LoaderWait, srv)))
	return mux
}

// countStatements gives each request a statement counter.
func countStatements(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(db.WithStatementCounter(r.Context())))
	})
}

// reportStatements adds the number of SQL statements the request ran to the
// response's extensions, so clients and tests can see N+1 problems.
func reportStatements(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["sqlStatements"] = db.StatementCount(ctx)
	return resp
}

// recoverPanic turns a panic in a resolver into an internal error for that
// request alone, logging it with its stack.
func recoverPanic(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return db.Errorf(db.EINTERNAL, "internal error")
	}
}
