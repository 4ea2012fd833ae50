package httpapi_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/investgraph/investgraph/httpapi"
)

// serveLimited serves a gateway on 127.0.0.1 behind limits and returns its
// address and the gateway.
func serveLimited(t *testing.T, limits httpapi.ConnLimits) (string, *httpapi.Gateway) {
	t.Helper()
	g, err := httpapi.New(quietServer(t, httpapi.Options{}).Store, httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: g, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	go srv.Serve(g.LimitConns(ln, limits))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), g
}

// keepAlive dials addr from local, sends one request on the connection and
// reads its answer, leaving the connection open and idle. It reports whether
// the server answered.
func keepAlive(t *testing.T, local, addr string) (net.Conn, bool) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %s: %v", local, err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"); err != nil {
		return c, false
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return c, false
	}
	resp.Body.Close()
	c.SetDeadline(time.Time{})
	return c, resp.StatusCode == http.StatusOK
}

func TestIdleConnectionsFromOneAddressDoNotStopOthers(t *testing.T) {
	const perAddress = 200
	addr, _ := serveLimited(t, httpapi.ConnLimits{PerAddress: perAddress, Total: 1000})
	served, refused := 0, 0
	for range perAddress + 100 {
		if _, ok := keepAlive(t, "127.0.0.1", addr); ok {
			served++
		} else {
			refused++
		}
	}
	if served != perAddress || refused != 100 {
		t.Errorf("%d connections from one address served and %d refused, want %d and 100", served, refused, perAddress)
	}
	// Another address on the loopback network is another client.
	if _, ok := keepAlive(t, "127.0.0.2", addr); !ok {
		t.Error("a client at another address was not served")
	}
}

func TestConnectionsFreedWhenClosed(t *testing.T) {
	addr, _ := serveLimited(t, httpapi.ConnLimits{PerAddress: 3})
	var conns []net.Conn
	for range 3 {
		c, ok := keepAlive(t, "127.0.0.1", addr)
		if !ok {
			t.Fatal("a connection under the cap was refused")
		}
		conns = append(conns, c)
	}
	if _, ok := keepAlive(t, "127.0.0.1", addr); ok {
		t.Fatal("a fourth connection was served under a cap of 3")
	}
	conns[0].Close()
	// The server sees the close when it next reads the connection.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, ok := keepAlive(t, "127.0.0.1", addr); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a closed connection's place was not given back")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestTotalConnectionsCapped(t *testing.T) {
	addr, _ := serveLimited(t, httpapi.ConnLimits{Total: 2})
	first, ok1 := keepAlive(t, "127.0.0.1", addr)
	_, ok2 := keepAlive(t, "127.0.0.2", addr)
	if !ok1 || !ok2 {
		t.Fatal("connections under the total cap were not served")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	answered := make(chan bool, 1)
	go func() {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.3")}}
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			answered <- false
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(20 * time.Second))
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		answered <- err == nil && resp.StatusCode == http.StatusOK
	}()
	select {
	case <-answered:
		t.Fatal("a third connection was served under a total cap of 2")
	case <-time.After(300 * time.Millisecond):
	}
	first.Close()
	if !<-answered {
		t.Error("the waiting connection was not served once another closed")
	}
}
