package httpapi

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/export"
)

// exportPath is where the downloads are served: /export/ftm.jsonl,
// /export/projects.csv and /export/graph.graphml, each with an optional
// ?asOf=DATE.
const exportPath = "/export/"

// serveExports adds the export downloads to mux. An export reads the whole
// graph, so it counts against its client's -max-in-flight cap like a
// GraphQL request: a client cannot run more exports and requests at once
// than that.
func (g *Gateway) serveExports(mux *http.ServeMux) {
	store, logger := g.store, g.logger
	mux.HandleFunc("GET "+exportPath+"{file}", func(w http.ResponseWriter, r *http.Request) {
		f, ok := export.FormatByFile(r.PathValue("file"))
		if !ok {
			names := make([]string, len(export.Formats))
			for i, f := range export.Formats {
				names[i] = exportPath + f.File
			}
			exportError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("no export %s; the exports are %s", db.Quote(r.URL.Path), strings.Join(names, ", ")))
			return
		}
		query := r.URL.Query()
		for name := range query {
			if name != "asOf" {
				exportError(w, http.StatusBadRequest, CodeBadUserInput, fmt.Sprintf("unknown parameter %s: an export takes only asOf, e.g. ?asOf=2023-12-31", db.Quote(name)))
				return
			}
		}
		if len(query["asOf"]) > 1 {
			exportError(w, http.StatusBadRequest, CodeBadUserInput, "asOf given more than once")
			return
		}
		asOf := query.Get("asOf")
		if _, given := query["asOf"]; given && asOf == "" {
			exportError(w, http.StatusBadRequest, CodeBadUserInput, "asOf is empty: give a date such as 2023-12-31, 2024-Q3 or 2024, or leave it out")
			return
		}
		if g.inFlight != nil {
			info := &requestInfo{client: clientKey(r, g.opts.RateLimit.ByToken, g.opts.RateLimit.ClientIPHeader)}
			release, err := g.inFlight.acquire(r.Context(), info)
			if err != nil {
				if info.retryAfter > 0 {
					w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(info.retryAfter.Seconds()))))
				}
				exportError(w, http.StatusTooManyRequests, CodeRateLimited, err.Message)
				return
			}
			defer release()
		}
		graph, err := export.Fetch(r.Context(), store, asOf)
		if err != nil {
			if db.ErrorCode(err) == db.EINVALID {
				exportError(w, http.StatusBadRequest, CodeBadUserInput, "asOf: "+db.ErrorMessage(err))
				return
			}
			if r.Context().Err() != nil {
				return // the client went away
			}
			logger.Error("export failed", "file", f.File, "asOf", asOf, "err", err)
			exportError(w, http.StatusInternalServerError, CodeInternal, "the export failed; the server log says why")
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.ContentType)
		h.Set("Content-Disposition", `attachment; filename="`+downloadName(f, graph.AsOf)+`"`)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		if err := f.Write(w, graph); err != nil {
			logger.Warn("export cut short", "file", f.File, "asOf", asOf, "err", err)
		}
	})
}

// downloadName is the file name a browser saves an export under:
// investgraph-ftm.jsonl, or investgraph-ftm-2023-12-31.jsonl as of a date.
func downloadName(f export.Format, asOf string) string {
	base, ext, _ := strings.Cut(f.File, ".")
	name := "investgraph-" + base
	if asOf != "" {
		name += "-" + asOf
	}
	return name + "." + ext
}

// exportError answers with a GraphQL-style error body, so that clients
// read the code as they do from /graphql.
func exportError(w http.ResponseWriter, status int, code, message string) {
	body := map[string]any{"errors": []map[string]any{{"message": message, "extensions": map[string]string{"code": code}}}}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // the client may be gone
}
