package httpapi

import (
	"context"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// DefaultInFlightWait is how long a request over RateLimit.MaxInFlight waits
// for one of its client's requests to finish: about what a slow dashboard
// query takes, and short enough that a client which keeps sending more than
// its share learns quickly.
const DefaultInFlightWait = time.Second

// inFlight caps the requests each client has running at once. The rate
// limiter bounds a client's work over time, but a client that has saved
// its budget spends it all at once; the cap keeps that to MaxInFlight
// requests at a time, so other clients' requests still find the CPU. A
// request over the cap waits in line (first come, first served) for a
// while, then is refused; at most waitingPerSlot requests per slot wait at
// once, and those beyond them are refused at once, so waiting holds little.
type inFlight struct {
	max  int
	wait time.Duration

	mu      sync.Mutex
	clients map[string]*clientSlots
}

// clientSlots are one client's running requests.
type clientSlots struct {
	sem   chan struct{} // a token for each running request
	users int           // requests running or waiting, under inFlight.mu
}

// waitingPerSlot is how many requests per slot may wait at once: enough for
// a dashboard or a test suite that sends dozens of queries together (with
// the default cap of 4, 256 wait, as many as -max-conns-per-ip lets one
// address open over HTTP/1.1), while bounding what one client holds.
const waitingPerSlot = 64

func newInFlight(max int, wait time.Duration) *inFlight {
	if wait <= 0 {
		wait = DefaultInFlightWait
	}
	return &inFlight{max: max, wait: wait, clients: map[string]*clientSlots{}}
}

// acquire returns once the client may run a request, with the function that
// ends it; or, when the client keeps more than its share busy past the wait,
// a RATE_LIMITED error (and info's Retry-After), or the error of ctx ending
// while it waited.
func (f *inFlight) acquire(ctx context.Context, info *requestInfo) (release func(), err *gqlerror.Error) {
	f.mu.Lock()
	c := f.clients[info.client]
	if c == nil {
		c = &clientSlots{sem: make(chan struct{}, f.max)}
		f.clients[info.client] = c
	}
	full := c.users >= (1+waitingPerSlot)*f.max
	if !full {
		c.users++
	}
	f.mu.Unlock()
	if full {
		return nil, f.refuse(info)
	}

	select {
	case c.sem <- struct{}{}:
	default:
		t := time.NewTimer(f.wait)
		defer t.Stop()
		select {
		case c.sem <- struct{}{}:
		case <-t.C:
			f.leave(info.client, c)
			return nil, f.refuse(info)
		case <-ctx.Done():
			f.leave(info.client, c)
			return nil, contextError(ctx)
		}
	}
	return func() {
		<-c.sem
		f.leave(info.client, c)
	}, nil
}

// leave forgets a request that has ended or given up waiting, and the
// client once it has none.
func (f *inFlight) leave(client string, c *clientSlots) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.users--; c.users == 0 {
		delete(f.clients, client)
	}
}

// running returns how many of client's requests are running.
func (f *inFlight) running(client string) int {
	if f == nil {
		return 1
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.clients[client]; c != nil {
		return len(c.sem)
	}
	return 0
}

// users returns how many of client's requests are running or waiting.
func (f *inFlight) users(client string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.clients[client]; c != nil {
		return c.users
	}
	return 0
}

// refuse is the error of a request over the cap.
func (f *inFlight) refuse(info *requestInfo) *gqlerror.Error {
	info.rateLimited, info.retryAfter = true, f.wait
	return requestError(CodeRateLimited,
		"too many requests in flight: at most %d of yours run at once, and the next ones wait at most %s for a turn; "+
			"wait for your other requests to finish before sending more", f.max, f.wait)
}
