package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/model"
	"github.com/investgraph/investgraph/seed"
)

// TestSlowChangesSubscriber fills the buffer of 2 of a subscriber to
// projects' changes with revisions interleaved with others that touch no
// project: those are not sent and take no room, so the stream ends at the
// third project revision, after the two it holds, with an error whose
// after is the last revision looked at.
func TestSlowChangesSubscriber(t *testing.T) {
	s, _, apply := revisionStore(t)
	withProject := func(n int) *db.Revision {
		t.Helper()
		yaml := fmt.Sprintf("source:\n  slug: \"example-p%d\"\n  title: \"Example %d\"\n  publishedOn: \"2026-12-01\"\n  paragraphs: 1\n"+
			"projects:\n  - slug: example-project-%d\n    name: \"Example project %d\"\n    sector: POWER\n    status: PROPOSED\n    cite: [1]\n", n, n, n, n)
		rev, _, err := seed.Apply(context.Background(), s, seed.Files(), seed.Changeset{YAML: yaml, Message: "m", Author: "alice"})
		if err != nil {
			t.Fatal(err)
		}
		return rev
	}
	r := &Resolver{Store: s, SubscriberBuffer: 2}
	ctx, cancel := context.WithCancel(WithStreamEnd(t.Context()))
	defer cancel()
	ch, err := r.subscribeChanges(ctx, nil, []model.ChangeKind{model.ChangeKindProject}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m1, _ := withProject(1), apply(1)
	m2 := withProject(2)
	apply(2)
	last := apply(3)
	withProject(3)

	end := ctx.Value(streamEndKey{}).(*streamEnd)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		end.mu.Lock()
		ended := end.err != nil
		end.mu.Unlock()
		if ended {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the stream did not end")
		}
	}
	var got []int64
	for c := range ch {
		got = append(got, c.Revision.ID)
		if !slices.Equal(c.Kinds, []model.ChangeKind{model.ChangeKindSource, model.ChangeKindProject}) {
			t.Errorf("kinds = %v", c.Kinds)
		}
		if len(c.Selected) != 1 || c.Selected[0].Type != typeProject {
			t.Errorf("selected = %v, want the project alone", c.Selected)
		}
	}
	if want := []int64{m1.ID, m2.ID}; !slices.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
	e := StreamEnd(ctx)
	if e == nil || e.Extensions["code"] != CodeSubscriberTooSlow || e.Extensions["after"] != revisionID(last.ID) {
		t.Errorf("error = %v, want SUBSCRIBER_TOO_SLOW after %s", e, revisionID(last.ID))
	}
}

// TestChangeFilter selects a revision when each filter given matches one
// of the objects it touched.
func TestChangeFilter(t *testing.T) {
	rev := &db.Revision{ID: 7, Touched: []db.SlugRef{{Type: typeSource, Slug: "s"}, {Type: typeCompany, Slug: "kazakhstan"}, {Type: typeProject, Slug: "p"}}}
	kz, other := GlobalID(typeCompany, "kazakhstan"), GlobalID(typePerson, "someone")
	for _, tc := range []struct {
		name     string
		subjects []string
		kinds    []model.ChangeKind
		selected string // the selected refs, or "-" for none
	}{
		{"NoFilter", nil, nil, "[{Source s} {Company kazakhstan} {Project p}]"},
		{"Subject", []string{other, kz}, nil, "[{Company kazakhstan}]"},
		{"OtherSubject", []string{other}, nil, "-"},
		{"Kind", nil, []model.ChangeKind{model.ChangeKindProject, model.ChangeKindMeeting}, "[{Project p}]"},
		{"OtherKind", nil, []model.ChangeKind{model.ChangeKindMeeting}, "-"},
		{"Both", []string{kz}, []model.ChangeKind{model.ChangeKindProject}, "[{Company kazakhstan} {Project p}]"},
		{"SubjectButNotKind", []string{kz}, []model.ChangeKind{model.ChangeKindMeeting}, "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := newChangeFilter(tc.subjects, tc.kinds)
			if err != nil {
				t.Fatal(err)
			}
			c, ok := f.change(rev)
			got := "-"
			if ok {
				got = fmt.Sprint(c.Selected)
				if !slices.Equal(c.Kinds, []model.ChangeKind{model.ChangeKindSource, model.ChangeKindCompany, model.ChangeKindProject}) {
					t.Errorf("kinds = %v", c.Kinds)
				}
			}
			if got != tc.selected {
				t.Errorf("selected %s, want %s", got, tc.selected)
			}
		})
	}
	for _, tc := range []struct {
		name     string
		subjects []string
		kinds    []model.ChangeKind
		field    string
	}{
		{"ErrNotAnID", []string{kz, "nope"}, nil, "subjects[1]"},
		{"ErrRevisionID", []string{revisionID(1)}, nil, "subjects[0]"},
		{"ErrNoSubjects", []string{}, nil, "subjects"},
		{"ErrNoKinds", nil, []model.ChangeKind{}, "kinds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newChangeFilter(tc.subjects, tc.kinds)
			var e *db.Error
			if !errors.As(err, &e) || e.Code != db.EINVALID || e.Field != tc.field {
				t.Errorf("err = %v, want EINVALID at %s", err, tc.field)
			}
		})
	}
}
