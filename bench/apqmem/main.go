// Command apqmem measures the heap that Automatic Persisted Query
// registrations leave behind: it serves the gateway in process over a
// fresh seeded database, registers -n distinct queries of -size bytes each
// (query and hash, as Apollo's clients do), collects garbage and prints the
// live heap before and after, and the process's resident memory, with the
// garbage collector set as the server sets it.
//
//	go run ./bench/apqmem -n 1000 -size 64KiB
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/seed"
)

func main() {
	n := flag.Int("n", 1000, "registrations")
	size := flag.String("size", "64KiB", "bytes per query")
	shape := flag.String("shape", "literals", "literals: 30 aliased fields with long string arguments; comment: one field and a long comment")
	flag.Parse()
	bytesPer, err := humanize.ParseBytes(*size)
	if err != nil {
		fmt.Fprintln(os.Stderr, "apqmem: -size:", err)
		os.Exit(2)
	}
	if err := run(*n, int(bytesPer), *shape); err != nil {
		fmt.Fprintln(os.Stderr, "apqmem:", err)
		os.Exit(1)
	}
}

func run(n, size int, shape string) error {
	debug.SetGCPercent(httpapi.DefaultGCPercent)
	debug.SetMemoryLimit(httpapi.DefaultMemoryLimit)
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "apqmem")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := db.Open(ctx, filepath.Join(dir, "seed.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	if err := seed.Load(ctx, store); err != nil {
		return err
	}
	gw, err := httpapi.New(store, httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	before := liveHeap()
	stored := 0
	for i := range n {
		q := query(i, size, shape)
		sum := sha256.Sum256([]byte(q))
		hash := hex.EncodeToString(sum[:])
		body, _ := json.Marshal(map[string]any{"query": q, "extensions": map[string]any{
			"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}})
		if code := post(gw, body); code != http.StatusOK {
			return fmt.Errorf("registration %d: status %d", i, code)
		}
		// Sent by hash alone, it is found only if it was stored.
		body, _ = json.Marshal(map[string]any{"extensions": map[string]any{
			"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}})
		if post(gw, body) == http.StatusOK {
			stored++
		}
	}
	rss := residentMemory()
	after := liveHeap()
	fmt.Printf("registrations %d of %s (%s): live heap %s before, %s after (+%s); resident memory %s, at most %s; %d found by hash right after registering\n",
		n, humanize.IBytes(uint64(size)), shape, humanize.IBytes(before), humanize.IBytes(after),
		humanize.IBytes(after-min(before, after)), rss["VmRSS"], rss["VmHWM"], stored)
	runtime.KeepAlive(gw)
	return nil
}

// query is the i-th distinct query of about size bytes.
func query(i, size int, shape string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query Q%d {", i)
	switch shape {
	case "comment":
		b.WriteString(" __typename }\n#")
		b.WriteString(strings.Repeat("x", max(size-b.Len(), 0)))
	default:
		const aliases = 30
		per := max((size-b.Len())/aliases-40, 1)
		for a := range aliases {
			fmt.Fprintf(&b, ` a%d: company(slug: "%s") { name }`, a, strings.Repeat("x", per))
		}
		b.WriteString(" }")
	}
	return b.String()
}

func post(h http.Handler, body []byte) int {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// residentMemory reads the process's resident memory (VmRSS) and its peak
// (VmHWM) from /proc/self/status, or "?" where there is none.
func residentMemory() map[string]string {
	out := map[string]string{"VmRSS": "?", "VmHWM": "?"}
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && out[k] != "" {
			var kb uint64
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb); err == nil {
				out[k] = humanize.IBytes(kb << 10)
			}
		}
	}
	return out
}
