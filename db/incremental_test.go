package db_test

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
	"github.com/investgraph/investgraph/seed/changegen"
)

// TestRevise_IncrementalEqualsFullBuild applies generated sequences of
// changesets, and after each compares every data table with a database
// loaded from the build of the seed and the revision log: the changesets
// written as a difference of rows leave exactly the rows the full rebuild
// writes. Refused changesets, retractions of facts the graph holds
// (figures, amounts, positions, participations, milestones, meeting
// participants), a seed project reported earlier than the seed reports it
// (which changes the deal facts of the seed agreement covering it) and a
// second store writing the same file (as another process would) come in
// between.
func TestRevise_IncrementalEqualsFullBuild(t *testing.T) {
	base := seedDocuments(t)
	for _, n := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("sequence", n), func(t *testing.T) {
			s, path := newStore(t)
			if err := seed.Load(t.Context(), s); err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(n, 7))
			g := changegen.New(n, fmt.Sprintf("g%d", n))
			var log []db.LoggedRevision
			record := func(rev *db.Revision, body string) {
				log = append(log, db.LoggedRevision{ID: rev.ID, Kind: rev.Kind, Body: body})
			}
			apply := func(s *db.Store, c changegen.Changeset) {
				t.Helper()
				rev, _, err := seed.Apply(t.Context(), s, seed.Files(), seed.Changeset{YAML: c.YAML, Message: "generated", Author: "test"})
				if err != nil {
					t.Fatalf("apply changeset %d: %v\n%s", len(log)+1, err, c.YAML)
				}
				record(rev, c.YAML)
			}
			retracted := map[db.FactRef]bool{}
			retractions := 0
			retractSome := func(s *db.Store, n int) {
				t.Helper()
				facts := factRefs(t, path)
				for range n {
					f := facts[r.IntN(len(facts))]
					if retracted[f] {
						continue
					}
					retracted[f] = true
					rev, _, err := seed.Retract(t.Context(), s, seed.Files(), seed.Retraction{Fact: f, Reason: "generated", Author: "test"})
					if err != nil {
						t.Fatalf("retract %v: %v", f, err)
					}
					record(rev, bodyOf(t, path, rev.ID))
					retractions++
				}
			}
			const steps = 10
			for step := range steps {
				c := g.Next(5 + r.IntN(120))
				switch step % 4 {
				case 1:
					bad := c.YAML + "companies:\n  - slug: kazakhstan\n    cite: [99]\n"
					if _, _, err := seed.Apply(t.Context(), s, seed.Files(), seed.Changeset{YAML: bad, Message: "bad", Author: "test"}); err == nil {
						t.Fatalf("a changeset citing paragraph 99 of 20 was applied")
					}
					retractSome(s, 1+r.IntN(3))
				case 2:
					retractSome(s, 1)
				case 3:
					// Another store on the same file commits a changeset and a
					// retraction: the first store's rows in memory are stale,
					// and it must notice.
					other, err := db.Open(t.Context(), path)
					if err != nil {
						t.Fatal(err)
					}
					apply(other, c)
					retractSome(other, 1)
					other.Close()
					c = g.Next(5 + r.IntN(60))
				}
				apply(s, c)
				if got, want := dataTables(dump(t, path)), dataTables(dump(t, fullBuild(t, base, log))); !equalDumps(t, got, want) {
					t.Fatalf("after revision %d the tables differ from the full build", len(log))
				}
				if step == 4 {
					// A seed project, covered by a seed agreement with amounts,
					// reported earlier than the seed reports it: the
					// agreement's deal facts change with the project's day.
					apply(s, changegen.Changeset{YAML: earlyReport})
					if got, want := dataTables(dump(t, path)), dataTables(dump(t, fullBuild(t, base, log))); !equalDumps(t, got, want) {
						t.Fatalf("after revision %d (an earlier report of a seed project) the tables differ from the full build", len(log))
					}
				}
			}
			if retractions == 0 {
				t.Fatal("no fact was retracted: the sequence tests no retraction")
			}
			if got := db.IncrementalWrites(s); got < steps/2 {
				t.Errorf("%d of %d changesets were written as a difference, want most", got, steps)
			}
		})
	}
}

// earlyReport cites the seed's caspi-bitum-expansion, which the seed's
// citic-five-documents-2023 covers, in a source published before the
// seed's, so that the project is reported from an earlier day.
const earlyReport = `source:
  slug: "early-report"
  title: "An early report"
  publishedOn: "2014-01-01"
  paragraphs: 2
projects:
  - slug: caspi-bitum-expansion
    cite: [1]
`

