package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/seed/changegen"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver the checks read PostgreSQL with
)

// sent is a changeset the writer sent, with its idempotency key, and the
// revision id the server acknowledged it with (0 while unacknowledged).
type sent struct {
	key string
	cs  changegen.Changeset
	ack int64
}

// writerResult is what the writer scenario counted.
type writerResult struct {
	kills, acked, inFlight, replayed int
	failures                         []string
}

// runWriter is the changesets scenario on the database at path (an
// SQLite file, or a postgres:// DSN): a server on it receives
// a stream of changesets, one after the other, and is killed with SIGKILL
// after a random delay, kills times (or until deadline). After each kill
// a file must open and pass the integrity check; every acknowledged
// revision must be there under its id and idempotency key; and every
// changeset sent, acknowledged or not, must be wholly there (its revision,
// source, companies, people and projects) or wholly absent. The next
// server then resends the changeset that was in flight under its key,
// which must either apply it or return the revision it had made, and must
// report as many revisions as the file holds.
func (h *harness) runWriter(ctx context.Context, path string, kills int, deadline time.Time) (writerResult, error) {
	var res writerResult
	token, err := exec.CommandContext(ctx, h.binary("investgraph"), "token", "create", "-name", "chaos", "-role", "editor", "-db", path).Output()
	if err != nil {
		return res, fmt.Errorf("token create: %w", err)
	}
	w := &writer{token: strings.TrimSpace(string(token)), client: &http.Client{Timeout: 10 * time.Second}}
	gen := changegen.New(h.rng.Uint64(), "chaos")
	var all []*sent
	var pending *sent // sent when the last server was killed, unacknowledged
	for i := 0; i < kills && time.Now().Before(deadline); i++ {
		p, err := start(h.server(path))
		if err != nil {
			return res, err
		}
		var addr string
		select {
		case addr = <-p.serving:
		case <-p.done:
			return res, errors.New("the server did not start")
		case <-time.After(time.Minute):
			stopProcess(p)
			return res, errors.New("the server did not start within a minute")
		}
		w.addr = addr
		if err := w.agrees(ctx, path); err != nil {
			res.failures = append(res.failures, fmt.Sprintf("kill %d, restarted: %v", i, err))
		}
		if pending != nil {
			replayed, err := w.send(pending)
			if err != nil {
				stopProcess(p)
				return res, fmt.Errorf("resend changeset %s after restart: %w", pending.key, err)
			}
			if replayed {
				res.replayed++
			}
			pending = nil
		}
		stop := make(chan struct{})
		stopped := make(chan *sent)
		go func() {
			var cur *sent
			defer func() { stopped <- cur }()
			for {
				select {
				case <-stop:
					return
				default:
				}
				cur = &sent{key: fmt.Sprintf("chaos-%d", len(all)+1), cs: gen.Next(20 + rand.IntN(80))}
				all = append(all, cur)
				if _, err := w.send(cur); err != nil {
					return // killed mid-request: cur stays unacknowledged
				}
			}
		}()
		time.Sleep(time.Duration(100+h.rng.IntN(1400)) * time.Millisecond)
		p.Process.Kill()
		<-p.done
		close(stop)
		if cur := <-stopped; cur != nil && cur.ack == 0 {
			pending = cur
			res.inFlight++
		}
		res.kills++
		if err := checkChangesets(ctx, path, all); err != nil {
			res.failures = append(res.failures, fmt.Sprintf("kill %d: %v", i, err))
		}
	}
	for _, s := range all {
		if s.ack != 0 {
			res.acked++
		}
	}
	return res, nil
}

// writer sends changesets to one server.
type writer struct {
	addr, token string
	client      *http.Client
}

// send applies s and records the revision it acknowledges; replayed
// reports a key the server had already applied.
func (w *writer) send(s *sent) (replayed bool, err error) {
	body, _ := json.Marshal(map[string]any{
		"query": `mutation($input: ChangesetInput!) { applyChangeset(input: $input) { replayed revision { id idempotencyKey } } }`,
		"variables": map[string]any{"input": map[string]any{
			"yaml": s.cs.YAML, "message": "chaos " + s.key, "idempotencyKey": s.key}},
	})
	var out struct {
		Data struct {
			ApplyChangeset struct {
				Replayed bool
				Revision struct{ ID, IdempotencyKey string }
			}
		}
		Errors []struct{ Message string }
	}
	if err := w.post(body, &out); err != nil {
		return false, err
	}
	if len(out.Errors) > 0 {
		return false, fmt.Errorf("refused: %s", out.Errors[0].Message)
	}
	r := out.Data.ApplyChangeset.Revision
	if r.IdempotencyKey != s.key {
		return false, fmt.Errorf("revision %s has key %q, want %q", r.ID, r.IdempotencyKey, s.key)
	}
	id, err := revisionNumber(r.ID)
	if err != nil {
		return false, err
	}
	s.ack = id
	return out.Data.ApplyChangeset.Replayed, nil
}

