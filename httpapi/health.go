package httpapi

import (
	"context"
	"net/http"
	"time"
)

// readyTimeout bounds the database check of /readyz.
const readyTimeout = 2 * time.Second

// healthz answers that the process is alive: it serves HTTP.
func healthz(w http.ResponseWriter, _ *http.Request) {
	writeStatus(w, http.StatusOK, `{"status":"ok"}`)
}

// readyz answers whether the gateway can serve queries: its database
// answers a query.
func (g *Gateway) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := g.store.Ping(ctx); err != nil {
		g.logger.WarnContext(ctx, "not ready: database unreachable", "err", err)
		writeStatus(w, http.StatusServiceUnavailable, `{"status":"unavailable","reason":"database unreachable"}`)
		return
	}
	writeStatus(w, http.StatusOK, `{"status":"ok"}`)
}

func writeStatus(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body + "\n"))
}
