package db_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// retractStore returns a store loaded with the built-in seed by
// seed.Load, as the server loads it, and the dataset.
func retractStore(t *testing.T) (*db.Store, string, *db.Dataset) {
	t.Helper()
	s, path := newStore(t)
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	return s, path, seedDataset(t)
}

// retract retracts the fact as the token "editor", failing the test on an
// error.
func retract(t *testing.T, s *db.Store, r seed.Retraction) *db.Revision {
	t.Helper()
	r.Author = "editor"
	rev, _, err := seed.Retract(t.Context(), s, seed.Files(), r)
	if err != nil {
		t.Fatalf("retract %v: %v", r.Fact, err)
	}
	return rev
}

// projectAmounts returns the project of d with the most amounts, and its
// amounts as the store reads them under ctx.
func projectAmounts(t *testing.T, ctx context.Context, s *db.Store, d *db.Dataset) (int64, []*db.Amount) {
	t.Helper()
	n := map[int64]int{}
	var most int64
	for _, a := range d.Amounts {
		if a.ProjectID != nil {
			if n[*a.ProjectID]++; n[*a.ProjectID] > n[most] {
				most = *a.ProjectID
			}
		}
	}
	if n[most] == 0 {
		t.Fatal("no project of the seed has amounts: the test shows nothing")
	}
	got, err := s.FindAmountsByProjectIDs(ctx, []int64{most})
	if err != nil {
		t.Fatal(err)
	}
	return most, got[most]
}

