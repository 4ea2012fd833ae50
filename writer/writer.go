// Package writer applies the gateway's changesets and retractions in a
// process of its own: the same program started again as a writer, at a
// lower CPU priority, over the same database. A commit builds the whole
// graph after it, tens of milliseconds of CPU and many allocations; in the
// serving process that work, and the garbage collection it brings, would
// take the cores from the reads for as long as it lasts. In a process of
// its own, at a lower priority, the kernel gives the reads the cores first, and the
// reads' garbage collector never sees the commit's garbage.
//
// The serving process keeps everything else: it authenticates the request
// and checks the token's role, and it sends the writer the changeset or
// retraction with its author; the writer applies it with seed.Apply or
// seed.Retract, exactly as the serving process would, and answers with the
// revision or the errors. Its commits show in the serving process's reads
// as any other process's do (db.Store.DataVersion), and the serving
// process wakes its subscribers as soon as the answer arrives.
//
// The two speak JSON lines over the writer's standard input and output,
// one request at a time (commits are one at a time anyway). The writer
// exits when its standard input closes, which happens however the serving
// process ends, and on Linux the kernel kills it when its parent dies.
package writer

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/seed"
)

// childEnv, set to a childConfig, makes the program a writer (RunIfChild).
const childEnv = "INVESTGRAPH_WRITER"

// DefaultPriority is the writer's default priority, niceness 10: under
// reads that keep every core busy it still gets about a tenth of a core's
// time (a weight of 110 against 1024), so commits slow down but do not
// stop; on cores with time to spare it runs as fast as it would at 0.
const DefaultPriority = "10"

// Idle is the priority that runs the writer only on cores nothing else
// wants (Linux's SCHED_IDLE): a read that wakes up takes the core from it
// at once, but under reads that keep every core busy a commit gets about
// 0.3% of a core and may run out of its deadline.
const Idle = "idle"

// priority is a parsed Priority.
type priority struct {
	idle bool
	nice int
}

// parsePriority reads "idle" or a niceness from 0 to 19.
func parsePriority(s string) (priority, error) {
	if s == Idle {
		return priority{idle: true, nice: 19}, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 19 {
		return priority{}, fmt.Errorf("writer priority %q: use a niceness from 0 (as the server) to 19 (the lowest), or idle (only cores nothing else wants)", s)
	}
	return priority{nice: n}, nil
}

// Config says how to start the writer.
type Config struct {
	// DB is the database, as -db gives it.
	DB string
	// Priority is the writer's CPU priority: a niceness from "0" to
	// "19", or Idle; DefaultPriority when "".
	Priority string
	// Executable is the program to start as the writer; os.Executable()
	// when "". It must call RunIfChild first thing in main (or TestMain).
	Executable string
	// Stderr receives the writer's own messages; os.Stderr when nil.
	Stderr io.Writer
	// Committed is called after each request that may have committed a
	// revision, before its answer is returned (db.Store.NotifyRevision).
	Committed func()
}

// childConfig is what the serving process tells the writer.
type childConfig struct {
	DB       string `json:"db"`
	Priority string `json:"priority"`
}

// request is one changeset or retraction to apply. Timeout is what was
// left of the request's deadline when it was sent, 0 for none.
type request struct {
	ID      int64            `json:"id"`
	Apply   *seed.Changeset  `json:"apply,omitempty"`
	Retract *seed.Retraction `json:"retract,omitempty"`
	Timeout time.Duration    `json:"timeout,omitempty"`
}

// reply answers the request with the same ID.
type reply struct {
	ID       int64        `json:"id"`
	Revision *db.Revision `json:"revision,omitempty"`
	Replayed bool         `json:"replayed,omitempty"`
	Errors   []wireError  `json:"errors,omitempty"`
}

// hello is the writer's first line: ready, or why it could not start.
type hello struct {
	Ready bool   `json:"ready"`
	Error string `json:"error,omitempty"`
}

// wireError is one error as it crosses: a *db.Error keeps its code, message
// and field; any other error keeps its message and the code db.ErrorCode
// gives it, and a deadline or cancellation is said as such.
type wireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Typed   bool   `json:"typed,omitempty"`
	Context string `json:"context,omitempty"` // "deadline" or "canceled"
}

func toWire(err error) []wireError {
	errs := []error{err}
	if many, ok := err.(interface{ Unwrap() []error }); ok {
		errs = many.Unwrap()
	}
	out := make([]wireError, 0, len(errs))
	for _, e := range errs {
		w := wireError{Code: db.ErrorCode(e), Message: e.Error()}
		var de *db.Error
		switch {
		case errors.As(e, &de):
			w.Code, w.Message, w.Field, w.Typed = de.Code, de.Message, de.Field, true
		case errors.Is(e, context.DeadlineExceeded):
			w.Context = "deadline"
		case errors.Is(e, context.Canceled):
			w.Context = "canceled"
		}
		out = append(out, w)
	}
	return out
}

