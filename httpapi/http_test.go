package httpapi_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

const (
	mediaJSON     = "application/json"
	mediaResponse = "application/graphql-response+json"
)

// quietServer starts a gateway that logs nowhere, with opts.
func quietServer(t testing.TB, opts httpapi.Options) *graphtest.Server {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return graphtest.New(t, graphtest.WithOptions(opts))
}

// request builds a request to the server's GraphQL endpoint.
func request(t testing.TB, srv *graphtest.Server, method, contentType, accept, body string) *http.Request {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL, r)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return req
}

// getRequest builds a GET request with the given query-string parameters.
func getRequest(t testing.TB, srv *graphtest.Server, accept string, params url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"?"+params.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return req
}

func TestContentNegotiation(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	for _, tc := range []struct {
		name, accept, want string
	}{
		{"NoAccept", "", mediaJSON},
		{"JSON", mediaJSON, mediaJSON},
		{"GraphQLResponse", mediaResponse, mediaResponse},
		{"BothPrefersGraphQLResponse", mediaJSON + ", " + mediaResponse, mediaResponse},
		{"QualityWins", mediaResponse + ";q=0.5, " + mediaJSON, mediaJSON},
		{"Wildcard", "*/*", mediaJSON},
		{"ApplicationWildcard", "application/*", mediaJSON},
		{"Browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", mediaJSON},
		{"UTF8Charset", mediaResponse + "; charset=utf-8", mediaResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := srv.Send(t, request(t, srv, http.MethodPost, mediaJSON, tc.accept, `{"query":"{ __typename }"}`))
			if resp.Status != http.StatusOK {
				t.Fatalf("status = %d, want 200: %s", resp.Status, resp.Raw)
			}
			if got, want := resp.Header.Get("Content-Type"), tc.want+"; charset=utf-8"; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
			if got := string(resp.Data); got != `{"__typename":"Query"}` {
				t.Errorf("data = %s", got)
			}
		})
	}
	t.Run("ErrNotAcceptable", func(t *testing.T) {
		for _, accept := range []string{"text/html", "application/xml", mediaJSON + "; charset=latin1", mediaJSON + ";q=0"} {
			resp := srv.Send(t, request(t, srv, http.MethodPost, mediaJSON, accept, `{"query":"{ __typename }"}`))
			assertRequestError(t, resp, http.StatusNotAcceptable, httpapi.CodeNotAcceptable)
		}
	})
}

func TestStatusCodes(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	for _, tc := range []struct {
		name string
		body string
		// Status for application/graphql-response+json, then for
		// application/json, and the first error's code.
		status, jsonStatus int
		code               string
	}{
		{"ParseFailed", `{"query":"{"}`, 400, 200, httpapi.CodeParseFailed},
		{"ValidationFailed", `{"query":"{ noSuchField }"}`, 400, 200, httpapi.CodeValidationFailed},
		{"VariableOfWrongType", `{"query":"query($n: Int) { companies(first: $n) { totalCount } }","variables":{"n":"ten"}}`, 400, 200, httpapi.CodeBadUserInput},
		{"MissingVariable", `{"query":"query($id: ID!) { node(id: $id) { id } }"}`, 400, 200, httpapi.CodeBadUserInput},
		{"UnknownOperationName", `{"query":"query A { __typename }","operationName":"B"}`, 400, 200, httpapi.CodeValidationFailed},
		{"UnknownMutation", `{"query":"mutation { nothing }"}`, 400, 200, httpapi.CodeValidationFailed},
		{"SubscriptionOfTypename", `{"query":"subscription { __typename }"}`, 400, 200, httpapi.CodeValidationFailed},
		{"SubscriptionWithoutStream", `{"query":"subscription { revisions { id } }"}`, 400, 400, httpapi.CodeBadRequest},
		{"NoQuery", `{"variables":{}}`, 400, 400, httpapi.CodeBadRequest},
		{"EmptyQuery", `{"query":""}`, 400, 400, httpapi.CodeBadRequest},
		{"QueryNotString", `{"query":7}`, 400, 400, httpapi.CodeBadRequest},
		{"OperationNameNotString", `{"query":"{ __typename }","operationName":["a"]}`, 400, 400, httpapi.CodeBadRequest},
		{"VariablesNotObject", `{"query":"{ __typename }","variables":"{}"}`, 400, 400, httpapi.CodeBadRequest},
		{"ExtensionsNotObject", `{"query":"{ __typename }","extensions":[1]}`, 400, 400, httpapi.CodeBadRequest},
		{"InvalidJSON", `{"query": "{ __typename }"`, 400, 400, httpapi.CodeBadRequest},
		{"Batch", `[{"query":"{ __typename }"}]`, 400, 400, httpapi.CodeBadRequest},
		{"TrailingData", `{"query":"{ __typename }"} {}`, 400, 400, httpapi.CodeBadRequest},
		{"EmptyBody", ``, 400, 400, httpapi.CodeBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.Store.Statements()
			resp := srv.Send(t, request(t, srv, http.MethodPost, mediaJSON, mediaResponse, tc.body))
			assertRequestError(t, resp, tc.status, tc.code)
			resp = srv.Send(t, request(t, srv, http.MethodPost, mediaJSON, mediaJSON, tc.body))
			assertRequestError(t, resp, tc.jsonStatus, tc.code)
			if got := srv.Store.Statements() - before; got != 0 {
				t.Errorf("%d SQL statements ran for a rejected request", got)
			}
		})
	}
	t.Run("FieldErrorKeepsData", func(t *testing.T) {
		// An operation that ran answers 200 with its data, even when a
		// field failed.
		resp := srv.Send(t, request(t, srv, http.MethodPost, mediaJSON, mediaResponse,
			`{"query":"{ company(slug: \"citic-group\", name: \"CITIC\") { name } }"}`))
		if resp.Status != http.StatusOK || !resp.HasData() {
			t.Fatalf("status %d, data %s; want 200 with data", resp.Status, resp.Data)
		}
		if len(resp.Errors) != 1 || resp.Errors[0].Code() != httpapi.CodeBadUserInput {
			t.Errorf("errors = %+v, want one BAD_USER_INPUT", resp.Errors)
		}
	})
	t.Run("NullParameters", func(t *testing.T) {
		resp := srv.Send(t, request(t, srv, http.MethodPost, mediaJSON, mediaResponse,
			`{"query":"{ __typename }","operationName":null,"variables":null,"extensions":null}`))
		if resp.Status != http.StatusOK || len(resp.Errors) > 0 {
			t.Errorf("status %d, errors %+v; want 200 without errors", resp.Status, resp.Errors)
		}
	})
}

