package graph

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// revisionStore returns a seeded store, its file and a function that applies a
// small changeset of its own (the n-th) to it.
func revisionStore(t *testing.T) (*db.Store, string, func(n int) *db.Revision) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	return s, path, func(n int) *db.Revision {
		t.Helper()
		yaml := fmt.Sprintf("source:\n  slug: \"example-%d\"\n  title: \"Example %d\"\n  publishedOn: \"2026-12-01\"\n  paragraphs: 1\n"+
			"companies:\n  - slug: kazakhstan\n    cite: [1]\n", n, n)
		rev, _, err := seed.Apply(context.Background(), s, seed.Files(), seed.Changeset{YAML: yaml, Message: "m", Author: "alice"})
		if err != nil {
			t.Fatal(err)
		}
		return rev
	}
}

// TestSlowSubscriber fills a subscriber's buffer of 2 with revisions it
// never takes: the third ends its stream, after the two it holds, with an
// error naming the last of them.
func TestSlowSubscriber(t *testing.T) {
	s, _, apply := revisionStore(t)
	r := &Resolver{Store: s, SubscriberBuffer: 2}
	ctx, cancel := context.WithCancel(WithStreamEnd(t.Context()))
	defer cancel()
	ch, err := r.subscribeRevisions(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for n := 1; n <= 3; n++ {
		ids = append(ids, apply(n).ID)
	}
	// Taking a revision would make room for the next: wait for the stream
	// to end before taking any.
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
	for rev := range ch { // closed once the stream ends
		got = append(got, rev.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint(ids[:2]) {
		t.Errorf("delivered %v, want %v", got, ids[:2])
	}
	e := StreamEnd(ctx)
	if e == nil {
		t.Fatal("no error ended the stream")
	}
	if e.Extensions["code"] != CodeSubscriberTooSlow || e.Extensions["after"] != revisionID(ids[1]) {
		t.Errorf("error = %s %v", e.Message, e.Extensions)
	}
	if StreamEnd(ctx) != nil {
		t.Error("StreamEnd gave its error twice")
	}

	t.Run("ReconnectGetsWhatItMissed", func(t *testing.T) {
		ctx, cancel := context.WithCancel(WithStreamEnd(t.Context()))
		defer cancel()
		after := e.Extensions["after"].(string)
		// A buffer of 1 does not end a backlog of revisions committed
		// before the subscription: they wait for the subscriber.
		ch, err := (&Resolver{Store: s, SubscriberBuffer: 1}).subscribeRevisions(ctx, &after)
		if err != nil {
			t.Fatal(err)
		}
		if rev := <-ch; rev == nil || rev.ID != ids[2] {
			t.Fatalf("missed revision = %v, want %d", rev, ids[2])
		}
		fourth := apply(4)
		if rev := <-ch; rev == nil || rev.ID != fourth.ID {
			t.Fatalf("next revision = %v, want %d", rev, fourth.ID)
		}
		if StreamEnd(ctx) != nil {
			t.Error("the stream ended")
		}
	})
	t.Run("ErrBadAfter", func(t *testing.T) {
		for _, after := range []string{"x", GlobalID(typeCompany, "kazakhstan"), GlobalID(typeRevision, "0"), GlobalID(typeRevision, "a")} {
			if _, err := r.subscribeRevisions(t.Context(), &after); db.ErrorCode(err) != db.EINVALID {
				t.Errorf("after %q: %v", after, err)
			}
		}
	})
}

// TestSubscriberSeesOtherProcesses subscribes through one store and
// commits through another on the same file, as two processes would: the
// subscriber finds the revision when it next looks.
func TestSubscriberSeesOtherProcesses(t *testing.T) {
	_, path, apply := revisionStore(t)
	other, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ch, err := (&Resolver{Store: other}).subscribeRevisions(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	rev := apply(1)
	select {
	case got := <-ch:
		if got == nil || got.ID != rev.ID {
			t.Errorf("got %v, want revision %d", got, rev.ID)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the revision did not arrive")
	}
}
