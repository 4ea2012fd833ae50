package writer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/seed"
	"github.com/investgraph/investgraph/seed/changegen"
)

// hangEnv makes a writer started by these tests answer its hello and
// then read its requests without answering them.
const hangEnv = "INVESTGRAPH_WRITER_TEST_HANG"

func TestMain(m *testing.M) {
	if os.Getenv(hangEnv) != "" && os.Getenv(childEnv) != "" {
		fmt.Println(`{"ready":true}`)
		select {}
	}
	RunIfChild()
	os.Exit(m.Run())
}

// seeded returns a new database file holding the built-in seed.
func seeded(t *testing.T, name string) (string, *db.Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	s, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return path, s
}

func newProcess(t *testing.T, cfg Config) *Process {
	t.Helper()
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// outcome is what a writer answered, without what differs by nature
// between two databases written at different moments.
type outcome struct {
	Revision *db.Revision
	Replayed bool
	Errors   []wireError
}

func outcomeOf(rev *db.Revision, replayed bool, err error) outcome {
	o := outcome{Replayed: replayed}
	if err != nil {
		o.Errors = toWire(err)
		for i := range o.Errors {
			o.Errors[i].Message = strings.TrimPrefix(o.Errors[i].Message, "writer process: ")
		}
	}
	if rev != nil {
		r := *rev
		r.CreatedAt = time.Time{}
		o.Revision = &r
	}
	return o
}

// TestProcessMatchesLocal applies the same generated requests, valid and
// broken, to two copies of the seed: in this process (graph.LocalWriter)
// and through a writer process. Every answer must be the same: the
// revision with its counts, touched objects and changes, the replay flag,
// and each error's code, message and input field.
func TestProcessMatchesLocal(t *testing.T) {
	pathA, storeA := seeded(t, "local.db")
	pathB, storeB := seeded(t, "process.db")
	local := graph.LocalWriter{Store: storeA}
	committed := 0
	p := newProcess(t, Config{DB: pathB, Priority: Idle, Committed: func() { committed++ }})
	ctx := context.Background()

	r := rand.New(rand.NewPCG(7, 11))
	gen := changegen.New(42, "wp")
	keys := factKeys(t, pathA)
	var sent []seed.Changeset
	kinds := map[string]int{}
	steps := 60
	if testing.Short() {
		steps = 20
	}
	for i := range steps {
		var apply *seed.Changeset
		var retract *seed.Retraction
		kind := ""
		switch n := r.IntN(10); {
		case n < 4:
			kind = "changeset"
			c := seed.Changeset{YAML: gen.Next(5 + r.IntN(40)).YAML, Message: fmt.Sprintf("step %d", i), Author: "alice"}
			if r.IntN(2) == 0 {
				c.IdempotencyKey = fmt.Sprintf("key-%d", i)
			}
			apply = &c
		case n == 4 && len(sent) > 0:
			kind = "resubmission"
			c := sent[r.IntN(len(sent))]
			apply = &c
		case n == 5:
			kind = "truncated"
			text := gen.Next(20).YAML
			apply = &seed.Changeset{YAML: text[:r.IntN(len(text))], Message: "cut", Author: "alice"}
		case n == 6:
			kind = "broken reference"
			text := strings.Replace(gen.Next(20).YAML, "cite: [", "cite: [99", 1)
			apply = &seed.Changeset{YAML: text, Message: "bad cite", Author: "alice"}
		case n == 7:
			kind = "no message"
			apply = &seed.Changeset{YAML: gen.Next(5).YAML, Author: "alice"}
		case n == 8:
			kind = "retraction"
			ret := seed.Retraction{Fact: db.FactRef{Type: db.FactMeasurement, Key: keys[r.IntN(len(keys))]}, Reason: "misread", Author: "bob"}
			if r.IntN(3) == 0 {
				ret.Source, ret.Paragraph = "seed-src-missing", 1
			}
			retract = &ret
		default:
			kind = "bad retraction"
			retract = &seed.Retraction{Fact: db.FactRef{Type: db.FactMeasurement, Key: "no|such|fact"}, Reason: "x", Author: "bob"}
		}
		kinds[kind]++
		var want, got outcome
		if apply != nil {
			want = outcomeOf(local.Apply(ctx, *apply))
			got = outcomeOf(p.Apply(ctx, *apply))
			if want.Revision != nil && apply.IdempotencyKey != "" {
				sent = append(sent, *apply)
			}
		} else {
			want = outcomeOf(local.Retract(ctx, *retract))
			got = outcomeOf(p.Retract(ctx, *retract))
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d (%s): the writer process answered\n%+v\nin this process:\n%+v", i, kind, got, want)
		}
	}
	t.Logf("requests by kind: %v", kinds)
	if committed != steps {
		t.Errorf("Committed called %d times for %d requests", committed, steps)
	}
	if kinds["changeset"] == 0 || kinds["truncated"] == 0 || kinds["retraction"] == 0 {
		t.Errorf("the generator missed a kind: %v", kinds)
	}
	// The two databases hold the same revisions.
	revs := func(s *db.Store) []outcome {
		rs, err := s.FindRevisions(ctx, db.RevisionFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		out := make([]outcome, len(rs))
		for i, r := range rs {
			out[i] = outcomeOf(r, false, nil)
		}
		return out
	}
	if a, b := revs(storeA), revs(storeB); !reflect.DeepEqual(a, b) || len(a) == 0 {
		t.Errorf("revisions differ or are missing: %d in this process, %d through the writer", len(a), len(b))
	}
}

// factKeys returns the keys of the seed's measurements.
func factKeys(t *testing.T, path string) []string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT fact_key FROM measurements ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		t.Fatal("the seed has no measurements")
	}
	return keys
}

