package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
)

// outcomeCORSRefused is the outcome of a request from an origin the API
// does not allow.
const outcomeCORSRefused = "cors_refused"

// observe wraps the GraphQL endpoint: it gives each request an id (echoed in
// X-Request-Id), a client key, a statement counter and its deadline, and
// when the request is done writes its one log line and its metrics.
func (g *Gateway) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{
			id:     newRequestID(r),
			client: clientKey(r, g.opts.RateLimit.ByToken, g.opts.RateLimit.ClientIPHeader),
			method: r.Method,
			status: http.StatusOK,
		}
		w.Header().Set("X-Request-Id", info.id)
		ctx := withRequestInfo(db.WithStatementCounter(r.Context()), info)
		if g.opts.Limits.Timeout > 0 && !isStream(r) {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, g.opts.Limits.Timeout)
			defer cancel()
		}
		g.metrics.inFlight.Inc()
		defer g.metrics.inFlight.Dec()

		next.ServeHTTP(w, r.WithContext(ctx))

		// The browser hides the response of a cross-origin request the API
		// does not allow from its page, whatever the server answered.
		refused := refusedOrigin(r.Context())
		if refused != nil {
			info.outcome = outcomeCORSRefused
		}
		elapsed, statements := time.Since(start), db.StatementCount(ctx)
		g.metrics.observe(info, elapsed, statements)
		attrs := []slog.Attr{
			slog.String("request_id", info.id),
			slog.String("method", r.Method),
			slog.String("client", info.client),
			slog.String("operation", info.operation),
			slog.Int("status", info.status),
			slog.String("outcome", info.outcome),
			slog.Duration("duration", elapsed),
			slog.Int64("sql", statements),
		}
		if info.costKnown {
			attrs = append(attrs, slog.Int("cost", info.cost), slog.Int64("actual_cost", info.actualCost))
		}
		if refused != nil {
			attrs = append(attrs, slog.String("origin", loggedOrigin(refused.origin)), slog.String("hint", g.corsHint(refused.origin)))
		}
		level := slog.LevelInfo
		if info.status >= http.StatusInternalServerError && info.status != http.StatusGatewayTimeout {
			level = slog.LevelError
		}
		g.logger.LogAttrs(r.Context(), level, "graphql request", attrs...)
	})
}

// reportExtensions adds to every response's extensions the number of SQL
// statements the request ran (so clients and tests can see N+1 problems),
// its estimated cost once computed and the objects it resolved, and the
// client's rate-limit budget once the request has been charged for them.
func reportExtensions(limiter *rateLimiter) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if resp == nil {
			return nil
		}
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		info := infoFrom(ctx)
		info.prefetched, info.onDemand = graph.Batches(ctx)
		resp.Extensions["sqlStatements"] = db.StatementCount(ctx)
		if info.costKnown {
			// The estimate, and what the request resolved: an operation
			// that did not run resolved nothing.
			info.actualCost = graph.ObjectsResolved(ctx)
			resp.Extensions["cost"] = info.cost
			resp.Extensions["actualCost"] = info.actualCost
		}
		if limiter != nil && info.budget != nil {
			limiter.settle(info, info.actualCost)
			resp.Extensions["rateLimit"] = map[string]any{
				"limit":           limiter.cfg.Burst,
				"remaining":       limiter.remaining(info),
				"refillPerSecond": limiter.cfg.PerSecond,
			}
		}
		return resp
	}
}