func TestRetract(t *testing.T) {
	ctx := t.Context()
	t.Run("OK", func(t *testing.T) {
		s, _, d := retractStore(t)
		_, before := projectAmounts(t, ctx, s, d)
		countsBefore, err := s.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		moneyBefore, err := s.MoneySummary(ctx, db.ByCompany, "USD")
		if err != nil {
			t.Fatal(err)
		}
		gone := before[0]
		rev := retract(t, s, seed.Retraction{Fact: db.FactRef{Type: db.FactAmount, Key: gone.Key}, Reason: "misread figure",
			Source: d.Sources[0].Slug, Paragraph: 1})
		if rev.Kind != db.RevisionRetraction || rev.Author != "editor" || rev.Message != "misread figure" {
			t.Errorf("revision = %+v, want a retraction by editor with its reason as message", rev)
		}
		var project string
		for _, p := range d.Projects {
			if gone.ProjectID != nil && p.ID == *gone.ProjectID {
				project = p.Slug
			}
		}
		if got, want := fmt.Sprint(rev.Touched), fmt.Sprint([]db.SlugRef{{Type: "Source", Slug: d.Sources[0].Slug}, {Type: "Project", Slug: project}}); got != want {
			t.Errorf("touched = %s, want %s: the cited source and the amount's project", got, want)
		}

		_, after := projectAmounts(t, ctx, s, d)
		if got, want := len(after), len(before)-1; got != want {
			t.Fatalf("%d amounts after the retraction, want %d", got, want)
		}
		for _, a := range after {
			if a.Key == gone.Key {
				t.Errorf("the retracted amount %s is still listed", gone.Key)
			}
		}
		_, all := projectAmounts(t, db.WithRetracted(ctx), s, d)
		if got, want := len(all), len(before); got != want {
			t.Errorf("%d amounts with the retracted ones, want %d", got, want)
		}
		// Under an as-of date too, the retracted fact shows only when asked for.
		asOf := db.WithAsOf(ctx, db.PartialDate{Year: 9999})
		if _, got := projectAmounts(t, asOf, s, d); len(got) != len(after) {
			t.Errorf("as of 9999: %d amounts, want %d", len(got), len(after))
		}
		if _, got := projectAmounts(t, db.WithRetracted(asOf), s, d); len(got) != len(before) {
			t.Errorf("as of 9999 with retracted: %d amounts, want %d", len(got), len(before))
		}

		countsAfter, err := s.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := countsAfter.Amounts, countsBefore.Amounts-1; got != want {
			t.Errorf("counts: %d amounts, want %d", got, want)
		}
		if restricted, err := s.Count(asOf); err != nil || restricted.Amounts != countsAfter.Amounts {
			t.Errorf("counts as of 9999: %v, %v; want %d amounts", restricted, err, countsAfter.Amounts)
		}
		other := otherAmount(t, s, d, gone.Key)
		rets, err := s.FindRetractions(ctx, []db.FactRef{{Type: db.FactAmount, Key: gone.Key}, {Type: db.FactAmount, Key: other}})
		if err != nil {
			t.Fatal(err)
		}
		r := rets[db.FactRef{Type: db.FactAmount, Key: gone.Key}]
		if r == nil || r.Reason != "misread figure" || r.Author != "editor" || r.RevisionID != rev.ID ||
			r.Citation == nil || r.Citation.Paragraph != 1 || !r.At.Equal(rev.CreatedAt) {
			t.Errorf("retraction = %+v, want the revision's author, time and reason with paragraph 1", r)
		}
		if len(rets) != 1 {
			t.Errorf("%d retractions found, want 1: a fact not retracted has none", len(rets))
		}
		moneyAfter, err := s.MoneySummary(ctx, db.ByCompany, "USD")
		if err != nil {
			t.Fatal(err)
		}
		if gone.Currency == "USD" {
			listed := func(m *db.MoneySummary) int {
				n := len(m.Excluded)
				for _, g := range m.Groups {
					n += len(g.Amounts)
				}
				return n
			}
			if listed(moneyAfter) >= listed(moneyBefore) {
				t.Errorf("the money summary lists %d amounts after the retraction, %d before", listed(moneyAfter), listed(moneyBefore))
			}
		}
	})

	t.Run("MoneyTotals", func(t *testing.T) {
		s, _, d := retractStore(t)
		for _, a := range d.Amounts {
			if a.Currency != "USD" || a.Approximation != db.Approximation("EXACT") {
				continue
			}
			before, err := s.MoneySummary(ctx, db.BySector, "USD")
			if err != nil {
				t.Fatal(err)
			}
			key := amountKey(t, s, a)
			if !lists(before, key) {
				continue // not in the USD summary: try the next amount
			}
			retract(t, s, seed.Retraction{Fact: db.FactRef{Type: db.FactAmount, Key: key}, Reason: "double counted"})
			after, err := s.MoneySummary(ctx, db.BySector, "USD")
			if err != nil {
				t.Fatal(err)
			}
			if lists(after, key) {
				t.Errorf("the summary still lists the retracted amount %s", key)
			}
			if after.Total > before.Total {
				t.Errorf("total %v after retracting an amount, %v before", after.Total, before.Total)
			}
			return
		}
		t.Fatal("the seed has no exact USD amount in the summary: the test shows nothing")
	})

	t.Run("EveryKind", func(t *testing.T) {
		s, _, d := retractStore(t)
		ctx := t.Context()
		var facts []db.FactRef
		pos, err := s.FindPositionsByPersonIDs(ctx, []int64{d.Positions[0].PersonID})
		if err != nil {
			t.Fatal(err)
		}
		facts = append(facts, db.FactRef{Type: db.FactPosition, Key: pos[d.Positions[0].PersonID][0].Key})
		parts, err := s.FindParticipantsByProjectIDs(ctx, []int64{d.Participants[0].ProjectID})
		if err != nil {
			t.Fatal(err)
		}
		facts = append(facts, db.FactRef{Type: db.FactParticipant, Key: parts[d.Participants[0].ProjectID][0].Key})
		ms, err := s.FindMilestonesByProjectIDs(ctx, []int64{d.Milestones[0].ProjectID})
		if err != nil {
			t.Fatal(err)
		}
		facts = append(facts, db.FactRef{Type: db.FactMilestone, Key: ms[d.Milestones[0].ProjectID][0].Key})
		facts = append(facts, db.FactRef{Type: db.FactStatement, Key: d.Statements[0].Slug})
		var link db.Link
		for _, l := range d.Links {
			if l.Kind == db.MeetingParticipant {
				link = l
				break
			}
		}
		meeting, person := slugWithID(d.Meetings, link.From, func(m *db.Meeting) (int64, string) { return m.ID, m.Slug }),
			slugWithID(d.People, link.To, func(p *db.Person) (int64, string) { return p.ID, p.Slug })
		facts = append(facts, db.FactRef{Type: db.FactMeetingParticipant, Key: meeting + "|" + person})
		for _, f := range facts {
			rev := retract(t, s, seed.Retraction{Fact: f, Reason: "wrong"})
			if len(rev.Touched) == 0 {
				t.Errorf("the retraction of %v touched nothing", f)
			}
			if f.Type == db.FactMeetingParticipant {
				if got, want := fmt.Sprint(rev.Touched), fmt.Sprint([]db.SlugRef{{Type: "Meeting", Slug: meeting}, {Type: "Person", Slug: person}}); got != want {
					t.Errorf("touched = %s, want %s", got, want)
				}
			}
		}
		if people, _ := s.FindMeetingParticipants(ctx, []int64{link.From}); hasKey(people, person, func(p *db.Person) string { return p.Slug }) {
			t.Error("the retracted meeting participant is listed")
		}
		if ps, _ := s.FindRetractedMeetingParticipations(ctx, []int64{link.From}); len(ps[link.From]) != 1 || ps[link.From][0].PersonID != link.To {
			t.Errorf("retracted participations = %v, want the one retracted", ps[link.From])
		}
		if pos, _ := s.FindPositionsByPersonIDs(ctx, []int64{d.Positions[0].PersonID}); hasKey(pos, facts[0].Key, func(p *db.Position) string { return p.Key }) {
			t.Error("the retracted position is listed")
		}
		if parts, _ := s.FindParticipantsByProjectIDs(ctx, []int64{d.Participants[0].ProjectID}); hasKey(parts, facts[1].Key, func(p *db.ProjectParticipant) string { return p.Key }) {
			t.Error("the retracted participant is listed")
		}
		if ms, _ := s.FindMilestonesByProjectIDs(ctx, []int64{d.Milestones[0].ProjectID}); hasKey(ms, facts[2].Key, func(m *db.Milestone) string { return m.Key }) {
			t.Error("the retracted milestone is listed")
		}
		if _, err := s.FindStatementBySlug(ctx, d.Statements[0].Slug); db.ErrorCode(err) != db.ENOTFOUND {
			t.Errorf("find the retracted statement: %v, want ENOTFOUND", err)
		}
		all := db.WithRetracted(ctx)
		if pos, _ := s.FindPositionsByPersonIDs(all, []int64{d.Positions[0].PersonID}); !hasKey(pos, facts[0].Key, func(p *db.Position) string { return p.Key }) {
			t.Error("the retracted position is not listed with the retracted ones")
		}
		if st, _ := s.FindStatementsBySpeakerIDs(all, []int64{d.Statements[0].SpeakerID}); !hasKey(st, facts[3].Key, func(x *db.Statement) string { return x.Slug }) {
			t.Error("the retracted statement is not listed with the retracted ones")
		}
		hits, _, err := s.Search(ctx, d.Statements[0].Summary, []string{"STATEMENT"}, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if h.ID == d.Statements[0].ID {
				t.Error("search finds the retracted statement")
			}
		}
	})

	t.Run("SurvivesChangesets", func(t *testing.T) {
		s, _, d := retractStore(t)
		_, before := projectAmounts(t, ctx, s, d)
		retract(t, s, seed.Retraction{Fact: db.FactRef{Type: db.FactAmount, Key: before[0].Key}, Reason: "wrong"})
		src := d.Sources[0]
		if _, _, err := seed.Apply(ctx, s, seed.Files(), seed.Changeset{Author: "editor", Message: "more", YAML: fmt.Sprintf(
			"source:\n  slug: retract-test\n  title: A later report\n  publishedOn: 2026-01-01\n  paragraphs: 2\ncompanies:\n  - slug: retract-test-co\n    name: Retract Test Co\n    kind: COMPANY\n    country: KZ\n    cite: [1]\n")}); err != nil {
			t.Fatalf("apply a changeset after the retraction: %v (source %s)", err, src.Slug)
		}
		_, after := projectAmounts(t, ctx, s, d)
		if got, want := len(after), len(before)-1; got != want {
			t.Errorf("%d amounts after the changeset, want %d: the retraction was not replayed", got, want)
		}
		_, all := projectAmounts(t, db.WithRetracted(ctx), s, d)
		if len(all) != len(before) || all[0].Key != before[0].Key {
			t.Errorf("after the changeset the amounts have other keys: %v, want %v", amountKeys(all), amountKeys(before))
		}
	})

	t.Run("Idempotent", func(t *testing.T) {
		s, _, d := retractStore(t)
		_, before := projectAmounts(t, ctx, s, d)
		r := seed.Retraction{Fact: db.FactRef{Type: db.FactAmount, Key: before[0].Key}, Reason: "wrong", IdempotencyKey: "k1", Author: "editor"}
		first, replayed, err := seed.Retract(ctx, s, seed.Files(), r)
		if err != nil || replayed {
			t.Fatalf("first: %v, replayed %v", err, replayed)
		}
		again, replayed, err := seed.Retract(ctx, s, seed.Files(), r)
		if err != nil || !replayed || again.ID != first.ID {
			t.Errorf("again: %v, replayed %v, revision %v; want revision %d replayed", err, replayed, again, first.ID)
		}
	})
}