// TestStructuredForm: a changeset given as a File crosses as its YAML and
// keeps reporting its problems under input.changeset.
func TestStructuredForm(t *testing.T) {
	path, _ := seeded(t, "structured.db")
	p := newProcess(t, Config{DB: path})
	_, _, err := p.Apply(context.Background(), seed.Changeset{File: &seed.File{}, Message: "empty"})
	var de *db.Error
	if !errors.As(err, &de) || de.Code != db.EINVALID || !strings.HasPrefix(de.Field, "input.changeset") {
		t.Fatalf("an empty structured changeset: %v (%+v), want EINVALID under input.changeset", err, de)
	}
	_, _, err = p.Apply(context.Background(), seed.Changeset{File: &seed.File{}, YAML: "source: {}", Message: "both"})
	if !errors.As(err, &de) || de.Field != "input.changeset" {
		t.Fatalf("both forms: %v, want EINVALID at input.changeset", err)
	}
}

// TestRestartsAfterExit: a writer that died is started again by the next
// request, which succeeds.
func TestRestartsAfterExit(t *testing.T) {
	path, _ := seeded(t, "restart.db")
	p := newProcess(t, Config{DB: path})
	ctx := context.Background()
	gen := changegen.New(1, "rs")
	if _, _, err := p.Apply(ctx, seed.Changeset{YAML: gen.Next(10).YAML, Message: "one", Author: "a"}); err != nil {
		t.Fatal(err)
	}
	first := p.child
	first.cmd.Process.Kill()
	<-first.exited
	rev, _, err := p.Apply(ctx, seed.Changeset{YAML: gen.Next(10).YAML, Message: "two", Author: "a"})
	if err != nil {
		t.Fatalf("after the writer was killed: %v", err)
	}
	if rev.ID != 2 || p.child == first {
		t.Errorf("revision %d from child %p (the killed one %p), want revision 2 from a new writer", rev.ID, p.child, first)
	}
}

// TestHungWriter: a writer that does not answer within the request's
// deadline and the grace after it is killed, and the request fails with
// EUNAVAILABLE saying its outcome is unknown.
func TestHungWriter(t *testing.T) {
	t.Setenv(hangEnv, "1")
	path, _ := seeded(t, "hang.db")
	p := newProcess(t, Config{DB: path})
	old := grace
	grace = 50 * time.Millisecond
	defer func() { grace = old }()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, _, err := p.Apply(ctx, seed.Changeset{YAML: "source: {}", Message: "m"})
	if !errors.Is(err, errLost) || db.ErrorCode(err) != db.EUNAVAILABLE {
		t.Fatalf("a hung writer: %v, want the unknown-outcome EUNAVAILABLE", err)
	}
	select {
	case <-p.child.exited:
	case <-time.After(5 * time.Second):
		t.Fatal("the hung writer was not killed")
	}
}

// TestStartFails: a writer that cannot open the database is an error at
// Start naming the cause.
func TestStartFails(t *testing.T) {
	dir := t.TempDir()
	p := newProcess(t, Config{DB: dir})
	err := p.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "the writer process could not start") {
		t.Fatalf("Start over a directory: %v", err)
	}
	for _, bad := range []string{"20", "-1", "low"} {
		if _, err := New(Config{DB: dir, Priority: bad}); err == nil || !strings.Contains(err.Error(), "writer priority") {
			t.Errorf("priority %q: %v, want it refused", bad, err)
		}
	}
}

// TestDeadline: the request's deadline crosses, and a writer that runs
// out of it answers with the deadline's error, as this process would.
func TestDeadline(t *testing.T) {
	path, _ := seeded(t, "deadline.db")
	p := newProcess(t, Config{DB: path})
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Microsecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	_, _, err := p.Apply(ctx, seed.Changeset{YAML: changegen.New(3, "dl").Next(10).YAML, Message: "m", Author: "a"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("past its deadline: %v, want context.DeadlineExceeded", err)
	}
}
