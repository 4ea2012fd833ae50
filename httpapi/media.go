package httpapi

import (
	"mime"
	"strconv"
	"strings"
)

// Media types of GraphQL-over-HTTP responses.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// negotiate picks the response media type for an Accept header. No header
// means application/json, as the GraphQL-over-HTTP specification asks until
// its watershed; so do */* and application/*. When both types are equally
// acceptable, application/graphql-response+json wins, because its status
// codes say more. ok is false when the client accepts neither.
func negotiate(accept []string) (media string, ok bool) {
	if len(accept) == 0 {
		return mediaJSON, true
	}
	bestQ := 0.0
	for _, header := range accept {
		for _, part := range strings.Split(header, ",") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			typ, params, err := mime.ParseMediaType(part)
			if err != nil || !utf8Charset(params) {
				continue
			}
			q := quality(params)
			var candidate string
			switch typ {
			case mediaGraphQLResponse:
				candidate = mediaGraphQLResponse
			case mediaJSON, "application/*", "*/*":
				candidate = mediaJSON
			default:
				continue
			}
			if q > bestQ || (q == bestQ && q > 0 && candidate == mediaGraphQLResponse) {
				media, bestQ = candidate, q
			}
		}
	}
	return media, bestQ > 0
}

// quality reads an Accept entry's q parameter: 1 when absent, 0 when
// malformed or out of range.
func quality(params map[string]string) float64 {
	s, ok := params["q"]
	if !ok {
		return 1
	}
	q, err := strconv.ParseFloat(s, 64)
	if err != nil || q < 0 || q > 1 {
		return 0
	}
	return q
}

// utf8Charset reports whether a media type's charset, if given, is UTF-8:
// the only encoding this server reads and writes.
func utf8Charset(params map[string]string) bool {
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8") || strings.EqualFold(cs, "utf8")
}

// jsonContentType reports whether a request's Content-Type is JSON in UTF-8.
func jsonContentType(contentType string) bool {
	typ, params, err := mime.ParseMediaType(contentType)
	return err == nil && typ == mediaJSON && utf8Charset(params)
}
