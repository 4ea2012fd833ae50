package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"time"
)

// client is one client of the gateway, as the rate limiter tells them
// apart, with connections of its own.
type client struct {
	url    string
	header string // the header that names the client
	value  string
	http   *http.Client
}

// newClient returns the client named name: a bearer token, or an address
// in 198.18.0.0/15 (reserved for benchmarks) derived from the name.
func newClient(url, identity, name string) *client {
	c := &client{url: url, http: &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: 64,
		DisableCompression:  true,
	}}}
	if identity == "xff" {
		h := fnv.New32a()
		h.Write([]byte(name))
		n := h.Sum32()
		c.header, c.value = "X-Forwarded-For", fmt.Sprintf("198.%d.%d.%d", 18+n>>16&1, n>>8&0xff, n&0xff)
	} else {
		c.header, c.value = "Authorization", "Bearer "+name
	}
	return c
}

// result is what a response said.
type result struct {
	status     int
	code       string // the first error's extensions.code, "" when none
	cost       int
	actualCost int
	elapsed    time.Duration
}

// do sends query and reads the whole response.
func (c *client) do(ctx context.Context, query string) (result, error) {
	body, _ := json.Marshal(map[string]string{"query": query})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return result{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	req.Header.Set(c.header, c.value)
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return result{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return result{}, err
	}
	r := result{status: resp.StatusCode, elapsed: time.Since(start)}
	var parsed struct {
		Errors []struct {
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
		Extensions struct {
			Cost       int `json:"cost"`
			ActualCost int `json:"actualCost"`
		} `json:"extensions"`
	}
	if err := json.Unmarshal(b, &parsed); err != nil {
		return r, fmt.Errorf("status %d, not JSON: %.200s", resp.StatusCode, b)
	}
	if len(parsed.Errors) > 0 {
		r.code = parsed.Errors[0].Extensions.Code
		if r.code == "" {
			r.code = "no code"
		}
	}
	r.cost, r.actualCost = parsed.Extensions.Cost, parsed.Extensions.ActualCost
	return r, nil
}
