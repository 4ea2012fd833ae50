package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/httpapi/respcache"
	"github.com/investgraph/investgraph/seed"
)

// openStore opens the database at path, or, when path is empty, a new one
// in dir seeded from the built-in seed.
func openStore(ctx context.Context, path, dir string) (*db.Store, error) {
	if path == "" {
		store, err := db.Open(ctx, filepath.Join(dir, "seed.db"))
		if err != nil {
			return nil, err
		}
		if err := seed.Load(ctx, store); err != nil {
			store.Close()
			return nil, err
		}
		return store, nil
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("database %s: %w (generate one with go run ./seed/synth)", path, err)
	}
	store, err := db.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if empty, err := store.IsEmpty(ctx); err != nil || empty {
		store.Close()
		return nil, fmt.Errorf("database %s holds no data (err: %v)", path, err)
	}
	return store, nil
}

// serve serves h on a new loopback port until the returned stop is called.
func serve(h http.Handler) (addr string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

// gateway serves the GraphQL handler over store with the executor, logging
// internal errors to stderr, behind the response cache when cached. The
// read model keeps readModel values, unless the executor's name ends in
// sqlSuffix: then it is off, and every read goes to the store. Changesets
// go to w, or are applied in this process when w is nil.
func gateway(store *db.Store, cached bool, executor string, readModel int64, w graph.Writer) http.Handler {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if e, ok := strings.CutSuffix(executor, sqlSuffix); ok {
		executor, readModel = e, 0
	}
	h := httpapi.NewHandler(store, httpapi.Options{Logger: logger, Executor: executor, ReadModel: readModel, Writer: w})
	if cached {
		h = respcache.New(store.DataVersion, respcache.DefaultSize).Middleware(h)
	}
	return h
}

// sqlSuffix marks an executor measured with the read model off.
const sqlSuffix = ", no read model"

// baseline is the physical limit the gateway is compared with: a bare
// net/http handler answering each known request body with the bytes the
// gateway gave for it, and the same content type.
type baseline struct {
	contentType string
	bodies      map[string][]byte // request body → response body
}

func (b *baseline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, ok := b.bodies[string(req)]
	if !ok {
		http.Error(w, "unknown request", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", b.contentType)
	w.Write(resp)
}

// capture sends body to the server at addr once and returns the response
// body and content type, failing on a non-200 status or a GraphQL error.
func capture(addr string, body []byte) ([]byte, string, error) {
	c, err := dial(addr)
	if err != nil {
		return nil, "", err
	}
	defer c.c.Close()
	if _, err := c.c.Write(newRequest(addr, body)); err != nil {
		return nil, "", err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, "", err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("status %d: %s", resp.StatusCode, truncate(raw))
	}
	var parsed struct {
		Data   json.RawMessage `json:"data"`
		Errors []any           `json:"errors"`
	}
	if err := json.Unmarshal(raw, &parsed); err != nil {
		return nil, "", fmt.Errorf("response is not JSON: %s", truncate(raw))
	}
	if len(parsed.Errors) > 0 || len(parsed.Data) == 0 || string(parsed.Data) == "null" {
		return nil, "", fmt.Errorf("GraphQL errors: %s", truncate(raw))
	}
	return raw, resp.Header.Get("Content-Type"), nil
}

// entityCounts describes the size of the graph behind the gateway at addr.
func entityCounts(addr string) (string, error) {
	raw, _, err := capture(addr, graphqlBody(`{ companies(first: 0) { totalCount } people(first: 0) { totalCount }
		projects(first: 0) { totalCount } meetings(first: 0) { totalCount } agreements(first: 0) { totalCount }
		sources(first: 0) { totalCount } }`))
	if err != nil {
		return "", fmt.Errorf("count entities: %w", err)
	}
	var resp struct {
		Data map[string]struct{ TotalCount int }
	}
	if err := json.Unmarshal(raw, &resp); err != nil {
		return "", err
	}
	total, parts := 0, []string{}
	for _, name := range []string{"companies", "people", "projects", "meetings", "agreements", "sources"} {
		n := resp.Data[name].TotalCount
		total += n
		parts = append(parts, fmt.Sprintf("%d %s", n, name))
	}
	return fmt.Sprintf("%d entities: %s", total, strings.Join(parts, ", ")), nil
}