func TestMediaTypesAndMethods(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	t.Run("ContentTypeWithCharset", func(t *testing.T) {
		resp := srv.Send(t, request(t, srv, http.MethodPost, "application/json; charset=UTF-8", "", `{"query":"{ __type(name: \"Run🏃Swim\") { name } }"}`))
		if resp.Status != http.StatusOK || len(resp.Errors) > 0 {
			t.Errorf("status %d, errors %+v", resp.Status, resp.Errors)
		}
	})
	for _, ct := range []string{"", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "application/graphql", "application/json; charset=latin1", "multipart/form-data; boundary=x"} {
		t.Run("ErrContentType "+ct, func(t *testing.T) {
			resp := srv.Send(t, request(t, srv, http.MethodPost, ct, mediaJSON, `{"query":"{ __typename }"}`))
			assertRequestError(t, resp, http.StatusUnsupportedMediaType, httpapi.CodeUnsupportedMediaType)
		})
	}
	for _, method := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
		t.Run("ErrMethod "+method, func(t *testing.T) {
			resp := srv.Send(t, request(t, srv, method, mediaJSON, "", `{"query":"{ __typename }"}`))
			assertRequestError(t, resp, http.StatusMethodNotAllowed, httpapi.CodeMethodNotAllowed)
			if got := resp.Header.Get("Allow"); got != "GET, POST, OPTIONS" {
				t.Errorf("Allow = %q", got)
			}
		})
	}
	t.Run("Options", func(t *testing.T) {
		resp, err := srv.HTTPClient().Do(request(t, srv, http.MethodOptions, "", "", ""))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Allow") != "GET, POST, OPTIONS" {
			t.Errorf("OPTIONS: status %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
		}
	})
	t.Run("RequestID", func(t *testing.T) {
		req := request(t, srv, http.MethodPost, mediaJSON, "", `{"query":"{ __typename }"}`)
		req.Header.Set("X-Request-Id", "lb-1234")
		if got := srv.Send(t, req).Header.Get("X-Request-Id"); got != "lb-1234" {
			t.Errorf("X-Request-Id = %q, want the client's", got)
		}
		req = request(t, srv, http.MethodPost, mediaJSON, "", `{"query":"{ __typename }"}`)
		req.Header.Set("X-Request-Id", "bad id\twith spaces")
		if got := srv.Send(t, req).Header.Get("X-Request-Id"); got == "" || strings.ContainsAny(got, " \t") {
			t.Errorf("X-Request-Id = %q, want a fresh id", got)
		}
	})
}

