package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

const revisionsSubscription = `subscription($after: ID) { revisions(after: $after) { ` + graphtest.RevisionFields + ` } }`

// smallChangeset is the n-th of a series of changesets that each bring a
// source citing Kazakhstan.
func smallChangeset(n int) graphtest.Changeset {
	return graphtest.Changeset{Message: fmt.Sprintf("example %d", n), YAML: fmt.Sprintf(`source:
  slug: "example-%d"
  title: "Example source %d"
  publishedOn: "2026-12-01"
  paragraphs: 1
companies:
  - slug: kazakhstan
    cite: [1]
`, n, n)}
}

type revisionEvent struct{ Revisions graphtest.Revision }

func TestSubscribeRevisions(t *testing.T) {
	for _, transport := range []string{"WebSocket", "SSE"} {
		t.Run(transport, func(t *testing.T) {
			srv := quietServer(t, httpapi.Options{})
			editor := srv.Editor(t, "alice")
			subscribe := func(vars map[string]any) *graphtest.Subscription {
				if transport == "SSE" {
					return srv.SubscribeSSE(t, revisionsSubscription, vars)
				}
				return srv.Subscribe(t, revisionsSubscription, vars)
			}
			// Subscribing after the first revision, the stream holds what
			// follows it whenever the server starts the subscription.
			zeroth, _ := editor.ApplyChangeset(t, smallChangeset(0))
			sub := subscribe(map[string]any{"after": zeroth.ID})
			first, _ := editor.ApplyChangeset(t, smallChangeset(1))
			var ev revisionEvent
			sub.Next(t, &ev)
			if ev.Revisions.ID != first.ID || ev.Revisions.Author != "alice" || len(ev.Revisions.Touched) != 2 ||
				ev.Revisions.Touched[0].Typename != "Source" || ev.Revisions.Touched[1].ID != first.Touched[1].ID {
				t.Errorf("event = %+v, want revision %+v", ev.Revisions, first)
			}
			second, _ := editor.ApplyChangeset(t, smallChangeset(2))
			sub.Next(t, &ev)
			if ev.Revisions.ID != second.ID {
				t.Errorf("second event = %+v", ev.Revisions)
			}
			sub.Close()

			t.Run("ReconnectWithAfter", func(t *testing.T) {
				third, _ := editor.ApplyChangeset(t, smallChangeset(3))
				fourth, _ := editor.ApplyChangeset(t, smallChangeset(4))
				again := subscribe(map[string]any{"after": second.ID})
				for _, want := range []graphtest.Revision{third, fourth} {
					again.Next(t, &ev)
					if ev.Revisions.ID != want.ID || ev.Revisions.Message != want.Message {
						t.Errorf("event = %+v, want %+v", ev.Revisions, want)
					}
				}
				fifth, _ := editor.ApplyChangeset(t, smallChangeset(5))
				again.Next(t, &ev)
				if ev.Revisions.ID != fifth.ID {
					t.Errorf("live event after catching up = %+v", ev.Revisions)
				}
			})
			t.Run("ErrBadAfter", func(t *testing.T) {
				m := subscribe(map[string]any{"after": "nope"}).NextMessage(t)
				if (m.Type != "next" && m.Type != "error") || len(m.Errors) == 0 || m.Errors[0].Code() != httpapi.CodeBadUserInput {
					t.Errorf("message = %+v", m)
				}
			})
		})
	}
}

func TestSubscribeRequireToken(t *testing.T) {
	srv := quietServer(t, httpapi.Options{RequireToken: true})
	reader := srv.NewToken(t, "reader", db.RoleReader)
	editor := srv.Editor(t, "alice")

	t.Run("WebSocketWithoutToken", func(t *testing.T) {
		_, err := srv.TrySubscribe(t, revisionsSubscription, nil)
		if err == nil || !strings.Contains(err.Error(), "Forbidden") {
			t.Errorf("err = %v, want the connection refused as Forbidden", err)
		}
	})
	t.Run("WebSocketWithUnknownToken", func(t *testing.T) {
		_, err := srv.As("igt_"+strings.Repeat("z", 43)).TrySubscribe(t, revisionsSubscription, nil)
		if err == nil || !strings.Contains(err.Error(), "Forbidden") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("SSEWithoutToken", func(t *testing.T) {
		req := request(t, srv, http.MethodPost, mediaJSON, "text/event-stream", `{"query":"subscription { revisions { id } }"}`)
		resp := srv.Send(t, req)
		if resp.Status != http.StatusUnauthorized || len(resp.Errors) == 0 || resp.Errors[0].Code() != httpapi.CodeUnauthenticated {
			t.Errorf("status %d: %s", resp.Status, resp.Raw)
		}
	})
	for i, transport := range []string{"WebSocket", "SSE"} {
		t.Run(transport+"WithToken", func(t *testing.T) {
			as := srv.As(reader)
			before, _ := editor.ApplyChangeset(t, smallChangeset(10*i))
			vars := map[string]any{"after": before.ID}
			var sub *graphtest.Subscription
			if transport == "SSE" {
				sub = as.SubscribeSSE(t, revisionsSubscription, vars)
			} else {
				sub = as.Subscribe(t, revisionsSubscription, vars)
			}
			rev, _ := editor.ApplyChangeset(t, smallChangeset(10*i+1))
			var ev revisionEvent
			sub.Next(t, &ev)
			if ev.Revisions.ID != rev.ID {
				t.Errorf("event = %+v", ev.Revisions)
			}
		})
	}
}

// TestWebSocketOrigins accepts a browser's WebSocket from an origin CORS
// allows, and refuses one from any other.
func TestWebSocketOrigins(t *testing.T) {
	srv := quietServer(t, httpapi.Options{CORSOrigins: []string{"https://dash.example.org", "https://*.example.com"}})
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http")
	for origin, ok := range map[string]bool{
		"https://dash.example.org": true, "https://a.example.com": true,
		"https://evil.example.net": false, "http://dash.example.org": false,
	} {
		conn, resp, err := websocket.Dial(t.Context(), wsURL, &websocket.DialOptions{
			Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: http.Header{"Origin": {origin}},
		})
		if conn != nil {
			conn.CloseNow()
		}
		if ok && err != nil {
			t.Errorf("origin %s: %v", origin, err)
		}
		if !ok && (err == nil || resp == nil || resp.StatusCode != http.StatusForbidden) {
			t.Errorf("origin %s: accepted, want 403", origin)
		}
	}
}
