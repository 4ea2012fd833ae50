package httpapi

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestBudgetRefills(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newRateLimiter(RateLimit{PerSecond: 10, Burst: 100})
	l.now = func() time.Time { return now }
	info := &requestInfo{budget: l.budgetFor("ip:192.0.2.1")}

	if err := l.charge(info, 100); err != nil {
		t.Fatalf("a full budget refused its burst: %v", err)
	}
	err := l.charge(info, 20)
	if errorCode(err) != CodeRateLimited {
		t.Fatalf("an empty budget accepted 20 points: %v", err)
	}
	if info.retryAfter != 2*time.Second {
		t.Errorf("retry after %s, want 2s for 20 points at 10/s", info.retryAfter)
	}
	now = now.Add(2 * time.Second)
	if err := l.charge(info, 20); err != nil {
		t.Errorf("after 2 s the budget had not refilled 20 points: %v", err)
	}
	if got := l.remaining(info); got != 0 {
		t.Errorf("remaining = %d, want 0", got)
	}
	now = now.Add(time.Hour)
	if got := l.remaining(info); got != 100 {
		t.Errorf("remaining after an hour = %d, want the burst of 100", got)
	}
}

func TestBudgetsForgottenWhenFull(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newRateLimiter(RateLimit{PerSecond: 10, Burst: 100})
	l.now = func() time.Time { return now }
	for _, c := range []string{"ip:192.0.2.1", "ip:192.0.2.2"} {
		if err := l.charge(&requestInfo{budget: l.budgetFor(c)}, 50); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(sweepEvery)
	l.budgetFor("ip:192.0.2.3")
	if got := len(l.budgets); got != 1 {
		t.Errorf("%d budgets kept after they refilled, want only the new one", got)
	}
}

func TestClientKey(t *testing.T) {
	for _, tc := range []struct {
		name, remote, auth, header, headerValue string
		byToken                                 bool
		want                                    string
	}{
		{"IPv4", "192.0.2.7:5555", "", "", "", false, "ip:192.0.2.7"},
		{"IPv6By64", "[2001:db8:1:2:3:4:5:6]:5555", "", "", "", false, "ip:2001:db8:1:2::/64"},
		{"IPv4MappedIPv6", "[::ffff:192.0.2.7]:5555", "", "", "", false, "ip:192.0.2.7"},
		{"TokenIgnoredByDefault", "192.0.2.7:5555", "Bearer secret", "", "", false, "ip:192.0.2.7"},
		{"Token", "192.0.2.7:5555", "Bearer secret", "", "", true, "token:2bb80d537b1da3e3"},
		{"NoTokenFallsBackToAddress", "192.0.2.7:5555", "Basic abc", "", "", true, "ip:192.0.2.7"},
		{"ForwardedForLastHop", "10.0.0.1:5555", "", "X-Forwarded-For", "203.0.113.9, 198.51.100.4", false, "ip:198.51.100.4"},
		{"ForwardedForGarbage", "10.0.0.1:5555", "", "X-Forwarded-For", "nonsense", false, "ip:10.0.0.1"},
		{"HeaderIgnoredUnlessTrusted", "10.0.0.1:5555", "", "", "", false, "ip:10.0.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/graphql", nil)
			r.RemoteAddr = tc.remote
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			// A spoofable header, which only ipHeader may make trusted.
			r.Header.Set("X-Forwarded-For", "203.0.113.50")
			if tc.header != "" {
				r.Header.Set(tc.header, tc.headerValue)
			}
			if got := clientKey(r, tc.byToken, tc.header); got != tc.want {
				t.Errorf("clientKey = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSettleChargesObjectsBeyondTheEstimate(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newRateLimiter(RateLimit{PerSecond: 10, Burst: 100})
	l.now = func() time.Time { return now }
	info := &requestInfo{budget: l.budgetFor("ip:192.0.2.1")}
	if err := l.charge(info, 30); err != nil {
		t.Fatal(err)
	}
	if n, ok := l.objectAllowance(info, 1000, 1); !ok || n != 100 {
		t.Errorf("allowance = %d, %v; want the 30 points paid and the 70 left", n, ok)
	}
	if n, ok := l.objectAllowance(info, 1000, 2); !ok || n != 50 {
		t.Errorf("allowance with two requests in flight = %d, %v; want half of 100", n, ok)
	}
	if _, ok := l.objectAllowance(info, 80, 1); ok {
		t.Error("an allowance above the object limit bounds the request")
	}

	// 130 objects resolved on a 30-point estimate: 100 more are taken, 30
	// beyond what the budget held.
	l.settle(info, 130)
	l.settle(info, 130)
	if got := info.budget.lim.TokensAt(now); got != -30 {
		t.Errorf("tokens = %v, want -30 (charged once)", got)
	}
	if got := l.remaining(info); got != 0 {
		t.Errorf("remaining = %d, want 0 in debt", got)
	}
	next := &requestInfo{budget: info.budget}
	if errorCode(l.charge(next, 1)) != CodeRateLimited {
		t.Fatal("a budget in debt accepted a request")
	}
	if next.retryAfter != 3100*time.Millisecond {
		t.Errorf("retry after %s, want 3.1s: 30 points of debt and 1 more at 10/s", next.retryAfter)
	}
	if n, _ := l.objectAllowance(next, 1000, 1); n != 0 {
		t.Errorf("allowance in debt = %d, want 0", n)
	}

	t.Run("AtMostABurst", func(t *testing.T) {
		info := &requestInfo{budget: l.budgetFor("ip:192.0.2.2")}
		l.settle(info, 1_000_000)
		if got := info.budget.lim.TokensAt(now); got != 0 {
			t.Errorf("tokens = %v, want 0: a request is charged at most one burst", got)
		}
	})
	t.Run("FewerObjectsThanPaid", func(t *testing.T) {
		info := &requestInfo{budget: l.budgetFor("ip:192.0.2.3")}
		if err := l.charge(info, 40); err != nil {
			t.Fatal(err)
		}
		l.settle(info, 5)
		if got := l.remaining(info); got != 60 {
			t.Errorf("remaining = %d, want 60: the estimate stands", got)
		}
	})
}
