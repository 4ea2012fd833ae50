package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/writer"
)

// In alternating rounds the gateway and the bare baseline run in a child
// process: this program started again with childEnv set to a childConfig.
// The CPU time and allocations reported for a server are then the server's
// own, not the load generator's, as they are for PostGraphile and
// PostgreSQL, which run in processes of their own too. The child serves
// until its standard input closes, so it never outlives the parent.
const childEnv = "INVESTGRAPH_LOAD_CHILD"

// childConfig is what the parent tells the child.
type childConfig struct {
	DB        string   `json:"db"`
	Executors []string `json:"executors"`
	GCPercent int      `json:"gcPercent"`
	ReadModel int64    `json:"readModel"`
	// WriteProcess has the gateways apply changesets in a writer process
	// at WritePriority (package writer), as the server does.
	WriteProcess  bool   `json:"writeProcess"`
	WritePriority string `json:"writePriority"`
}

// childHello is the child's first line on standard output: the address of
// each gateway, by executor, and of its control server.
type childHello struct {
	Gateways map[string]string `json:"gateways"`
	Control  string            `json:"control"`
}

// childStats are the child's totals since it started.
type childStats struct {
	CPU    time.Duration `json:"cpu"`
	Allocs uint64        `json:"allocs"`
}

// baselineSpec is what the bare server of the child must answer.
type baselineSpec struct {
	ContentType string          `json:"contentType"`
	Bodies      []baselineReply `json:"bodies"`
}

type baselineReply struct {
	Request  []byte `json:"request"`
	Response []byte `json:"response"`
}

// runChild is the child's main: it serves the gateways over the database
// and a control server, and exits when stdin closes.
func runChild(ctx context.Context, config string, stdin io.Reader, stdout io.Writer) error {
	var cfg childConfig
	if err := json.Unmarshal([]byte(config), &cfg); err != nil {
		return fmt.Errorf("child config: %w", err)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(cfg.GCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(httpapi.DefaultMemoryLimit)
	}
	store, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	var w graph.Writer
	if cfg.WriteProcess {
		p, err := writer.New(writer.Config{DB: cfg.DB, Priority: cfg.WritePriority, Committed: store.NotifyRevision})
		if err != nil {
			return err
		}
		if err := p.Start(ctx); err != nil {
			return err
		}
		defer p.Close()
		w = p
	}
	hello := childHello{Gateways: map[string]string{}}
	for _, e := range cfg.Executors {
		addr, stop, err := serve(gateway(store, false, e, cfg.ReadModel, w))
		if err != nil {
			return err
		}
		defer stop()
		hello.Gateways[e] = addr
	}
	var stopBare func()
	defer func() {
		if stopBare != nil {
			stopBare()
		}
	}()
	mux := http.NewServeMux()
	// POST /baseline starts the bare server with the replies it must give
	// and answers its address; it is called once, before any load.
	mux.HandleFunc("POST /baseline", func(w http.ResponseWriter, r *http.Request) {
		var spec baselineSpec
		if err := json.NewDecoder(r.Body).Decode(&spec); err != nil || stopBare != nil {
			http.Error(w, "bad or repeated baseline", http.StatusBadRequest)
			return
		}
		base := &baseline{contentType: spec.ContentType, bodies: map[string][]byte{}}
		for _, b := range spec.Bodies {
			base.bodies[string(b.Request)] = b.Response
		}
		addr, stop, err := serve(base)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		stopBare = stop
		json.NewEncoder(w).Encode(addr)
	})
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(childStats{CPU: cpuTime(), Allocs: heapAllocs()})
	})
	control, stopControl, err := serve(mux)
	if err != nil {
		return err
	}
	defer stopControl()
	hello.Control = control
	if err := json.NewEncoder(stdout).Encode(hello); err != nil {
		return err
	}
	io.Copy(io.Discard, stdin)
	return nil
}

// heapAllocs counts the heap allocations of the process so far, tiny ones
// included, without stopping the world.
func heapAllocs() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:objects"}, {Name: "/gc/heap/tiny/allocs:objects"}}
	metrics.Read(s)
	var n uint64
	for _, x := range s {
		if x.Value.Kind() == metrics.KindUint64 {
			n += x.Value.Uint64()
		}
	}
	return n
}

// child is the parent's handle on a running child.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	childHello
}

// startChild starts the servers' process over the database at path.
func startChild(cfg childConfig) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	conf, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), childEnv+"="+string(conf))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, stdin: stdin}
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, &c.childHello)
	}
	if err != nil {
		c.stop()
		return nil, fmt.Errorf("start the servers' process: %w", err)
	}
	return c, nil
}

// startBaseline starts the child's bare server and returns its address.
func (c *child) startBaseline(spec baselineSpec) (string, error) {
	body, err := json.Marshal(spec)
	if err != nil {
		return "", err
	}
	var addr string
	err = c.call(http.MethodPost, "/baseline", body, &addr)
	return addr, err
}

// stats returns the child's CPU time and allocations so far.
func (c *child) stats() (childStats, error) {
	var s childStats
	err := c.call(http.MethodGet, "/stats", nil, &s)
	return s, err
}

func (c *child) call(method, path string, body []byte, out any) error {
	req, err := http.NewRequest(method, "http://"+c.Control+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("servers' process: %s %s: %s", method, path, msg)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// stop closes the child's stdin, which ends it, and waits for it, killing
// it if it has not exited within a few seconds.
func (c *child) stop() error {
	c.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-done
		return errors.New("the servers' process did not exit; killed")
	}
}
