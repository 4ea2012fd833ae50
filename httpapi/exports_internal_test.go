package httpapi

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestExportInFlight holds an export to its client's -max-in-flight cap: with
// the client's one slot taken, its export waits, then gets 429 and a
// Retry-After; another client's export runs.
func TestExportInFlight(t *testing.T) {
	g, err := New(testStore(t), Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		RateLimit: RateLimit{MaxInFlight: 1, InFlightWait: 20 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	release, gqlErr := g.inFlight.acquire(context.Background(), &requestInfo{client: "ip:192.0.2.1"})
	if gqlErr != nil {
		t.Fatal(gqlErr)
	}
	defer release()
	get := func(addr string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/export/projects.csv", nil)
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, req)
		return rec
	}
	busy := get("192.0.2.1:4000")
	if busy.Code != http.StatusTooManyRequests || busy.Header().Get("Retry-After") == "" ||
		!strings.Contains(busy.Body.String(), `"code":"RATE_LIMITED"`) {
		t.Errorf("the busy client's export: %d %v %s", busy.Code, busy.Header(), busy.Body)
	}
	if other := get("192.0.2.2:4000"); other.Code != http.StatusOK || !strings.HasPrefix(other.Body.String(), "id,slug,") {
		t.Errorf("another client's export: %d %.100s", other.Code, other.Body)
	}
}
