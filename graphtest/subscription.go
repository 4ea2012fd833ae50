package graphtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// StreamWait bounds how long Subscription.Next waits for a message, so that
// a test whose event never comes fails instead of hanging.
var StreamWait = 10 * time.Second

// Message is one message of a subscription: an event ("next", with Data
// and perhaps Errors), an "error", "complete", or "closed" when the
// connection ended (with the WebSocket close code and reason, if any).
type Message struct {
	Type        string
	Data        json.RawMessage
	Errors      []Error
	CloseCode   int
	CloseReason string
}

// Subscription is a subscription running over a WebSocket
// (graphql-transport-ws) or GraphQL over SSE.
type Subscription struct {
	msgs   chan Message
	cancel context.CancelFunc
	done   chan struct{}
}

// Subscribe starts a subscription over a WebSocket speaking
// graphql-transport-ws, sending the server's token (As) in connection_init
// as graphql-ws clients do. It fails the test unless the server
// acknowledges the connection; the subscription ends with the test.
func (s *Server) Subscribe(t testing.TB, query string, vars map[string]any) *Subscription {
	t.Helper()
	sub, err := s.TrySubscribe(t, query, vars)
	if err != nil {
		t.Fatalf("graphtest: subscribe: %v", err)
	}
	return sub
}

// TrySubscribe is Subscribe that returns the message that refused the
// connection (its close reason) as an error instead of failing the test.
func (s *Server) TrySubscribe(t testing.TB, query string, vars map[string]any) (_ *Subscription, err error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	wsURL := "ws" + strings.TrimPrefix(s.URL, "http")
	conn, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		cancel()
		return nil, err
	}
	conn.SetReadLimit(64 << 20)
	defer func() {
		if err != nil {
			conn.CloseNow()
		}
	}()
	init := map[string]any{"type": "connection_init"}
	if s.token != "" {
		init["payload"] = map[string]any{"Authorization": "Bearer " + s.token}
	}
	if err := writeJSON(ctx, conn, init); err != nil {
		cancel()
		return nil, err
	}
	waitCtx, stop := context.WithTimeout(ctx, StreamWait)
	defer stop()
	for {
		var m wsMessage
		if err := readJSON(waitCtx, conn, &m); err != nil {
			cancel()
			if reason := websocket.CloseStatus(err); reason != -1 {
				var ce websocket.CloseError
				errors.As(err, &ce)
				return nil, errors.New(ce.Reason)
			}
			return nil, err
		}
		if m.Type == "connection_ack" {
			break
		}
	}
	start := map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}}
	if err := writeJSON(ctx, conn, start); err != nil {
		cancel()
		return nil, err
	}
	sub := &Subscription{msgs: make(chan Message, 1024), cancel: cancel, done: make(chan struct{})}
	t.Cleanup(sub.Close)
	go func() {
		defer close(sub.done)
		defer conn.CloseNow()
		for {
			var m wsMessage
			if err := readJSON(ctx, conn, &m); err != nil {
				closed := Message{Type: "closed", CloseCode: int(websocket.CloseStatus(err))}
				var ce websocket.CloseError
				if errors.As(err, &ce) {
					closed.CloseReason = ce.Reason
				}
				sub.put(closed)
				return
			}
			switch m.Type {
			case "ping":
				_ = writeJSON(ctx, conn, map[string]any{"type": "pong"})
			case "next":
				var p struct {
					Data   json.RawMessage
					Errors []Error
				}
				_ = json.Unmarshal(m.Payload, &p)
				sub.put(Message{Type: "next", Data: p.Data, Errors: p.Errors})
			case "error":
				var errs []Error
				_ = json.Unmarshal(m.Payload, &errs)
				sub.put(Message{Type: "error", Errors: errs})
			case "complete":
				sub.put(Message{Type: "complete"})
			}
		}
	}()
	return sub, nil
}

// SubscribeSSE starts a subscription over GraphQL over SSE (a POST with
// Accept: text/event-stream), with the server's token (As) as its bearer
// token. It fails the test unless the server answers with a stream.
func (s *Server) SubscribeSSE(t testing.TB, query string, vars map[string]any) *Subscription {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		cancel()
		t.Fatalf("graphtest: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := s.http.Client().Do(req)
	if err != nil {
		cancel()
		t.Fatalf("graphtest: subscribe over SSE: %v", err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/event-stream") {
		resp.Body.Close()
		cancel()
		t.Fatalf("graphtest: subscribe over SSE: status %d, Content-Type %q", resp.StatusCode, ct)
	}
	sub := &Subscription{msgs: make(chan Message, 1024), cancel: cancel, done: make(chan struct{})}
	t.Cleanup(sub.Close)
	go func() {
		defer close(sub.done)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		var event string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
				if event == "complete" {
					sub.put(Message{Type: "complete"})
				}
			case strings.HasPrefix(line, "data: ") && event == "next":
				var p struct {
					Data   json.RawMessage
					Errors []Error
				}
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &p)
				sub.put(Message{Type: "next", Data: p.Data, Errors: p.Errors})
			}
		}
		sub.put(Message{Type: "closed"})
	}()
	return sub
}

func (sub *Subscription) put(m Message) {
	select {
	case sub.msgs <- m:
	default: // a test that reads nothing more does not block the reader
	}
}

// NextMessage waits for the subscription's next message.
func (sub *Subscription) NextMessage(t testing.TB) Message {
	t.Helper()
	select {
	case m := <-sub.msgs:
		return m
	case <-time.After(StreamWait):
		t.Fatalf("graphtest: no subscription message within %v", StreamWait)
		return Message{}
	}
}

// Next waits for the next event and decodes its data into out, failing the
// test if the next message is anything but an event without errors.
func (sub *Subscription) Next(t testing.TB, out any) {
	t.Helper()
	m := sub.NextMessage(t)
	if m.Type != "next" || len(m.Errors) > 0 {
		t.Fatalf("graphtest: subscription sent %s (errors: %s, close %d %q), want an event", m.Type, formatErrors(m.Errors), m.CloseCode, m.CloseReason)
	}
	if err := json.Unmarshal(m.Data, out); err != nil {
		t.Fatalf("graphtest: decode event: %v", err)
	}
}

// Close ends the subscription and waits for its reader to stop.
func (sub *Subscription) Close() {
	sub.cancel()
	<-sub.done
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func writeJSON(ctx context.Context, conn *websocket.Conn, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return conn.Write(ctx, websocket.MessageText, b)
}

func readJSON(ctx context.Context, conn *websocket.Conn, v any) error {
	_, b, err := conn.Read(ctx)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
