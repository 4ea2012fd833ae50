package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/httpapi"
)

func TestAPQCacheBytesOption(t *testing.T) {
	srv := quietServer(t, httpapi.Options{APQCacheBytes: 200 << 10})
	pad := strings.Repeat("x", 60<<10)
	var hashes []string
	for i := range 10 {
		q := fmt.Sprintf("query Q%d { __typename } #%s", i, pad)
		hashes = append(hashes, sha(q))
		if resp := postBody(t, srv, mediaJSON, apqBody(t, q, sha(q))); resp.Status != http.StatusOK || len(resp.Errors) > 0 {
			t.Fatalf("registration %d: status %d: %s", i, resp.Status, resp.Raw)
		}
	}
	// 200 KiB hold three queries of 60 KiB: the last three.
	for i, hash := range hashes {
		resp := postBody(t, srv, mediaJSON, apqBody(t, "", hash))
		found := len(resp.Errors) == 0
		if want := i >= len(hashes)-3; found != want {
			t.Errorf("query %d found by hash: %v, want %v (%s)", i, found, want, resp.Raw)
		}
	}
}
