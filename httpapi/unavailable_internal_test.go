package httpapi

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/investgraph/investgraph/db"
)

// TestErrorPresenter_Unavailable: a database server that went away while
// serving (an administrator's shutdown, SQLSTATE 57P01) is told to the
// client as UNAVAILABLE, with HTTP 503 when there is no data, and no
// detail of the server's error.
func TestErrorPresenter_Unavailable(t *testing.T) {
	present := errorPresenter(slog.New(slog.NewTextHandler(io.Discard, nil)), "10s")
	lost := &pgconn.PgError{Code: "57P01", Severity: "FATAL", Message: "terminating connection due to administrator command"}
	e := present(context.Background(), lost)
	if got, want := e.Extensions["code"], CodeUnavailable; got != want {
		t.Errorf("code %v, want %v", got, want)
	}
	if got, want := e.Message, db.UnavailableMessage; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if got, want := httpStatuses[CodeUnavailable], http.StatusServiceUnavailable; got != want {
		t.Errorf("HTTP status %d, want %d", got, want)
	}
	coded := present(context.Background(), db.Errorf(db.EUNAVAILABLE, "database server 127.0.0.1:5432 cannot be used: connection refused"))
	if got, want := coded.Extensions["code"], CodeUnavailable; got != want {
		t.Errorf("code of an EUNAVAILABLE error %v, want %v", got, want)
	}
}
