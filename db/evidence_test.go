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
	var stmts []string
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
