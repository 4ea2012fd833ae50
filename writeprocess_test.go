package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/seed/changegen"
)

// TestWriteProcess serves with the default -write-process and applies a
// changeset over HTTP: it is committed by a writer process, a child of the
// server at the niceness and policy -write-priority gives, and a read sent
// after the answer sees it.
// With -write-process=false the server has no such child.
func TestWriteProcess(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		children int
	}{
		{"Default", nil, 1},
		{"Nice19", []string{"-write-priority", "19"}, 1},
		{"Idle", []string{"-write-priority", "idle"}, 1},
		{"Off", []string{"-write-process=false"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.db")
			tok, err := token(t, path, "create", "-name", "curator", "-role", "editor")
			if err != nil {
				t.Fatal(err)
			}
			tok = strings.TrimSpace(tok)
			// Registered first, so it runs after serve has stopped the server.
			t.Cleanup(func() {
				if n := len(writerChildren(t)); n != 0 {
					t.Errorf("%d writer processes left after the server stopped", n)
				}
			})
			base, _ := serve(t, append([]string{"-db", path}, tc.args...)...)
			writers := writerChildren(t)
			if len(writers) != tc.children {
				t.Fatalf("%d writer processes, want %d", len(writers), tc.children)
			}
			want := "10 0" // niceness and policy: SCHED_OTHER
			switch {
			case tc.name == "Idle":
				want = "19 5" // SCHED_IDLE
			case len(tc.args) == 2:
				want = tc.args[1] + " 0"
			}
			for _, got := range writers {
				if got != want {
					t.Errorf("writer niceness and policy %s, want %s", got, want)
				}
			}

			cs := changegen.New(5, "wpt").Next(12)
			body, _ := json.Marshal(map[string]any{
				"query":     `mutation($in: ChangesetInput!) { applyChangeset(input: $in) { revision { id author } } }`,
				"variables": map[string]any{"in": map[string]any{"yaml": cs.YAML, "message": "add a report"}},
			})
			got := post(t, base, tok, body)
			if !strings.Contains(got, `"author":"curator"`) {
				t.Fatalf("applyChangeset answered %s", got)
			}
			read, _ := json.Marshal(map[string]any{"query": `{ company(slug: "` + cs.Companies[0] + `") { slug } }`})
			if got := post(t, base, "", read); !strings.Contains(got, cs.Companies[0]) {
				t.Errorf("a read after the commit answered %s, want %s", got, cs.Companies[0])
			}
			bad, _ := json.Marshal(map[string]any{
				"query":     `mutation($in: ChangesetInput!) { applyChangeset(input: $in) { revision { id } } }`,
				"variables": map[string]any{"in": map[string]any{"yaml": strings.Replace(cs.YAML, "cite: [", "cite: [99", 1), "message": "bad"}},
			})
			if got := post(t, base, tok, bad); !strings.Contains(got, `"code":"BAD_USER_INPUT"`) || !strings.Contains(got, `"field":"input.yaml.`) {
				t.Errorf("a bad changeset answered %s, want BAD_USER_INPUT at its field", got)
			}
		})
	}
}

// post sends a GraphQL request to the server at base and returns the
// response body.
func post(t *testing.T, base, token string, body []byte) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// writerChildren returns the niceness and scheduling policy, as "N P", of
// each running child of this process that is a writer process, from /proc
// (Linux).
func writerChildren(t *testing.T) []string {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skip("no /proc: cannot list child processes")
	}
	var out []string
	for _, task := range tasks {
		kids, _ := os.ReadFile("/proc/self/task/" + task.Name() + "/children")
		for _, pid := range strings.Fields(string(kids)) {
			env, _ := os.ReadFile("/proc/" + pid + "/environ")
			if !bytes.Contains(env, []byte("INVESTGRAPH_WRITER=")) {
				continue
			}
			stat, err := os.ReadFile("/proc/" + pid + "/stat")
			if err != nil {
				continue
			}
			// The fields after the command's closing parenthesis: state is
			// field 3, niceness field 19, policy field 41.
			f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
			if len(f) > 38 && f[0] != "Z" {
				if _, err := strconv.Atoi(f[16]); err == nil {
					out = append(out, f[16]+" "+f[38])
				}
			}
		}
	}
	return out
}
