package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/httpapi"
	"github.com/investgraph/investgraph/seed"
)

// The tests here write to the database from another process, the test
// binary run again with writerEnv set to what it should do (see TestMain):
// "reseed" replaces the data with the built-in seed and the larger dataset
// in turn until its standard input closes, and "replace" replaces it with
// the larger dataset once.
const (
	writerEnv   = "INVESTGRAPH_TEST_WRITER"
	writerDBEnv = "INVESTGRAPH_TEST_WRITER_DB"
	// tornRequestsEnv sets how many requests TestOtherProcess/OKNoTornReads
	// sends, for a longer measurement than the default.
	tornRequestsEnv = "INVESTGRAPH_TORN_REQUESTS"
)

// writerTimeout bounds a writer process, should its parent never stop it.
const writerTimeout = 2 * time.Minute

func TestMain(m *testing.M) {
	if mode := os.Getenv(writerEnv); mode != "" {
		if err := runWriter(mode, os.Getenv(writerDBEnv)); err != nil {
			fmt.Fprintln(os.Stderr, "writer:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runWriter is the writer process: it writes the datasets into the
// database at path as mode says, printing "replaced" after each Replace.
func runWriter(mode, path string) error {
	ctx, cancel := context.WithTimeout(context.Background(), writerTimeout)
	defer cancel()
	store, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	defer store.Close()
	small, large, err := datasets()
	if err != nil {
		return err
	}
	switch mode {
	case "replace":
		if err := store.Replace(ctx, large); err != nil {
			return err
		}
		fmt.Println("replaced")
		return nil
	case "reseed":
		stop := make(chan struct{})
		go func() {
			io.Copy(io.Discard, os.Stdin)
			close(stop)
		}()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			default:
			}
			d := large
			if i%2 == 1 {
				d = small
			}
			if err := store.Replace(ctx, d); err != nil {
				return err
			}
			fmt.Println("replaced")
		}
	}
	return fmt.Errorf("unknown mode %q", mode)
}

// datasets returns the built-in seed and a larger dataset: the seed with
// extra companies and projects, each cited as the seed's first company is.
func datasets() (small, large *db.Dataset, err error) {
	if small, err = seed.Parse(seed.Files()); err != nil {
		return nil, nil, err
	}
	if large, err = seed.Parse(seed.Files()); err != nil {
		return nil, nil, err
	}
	var cite db.Citation
	for _, c := range large.Citations {
		if c.Subject == db.SubjectCompany {
			cite = c.Citation
			break
		}
	}
	nextCompany, nextProject := maxID(large.Companies, func(c *db.Company) int64 { return c.ID }), maxID(large.Projects, func(p *db.Project) int64 { return p.ID })
	template := *large.Projects[0]
	for i := range 300 {
		nextCompany++
		large.Companies = append(large.Companies, &db.Company{ID: nextCompany, Slug: fmt.Sprintf("extra-company-%d", i),
			Name: fmt.Sprintf("Extra Company %d", i), Kind: large.Companies[0].Kind})
		large.Citations = append(large.Citations, db.SubjectCitation{SubjectKey: db.SubjectKey{Subject: db.SubjectCompany, ID: nextCompany}, Citation: cite})
		if i%3 == 0 {
			nextProject++
			p := template
			p.ID, p.Slug, p.Name = nextProject, fmt.Sprintf("extra-project-%d", i), fmt.Sprintf("Extra Project %d", i)
			large.Projects = append(large.Projects, &p)
			large.Citations = append(large.Citations, db.SubjectCitation{SubjectKey: db.SubjectKey{Subject: db.SubjectProject, ID: nextProject}, Citation: cite})
		}
	}
	return small, large, nil
}

func maxID[T any](vs []T, id func(T) int64) int64 {
	var m int64
	for _, v := range vs {
		m = max(m, id(v))
	}
	return m
}

// writer is a writer process.
type writer struct {
	cmd      *exec.Cmd
	stdin    io.WriteCloser
	replaced chan struct{} // a value per Replace done
	done     chan error
}

// startWriter starts a writer process over the database at path.
func startWriter(t *testing.T, mode, path string) *writer {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), writerEnv+"="+mode, writerDBEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &writer{cmd: cmd, stdin: stdin, replaced: make(chan struct{}, 1<<16), done: make(chan error, 1)}
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if lines.Text() == "replaced" {
				w.replaced <- struct{}{}
			}
		}
		if err := cmd.Wait(); err != nil {
			w.done <- fmt.Errorf("%w: %s", err, stderr.String())
		}
		close(w.done)
	}()
	t.Cleanup(func() {
		stdin.Close()
		select {
		case <-w.done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
		}
	})
	return w
}

// stop asks the writer to finish and waits for it, failing on its error.
func (w *writer) stop(t *testing.T) {
	t.Helper()
	w.stdin.Close()
	if err := <-w.done; err != nil {
		t.Fatalf("writer process: %v", err)
	}
}

