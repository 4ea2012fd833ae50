package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

func TestExports(t *testing.T) {
	srv := graphtest.New(t)
	h := srv.Handler
	t.Run("ContentTypes", func(t *testing.T) {
		for _, tc := range []struct{ path, contentType, file, starts string }{
			{"/export/ftm.jsonl", "application/x-ndjson; charset=utf-8", "investgraph-ftm.jsonl", `{"id":`},
			{"/export/projects.csv", "text/csv; charset=utf-8; header=present", "investgraph-projects.csv", "id,slug,name,"},
			{"/export/graph.graphml", "application/graphml+xml; charset=utf-8", "investgraph-graph.graphml", "<?xml"},
			{"/export/graph.graphml?asOf=2023-12-31", "application/graphml+xml; charset=utf-8", "investgraph-graph-2023-12-31.graphml", "<?xml"},
		} {
			rec := get(h, tc.path)
			if rec.Code != http.StatusOK {
				t.Errorf("GET %s = %d: %s", tc.path, rec.Code, rec.Body)
				continue
			}
			if got := rec.Header().Get("Content-Type"); got != tc.contentType {
				t.Errorf("GET %s: Content-Type %q, want %q", tc.path, got, tc.contentType)
			}
			if got, want := rec.Header().Get("Content-Disposition"), `attachment; filename="`+tc.file+`"`; got != want {
				t.Errorf("GET %s: Content-Disposition %q, want %q", tc.path, got, want)
			}
			if !strings.HasPrefix(rec.Body.String(), tc.starts) {
				t.Errorf("GET %s: body starts %.80q", tc.path, rec.Body.String())
			}
		}
	})
	t.Run("AsOf", func(t *testing.T) {
		// The Caspi Bitum expansion's 2024 target was first reported in
		// 2024: the export as of the end of 2023 leaves it out, as the API
		// does.
		now := get(h, "/export/projects.csv").Body.String()
		then := get(h, "/export/projects.csv?asOf=2023-12-31").Body.String()
		if !strings.Contains(now, "PRODUCTION_CAPACITY 750000 t/yr (2024-08)") {
			t.Errorf("today's CSV lacks the 2024-08 target")
		}
		if strings.Contains(then, "(2024-08)") || !strings.Contains(then, "Caspi Bitum plant expansion") {
			t.Errorf("the CSV as of 2023-12-31 holds the 2024-08 figures or lacks the project")
		}
		var api struct {
			AsOf struct{ Projects struct{ TotalCount int } }
		}
		srv.MustQuery(t, `{ asOf(date: "2023-12-31") { projects { totalCount } } }`, nil, &api)
		if got := strings.Count(strings.TrimSpace(then), "\n"); got != api.AsOf.Projects.TotalCount {
			t.Errorf("%d rows as of 2023-12-31, the API has %d projects", got, api.AsOf.Projects.TotalCount)
		}
		ftmNow := get(h, "/export/ftm.jsonl").Body.String()
		ftmThen := get(h, "/export/ftm.jsonl?asOf=2023").Body.String()
		if n, m := strings.Count(ftmNow, "\n"), strings.Count(ftmThen, "\n"); m == 0 || m >= n {
			t.Errorf("%d FtM entities as of 2023, %d today", m, n)
		}
		if strings.Contains(ftmThen, `"publishedAt":["2024`) || !strings.Contains(ftmNow, `"publishedAt":["2024`) {
			t.Errorf("articles of 2024 are in the FtM export as of 2023, or missing today")
		}
	})
	t.Run("Off", func(t *testing.T) {
		off := quietServer(t, httpapi.Options{DisableExports: true})
		if rec := get(off.Handler, "/export/ftm.jsonl"); rec.Code != http.StatusNotFound {
			t.Errorf("with exports off, GET /export/ftm.jsonl = %d", rec.Code)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		for _, tc := range []struct {
			path    string
			status  int
			code    string
			message string
		}{
			{"/export/projects.csv?asOf=2023-13", 400, "BAD_USER_INPUT", `asOf: invalid date "2023-13"`},
			{"/export/ftm.jsonl?asOf=soon", 400, "BAD_USER_INPUT", `asOf: invalid date "soon"`},
			{"/export/graph.graphml?asOf=", 400, "BAD_USER_INPUT", "asOf is empty"},
			{"/export/graph.graphml?asOf=2023&asOf=2024", 400, "BAD_USER_INPUT", "more than once"},
			{"/export/projects.csv?asof=2023", 400, "BAD_USER_INPUT", `unknown parameter "asof"`},
			{"/export/people.csv", 404, "NOT_FOUND", "the exports are /export/ftm.jsonl, /export/projects.csv, /export/graph.graphml"},
		} {
			rec := get(h, tc.path)
			if rec.Code != tc.status {
				t.Errorf("GET %s = %d, want %d", tc.path, rec.Code, tc.status)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("GET %s: Content-Type %q", tc.path, ct)
			}
			var body struct {
				Errors []struct {
					Message    string
					Extensions struct{ Code string }
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 {
				t.Errorf("GET %s: body %s (%v)", tc.path, rec.Body, err)
				continue
			}
			e := body.Errors[0]
			if e.Extensions.Code != tc.code || !strings.Contains(e.Message, tc.message) {
				t.Errorf("GET %s: %s %q, want %s containing %q", tc.path, e.Extensions.Code, e.Message, tc.code, tc.message)
			}
		}
	})
}
