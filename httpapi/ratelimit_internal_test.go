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