func fromWire(ws []wireError) error {
	errs := make([]error, len(ws))
	for i, w := range ws {
		switch {
		case w.Typed:
			errs[i] = &db.Error{Code: w.Code, Message: w.Message, Field: w.Field}
		case w.Context == "deadline":
			errs[i] = context.DeadlineExceeded
		case w.Context == "canceled":
			errs[i] = context.Canceled
		case w.Code == db.EUNAVAILABLE:
			errs[i] = &db.Error{Code: db.EUNAVAILABLE, Message: db.UnavailableMessage}
		default:
			errs[i] = fmt.Errorf("writer process: %s", w.Message)
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// Process applies changesets and retractions in a writer process
// (graph.Writer). It starts the writer on the first request and again on
// the first request after it died.
type Process struct {
	cfg  Config
	turn chan struct{} // one request at a time

	mu     sync.Mutex // guards child and closed
	child  *child
	closed bool
	nextID int64
}

// child is one running writer.
type child struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	replies chan reply
	exited  chan struct{} // closed once it has exited
}

// New returns a Process that starts its writer as cfg says.
func New(cfg Config) (*Process, error) {
	if cfg.Priority == "" {
		cfg.Priority = DefaultPriority
	}
	if _, err := parsePriority(cfg.Priority); err != nil {
		return nil, err
	}
	if cfg.Executable == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("writer process: %w", err)
		}
		cfg.Executable = exe
	}
	if cfg.Stderr == nil {
		cfg.Stderr = os.Stderr
	}
	return &Process{cfg: cfg, turn: make(chan struct{}, 1)}, nil
}

// Start starts the writer now rather than on the first request, so that a
// writer that cannot start is an error at startup.
func (p *Process) Start(ctx context.Context) error {
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-p.turn }()
	_, err := p.running()
	return err
}

// Apply applies a changeset in the writer (seed.Apply).
func (p *Process) Apply(ctx context.Context, c seed.Changeset) (*db.Revision, bool, error) {
	c, err := c.Written()
	if err != nil {
		return nil, false, err
	}
	return p.do(ctx, request{Apply: &c})
}

// Retract retracts a fact in the writer (seed.Retract).
func (p *Process) Retract(ctx context.Context, r seed.Retraction) (*db.Revision, bool, error) {
	return p.do(ctx, request{Retract: &r})
}

// grace is how long past the request's deadline the writer may take to
// answer (its commit stops at the deadline) before it is taken to hang and
// is killed.
var grace = 10 * time.Second

// errLost is returned when the writer exits or hangs with a request sent:
// whether the request committed is not known.
var errLost = &db.Error{Code: db.EUNAVAILABLE,
	Message: "the writer process stopped while applying this request, so whether it was committed is not known: send it again with the same idempotencyKey, which applies it at most once"}

func (p *Process) do(ctx context.Context, req request) (*db.Revision, bool, error) {
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	defer func() { <-p.turn }()
	c, err := p.running()
	if err != nil {
		return nil, false, err
	}
	p.nextID++
	req.ID = p.nextID
	var wait <-chan time.Time
	if deadline, ok := ctx.Deadline(); ok {
		req.Timeout = max(time.Until(deadline), time.Millisecond)
		t := time.NewTimer(req.Timeout + grace)
		defer t.Stop()
		wait = t.C
	}
	line, err := json.Marshal(req)
	if err != nil {
		return nil, false, err
	}
	if _, err := c.in.Write(append(line, '\n')); err != nil {
		// Not sent whole: the writer reads whole lines only, so nothing
		// was applied; it is restarted on the next request.
		c.cmd.Process.Kill()
		return nil, false, &db.Error{Code: db.EUNAVAILABLE, Message: "the writer process is not running; try again shortly"}
	}
	if p.cfg.Committed != nil {
		defer p.cfg.Committed()
	}
	for {
		select {
		case r := <-c.replies:
			if r.ID != req.ID {
				continue // an answer to a request given up on
			}
			if len(r.Errors) > 0 {
				return nil, false, fromWire(r.Errors)
			}
			if r.Revision == nil {
				return nil, false, errors.New("writer process: an answer with neither a revision nor errors")
			}
			return r.Revision, r.Replayed, nil
		case <-c.exited:
			return nil, false, errLost
		case <-wait:
			c.cmd.Process.Kill()
			<-c.exited
			return nil, false, errLost
		}
	}
}

// running returns the running writer, starting one if there is none; the
// caller holds the turn.
func (p *Process) running() (*child, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, &db.Error{Code: db.EUNAVAILABLE, Message: "the server is shutting down"}
	}
	if p.child != nil {
		select {
		case <-p.child.exited:
			p.child = nil
		default:
			return p.child, nil
		}
	}
	c, err := p.start()
	if err != nil {
		return nil, err
	}
	p.child = c
	return c, nil
}