// seedDocuments reads the built-in seed files as seed.Apply does.
func seedDocuments(t *testing.T) []seed.Document {
	t.Helper()
	names, err := fs.Glob(seed.Files(), "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	var docs []seed.Document
	for _, name := range names {
		text, err := fs.ReadFile(seed.Files(), name)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, seed.Document{Name: name, Text: text})
	}
	return docs
}

// fullBuild loads the build of the seed and the revision log into a new
// database and returns its path.
func fullBuild(t *testing.T, base []seed.Document, log []db.LoggedRevision) string {
	t.Helper()
	d, err := seed.BuildLog(base, log)
	if err != nil {
		t.Fatalf("build the revision log: %v", err)
	}
	path := filepath.Join(t.TempDir(), "full.db")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Replace(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	return path
}

// dataTables drops from a dump the tables a changeset records beside the
// graph (revisions and what each changed, tokens) and the migrations.
func dataTables(d map[string][]string) map[string][]string {
	for _, table := range []string{"revisions", "revision_changes", "tokens", "schema_migrations"} {
		delete(d, table)
	}
	return d
}

func equalDumps(t *testing.T, got, want map[string][]string) bool {
	t.Helper()
	equal := true
	for table, rows := range want {
		if !slices.Equal(got[table], rows) {
			equal = false
			var missing, extra []string
			for _, r := range rows {
				if !slices.Contains(got[table], r) {
					missing = append(missing, r)
				}
			}
			for _, r := range got[table] {
				if !slices.Contains(rows, r) {
					extra = append(extra, r)
				}
			}
			t.Errorf("table %s: %d rows, want %d; missing %q; extra %q", table, len(got[table]), len(rows),
				missing[:min(3, len(missing))], extra[:min(3, len(extra))])
		}
	}
	for table := range got {
		if _, ok := want[table]; !ok {
			equal = false
			t.Errorf("table %s is not in the full build", table)
		}
	}
	return equal
}

// TestRevise_ChangesetConnectionSettings checks the settings changesets are
// written with: foreign keys off (Revise checks the dataset's references)
// and synchronous=FULL, so an acknowledged changeset survives a power loss,
// while the write connection keeps foreign keys on.
func TestRevise_ChangesetConnectionSettings(t *testing.T) {
	s, _ := newSQLiteStore(t)
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	g := changegen.New(1, "set")
	if _, _, err := seed.Apply(t.Context(), s, seed.Files(), seed.Changeset{YAML: g.Next(20).YAML, Message: "generated", Author: "test"}); err != nil {
		t.Fatal(err)
	}
	fk, sync, writeFK, err := db.ChangesetPragmas(s)
	if err != nil {
		t.Fatal(err)
	}
	if fk != 0 || sync != 2 {
		t.Errorf("changeset connection: foreign_keys %d, synchronous %d; want 0 and 2 (FULL)", fk, sync)
	}
	if writeFK != 1 {
		t.Errorf("write connection: foreign_keys %d after a changeset, want 1", writeFK)
	}
}

// factRefs reads the facts of the database at path that a retraction can
// name: every figure, amount, position, participation, milestone and
// meeting participant, in table order.
func factRefs(t *testing.T, path string) []db.FactRef {
	t.Helper()
	conn, err := db.OpenSQL(path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var out []db.FactRef
	for typ, q := range map[db.FactType]string{
		db.FactMeasurement: `SELECT fact_key FROM measurements ORDER BY id`,
		db.FactAmount:      `SELECT fact_key FROM amounts ORDER BY id`,
		db.FactPosition:    `SELECT fact_key FROM positions ORDER BY id`,
		db.FactParticipant: `SELECT fact_key FROM project_participants ORDER BY id`,
		db.FactMilestone:   `SELECT fact_key FROM milestones ORDER BY id`,
		db.FactMeetingParticipant: `SELECT m.slug || '|' || p.slug FROM meeting_participants l
			JOIN meetings m ON m.id = l.meeting_id JOIN people p ON p.id = l.person_id ORDER BY m.id, p.id`,
	} {
		keys, err := column(conn, q)
		if err != nil {
			t.Fatalf("%s keys: %v", typ, err)
		}
		for _, k := range keys {
			out = append(out, db.FactRef{Type: typ, Key: k})
		}
	}
	slices.SortFunc(out, func(a, b db.FactRef) int {
		return strings.Compare(string(a.Type)+"\x00"+a.Key, string(b.Type)+"\x00"+b.Key)
	})
	if len(out) == 0 {
		t.Fatal("the graph holds no fact to retract")
	}
	return out
}

// bodyOf reads the body the revision id recorded.
func bodyOf(t *testing.T, path string, id int64) string {
	t.Helper()
	conn, err := db.OpenSQL(path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var body string
	if err := conn.QueryRow(`SELECT body FROM revisions WHERE id = ?`, id).Scan(&body); err != nil {
		t.Fatal(err)
	}
	return body
}