func TestGET(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	t.Run("Query", func(t *testing.T) {
		var got struct{ Company struct{ Name string } }
		resp := srv.Get(t, `query($s: String) { company(slug: $s) { name } }`, map[string]any{"s": "citic-group"})
		if resp.Status != http.StatusOK || resp.Header.Get("Content-Type") != mediaResponse+"; charset=utf-8" {
			t.Fatalf("status %d, Content-Type %q: %s", resp.Status, resp.Header.Get("Content-Type"), resp.Raw)
		}
		if err := resp.Decode(&got); err != nil || got.Company.Name != "CITIC Group" {
			t.Errorf("company = %+v (%v)", got, err)
		}
	})
	t.Run("NamedOperation", func(t *testing.T) {
		resp := srv.Send(t, getRequest(t, srv, "", url.Values{
			"query": {"query A { __typename } query B { company(slug: \"nope\") { name } }"}, "operationName": {"A"},
		}))
		if resp.Status != http.StatusOK || string(resp.Data) != `{"__typename":"Query"}` {
			t.Errorf("status %d: %s", resp.Status, resp.Raw)
		}
	})
	// GET refuses a mutation before it is validated, whatever the schema,
	// so that GET stays free of side effects: a real changeset or
	// retraction sent with GET runs no SQL at all.
	for _, tc := range []struct{ name, query, op string }{
		{"ErrMutation", "mutation { __typename }", ""},
		{"ErrSubscription", "subscription { __typename }", ""},
		{"ErrNamedMutation", "query A { __typename } mutation B { __typename }", "B"},
		{"ErrChangeset", `mutation { applyChangeset(input: {yaml: "source: {slug: x}", message: "m"}) { replayed } }`, ""},
		{"ErrRetract", `mutation { retract(input: {fact: "x", reason: "r"}) { replayed } }`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, accept := range []string{mediaResponse, mediaJSON} {
				before := srv.Store.Statements()
				resp := srv.Send(t, getRequest(t, srv, accept, url.Values{"query": {tc.query}, "operationName": {tc.op}}))
				assertRequestError(t, resp, http.StatusMethodNotAllowed, httpapi.CodeMethodNotAllowed)
				if got := resp.Header.Get("Allow"); got != "POST" {
					t.Errorf("Allow = %q, want POST", got)
				}
				if srv.Store.Statements() != before {
					t.Error("SQL ran for a refused GET")
				}
			}
		})
	}
	for _, tc := range []struct{ name, rawQuery string }{
		{"ErrNoQuery", ""},
		{"ErrVariablesNotJSON", "query=%7B__typename%7D&variables=%7Bnope"},
		{"ErrVariablesNotObject", "query=%7B__typename%7D&variables=%5B1%5D"},
		{"ErrBadEscape", "query=%zz"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+"?"+tc.rawQuery, nil)
			if err != nil {
				t.Fatal(err)
			}
			assertRequestError(t, srv.Send(t, req), http.StatusBadRequest, httpapi.CodeBadRequest)
		})
	}
}

func TestBodyLimit(t *testing.T) {
	srv := quietServer(t, httpapi.Options{Limits: httpapi.Limits{MaxBodyBytes: 1000}})
	pad := `{"query":"{ __typename }","extensions":{"pad":"` + strings.Repeat("x", 1000) + `"}}`
	t.Run("ErrTooLarge", func(t *testing.T) {
		resp := srv.Send(t, request(t, srv, http.MethodPost, mediaJSON, mediaResponse, pad))
		assertRequestError(t, resp, http.StatusRequestEntityTooLarge, httpapi.CodeRequestTooLarge)
	})
	t.Run("ErrTooLargeWithoutLength", func(t *testing.T) {
		// A chunked body has no Content-Length: the limit applies as it is read.
		req := request(t, srv, http.MethodPost, mediaJSON, mediaJSON, "")
		req.Body = io.NopCloser(io.MultiReader(strings.NewReader(pad)))
		req.ContentLength = -1
		assertRequestError(t, srv.Send(t, req), http.StatusRequestEntityTooLarge, httpapi.CodeRequestTooLarge)
	})
	t.Run("ErrLongGET", func(t *testing.T) {
		resp := srv.Send(t, getRequest(t, srv, "", url.Values{"query": {"{ __typename }" + strings.Repeat(" ", 1000)}}))
		assertRequestError(t, resp, http.StatusRequestEntityTooLarge, httpapi.CodeRequestTooLarge)
	})
	t.Run("OK", func(t *testing.T) {
		resp := srv.Send(t, request(t, srv, http.MethodPost, mediaJSON, mediaResponse, `{"query":"{ __typename }"}`))
		if resp.Status != http.StatusOK {
			t.Errorf("status %d for a small body", resp.Status)
		}
	})
}

// assertRequestError checks a response that carries no data, only an
// error with code, and the status.
func assertRequestError(t testing.TB, resp *graphtest.Response, status int, code string) {
	t.Helper()
	if resp.Status != status {
		t.Errorf("status = %d, want %d: %s", resp.Status, status, truncate(resp.Raw))
	}
	if resp.HasData() {
		t.Errorf("a request error has a data entry: %s", truncate(resp.Raw))
	}
	if len(resp.Errors) == 0 {
		t.Fatalf("no errors: %s", truncate(resp.Raw))
	}
	if got := resp.Errors[0].Code(); got != code {
		t.Errorf("code = %q, want %q (%s)", got, code, resp.Errors[0].Message)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/") || !strings.Contains(ct, "json") {
		t.Errorf("Content-Type = %q", ct)
	}
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(bytes.TrimSpace(b))
}
