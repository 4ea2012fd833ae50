package seed_test

import (
	"database/sql"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/seed"
)

// isCode reports whether err is a *db.Error with the code.
func isCode(err error, code string) bool {
	var e *db.Error
	return errors.As(err, &e) && e.Code == code
}

// datasetOf reads back the whole graph s holds.
func datasetOf(t *testing.T, s *db.Store) *db.Dataset {
	t.Helper()
	d, err := s.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// builtInFile returns the text of the built-in seed file at index i.
func builtInFile(t *testing.T, i int) []byte {
	t.Helper()
	names, err := fs.Glob(seed.Files(), "*.yaml")
	if err != nil || len(names) <= i {
		t.Fatalf("built-in seed files: %v %v", names, err)
	}
	text, err := fs.ReadFile(seed.Files(), names[i])
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// firstValue reads the first column of the first row query gives from the
// database file at path.
func firstValue(t *testing.T, path, query string) string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var v string
	if err := conn.QueryRow(query).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return v
}

// TestExport_Retractions retracts facts of three kinds through the API,
// writes the graph back as seed files and loads those: the files list the
// retractions, every table but the API's holds the same rows (so the same
// facts are hidden), each retraction keeps its reason, citation, author
// and time but no longer has a revision, and exporting the reloaded graph
// gives the same files, byte for byte.
func TestExport_Retractions(t *testing.T) {
	s, path := openFile(t)
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	source := firstValue(t, path, `SELECT slug FROM sources ORDER BY id DESC LIMIT 1`)
	facts := []seed.Retraction{
		{Fact: db.FactRef{Type: db.FactMeasurement, Key: firstValue(t, path, `SELECT fact_key FROM measurements ORDER BY id LIMIT 1`)},
			Reason: "the article gives another figure", Source: source, Paragraph: 2, Author: "alice"},
		{Fact: db.FactRef{Type: db.FactMeetingParticipant, Key: firstValue(t, path, `SELECT m.slug || '|' || p.slug
			FROM meeting_participants x JOIN meetings m ON m.id = x.meeting_id JOIN people p ON p.id = x.person_id ORDER BY 1 LIMIT 1`)},
			Reason: "named as invited, not as present", Author: "bob"},
		{Fact: db.FactRef{Type: db.FactStatement, Key: firstValue(t, path, `SELECT slug FROM statements ORDER BY id LIMIT 1`)},
			Reason: "said by someone else", Author: "alice"},
	}
	for _, r := range facts {
		if _, _, err := seed.Retract(t.Context(), s, seed.Files(), r); err != nil {
			t.Fatalf("retract %s: %v", r.Fact.Type, err)
		}
	}
	dir, docs := exportDir(t, s)
	var text strings.Builder
	for _, doc := range docs {
		text.Write(doc.Text)
	}
	for _, want := range []string{"retractions:", "type: MeetingParticipation", "reason: the article gives another figure", "cite: 2", "by: bob"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the exported files do not say %q", want)
		}
	}
	again, reloaded := reseeded(t, dir)
	sameTables(t, graphtest.DumpTables(t, path), graphtest.DumpTables(t, reloaded), append(apiTables, "retractions")...)

	before, after := datasetOf(t, s), datasetOf(t, again)
	if len(before.Retractions) != len(facts) || len(after.Retractions) != len(facts) {
		t.Fatalf("%d retractions before, %d after, want %d", len(before.Retractions), len(after.Retractions), len(facts))
	}
	for i, b := range before.Retractions {
		a := after.Retractions[i]
		if b.RevisionID == 0 || a.RevisionID != 0 {
			t.Errorf("%s: revision %d before, %d after: an API retraction has one, a seed file's none", b.Fact.Type, b.RevisionID, a.RevisionID)
		}
		b.RevisionID = 0
		if !reflect.DeepEqual(a, b) {
			t.Errorf("retraction differs after the round trip:\n before %+v\n after  %+v", b, a)
		}
	}
	_, docs2 := exportDir(t, again)
	if !reflect.DeepEqual(docs, docs2) {
		t.Error("exporting the reloaded graph gives other files")
	}

	// A fact retracted in the files is retracted once.
	_, _, err := seed.Retract(t.Context(), again, os.DirFS(dir), facts[0])
	if !isCode(err, db.EINVALID) || !strings.Contains(err.Error(), "in the seed files already") {
		t.Errorf("retracting a fact the files retract: %v", err)
	}
}

// TestBuild_RetractionProblems: each bad retraction entry of a seed file
// is a problem naming its place, and nothing is built; a changeset cannot
// carry retractions; a key no fact has is refused when the graph is
// written, naming the key.
func TestBuild_RetractionProblems(t *testing.T) {
	base := string(builtInFile(t, 0))
	for _, tc := range []struct {
		name, entry, want string
	}{
		{"Type", "{type: Company, key: x, reason: r, by: a, at: 2026-12-01T00:00:00Z}", `type "Company" is not a kind of fact`},
		{"Key", "{type: Measurement, reason: r, by: a, at: 2026-12-01T00:00:00Z}", "key is required"},
		{"Reason", "{type: Measurement, key: x, by: a, at: 2026-12-01T00:00:00Z}", "reason is required"},
		{"By", "{type: Measurement, key: x, reason: r, at: 2026-12-01T00:00:00Z}", "by is required"},
		{"At", "{type: Measurement, key: x, reason: r, by: a, at: yesterday}", `at "yesterday" is not a time in RFC 3339`},
		{"Cite", "{type: Measurement, key: x, reason: r, by: a, at: 2026-12-01T00:00:00Z, cite: 999}", "cite 999 is not a paragraph"},
		{"Participant", "{type: MeetingParticipation, key: no-meeting|no-one, reason: r, by: a, at: 2026-12-01T00:00:00Z}", `no meeting has participant "no-meeting|no-one"`},
		{"Twice", "{type: Statement, key: x, reason: r, by: a, at: 2026-12-01T00:00:00Z}\n  - {type: Statement, key: x, reason: s, by: a, at: 2026-12-01T00:00:00Z}", "is retracted already"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := seed.Build([]seed.Document{{Name: "000.yaml", Text: []byte(base + "retractions:\n  - " + tc.entry + "\n")}})
			var v *seed.ValidationError
			if !errors.As(err, &v) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "retractions[") {
				t.Errorf("err = %v, want a problem at retractions[...] saying %q", err, tc.want)
			}
		})
	}

	s, _ := openFile(t)
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	yaml := "source: {slug: extra, title: Extra, paragraphs: 1, publishedOn: 2025-01-01}\nretractions:\n  - {type: Statement, key: x, reason: r, by: a, at: 2026-12-01T00:00:00Z}\n"
	_, _, err := seed.Apply(t.Context(), s, seed.Files(), seed.Changeset{YAML: yaml, Message: "m", Author: "alice"})
	var e *db.Error
	if !errors.As(err, &e) || e.Code != db.EINVALID || e.Field != "input.yaml.retractions" {
		t.Errorf("a changeset with retractions: %v, want EINVALID at input.yaml.retractions", err)
	}

	missing, _ := openFile(t)
	docs := []seed.Document{{Name: "000.yaml", Text: []byte(base + "retractions:\n  - {type: Measurement, key: no-such-fact, reason: r, by: a, at: 2026-12-01T00:00:00Z}\n")}}
	d, err := seed.Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	if err := missing.Replace(t.Context(), d); !isCode(err, db.ENOTFOUND) || !strings.Contains(err.Error(), `"no-such-fact"`) {
		t.Errorf("a retraction of no fact: %v, want ENOTFOUND naming the key", err)
	}
}
