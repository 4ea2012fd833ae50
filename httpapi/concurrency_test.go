package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/httpapi"
)

// TestConcurrentClients runs many clients against the server on loopback at
// once, each with its own token and a mix of queries over POST and GET,
// persisted and not, each sending a fixed number of requests. They start
// together, and every request must succeed: no transport error, no 5xx, no
// GraphQL error.
func TestConcurrentClients(t *testing.T) {
	const (
		clients   = 16
		perClient = 24
	)
	srv := quietServer(t, httpapi.Options{
		RateLimit: httpapi.RateLimit{PerSecond: 1e6, Burst: 1e6, ByToken: true},
	})
	transport := srv.HTTPClient().Transport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = clients
	client := &http.Client{Transport: transport}
	defer transport.CloseIdleConnections()

	apq := `query Card($slug: String!) { company(slug: $slug) { name projects { role project { name } } } }`
	queries := []func(token string) *http.Request{
		func(token string) *http.Request {
			return postReq(t, srv.URL, token, map[string]any{"query": `{ company(name: "CITIC") { name projects { role project { name capacityHistory { value unit asOf } } } } }`})
		},
		func(token string) *http.Request {
			return postReq(t, srv.URL, token, map[string]any{
				"query":     `query Page($n: Int, $after: String) { companies(first: $n, after: $after) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`,
				"variables": map[string]any{"n": 5},
			})
		},
		func(token string) *http.Request {
			return postReq(t, srv.URL, token, map[string]any{
				"query":     `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Company { name } } }`,
				"variables": map[string]any{"ids": []string{citic, graph.GlobalID("Person", "zhu-hexin")}},
			})
		},
		func(token string) *http.Request {
			q := url.Values{"query": {`{ companies(first: 3) { totalCount edges { node { name } } } }`}}
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"?"+q.Encode(), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			return req
		},
		func(token string) *http.Request {
			// APQ: the query with its hash registers it (and runs it).
			return postReq(t, srv.URL, token, map[string]any{
				"query": apq, "variables": map[string]any{"slug": "citic-group"},
				"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": sha(apq)}},
			})
		},
		func(token string) *http.Request {
			return postReq(t, srv.URL, token, map[string]any{"query": `{ __type(name: "Company") { fields { name } } }`})
		},
	}

	var sent, failed atomic.Int64
	var mu sync.Mutex
	var failures []string
	fail := func(format string, args ...any) {
		failed.Add(1)
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 10 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			token := fmt.Sprintf("client-%d", c)
			<-start
			for i := range perClient {
				resp, err := client.Do(queries[(c+i)%len(queries)](token))
				if err != nil {
					fail("client %d: %v", c, err)
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				sent.Add(1)
				var out struct {
					Data   json.RawMessage
					Errors []json.RawMessage
				}
				switch {
				case err != nil:
					fail("client %d: read: %v", c, err)
				case resp.StatusCode != http.StatusOK:
					fail("client %d: status %d: %s", c, resp.StatusCode, body)
				case json.Unmarshal(body, &out) != nil || len(out.Data) == 0 || len(out.Errors) > 0:
					fail("client %d: %s", c, body)
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	if failed.Load() > 0 {
		t.Fatalf("%d of %d requests failed", failed.Load(), sent.Load())
	}
	if got, want := sent.Load(), int64(clients*perClient); got != want {
		t.Fatalf("%d requests completed, want %d", got, want)
	}
	// Every request was counted once, as ok.
	body := srv.Fetch(t, "/metrics")
	var total float64
	for _, line := range bytes.Split([]byte(body), []byte("\n")) {
		var op string
		var n float64
		if _, err := fmt.Sscanf(string(line), "investgraph_graphql_requests_total{operation=%q,outcome=\"ok\"} %g", &op, &n); err == nil {
			total += n
		}
	}
	if total != float64(sent.Load()) {
		t.Errorf("metrics counted %v ok requests, clients completed %d", total, sent.Load())
	}
	t.Logf("%d requests from %d clients", sent.Load(), clients)
}

func postReq(t testing.TB, target, token string, body map[string]any) *http.Request {
	b, err := json.Marshal(body)
	if err != nil {
		t.Error(err)
	}
	req, _ := http.NewRequest(http.MethodPost, target, bytes.NewReader(b))
	req.Header.Set("Content-Type", mediaJSON)
	req.Header.Set("Accept", mediaResponse)
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}
