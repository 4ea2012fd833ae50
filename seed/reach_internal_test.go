package seed

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed/changegen"
)

// TestReach_ComparesAsTheWholeGraph holds a revision's counts, touched
// objects and changes, compared over the objects reachOf gives, to those
// compared over every object: over the built-in seed's articles merged one
// by one, and over generated sequences of changesets that cite and extend
// the seed's entities and earlier changesets', with meeting participations
// retracted from both graphs in between, as a revision log replays them.
func TestReach_ComparesAsTheWholeGraph(t *testing.T) {
	names, err := fs.Glob(Files(), "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	var docs []Document
	for _, name := range names {
		text, err := fs.ReadFile(Files(), name)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, Document{Name: name, Text: text})
	}
	t.Run("seed", func(t *testing.T) {
		for k := 1; k < len(docs); k++ {
			compareReach(t, docs[:k], docs[:k+1], nil, docs[k].Name)
		}
	})
	for n := range uint64(3) {
		t.Run(fmt.Sprint("sequence", n), func(t *testing.T) {
			g := changegen.New(n, fmt.Sprintf("r%d", n))
			r := rand.New(rand.NewPCG(n, 11))
			log := slices.Clone(docs)
			var withdrawn []string
			for step := range 12 {
				c := g.Next(5 + r.IntN(120))
				next := append(slices.Clone(log), Document{Name: fmt.Sprintf("changeset %d", step+1), Text: []byte(c.YAML)})
				if step%3 == 2 {
					if key := someParticipation(t, log); key != "" && !slices.Contains(withdrawn, key) {
						withdrawn = append(withdrawn, key)
					}
				}
				compareReach(t, log, next, withdrawn, fmt.Sprint("changeset ", step+1))
				log = next
			}
			if len(withdrawn) == 0 {
				t.Error("no meeting participation was withdrawn: the sequence tests no retraction")
			}
		})
	}
}

// compareReach builds the graphs of before and after, withdraws the
// meeting participations of withdrawn from both, and compares what a
// revision records of them over reachOf with the same over every object.
func compareReach(t *testing.T, before, after []Document, withdrawn []string, name string) {
	t.Helper()
	b, err := Build(before)
	if err != nil {
		t.Fatalf("%s: build before: %v", name, err)
	}
	a, err := Build(after)
	if err != nil {
		t.Fatalf("%s: build after: %v", name, err)
	}
	for _, key := range withdrawn {
		if _, ok := withdrawParticipant(b, key); !ok {
			t.Fatalf("%s: no participation %s before", name, key)
		}
		if _, ok := withdrawParticipant(a, key); !ok {
			t.Fatalf("%s: no participation %s after", name, key)
		}
	}
	r := reachOf(b, a)
	if r == nil {
		t.Fatalf("%s: no reach: the document adds no source", name)
	}
	if objects := len(a.Companies) + len(a.People) + len(a.Projects) + len(a.Meetings) + len(a.Agreements); len(r) >= objects {
		t.Errorf("%s: the reach holds %d objects of %d: it restricts nothing", name, len(r), objects)
	}
	whole, restricted := difference(b, a), differenceOf(b, a, fingerprints(b, r), fingerprints(a, r))
	if !reflect.DeepEqual(restricted, whole) {
		t.Errorf("%s: over the reach the revision is %+v, over the whole graph %+v", name, restricted, whole)
	}
	if got, want := nodeChangesOf(describe(b, r), describe(a, r)), nodeChanges(b, a); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: over the reach %d objects changed, over the whole graph %d:\n%+v\nwant\n%+v", name, len(got), len(want), got, want)
	}
}

// someParticipation returns the key of a meeting participation of the
// graph of docs, "" when it has none.
func someParticipation(t *testing.T, docs []Document) string {
	t.Helper()
	d, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range slices.Backward(d.Links) {
		if l.Kind == db.MeetingParticipant {
			return d.Meetings[l.From-1].Slug + "|" + d.People[l.To-1].Slug
		}
	}
	return ""
}
