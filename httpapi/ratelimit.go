package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/time/rate"
)

// RateLimit configures rate limiting by query cost: every client has a
// budget of points that refills over time, and each request spends its cost
// (at least 1) before it runs, then the objects it resolved beyond that once
// it is done. It also caps the requests one client has in flight. The zero
// value turns both off.
type RateLimit struct {
	// PerSecond is how many points a budget regains each second; 0 turns
	// rate limiting off.
	PerSecond float64
	// Burst is the most points a budget holds, and so the most a client can
	// spend at once; it is raised to the cost limit when lower, so that every
	// query the cost limit accepts can eventually run.
	Burst int
	// ByToken gives each bearer token (Authorization: Bearer ...) its own
	// budget: a token of this server's (investgraph token create) by its
	// name, any other by its hash. Other tokens are not verified, so
	// without Options.RequireToken a client could mint them to escape its
	// budget: turn this on only with RequireToken or behind a gateway that
	// authenticates them. Requests without a token are keyed by address.
	ByToken bool
	// ClientIPHeader names a header a trusted reverse proxy sets to the
	// client's address (X-Forwarded-For, whose last entry is used, or
	// X-Real-IP). Empty means the connection's own address.
	ClientIPHeader string
	// MaxInFlight bounds the requests one client (keyed as for the budget)
	// has running at once; 0 turns the cap off. A request over it waits up
	// to InFlightWait for another of the client's requests to finish, then
	// gets RATE_LIMITED.
	MaxInFlight int
	// InFlightWait is how long a request over MaxInFlight waits;
	// DefaultInFlightWait when 0.
	InFlightWait time.Duration
}

// sweepEvery is how often budgets that have refilled completely are
// forgotten: a full budget is the same as a new one.
const sweepEvery = time.Minute

// rateLimiter holds one token bucket per client.
type rateLimiter struct {
	cfg RateLimit
	now func() time.Time

	mu        sync.Mutex
	budgets   map[string]*budget
	lastSweep time.Time
}

// budget is one client's token bucket.
type budget struct {
	lim *rate.Limiter
}

func newRateLimiter(cfg RateLimit) *rateLimiter {
	return &rateLimiter{cfg: cfg, now: time.Now, budgets: map[string]*budget{}}
}

// budgetFor returns the client's budget, creating a full one if needed.
func (l *rateLimiter) budgetFor(client string) *budget {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= sweepEvery {
		for k, b := range l.budgets {
			if b.lim.TokensAt(now) >= float64(l.cfg.Burst) {
				delete(l.budgets, k)
			}
		}
		l.lastSweep = now
	}
	b, ok := l.budgets[client]
	if !ok {
		b = &budget{lim: rate.NewLimiter(rate.Limit(l.cfg.PerSecond), l.cfg.Burst)}
		l.budgets[client] = b
	}
	return b
}

// charge spends n points of the request's budget, or returns a
// RATE_LIMITED error saying when enough points will be back.
func (l *rateLimiter) charge(info *requestInfo, n int) *gqlerror.Error {
	if n <= 0 || info.budget == nil {
		return nil
	}
	now := l.now()
	res := info.budget.lim.ReserveN(now, n)
	wait := time.Duration(float64(n) / l.cfg.PerSecond * float64(time.Second))
	if res.OK() {
		if wait = res.DelayFrom(now); wait == 0 {
			info.charged += n
			return nil
		}
		res.CancelAt(now)
	}
	info.rateLimited, info.retryAfter = true, wait
	return requestError(CodeRateLimited,
		"rate limit exceeded: this request costs %d points and your budget refills at %g points per second; retry in %s",
		n, l.cfg.PerSecond, wait.Round(time.Second))
}