func TestRetract_BadInput(t *testing.T) {
	ctx := t.Context()
	s, path, d := retractStore(t)
	_, amounts := projectAmounts(t, ctx, s, d)
	retracted := db.FactRef{Type: db.FactAmount, Key: amounts[0].Key}
	retract(t, s, seed.Retraction{Fact: retracted, Reason: "wrong"})
	live := db.FactRef{Type: db.FactAmount, Key: otherAmount(t, s, d, retracted.Key)}
	src := d.Sources[0]
	for _, tc := range []struct {
		name, code, field string
		r                 seed.Retraction
	}{
		{"ErrUnknownFact", db.ENOTFOUND, "input.fact", seed.Retraction{Fact: db.FactRef{Type: db.FactAmount, Key: "no|such|fact"}, Reason: "x"}},
		{"ErrUnknownMeetingParticipant", db.ENOTFOUND, "input.fact", seed.Retraction{Fact: db.FactRef{Type: db.FactMeetingParticipant, Key: "no-meeting|no-person"}, Reason: "x"}},
		{"ErrUnknownStatement", db.ENOTFOUND, "input.fact", seed.Retraction{Fact: db.FactRef{Type: db.FactStatement, Key: "no-such-statement"}, Reason: "x"}},
		{"ErrAlreadyRetracted", db.EINVALID, "input.fact", seed.Retraction{Fact: retracted, Reason: "again"}},
		{"ErrReasonRequired", db.EINVALID, "input.reason", seed.Retraction{Fact: live, Reason: "  "}},
		{"ErrParagraphOutOfRange", db.EINVALID, "input.citation.paragraph", seed.Retraction{Fact: live, Reason: "x", Source: src.Slug, Paragraph: src.Paragraphs + 1}},
		{"ErrParagraphZero", db.EINVALID, "input.citation.paragraph", seed.Retraction{Fact: live, Reason: "x", Source: src.Slug, Paragraph: 0}},
		{"ErrUnknownSource", db.EINVALID, "input.citation.source", seed.Retraction{Fact: live, Reason: "x", Source: "no-such-source", Paragraph: 1}},
		{"ErrKeyTooLong", db.EINVALID, "input.idempotencyKey", seed.Retraction{Fact: live, Reason: "x", IdempotencyKey: strings.Repeat("k", 201)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := dump(t, path)
			tc.r.Author = "editor"
			_, _, err := seed.Retract(ctx, s, seed.Files(), tc.r)
			wantCode(t, err, tc.code)
			var e *db.Error
			if errors.As(err, &e); e.Field != tc.field {
				t.Errorf("field = %q, want %q (%v)", e.Field, tc.field, err)
			}
			if diff := diffDumps(before, dump(t, path)); diff != "" {
				t.Errorf("a refused retraction changed the database: %s", diff)
			}
		})
	}
}

