package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// wireParams are the GraphQL-over-HTTP request parameters before their
// types are checked. documentId names a persisted document (the
// specification's persisted-operations appendix).
type wireParams struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
	DocumentID    json.RawMessage `json:"documentId"`
}

// readPOST reads and checks a POST body of at most limit bytes.
func readPOST(w http.ResponseWriter, r *http.Request, limit int64) (*graphql.RawParams, string, *gqlerror.Error) {
	if !jsonContentType(r.Header.Get("Content-Type")) {
		return nil, "", requestError(CodeUnsupportedMediaType,
			"POST requests must have Content-Type application/json, got %q", r.Header.Get("Content-Type"))
	}
	if r.ContentLength > limit {
		return nil, "", tooLarge(limit)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return nil, "", tooLarge(limit)
	} else if err != nil {
		return nil, "", requestError(CodeBadRequest, "could not read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, "", requestError(CodeBadRequest, "the request body is empty: send a JSON object with a query")
	}
	var wire wireParams
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&wire); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field == "" {
			return nil, "", requestError(CodeBadRequest, "the request body must be a JSON object (batched requests are not supported)")
		}
		return nil, "", requestError(CodeBadRequest, "the request body is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, "", requestError(CodeBadRequest, "the request body has data after its JSON object")
	}
	return wire.params()
}

// readGET reads the parameters of a GET request's query string, where
// variables and extensions are JSON-encoded.
func readGET(r *http.Request, limit int64) (*graphql.RawParams, string, *gqlerror.Error) {
	if int64(len(r.URL.RawQuery)) > limit {
		return nil, "", requestError(CodeRequestTooLarge, "the query string is longer than %d bytes: use POST", limit)
	}
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, "", requestError(CodeBadRequest, "the query string is malformed: %v", err)
	}
	var wire wireParams
	str := func(name string) json.RawMessage {
		if !values.Has(name) {
			return nil
		}
		b, _ := json.Marshal(values.Get(name))
		return b
	}
	raw := func(name string) json.RawMessage {
		if !values.Has(name) || values.Get(name) == "" {
			return nil
		}
		return json.RawMessage(values.Get(name))
	}
	wire.Query, wire.OperationName, wire.DocumentID = str("query"), str("operationName"), str("documentId")
	wire.Variables, wire.Extensions = raw("variables"), raw("extensions")
	return wire.params()
}

// params checks each parameter's JSON type: query, operationName and
// documentId are strings, variables and extensions objects; any may be null.
func (wire *wireParams) params() (*graphql.RawParams, string, *gqlerror.Error) {
	p := &graphql.RawParams{}
	var docID string
	if err := decodeParam("query", wire.Query, &p.Query); err != nil {
		return nil, "", err
	}
	if err := decodeParam("operationName", wire.OperationName, &p.OperationName); err != nil {
		return nil, "", err
	}
	if err := decodeParam("documentId", wire.DocumentID, &docID); err != nil {
		return nil, "", err
	}
	if err := decodeParam("variables", wire.Variables, &p.Variables); err != nil {
		return nil, "", err
	}
	if err := decodeParam("extensions", wire.Extensions, &p.Extensions); err != nil {
		return nil, "", err
	}
	if p.Query == "" && docID == "" && p.Extensions["persistedQuery"] == nil {
		return nil, "", requestError(CodeBadRequest, "the request has no query: send a GraphQL document in the query parameter")
	}
	return p, docID, nil
}

// decodeParam decodes one parameter into dst (a *string or *map[string]any),
// leaving it unset when absent or null.
func decodeParam(name string, raw json.RawMessage, dst any) *gqlerror.Error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	want := "a string"
	if _, isMap := dst.(*map[string]any); isMap {
		want = "a JSON object"
		if raw[0] != '{' {
			return requestError(CodeBadRequest, "the %s parameter must be %s", name, want)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keeps large integers exact until the schema coerces them
	if err := dec.Decode(dst); err != nil {
		return requestError(CodeBadRequest, "the %s parameter must be %s", name, want)
	}
	if _, err := dec.Token(); err != io.EOF {
		return requestError(CodeBadRequest, "the %s parameter must be %s", name, want)
	}
	return nil
}

func tooLarge(limit int64) *gqlerror.Error {
	return requestError(CodeRequestTooLarge, "the request body is larger than %s", formatBytes(limit))
}

// formatBytes writes a byte count the way the flags take it.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
