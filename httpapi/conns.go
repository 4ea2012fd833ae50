package httpapi

import (
	"context"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// ConnLimits bound the connections a listener keeps open, so that idle
// keep-alive connections cannot use up the process's file descriptors.
type ConnLimits struct {
	// Total is the most connections open at once: beyond it Accept waits
	// for one to close, and new connections wait in the kernel's accept
	// queue. No cap when 0.
	Total int
	// PerAddress is the most connections open at once from one peer
	// address (IPv6 by /64): more from that address are closed as soon as
	// they are accepted. It counts the TCP peer, not an address a proxy
	// names in a header. No cap when 0.
	PerAddress int
}

// connLogEvery is how often at most the listener logs the connections it
// refused or held back, so that a flood does not flood the log too.
const connLogEvery = 10 * time.Second

// LimitConns returns ln with limits applied to the connections it accepts,
// counted in the gateway's metrics. Closing the returned listener closes ln.
func (g *Gateway) LimitConns(ln net.Listener, limits ConnLimits) net.Listener {
	l := &limitListener{
		Listener:  ln,
		perAddr:   limits.PerAddress,
		byAddr:    map[netip.Prefix]int{},
		done:      make(chan struct{}),
		logger:    g.logger,
		metrics:   g.metrics,
		totalSize: limits.Total,
	}
	if limits.Total > 0 {
		l.total = make(chan struct{}, limits.Total)
	}
	return l
}

// limitListener applies ConnLimits. The total cap is a semaphore, as in
// golang.org/x/net/netutil.LimitListener; the per-address cap a count per
// address.
type limitListener struct {
	net.Listener
	total     chan struct{} // one token per open connection; nil without a cap
	totalSize int
	perAddr   int
	logger    *slog.Logger
	metrics   *metrics

	mu     sync.Mutex
	byAddr map[netip.Prefix]int

	closeOnce sync.Once
	done      chan struct{}

	refused, waited atomic.Int64 // since the last log line
	lastLog         atomic.Int64 // unix nanoseconds
}

// Accept waits for a free slot under the total cap, then returns the next
// connection whose address is under its cap, closing those that are not.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		if err := l.acquire(); err != nil {
			return nil, err
		}
		c, err := l.Listener.Accept()
		if err != nil {
			l.release()
			return nil, err
		}
		key := addrPrefix(c.RemoteAddr())
		if !l.admit(key) {
			c.Close()
			l.release()
			l.metrics.connsRefused.Inc()
			l.refused.Add(1)
			l.logThrottled("connections refused: too many open from one address",
				slog.String("address", key.String()), slog.Int("limit", l.perAddr))
			continue
		}
		l.metrics.connsOpen.Inc()
		return &limitConn{Conn: c, l: l, key: key}, nil
	}
}

// acquire takes a slot under the total cap, waiting while none is free.
func (l *limitListener) acquire() error {
	if l.total == nil {
		return nil
	}
	select {
	case l.total <- struct{}{}:
		return nil
	case <-l.done:
		return net.ErrClosed
	default:
	}
	l.waited.Add(1)
	l.logThrottled("connection limit reached: new connections wait for one to close",
		slog.Int("limit", l.totalSize))
	select {
	case l.total <- struct{}{}:
		return nil
	case <-l.done:
		return net.ErrClosed
	}
}

func (l *limitListener) release() {
	if l.total != nil {
		<-l.total
	}
}

// admit counts a connection from key, unless key is at its cap.
func (l *limitListener) admit(key netip.Prefix) bool {
	if l.perAddr <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byAddr[key] >= l.perAddr {
		return false
	}
	l.byAddr[key]++
	return true
}

// closed forgets a connection from key.
func (l *limitListener) closed(key netip.Prefix) {
	l.metrics.connsOpen.Dec()
	if l.perAddr > 0 {
		l.mu.Lock()
		if l.byAddr[key]--; l.byAddr[key] <= 0 {
			delete(l.byAddr, key)
		}
		l.mu.Unlock()
	}
	l.release()
}

// logThrottled logs msg at most once per connLogEvery, with the number of
// connections refused and held back since the last line.
func (l *limitListener) logThrottled(msg string, attrs ...slog.Attr) {
	now, last := time.Now().UnixNano(), l.lastLog.Load()
	if now-last < int64(connLogEvery) || !l.lastLog.CompareAndSwap(last, now) {
		return
	}
	attrs = append(attrs, slog.Int64("refused", l.refused.Swap(0)), slog.Int64("waited", l.waited.Swap(0)))
	l.logger.LogAttrs(context.Background(), slog.LevelWarn, msg, attrs...)
}

// Close closes the listener and wakes an Accept waiting for a slot.
func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitConn gives its slots back when closed.
type limitConn struct {
	net.Conn
	l    *limitListener
	key  netip.Prefix
	once sync.Once
}

// Close closes the connection and gives its slots back, once.
func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.closed(c.key) })
	return err
}

// addrPrefix is the address a connection is counted under: its IPv4
// address, or its IPv6 /64, since one host usually has a whole /64.
func addrPrefix(a net.Addr) netip.Prefix {
	var ip netip.Addr
	if tcp, ok := a.(*net.TCPAddr); ok {
		ip, _ = netip.AddrFromSlice(tcp.IP)
	} else if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		ip = ap.Addr()
	}
	ip = ip.Unmap()
	bits := 32
	if ip.Is6() {
		bits = 64
	}
	p, _ := ip.Prefix(bits) // the zero Prefix for an unknown address
	return p
}