// query runs a GraphQL query through h and returns its data, failing on
// an error.
func query(t *testing.T, h http.Handler, q string, data any) (statements int) {
	body, _ := json.Marshal(map[string]string{"query": q})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp struct {
		Data       json.RawMessage
		Errors     []any
		Extensions struct{ SQLStatements int }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || rec.Code != http.StatusOK || len(resp.Errors) > 0 {
		t.Errorf("status %d: %s", rec.Code, rec.Body.String())
		return 0
	}
	if err := json.Unmarshal(resp.Data, data); err != nil {
		t.Error(err)
	}
	return resp.Extensions.SQLStatements
}

// tieQuery reads the number of companies and projects twice each, by
// statements that run separately: the root lists' totals and the counts.
const tieQuery = `{
	companies(first: 1) { totalCount edges { node { name } } }
	projects(first: 1) { totalCount edges { node { name } } }
	aggregates { counts { companies projects } }
	search(query: "extra", types: [COMPANY]) { totalCount }
}`

type tie struct {
	Companies struct{ TotalCount int }
	Projects  struct{ TotalCount int }
	Search    struct{ TotalCount int }
	Agg       struct {
		Counts struct{ Companies, Projects int }
	} `json:"aggregates"`
}

func (x tie) String() string {
	return fmt.Sprintf("companies %d/%d, projects %d/%d, search %d", x.Companies.TotalCount, x.Agg.Counts.Companies,
		x.Projects.TotalCount, x.Agg.Counts.Projects, x.Search.TotalCount)
}

func newOtherProcessStore(t *testing.T, d *db.Dataset) (*db.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shared.db")
	store, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Replace(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	return store, path
}

func quietOptions() httpapi.Options {
	return httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func TestOtherProcess(t *testing.T) {
	small, large, err := datasets()
	if err != nil {
		t.Fatal(err)
	}

	// While another process replaces the data again and again, every
	// response reads one version of it: the totals of the root lists, the
	// counts and the search agree with each other.
	t.Run("OKNoTornReads", func(t *testing.T) {
		store, path := newOtherProcessStore(t, large)
		h := httpapi.NewHandler(store, quietOptions())
		var want [2]tie
		query(t, h, tieQuery, &want[1])
		if err := store.Replace(t.Context(), small); err != nil {
			t.Fatal(err)
		}
		query(t, h, tieQuery, &want[0])
		if want[0] == want[1] {
			t.Fatalf("the two datasets read alike: %v", want[0])
		}

		requests := 400
		if s := os.Getenv(tornRequestsEnv); s != "" {
			if requests, err = strconv.Atoi(s); err != nil {
				t.Fatalf("%s: %v", tornRequestsEnv, err)
			}
		}
		w := startWriter(t, "reseed", path)
		<-w.replaced
		var sent, torn, replaces atomic.Int64
		var seen [2]atomic.Int64
		var mu sync.Mutex
		var examples []string
		deadline := time.Now().Add(time.Minute)
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				for sent.Add(1) <= int64(requests) && time.Now().Before(deadline) {
					var got tie
					query(t, h, tieQuery, &got)
					switch got {
					case want[0]:
						seen[0].Add(1)
					case want[1]:
						seen[1].Add(1)
					default:
						torn.Add(1)
						mu.Lock()
						examples = append(examples, got.String())
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		w.stop(t)
		replaces.Store(int64(len(w.replaced)) + 1)
		t.Logf("%d requests during %d replaces by another process: %d of the small dataset, %d of the large, %d torn",
			seen[0].Load()+seen[1].Load()+torn.Load(), replaces.Load(), seen[0].Load(), seen[1].Load(), torn.Load())
		if n := torn.Load(); n > 0 {
			t.Errorf("%d torn responses, such as %v; want 0 (the datasets read %v and %v)", n, examples[:min(len(examples), 3)], want[0], want[1])
		}
		if replaces.Load() < 2 {
			t.Errorf("the other process replaced the data %d times while the requests ran, want several", replaces.Load())
		}
	})

	// With the response cache on, a response made before another process
	// replaced the data is not served after.
	t.Run("OKResponseCacheSeesOtherProcess", func(t *testing.T) {
		store, path := newOtherProcessStore(t, small)
		opts := quietOptions()
		opts.ResponseCache = 100
		h := httpapi.NewHandler(store, opts)
		var before, cached, after tie
		query(t, h, tieQuery, &before)
		if n := query(t, h, tieQuery, &cached); n != 0 || cached != before {
			t.Fatalf("the repeated request ran %d statements and read %v, want 0 from the cache and %v", n, cached, before)
		}
		w := startWriter(t, "replace", path)
		w.stop(t)
		if got := len(w.replaced); got != 1 {
			t.Fatalf("the other process replaced the data %d times, want 1", got)
		}
		if n := query(t, h, tieQuery, &after); n == 0 || after == before {
			t.Errorf("after another process replaced the data the response ran %d statements and read %v, want the new data", n, after)
		}
		var fresh tie
		query(t, httpapi.NewHandler(store, quietOptions()), tieQuery, &fresh)
		if after != fresh {
			t.Errorf("the cached handler read %v, an uncached one %v", after, fresh)
		}
	})
}
