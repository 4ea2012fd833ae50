package main

import (
	"strings"
	"testing"
	"time"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// replicaChangeset brings a source and a company of its own.
var replicaChangeset = graphtest.Changeset{Message: "a report read on the other replica", YAML: `source:
  slug: "example-replica"
  title: "Example report written through one replica"
  publishedOn: "2026-12-01"
  paragraphs: 1
companies:
  - slug: example-replica-llp
    name: "Example Replica LLP"
    kind: COMPANY
    country: KZ
    cite: [1]
`}

// TestReplicas runs two gateways, each with a store of its own, over one
// PostgreSQL database, as two replicas behind a load balancer: a
// changeset written through one is read, and received by a changes
// subscription, through the other, whose response cache does not serve
// what it had kept from before the write.
func TestReplicas(t *testing.T) {
	dsn := newPostgresDatabase(t)
	writer := graphtest.New(t, graphtest.WithDatabase(dsn))
	reader := graphtest.New(t, graphtest.WithDatabase(dsn),
		graphtest.WithOptions(httpapi.Options{ResponseCache: 64, RateLimit: httpapi.RateLimit{}}))
	if writer.Store.Engine() != "postgres" || reader.Store == writer.Store {
		t.Fatalf("engines %s and %s, want two PostgreSQL stores", writer.Store.Engine(), reader.Store.Engine())
	}

	const q = `{ company(slug: "example-replica-llp") { name } revisions { totalCount } }`
	const before = `{"company":null,"revisions":{"totalCount":0}}`
	for i := range 2 { // the second answer is the cached one
		r := reader.MustQuery(t, q, nil, nil)
		if got := string(r.Data); got != before {
			t.Fatalf("before the write: %s, want %s", got, before)
		}
		if i == 1 && r.Statements() != 0 {
			t.Fatalf("the repeated request ran %d statements, want none: an answer of the response cache", r.Statements())
		}
	}
	sub := reader.Subscribe(t, graphtest.ChangesSubscription, nil)
	defer sub.Close()

	secret := writer.NewToken(t, "replica-editor", db.RoleEditor)
	editor := writer.As(secret)
	rev, _ := editor.ApplyChangeset(t, replicaChangeset)

	done := make(chan graphtest.ChangeEvent, 1)
	go func() {
		var ev graphtest.ChangeEvent
		sub.Next(t, &ev)
		done <- ev
	}()
	select {
	case ev := <-done:
		if ev.Changes.Revision.ID != rev.ID || ev.Changes.Revision.Author != "replica-editor" {
			t.Errorf("the other replica's subscriber got %+v, want revision %s by replica-editor", ev.Changes.Revision, rev.ID)
		}
		// That the notification, not a poll, wakes the subscriber is
		// TestRevisionCommittedByAnotherStore's (db): a test timed here
		// would fail on a busy machine.
	case <-time.After(10 * time.Second):
		t.Fatal("the other replica's subscriber got nothing within 10s")
	}
	const after = `{"company":{"name":"Example Replica LLP"},"revisions":{"totalCount":1}}`
	r := reader.MustQuery(t, q, nil, nil)
	if got := string(r.Data); got != after || r.Statements() == 0 {
		t.Errorf("the other replica after the write: %s from %d statements, want %s read anew, not the cached answer", got, r.Statements(), after)
	}
	t.Run("TheTokenAndTheKeyOnBoth", func(t *testing.T) {
		// Tokens and idempotency keys live in the database: the token
		// made through the writer's store is accepted by the reader, and
		// a changeset sent through the reader with a key is replayed when
		// sent again with it through the writer.
		again := graphtest.Changeset{Message: "a second report", IdempotencyKey: "replica-key",
			YAML: strings.ReplaceAll(replicaChangeset.YAML, "example-replica\"", "example-replica-2\"")}
		first, replayed := reader.As(secret).ApplyChangeset(t, again)
		if replayed {
			t.Fatal("the first sending of the key was replayed")
		}
		second, replayed := editor.ApplyChangeset(t, again)
		if !replayed || second.ID != first.ID {
			t.Errorf("sent again through the other replica: revision %s, replayed %v; want %s replayed", second.ID, replayed, first.ID)
		}
	})
}
