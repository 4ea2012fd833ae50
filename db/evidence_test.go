package db_test

import (
	"path/filepath"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// withoutEvidence returns the built-in seed as it was curated before
// migration 0007: no statements, events or inferences, every fact stated.
func withoutEvidence(t *testing.T) *db.Dataset {
	t.Helper()
	d := seedDataset(t)
	d.Events, d.Statements, d.StatementSubjects, d.AttributeInferences = nil, nil, nil, nil
	for _, p := range d.Positions {
		p.Basis, p.InferenceNote, p.AttributedTo = "", nil, nil
	}
	for _, p := range d.Participants {
		p.Basis, p.InferenceNote = "", nil
	}
	for _, m := range d.Measurements {
		m.Basis, m.InferenceNote, m.AttributedTo, m.CounterpartyID, m.PeriodStart, m.PeriodEnd = "", nil, nil, nil, nil, nil
	}
	for _, m := range d.Milestones {
		m.Basis, m.InferenceNote = "", nil
	}
	for _, a := range d.Amounts {
		a.Basis, a.InferenceNote, a.AttributedTo = "", nil, nil
	}
	for i := range d.Links {
		d.Links[i].Basis, d.Links[i].InferenceNote, d.Links[i].Role = "", nil, nil
	}
	for _, m := range d.Meetings {
		m.EventID = nil
	}
	for _, a := range d.Agreements {
		a.Status, a.PartOfID, a.EventID = "", nil, nil
	}
	return d
}

// TestOpen_UpgradeAddsEvidence opens a loaded database that predates
// migration 0007: the migration adds the bases (all stated, as the data was
// curated), the new tables and the event citations, and gives the rows
// what a fresh load of the same data writes.
func TestOpen_UpgradeAddsEvidence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(t.Context(), withoutEvidence(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want := dump(t, path)
	// Take the database back to before migration 0007. Columns a foreign key
	// names cannot be dropped, so those tables are copied without them.
	// Migration 0009 goes first, as it adds to some of them.
	stmts := beforeRetractions()
	for table, cols := range map[string][]string{
		"positions":             {"basis", "inference_note", "attributed_type", "attributed_id"},
		"project_participants":  {"basis", "inference_note"},
		"milestones":            {"basis", "inference_note"},
		"amounts":               {"basis", "inference_note", "attributed_type", "attributed_id"},
		"meeting_participants":  {"basis", "inference_note", "role"},
		"meeting_organizations": {"basis", "inference_note"},
		"meeting_projects":      {"basis", "inference_note"},
		"agreement_parties":     {"basis", "inference_note"},
		"agreement_signatories": {"basis", "inference_note"},
		"agreement_projects":    {"basis", "inference_note"},
	} {
		for _, c := range cols {
			stmts = append(stmts, `ALTER TABLE `+table+` DROP COLUMN `+c)
		}
	}
	for table, cols := range map[string]string{
		"agreements": `id, slug, title, kind, signed_on, signed_start, signed_end, document_count, document_count_approximation,
			meeting_id, summary, first_reported`,
		"meetings": `id, slug, date, date_start, date_end, location, occasion, summary, first_reported`,
		"measurements": `id, company_id, project_id, metric, label, value, unit, approximation, as_of, as_of_start, as_of_end,
			status, source_id, paragraph, reported`,
	} {
		stmts = append(stmts, `CREATE TABLE old_`+table+` AS SELECT `+cols+` FROM `+table, `DROP TABLE `+table,
			`ALTER TABLE old_`+table+` RENAME TO `+table)
	}
	stmts = append(stmts, `DROP TABLE statement_subjects`, `DROP TABLE statements`, `DROP TABLE attribute_inferences`,
		`DROP TABLE events`, `DELETE FROM schema_migrations WHERE version = 7`)
	rollBack(t, path, stmts...)
	wantUpgraded(t, path, want)
}

// TestAsOf_StatementsAndEvents checks that a statement is visible once its
// paragraph is published and its speaker reported, an event once a source
// cites it, and that search, the timeline, lists and edges agree.
func TestAsOf_StatementsAndEvents(t *testing.T) {
	d := lateDataset()
	day := db.MustParsePartialDate("2020-01")
	early1 := db.Citation{SourceID: 1, Paragraph: 3}
	d.Statements = []*db.Statement{
		// Said by a person only the late source reports.
		{ID: 1, Slug: "pat-says", SpeakerID: 1, Date: &day, Summary: "Pat speaks of pipelines", Citation: early1},
		// Said by a person the early source reports, about a late project.
		{ID: 2, Slug: "dana-says", SpeakerID: 2, Date: &day, Summary: "Dana speaks of turbines", Citation: early1, EventID: ptr64(1)},
	}
	d.StatementSubjects = []db.StatementSubject{{StatementID: 2, Subject: db.NodeRef{Type: "Project", ID: 1}}}
	// The event is cited by the late source only; the early meeting is part of it.
	d.Events = []*db.Event{{ID: 1, Slug: "late-visit", Name: "Late visit", Kind: "VISIT", Start: &day}}
	d.Meetings[1].EventID = ptr64(1)
	d.Citations = append(d.Citations, db.SubjectCitation{SubjectKey: db.SubjectKey{Subject: db.SubjectEvent, ID: 1},
		Citation: db.Citation{SourceID: 3, Paragraph: 1}})
	s, _ := newStore(t)
	if err := s.Replace(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		date                 string
		statements, events   int
		searchHits, timeline int
		said, partOf         int
	}{
		{early, 1, 0, 1, 1, 1, 0},
		{late, 2, 1, 2, 3, 2, 1},
	} {
		ctx := asOf(t, tt.date)
		page, err := s.FindStatements(ctx, db.StatementFilter{}, db.Order{}, db.PageArgs{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := totalCount(t, page); got != tt.statements || len(page.Items) != tt.statements {
			t.Errorf("as of %s: %d statements, want %d", tt.date, got, tt.statements)
		}
		events, err := s.FindEvents(ctx, db.EventFilter{}, db.Order{}, db.PageArgs{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := totalCount(t, events); got != tt.events {
			t.Errorf("as of %s: %d events, want %d", tt.date, got, tt.events)
		}
		_, hits, err := s.Search(ctx, "speaks", []string{"STATEMENT"}, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if hits != tt.searchHits {
			t.Errorf("as of %s: %d statements found, want %d", tt.date, hits, tt.searchHits)
		}
		_, n, err := s.Timeline(ctx, db.TimelineFilter{Kinds: []db.TimelineKind{"STATEMENT", "EVENT"}}, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if n != tt.timeline {
			t.Errorf("as of %s: %d statements and events in the timeline, want %d", tt.date, n, tt.timeline)
		}
		edges, err := s.Edges(ctx, []db.NodeRef{{Type: "Person", ID: 1}, {Type: "Person", ID: 2}, {Type: "Meeting", ID: 2}})
		if err != nil {
			t.Fatal(err)
		}
		said, partOf := 0, 0
		for _, e := range edges {
			switch e.Type {
			case "SAID":
				said++
			case "PART_OF":
				partOf++
			}
		}
		if said != tt.said || partOf != tt.partOf {
			t.Errorf("as of %s: %d SAID and %d PART_OF edges, want %d and %d", tt.date, said, partOf, tt.said, tt.partOf)
		}
		byEvent, err := s.FindMeetingsByEventIDs(ctx, []int64{1})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(byEvent[1]); got != tt.partOf {
			t.Errorf("as of %s: the event has %d meetings, want %d", tt.date, got, tt.partOf)
		}
	}
}

func ptr64(v int64) *int64 { return &v }