// settle charges a request that has run for the work it did beyond what it
// paid up front: resolved is the objects it resolved (graph.ObjectsResolved),
// a point each, as in the cost model. The estimate prices lists by what most
// parents hold, so a query that meets hubs resolves more than it paid for;
// the difference is taken even when the budget is short, leaving it in
// debt (by at most one burst), and the client's next requests are refused
// until it has refilled. A request that resolved less than its estimate is
// not refunded: the estimate also prices the rows aggregates read, which
// objects do not count. Only the first call for a request charges.
func (l *rateLimiter) settle(info *requestInfo, resolved int64) {
	if info.budget == nil || info.settled {
		return
	}
	info.settled = true
	extra := resolved - int64(info.charged)
	if extra <= 0 {
		return
	}
	n := int(min(extra, int64(l.cfg.Burst)))
	// Never canceled: a reservation of at most the burst always succeeds,
	// and the time it would have to wait is the debt.
	info.budget.lim.ReserveN(l.now(), n)
	info.charged += n
}

// objectAllowance returns the most objects the request may resolve with
// what its client's budget holds once its estimate is paid, a point an
// object: its share (one of running, the client's requests in flight) of
// what it has paid and what remains. ok is false when that is more than
// limit, the object limit (off when not positive), or rate limiting is off
// (l is nil): then the object limit is the bound. Bounding each request so
// stops a client whose queries resolve far more than their estimate at its
// budget, rather than one request later, and stops its concurrent requests
// from each spending the whole budget at once.
func (l *rateLimiter) objectAllowance(info *requestInfo, limit, running int) (n int64, ok bool) {
	if l == nil || info.budget == nil {
		return 0, false
	}
	n = (int64(info.charged) + int64(l.remaining(info))) / int64(max(running, 1))
	if limit > 0 && n >= int64(limit) {
		return 0, false
	}
	return n, true
}

// allowanceSpent is the error of a request stopped by its allowance, once
// it has been settled: RATE_LIMITED, to retry once the budget again holds
// the objects the request went for (at most a burst).
func (l *rateLimiter) allowanceSpent(info *requestInfo, allowance, resolved int64) *gqlerror.Error {
	need := float64(min(resolved, int64(l.cfg.Burst)))
	short := need - info.budget.lim.TokensAt(l.now())
	wait := time.Duration(max(short, 1) / l.cfg.PerSecond * float64(time.Second))
	info.rateLimited, info.retryAfter = true, wait
	e := requestError(CodeRateLimited,
		"rate limit exceeded: the query resolves more than the %d objects your budget held for it (a point each, "+
			"shared among your requests in flight); it refills at %g points per second: retry in %s or ask for fewer objects",
		allowance, l.cfg.PerSecond, wait.Round(time.Second))
	e.Extensions["objects"] = resolved
	return e
}

// remaining returns the points left in the request's budget, 0 when it is
// in debt.
func (l *rateLimiter) remaining(info *requestInfo) int {
	if info.budget == nil {
		return 0
	}
	return max(int(info.budget.lim.TokensAt(l.now())), 0)
}

// clientKey names the client a request comes from: its bearer token (only
// when byToken, and then hashed so no token is kept or logged) or its
// address. IPv6 addresses are keyed by their /64, which one host usually
// owns whole.
func clientKey(r *http.Request, byToken bool, ipHeader string) string {
	if byToken {
		if auth := r.Header.Get("Authorization"); len(auth) > 7 && strings.EqualFold(auth[:7], "bearer ") {
			sum := sha256.Sum256([]byte(strings.TrimSpace(auth[7:])))
			return "token:" + hex.EncodeToString(sum[:8])
		}
	}
	addr := clientAddr(r, ipHeader)
	if addr.Is6() && !addr.Is4In6() {
		p, _ := addr.Prefix(64)
		return "ip:" + p.String()
	}
	if addr.IsValid() {
		return "ip:" + addr.Unmap().String()
	}
	return "ip:unknown"
}

// clientAddr is the client's address: from ipHeader when a trusted proxy
// sets it, else the connection's.
func clientAddr(r *http.Request, ipHeader string) netip.Addr {
	if ipHeader != "" {
		if v := r.Header.Values(ipHeader); len(v) > 0 {
			last := v[len(v)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if a, err := netip.ParseAddr(strings.TrimSpace(last)); err == nil {
				return a
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a
}
