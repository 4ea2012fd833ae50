// Command rmsweep measures the memory the read model holds over a large
// database: it pages through every company with its projects and their
// participants, the way a crawler would, so that the model sees far more
// keys than it may keep, and prints the heap and resident set size after
// every few thousand companies, with the read model's size for comparison.
//
//	go run ./bench/rmsweep -db /tmp/s1m.db -read-model 200000 -pages 500
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/httpapi"
)

const query = `query($after: String) { companies(first: 100, after: $after) {
  pageInfo { endCursor hasNextPage }
  edges { node { name aliases projects { role project { name capacityHistory { value }
    participants { role company { name aliases } } } } } } } }`

func main() {
	path := flag.String("db", "", "database to read")
	model := flag.Int64("read-model", httpapi.DefaultReadModel, "values the read model keeps (0: off)")
	pages := flag.Int("pages", 500, "pages of 100 companies to read")
	flag.Parse()
	debug.SetGCPercent(httpapi.DefaultGCPercent)
	debug.SetMemoryLimit(httpapi.DefaultMemoryLimit)
	ctx := context.Background()
	store, err := db.Open(ctx, *path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer store.Close()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h := httpapi.NewHandler(store, httpapi.Options{Logger: logger, ReadModel: *model, Limits: httpapi.Limits{MaxObjects: 1 << 30, MaxCost: 1 << 30, MaxResponseBytes: 1 << 30}})
	var after any
	start := time.Now()
	fmt.Printf("read model %d values, %d pages of 100 companies\n", *model, *pages)
	fmt.Println("| companies | heap in use | RSS | elapsed |")
	fmt.Println("|--:|--:|--:|--:|")
	for p := 1; p <= *pages; p++ {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"after": after}})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var out struct {
			Data struct {
				Companies struct {
					PageInfo struct {
						EndCursor   string
						HasNextPage bool
					}
				}
			}
			Errors []json.RawMessage
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Errors) > 0 {
			fmt.Fprintf(os.Stderr, "page %d: %v %s\n", p, err, rec.Body.Bytes()[:min(300, rec.Body.Len())])
			os.Exit(1)
		}
		after = out.Data.Companies.PageInfo.EndCursor
		if p%50 == 0 || !out.Data.Companies.PageInfo.HasNextPage {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			fmt.Printf("| %d | %d MB | %d MB | %s |\n", p*100, ms.HeapInuse>>20, rss()>>20, time.Since(start).Round(time.Second))
		}
		if !out.Data.Companies.PageInfo.HasNextPage {
			break
		}
	}
}

// rss returns the process's resident set size in bytes.
func rss() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n << 10
		}
	}
	return 0
}