func (w *writer) post(body []byte, out any) error {
	req, err := http.NewRequest(http.MethodPost, "http://"+w.addr+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+w.token)
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// agrees checks that the server reports as many revisions as the
// database at path holds.
func (w *writer) agrees(ctx context.Context, path string) error {
	var out struct {
		Data struct{ Revisions struct{ TotalCount int } }
	}
	if err := w.post([]byte(`{"query":"{ revisions(first: 1) { totalCount } }"}`), &out); err != nil {
		return fmt.Errorf("count revisions: %w", err)
	}
	conn, err := openCheck(path)
	if err != nil {
		return err
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM revisions`).Scan(&n); err != nil {
		return fmt.Errorf("count revisions in the database: %w", err)
	}
	if out.Data.Revisions.TotalCount != n {
		return fmt.Errorf("the server reports %d revisions, the database holds %d", out.Data.Revisions.TotalCount, n)
	}
	return nil
}

// revisionNumber returns the number a revision's global id names.
func revisionNumber(id string) (int64, error) {
	typ, key, err := graph.ParseGlobalID(id)
	if err != nil || typ != "Revision" {
		return 0, fmt.Errorf("%q is not a revision's id", id)
	}
	return strconv.ParseInt(key, 10, 64)
}

// openCheck opens the database at path for the checks: an SQLite file
// read-only, or a postgres:// DSN through pgx's database/sql driver. The
// checks' queries take no parameters and are plain SQL both engines run.
func openCheck(path string) (*sql.DB, error) {
	if db.IsPostgresDSN(path) {
		conn, err := sql.Open("pgx", path)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", db.RedactDSN(path), err)
		}
		return conn, nil
	}
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return conn, nil
}

// checkChangesets checks the database at path (a file or a postgres://
// DSN) after a kill: a file opens and passes the integrity check
// (inspect), every acknowledged changeset's
// revision is there with its id and key, no key is there twice, and each
// changeset sent is there in whole or not at all.
func checkChangesets(ctx context.Context, path string, all []*sent) error {
	// PostgreSQL has no integrity check to run: its own write-ahead log is
	// what keeps a commit whole across a killed client (and server), so
	// what is left to check is what the store committed.
	if !db.IsPostgresDSN(path) {
		if _, err := inspect(ctx, path); err != nil {
			return err
		}
	}
	conn, err := openCheck(path)
	if err != nil {
		return err
	}
	defer conn.Close()
	byKey := map[string]int64{}
	rows, err := conn.QueryContext(ctx, `SELECT id, idempotency_key FROM revisions WHERE idempotency_key IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("read revisions: %w", err)
	}
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			rows.Close()
			return err
		}
		if _, dup := byKey[key]; dup {
			rows.Close()
			return fmt.Errorf("key %s has two revisions", key)
		}
		byKey[key] = id
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	slugs := map[string][]string{}
	for _, table := range []string{"sources", "companies", "people", "projects"} {
		if slugs[table], err = stringColumn(ctx, conn, `SELECT slug FROM `+table); err != nil {
			return err
		}
	}
	var problems []string
	for _, s := range all {
		id, there := byKey[s.key]
		if s.ack != 0 && (!there || id != s.ack) {
			problems = append(problems, fmt.Sprintf("changeset %s was acknowledged as revision %d, the database has %d", s.key, s.ack, id))
		}
		parts := map[string][]string{"sources": {s.cs.Source}, "companies": s.cs.Companies, "people": s.cs.People, "projects": s.cs.Projects}
		for table, want := range parts {
			for _, slug := range want {
				if slices.Contains(slugs[table], slug) != there {
					problems = append(problems, fmt.Sprintf("changeset %s is half there: revision there %v, %s %s there %v",
						s.key, there, table, slug, !there))
				}
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problems, first: %s", len(problems), problems[0])
	}
	return nil
}

// stringColumn returns the one text column query reads.
func stringColumn(ctx context.Context, conn *sql.DB, query string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
