package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
)

// Authentication error codes: no valid token where one is needed (401),
// and a token whose role does not allow the operation (403).
const (
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
)

// bearerToken returns the token of an "Authorization: Bearer TOKEN" header.
func bearerToken(r *http.Request) (string, bool) {
	auth := r.Header.Get("Authorization")
	if len(auth) > 7 && strings.EqualFold(auth[:7], "bearer ") {
		return strings.TrimSpace(auth[7:]), true
	}
	return "", false
}

// authenticate checks the request's bearer token against the store's
// tokens. A valid token goes in the context (graph.TokenFrom), where the
// operations that need a role look for it, and with RateLimit.ByToken it
// keys the client's budget by the token's name. Any other token is ignored
// for reads (the operations that need one answer UNAUTHENTICATED) unless
// RequireToken closes reads too: then the request gets 401 here. A
// WebSocket upgrade may authenticate in its connection_init message
// instead (see websocketInit).
func (g *Gateway) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		info := infoFrom(ctx)
		var tok *db.Token
		if secret, ok := bearerToken(r); ok {
			t, err := g.store.Authenticate(ctx, secret)
			switch {
			case err == nil:
				tok = t
				if g.opts.RateLimit.ByToken {
					info.client = "token:" + t.Name
				}
			case !errors.Is(err, db.ErrBadToken):
				g.logger.ErrorContext(ctx, "authenticate", "request_id", info.id, "err", err)
				writeAuthError(w, r, info, http.StatusInternalServerError, requestError(CodeInternal, "internal error"))
				return
			}
		}
		if tok == nil && g.opts.RequireToken && !isWebSocketUpgrade(r) {
			writeAuthError(w, r, info, http.StatusUnauthorized, unauthenticated())
			return
		}
		next.ServeHTTP(w, r.WithContext(graph.WithToken(ctx, tok)))
	})
}

// unauthenticated is the error of a request without a valid token where
// one is needed. It says nothing of whether the token sent ever existed.
func unauthenticated() *gqlerror.Error {
	return requestError(CodeUnauthenticated,
		"this server needs a valid bearer token: send Authorization: Bearer TOKEN (investgraph token create makes one)")
}

// writeAuthError answers a request refused before it ran.
func writeAuthError(w http.ResponseWriter, r *http.Request, info *requestInfo, status int, err *gqlerror.Error) {
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		media = mediaJSON
	}
	body, _ := json.Marshal(wireResponse{Errors: gqlerror.List{err}})
	info.status, info.outcome = status, errorCode(err)
	h := w.Header()
	if status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="investgraph"`)
	}
	h.Set("Content-Type", media+"; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// isWebSocketUpgrade reports whether r asks to become a WebSocket.
func isWebSocketUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// authFailure returns the error of a response that carries no data because
// its operation needed a token or a role it did not have, so that it gets
// 401 or 403 rather than 200.
func authFailure(resp *graphql.Response) *gqlerror.Error {
	if len(resp.Errors) == 0 || (len(resp.Data) > 0 && string(resp.Data) != "null") {
		return nil
	}
	switch errorCode(resp.Errors[0]) {
	case CodeUnauthenticated, CodeForbidden:
		return resp.Errors[0]
	}
	return nil
}