// TestFactKeys_Stable checks that every fact has a key of its own, and the
// same one after a reseed.
func TestFactKeys_Stable(t *testing.T) {
	s, _, d := retractStore(t)
	first := allKeys(t, s, d)
	for typ, ks := range first {
		seen := map[string]bool{}
		for _, k := range ks {
			if k == "" || seen[k] {
				t.Errorf("%s key %q is empty or not unique", typ, k)
			}
			seen[k] = true
		}
	}
	if len(first[db.FactMeasurement]) != len(d.Measurements) || len(first[db.FactAmount]) != len(d.Amounts) ||
		len(first[db.FactPosition]) != len(d.Positions) || len(first[db.FactMilestone]) != len(d.Milestones) ||
		len(first[db.FactParticipant]) != len(d.Participants) {
		t.Fatalf("read %d measurements, %d amounts, %d positions, %d milestones, %d participants; the seed has %d, %d, %d, %d, %d",
			len(first[db.FactMeasurement]), len(first[db.FactAmount]), len(first[db.FactPosition]), len(first[db.FactMilestone]),
			len(first[db.FactParticipant]), len(d.Measurements), len(d.Amounts), len(d.Positions), len(d.Milestones), len(d.Participants))
	}
	if err := seed.Load(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	again := allKeys(t, s, d)
	for typ := range first {
		if fmt.Sprint(first[typ]) != fmt.Sprint(again[typ]) {
			t.Errorf("%s keys changed on reseeding", typ)
		}
	}
}

// allKeys reads the key of every fact of d, by kind, in row order.
func allKeys(t *testing.T, s *db.Store, d *db.Dataset) map[db.FactType][]string {
	t.Helper()
	return keysUnder(t, t.Context(), s, d)
}

// keysUnder reads the key of every fact of d visible under ctx, by kind,
// in the lists' order.
func keysUnder(t *testing.T, ctx context.Context, s *db.Store, d *db.Dataset) map[db.FactType][]string {
	t.Helper()
	out := map[db.FactType][]string{}
	var companies, projects, people, agreements []int64
	for _, c := range d.Companies {
		companies = append(companies, c.ID)
	}
	for _, p := range d.Projects {
		projects = append(projects, p.ID)
	}
	for _, p := range d.People {
		people = append(people, p.ID)
	}
	for _, a := range d.Agreements {
		agreements = append(agreements, a.ID)
	}
	byCompany, err := s.FindMeasurementsByCompanyIDs(ctx, companies)
	if err != nil {
		t.Fatal(err)
	}
	byProject, err := s.FindMeasurementsByProjectIDs(ctx, projects)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range append(flatten(byCompany), flatten(byProject)...) {
		out[db.FactMeasurement] = append(out[db.FactMeasurement], m.Key)
	}
	am1, err := s.FindAmountsByProjectIDs(ctx, projects)
	if err != nil {
		t.Fatal(err)
	}
	am2, err := s.FindAmountsByAgreementIDs(ctx, agreements)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range append(flatten(am1), flatten(am2)...) {
		out[db.FactAmount] = append(out[db.FactAmount], a.Key)
	}
	pos, err := s.FindPositionsByPersonIDs(ctx, people)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range flatten(pos) {
		out[db.FactPosition] = append(out[db.FactPosition], p.Key)
	}
	ms, err := s.FindMilestonesByProjectIDs(ctx, projects)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range flatten(ms) {
		out[db.FactMilestone] = append(out[db.FactMilestone], m.Key)
	}
	parts, err := s.FindParticipantsByProjectIDs(ctx, projects)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range flatten(parts) {
		out[db.FactParticipant] = append(out[db.FactParticipant], p.Key)
	}
	return out
}

func flatten[T any](m map[int64][]T) []T {
	var out []T
	for _, id := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[id]...)
	}
	return out
}

