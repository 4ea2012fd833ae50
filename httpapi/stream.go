package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
)

// streamKeepAlive is how often an open stream is pinged, so that proxies
// and clients see a quiet subscription is alive.
const streamKeepAlive = 15 * time.Second

// closeForbidden is the graphql-transport-ws close code of a connection
// refused at connection_init.
const closeForbidden = 4403

// addStreamTransports serves subscriptions (and any operation) over
// WebSocket, as graphql-transport-ws (and the older graphql-ws protocol),
// and over GraphQL over SSE, ahead of httpTransport, which claims every
// other request.
func (g *Gateway) addStreamTransports(srv *handler.Server, store *db.Store) {
	// A browser's WebSocket is accepted from the page's own host and from
	// the origins CORS allows (patterns as -cors-origins gives them).
	ws := transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{OriginPatterns: g.opts.CORSOrigins}}
	srv.AddTransport(transport.Websocket{Implementation: ws, InitFunc: g.websocketInit, KeepAlivePingInterval: streamKeepAlive})
	srv.AddTransport(transport.SSE{KeepAlivePingInterval: streamKeepAlive})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if op := graphql.GetOperationContext(ctx); op.Operation != nil && op.Operation.Operation == ast.Subscription {
			ctx = graph.WithStreamEnd(ctx)
		}
		if streaming(ctx) {
			// A stream lives long: each of its operations gets loaders of
			// its own, rather than the connection's.
			ctx = graph.WithLoaders(ctx, store)
		}
		return next(ctx)
	})
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if resp == nil {
			if err := graph.StreamEnd(ctx); err != nil {
				return &graphql.Response{Errors: gqlerror.List{err}}
			}
		}
		return resp
	})
}

// streamsOnly refuses a subscription outside a stream: over plain HTTP it
// would answer with its first event only, whenever that comes.
type streamsOnly struct{}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = streamsOnly{}

// ExtensionName names the extension for gqlgen.
func (streamsOnly) ExtensionName() string { return "StreamsOnly" }

// Validate is called once when the extension is added.
func (streamsOnly) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses a subscription sent without a stream.
func (streamsOnly) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation != nil && opCtx.Operation.Operation == ast.Subscription && !streaming(ctx) {
		return requestError(CodeBadRequest,
			"a subscription needs a stream: connect a WebSocket (graphql-transport-ws) to /graphql, or POST with Accept: text/event-stream (GraphQL over SSE)")
	}
	return nil
}

// isStream reports whether r opens a stream: a WebSocket, or GraphQL over
// SSE.
func isStream(r *http.Request) bool {
	return isWebSocketUpgrade(r) ||
		(r.Method == http.MethodPost && strings.Contains(r.Header.Get("Accept"), "text/event-stream"))
}

type streamKey struct{}

// startStream readies a stream's request: it outlives the per-request
// deadline and the server's read and write timeouts, which are for
// requests that answer once.
func startStream(w http.ResponseWriter, r *http.Request) *http.Request {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	return r.WithContext(context.WithValue(r.Context(), streamKey{}, true))
}

func streaming(ctx context.Context) bool {
	s, _ := ctx.Value(streamKey{}).(bool)
	return s
}

// websocketInit authenticates a WebSocket at its connection_init message,
// from its payload's Authorization ("Bearer TOKEN", as graphql-ws clients
// send in connectionParams), unless the upgrade request carried a valid
// token already. With RequireToken, a connection without a valid token is
// closed with 4403 Forbidden.
func (g *Gateway) websocketInit(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	if graph.TokenFrom(ctx) != nil {
		return ctx, nil, nil
	}
	if auth := strings.TrimSpace(p.Authorization()); auth != "" {
		if len(auth) > 7 && strings.EqualFold(auth[:7], "bearer ") {
			auth = strings.TrimSpace(auth[7:])
		}
		t, err := g.store.Authenticate(ctx, auth)
		switch {
		case err == nil:
			return graph.WithToken(ctx, t), nil, nil
		case !errors.Is(err, db.ErrBadToken):
			g.logger.ErrorContext(ctx, "authenticate", "err", err)
			return transport.AppendCloseReason(transport.WithWebsocketCloseCode(ctx, 1011), "internal error"), nil, errors.New("internal error")
		}
	}
	if g.opts.RequireToken {
		return transport.AppendCloseReason(transport.WithWebsocketCloseCode(ctx, closeForbidden), "Forbidden"), nil,
			errors.New(unauthenticated().Message)
	}
	return ctx, nil, nil
}