// startTimeout bounds a writer's start: opening the database.
const startTimeout = 30 * time.Second

func (p *Process) start() (*child, error) {
	cfg, err := json.Marshal(childConfig{DB: p.cfg.DB, Priority: p.cfg.Priority})
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(p.cfg.Executable)
	cmd.Env = append(os.Environ(), childEnv+"="+string(cfg))
	cmd.Stderr = p.cfg.Stderr
	cmd.SysProcAttr = procAttr()
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the writer process: %w", err)
	}
	c := &child{cmd: cmd, in: in, replies: make(chan reply, 1), exited: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		r := bufio.NewReaderSize(out, 64<<10)
		first, err := r.ReadBytes('\n')
		var h hello
		switch {
		case err != nil:
			started <- fmt.Errorf("the writer process exited at start: %w", err)
		case json.Unmarshal(first, &h) != nil:
			started <- fmt.Errorf("the writer process said %q at start", truncate(first))
		case !h.Ready:
			started <- fmt.Errorf("the writer process could not start: %s", h.Error)
		default:
			started <- nil
			for {
				line, err := r.ReadBytes('\n')
				if err != nil {
					break
				}
				var rp reply
				if json.Unmarshal(line, &rp) == nil {
					c.replies <- rp
				}
			}
		}
		io.Copy(io.Discard, r)
		cmd.Wait()
		close(c.exited)
	}()
	select {
	case err := <-started:
		if err != nil {
			in.Close()
			cmd.Process.Kill()
			<-c.exited
			return nil, err
		}
	case <-time.After(startTimeout):
		cmd.Process.Kill()
		<-c.exited
		return nil, fmt.Errorf("the writer process did not start within %v", startTimeout)
	}
	return c, nil
}

// Close stops the writer once the request it is applying, if any, is
// answered: it closes the writer's standard input, which it exits on.
func (p *Process) Close() error {
	p.turn <- struct{}{}
	defer func() { <-p.turn }()
	p.mu.Lock()
	p.closed = true
	c := p.child
	p.child = nil
	p.mu.Unlock()
	if c == nil {
		return nil
	}
	c.in.Close()
	select {
	case <-c.exited:
	case <-time.After(startTimeout):
		c.cmd.Process.Kill()
		<-c.exited
	}
	return nil
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}

// RunIfChild makes this program the writer when it was started as one: it
// applies the requests on its standard input until it closes, then exits.
// Otherwise it returns at once. A program that serves with a Process calls
// it first thing in main, and its tests in TestMain.
func RunIfChild() {
	config, ok := os.LookupEnv(childEnv)
	if !ok {
		return
	}
	if err := runChild(config, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "investgraph writer:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// runChild is the writer's main.
func runChild(config string, stdin io.Reader, stdout io.Writer) error {
	out := bufio.NewWriter(stdout)
	say := func(v any) error {
		line, err := json.Marshal(v)
		if err != nil {
			return err
		}
		out.Write(append(line, '\n'))
		return out.Flush()
	}
	var cfg childConfig
	if err := json.Unmarshal([]byte(config), &cfg); err != nil {
		say(hello{Error: "config: " + err.Error()})
		return err
	}
	prio, err := parsePriority(cfg.Priority)
	if err == nil {
		err = lowerPriority(prio)
	}
	if err != nil {
		say(hello{Error: err.Error()})
		return err
	}
	ctx := context.Background()
	store, err := db.Open(ctx, cfg.DB)
	if err != nil {
		say(hello{Error: db.ErrorMessage(err)})
		return err
	}
	defer store.Close()
	w := graph.LocalWriter{Store: store}
	if err := say(hello{Ready: true}); err != nil {
		return err
	}
	in := bufio.NewReaderSize(stdin, 1<<20)
	for {
		line, err := in.ReadBytes('\n')
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		var req request
		if err := json.Unmarshal(line, &req); err != nil {
			return fmt.Errorf("request: %w", err)
		}
		if err := say(serve(ctx, w, req)); err != nil {
			return err
		}
	}
}

// serve applies one request.
func serve(ctx context.Context, w graph.LocalWriter, req request) reply {
	if req.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, req.Timeout)
		defer cancel()
	}
	r := reply{ID: req.ID}
	var err error
	switch {
	case req.Apply != nil:
		r.Revision, r.Replayed, err = w.Apply(ctx, *req.Apply)
	case req.Retract != nil:
		r.Revision, r.Replayed, err = w.Retract(ctx, *req.Retract)
	default:
		err = errors.New("a request with neither a changeset nor a retraction")
	}
	if err != nil {
		r.Revision, r.Errors = nil, toWire(err)
	}
	return r
}