func hasKey[T any](m map[int64][]T, key string, of func(T) string) bool {
	for _, vs := range m {
		for _, v := range vs {
			if of(v) == key {
				return true
			}
		}
	}
	return false
}

func amountKeys(as []*db.Amount) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Key
	}
	return out
}

// lists reports whether m lists the amount of the key, in a group or as
// excluded.
func lists(m *db.MoneySummary, key string) bool {
	for _, g := range m.Groups {
		for _, a := range g.Amounts {
			if a.Key == key {
				return true
			}
		}
	}
	for _, x := range m.Excluded {
		if x.Amount.Key == key {
			return true
		}
	}
	return false
}

// otherAmount returns the key of an amount of d whose key is not key.
func otherAmount(t *testing.T, s *db.Store, d *db.Dataset, key string) string {
	t.Helper()
	for _, a := range d.Amounts {
		if k := amountKey(t, s, a); k != key {
			return k
		}
	}
	t.Fatal("the seed has one amount: the test needs two")
	return ""
}

// amountKey reads the key of the dataset's amount a from the store.
func amountKey(t *testing.T, s *db.Store, a *db.Amount) string {
	t.Helper()
	var got map[int64][]*db.Amount
	var err error
	owner := a.AgreementID
	if a.ProjectID != nil {
		owner = a.ProjectID
		got, err = s.FindAmountsByProjectIDs(db.WithRetracted(t.Context()), []int64{*owner})
	} else {
		got, err = s.FindAmountsByAgreementIDs(db.WithRetracted(t.Context()), []int64{*owner})
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range got[*owner] {
		if x.ID == a.ID {
			return x.Key
		}
	}
	t.Fatalf("amount %d not found", a.ID)
	return ""
}

// TestOpen_UpgradeDerivesFactKeys opens a loaded database that predates
// migration 0009: the migration gives every fact its key, the same rows
// Replace writes.
func TestOpen_UpgradeDerivesFactKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(t.Context(), seedDataset(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want := dump(t, path)
	if len(want["measurements"]) == 0 || !strings.Contains(want["measurements"][0], "|") {
		t.Fatalf("the seed's figures have no keys: the test shows nothing (%v)", want["measurements"][:min(1, len(want["measurements"]))])
	}
	// Take the database back to before migration 0009.
	stmts := beforeRetractions()
	rollBack(t, path, stmts...)
	wantUpgraded(t, path, want)
}

// beforeRetractions are the statements that take a database back to before
// migration 0009, for the tests of upgrades from before it.
func beforeRetractions() []string {
	stmts := []string{`DROP TABLE retractions`, `DROP TABLE revisions`,
		`CREATE TABLE revisions (id INTEGER PRIMARY KEY, author TEXT NOT NULL, created_at TEXT NOT NULL, message TEXT NOT NULL,
			source_slug TEXT NOT NULL, added INTEGER NOT NULL, changed INTEGER NOT NULL, idempotency_key TEXT UNIQUE,
			body TEXT NOT NULL, touched TEXT NOT NULL DEFAULT '[]') STRICT`,
		`CREATE INDEX revisions_by_author ON revisions (author, id)`,
		`CREATE INDEX revisions_by_source ON revisions (source_slug, id)`,
		`DELETE FROM schema_migrations WHERE version = 9`}
	for _, table := range []string{"positions", "project_participants", "measurements", "milestones", "amounts"} {
		stmts = append(stmts, `ALTER TABLE `+table+` DROP COLUMN fact_key`)
	}
	return stmts
}

// slugWithID returns the slug of the value of vs with the id.
func slugWithID[T any](vs []T, id int64, of func(T) (int64, string)) string {
	for _, v := range vs {
		if i, slug := of(v); i == id {
			return slug
		}
	}
	return ""
}

// TestRetract_ListsAgree retracts random sets of facts and holds the two
// ways of reading the fact lists together: the default lists are exactly
// those with the retracted facts, in the same order, less the retracted
// ones, and the counts agree with them.
func TestRetract_ListsAgree(t *testing.T) {
	for seedNo := range uint64(3) {
		t.Run(fmt.Sprint(seedNo), func(t *testing.T) {
			ctx := t.Context()
			s, _, d := retractStore(t)
			original := allKeys(t, s, d)
			rng := rand.New(rand.NewPCG(seedNo, 12))
			retracted := map[db.FactRef]bool{}
			for _, typ := range slices.Sorted(maps.Keys(original)) {
				for _, key := range original[typ] {
					if rng.IntN(4) == 0 {
						f := db.FactRef{Type: typ, Key: key}
						retract(t, s, seed.Retraction{Fact: f, Reason: "wrong"})
						retracted[f] = true
					}
				}
			}
			if len(retracted) == 0 {
				t.Fatal("nothing retracted: the test shows nothing")
			}
			shown, all := allKeys(t, s, d), keysUnder(t, db.WithRetracted(ctx), s, d)
			for typ, keys := range original {
				if fmt.Sprint(all[typ]) != fmt.Sprint(keys) {
					t.Errorf("%s with the retracted ones:\n%v\nwant the lists before any retraction:\n%v", typ, all[typ], keys)
				}
				var want []string
				for _, k := range keys {
					if !retracted[db.FactRef{Type: typ, Key: k}] {
						want = append(want, k)
					}
				}
				if fmt.Sprint(shown[typ]) != fmt.Sprint(want) {
					t.Errorf("%s:\n%v\nwant those with the retracted ones less the retracted:\n%v", typ, shown[typ], want)
				}
			}
			counts, err := s.Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if counts.Measurements != len(shown[db.FactMeasurement]) || counts.Amounts != len(shown[db.FactAmount]) {
				t.Errorf("counts: %d measurements, %d amounts; the lists show %d and %d", counts.Measurements, counts.Amounts,
					len(shown[db.FactMeasurement]), len(shown[db.FactAmount]))
			}
		})
	}
}
