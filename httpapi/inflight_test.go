package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graph/model"
)

// blockingGateway serves a schema whose Query.node signals entered, then
// holds its request until release is closed or sent to.
func blockingGateway(t *testing.T, rl RateLimit) (g *Gateway, entered chan struct{}, release chan struct{}) {
	t.Helper()
	entered, release = make(chan struct{}), make(chan struct{})
	h, _ := misbehavingGateway(t, Options{RateLimit: rl}, func(ctx context.Context, _ *graph.Resolver) (model.Node, error) {
		entered <- struct{}{}
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil, nil
	})
	t.Cleanup(func() { close(release) })
	return h.(*Gateway), entered, release
}

// postFrom sends query as the client at addr and returns the status, the
// first error's code and Retry-After.
func postFrom(h http.Handler, addr, query string) (status int, code, retry string) {
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":`+strconvQuote(query)+`}`))
	req.RemoteAddr = addr
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", mediaGraphQLResponse)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	code = ""
	if i := strings.Index(rec.Body.String(), `"code":"`); i >= 0 {
		code, _, _ = strings.Cut(rec.Body.String()[i+len(`"code":"`):], `"`)
	}
	return rec.Code, code, rec.Header().Get("Retry-After")
}

const (
	blocks = `{ node(id: "x") { id } }`
	alice  = "192.0.2.1:1000"
	bob    = "192.0.2.2:1000"
)

// hold starts n blocking requests from addr and returns once all run;
// done receives each one's status when it ends.
func hold(t *testing.T, g *Gateway, entered chan struct{}, addr string, n int) (done chan int) {
	t.Helper()
	done = make(chan int, n)
	for range n {
		go func() {
			status, _, _ := postFrom(g, addr, blocks)
			done <- status
		}()
		<-entered
	}
	return done
}

func TestInFlightCap(t *testing.T) {
	t.Run("ErrWaitedTooLong", func(t *testing.T) {
		g, entered, release := blockingGateway(t, RateLimit{MaxInFlight: 2, InFlightWait: time.Millisecond})
		done := hold(t, g, entered, alice, 2)

		status, code, retry := postFrom(g, alice, `{ __typename }`)
		if status != http.StatusTooManyRequests || code != CodeRateLimited || retry != "1" {
			t.Errorf("third request: status %d, code %q, Retry-After %q; want 429, RATE_LIMITED, 1", status, code, retry)
		}
		if status, code, _ := postFrom(g, bob, `{ __typename }`); status != http.StatusOK || code != "" {
			t.Errorf("another client: status %d, code %q; want 200", status, code)
		}
		release <- struct{}{}
		release <- struct{}{}
		for range 2 {
			if s := <-done; s != http.StatusOK {
				t.Errorf("a held request ended with %d", s)
			}
		}
		if status, _, _ := postFrom(g, alice, `{ __typename }`); status != http.StatusOK {
			t.Errorf("after the others ended: status %d, want 200", status)
		}
		if n := g.inFlight.users("ip:192.0.2.1"); n != 0 {
			t.Errorf("%d requests still counted once all ended", n)
		}
	})

	t.Run("ReleaseLetsTheNextIn", func(t *testing.T) {
		g, entered, release := blockingGateway(t, RateLimit{MaxInFlight: 1, InFlightWait: time.Hour})
		first := hold(t, g, entered, alice, 1)
		second := make(chan int, 1)
		go func() {
			status, _, _ := postFrom(g, alice, blocks)
			second <- status
		}()
		for g.inFlight.users("ip:192.0.2.1") < 2 {
			runtime.Gosched() // until the second request waits
		}
		select {
		case <-entered:
			t.Fatal("a second request ran beside the first with a cap of 1")
		default:
		}
		release <- struct{}{}
		if s := <-first; s != http.StatusOK {
			t.Errorf("first request: %d", s)
		}
		<-entered // the waiting request runs once the first has ended
		release <- struct{}{}
		if s := <-second; s != http.StatusOK {
			t.Errorf("second request: %d, want 200 after waiting", s)
		}
	})

	t.Run("ErrQueueFull", func(t *testing.T) {
		// At most waitingPerSlot requests per slot wait; the next is
		// refused at once, however long the wait.
		g, entered, release := blockingGateway(t, RateLimit{MaxInFlight: 1, InFlightWait: time.Hour})
		done := hold(t, g, entered, alice, 1)
		waiting := make(chan int, waitingPerSlot)
		for range waitingPerSlot {
			go func() {
				status, _, _ := postFrom(g, alice, `{ __typename }`)
				waiting <- status
			}()
		}
		for g.inFlight.users("ip:192.0.2.1") < 1+waitingPerSlot {
			runtime.Gosched()
		}
		if status, code, _ := postFrom(g, alice, `{ __typename }`); status != http.StatusTooManyRequests || code != CodeRateLimited {
			t.Errorf("request beyond the queue: status %d, code %q; want 429 RATE_LIMITED", status, code)
		}
		release <- struct{}{}
		<-done
		for range waitingPerSlot {
			if s := <-waiting; s != http.StatusOK {
				t.Errorf("a waiting request ended with %d, want 200", s)
			}
		}
	})

	t.Run("CanceledWhileWaiting", func(t *testing.T) {
		f := newInFlight(1, time.Hour)
		info := &requestInfo{client: "ip:192.0.2.1"}
		release, err := f.acquire(t.Context(), info)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := f.acquire(ctx, info); errorCode(err) != CodeCanceled {
			t.Errorf("a canceled wait returned %v, want CANCELED", err)
		}
		release()
		if n := f.users(info.client); n != 0 {
			t.Errorf("%d requests counted after all ended, want 0", n)
		}
	})
}
