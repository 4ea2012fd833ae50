package seed_test

import (
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// TestParse_Evidence checks how the loader reads bases, inference notes,
// attributions, two-sided figures, roles, events and statements, and that
// it refuses an inference without a note.
func TestParse_Evidence(t *testing.T) {
	person := `people:
  - slug: ann
    name: "Ann"
    cite: [1]
`
	t.Run("OKInferredWithNote", func(t *testing.T) {
		d := parse(t, map[string]string{"000_a.yaml": source + `companies:
  - slug: acme
    name: "Acme"
    kind: COMPANY
    country: KZ
    cite: [1]
    inferred:
      country: "From the name."
    measurements:
      - metric: BILATERAL_TRADE
        value: 5
        unit: "USD"
        asOf: "2022"
        status: ACTUAL
        cite: 2
        counterparty: acme
        periodStart: "2020"
        periodEnd: "2022"
        attributedTo: ann
        basis: INFERRED
        inferenceNote: "Read from a chart."
` + person})
		m := d.Measurements[0]
		if m.Basis != db.Inferred || m.InferenceNote == nil || *m.InferenceNote != "Read from a chart." {
			t.Errorf("measurement basis %q note %v, want INFERRED with its note", m.Basis, m.InferenceNote)
		}
		if m.CounterpartyID == nil || *m.CounterpartyID != d.Companies[0].ID || m.PeriodStart.String() != "2020" || m.PeriodEnd.String() != "2022" {
			t.Errorf("two-sided figure: counterparty %v, period %v to %v", m.CounterpartyID, m.PeriodStart, m.PeriodEnd)
		}
		if m.AttributedTo == nil || *m.AttributedTo != (db.ActorRef{Type: "Person", ID: d.People[0].ID}) {
			t.Errorf("attributed to %v, want Ann", m.AttributedTo)
		}
		if got := d.AttributeInferences; len(got) != 1 || got[0].Attribute != "country" || got[0].Note != "From the name." {
			t.Errorf("attribute inferences %+v, want the country's", got)
		}
	})

	t.Run("OKStatementEventRoles", func(t *testing.T) {
		d := parse(t, map[string]string{"000_a.yaml": source + acme + person + `meetings:
  - slug: 2024-05-01-ann
    date: "2024-05-01"
    participants: [ann]
    organizations: [acme]
    roles: {ann: GUEST}
    event: trip
    cite: [1]
    inferred:
      organizations/acme: "Ann works there."
events:
  - slug: trip
    name: "Trip"
    kind: WORKING_TRIP
    start: "2024-05"
    cite: [1]
statements:
  - speaker: ann
    meeting: 2024-05-01-ann
    about: [acme, "event:trip"]
    summary: "Acme is doing well."
    cite: 3
`})
		if len(d.Events) != 1 || d.Meetings[0].EventID == nil || *d.Meetings[0].EventID != d.Events[0].ID {
			t.Fatalf("events %+v, meeting event %v", d.Events, d.Meetings[0].EventID)
		}
		st := d.Statements[0]
		if st.Slug != "aaaa-3-ann" || st.Date != nil || st.Basis != db.Stated || st.MeetingID == nil {
			t.Errorf("statement %+v: want slug aaaa-3-ann, no date, stated, at the meeting", st)
		}
		var about []string
		for _, s := range d.StatementSubjects {
			about = append(about, s.Subject.Type)
		}
		if strings.Join(about, ",") != "Company,Event" {
			t.Errorf("statement is about %v, want Company,Event", about)
		}
		for _, l := range d.Links {
			switch l.Kind {
			case db.MeetingParticipant:
				if l.Role == nil || *l.Role != "GUEST" || l.Basis == db.Inferred {
					t.Errorf("participant link %+v, want a stated GUEST", l)
				}
			case db.MeetingOrganization:
				if l.Basis != db.Inferred || l.InferenceNote == nil {
					t.Errorf("organization link %+v, want inferred with a note", l)
				}
			}
		}
	})

	for _, tt := range []struct {
		name, yaml string
		want       []string
	}{
		{"ErrInferenceWithoutNote", acme + `projects:
  - slug: plant
    name: "Plant"
    sector: REFINING
    status: PROPOSED
    cite: [2]
    participants:
      - company: acme
        role: OPERATOR
        cite: [2]
        basis: INFERRED
`, []string{"participants[0]", "INFERRED needs an inferenceNote"}},
		{"ErrNoteWithoutInference", acme + `projects:
  - slug: plant
    name: "Plant"
    sector: REFINING
    status: PROPOSED
    cite: [2]
    amounts:
      - amount: 5
        currency: USD
        cite: 2
        inferenceNote: "A guess."
`, []string{"amounts[0]", "inferenceNote is for inferred facts"}},
		{"ErrUnknownBasis", acme + person + `statements:
  - speaker: ann
    about: [acme]
    summary: "Something."
    cite: 1
    basis: GUESSED
`, []string{"statements[0]", "basis", `"GUESSED"`}},
		{"ErrEmptyAttributeNote", `companies:
  - slug: acme
    name: "Acme"
    kind: COMPANY
    cite: [1]
    inferred:
      kind: " "
`, []string{"inferred kind", "empty"}},
		{"ErrInferredAttributeWithoutValue", `companies:
  - slug: acme
    name: "Acme"
    kind: COMPANY
    cite: [1]
    inferred:
      country: "From the name."
`, []string{"inferred country", "no country to infer"}},
		{"ErrInferredLinkNotListed", acme + person + `meetings:
  - slug: 2024-05-01-ann
    date: "2024-05-01"
    participants: [ann]
    cite: [1]
    inferred:
      organizations/acme: "Ann works there."
`, []string{"inferred organizations/acme", "not in the meeting organizations"}},
		{"ErrRoleOfNonParticipant", acme + person + `meetings:
  - slug: 2024-05-01-ann
    date: "2024-05-01"
    organizations: [acme]
    roles: {ann: HOST}
    cite: [1]
`, []string{"roles", `"ann" is not a participant`}},
		{"ErrUnknownActor", acme + `projects:
  - slug: plant
    name: "Plant"
    sector: REFINING
    status: PROPOSED
    cite: [2]
    amounts:
      - amount: 5
        currency: USD
        cite: 2
        attributedTo: nobody
`, []string{"attributedTo", `"nobody"`}},
		{"ErrStatementWithoutSummary", acme + person + `statements:
  - speaker: ann
    about: [acme]
    cite: 1
`, []string{"statements[0]", "summary is required"}},
		{"ErrStatementAboutNothingKnown", person + `statements:
  - speaker: ann
    about: [ghost]
    summary: "Something."
    cite: 1
`, []string{"about[0]", `no object "ghost"`}},
		{"ErrAgreementStatus", acme + `agreements:
  - slug: deal
    title: "Deal"
    kind: AGREEMENT
    status: DREAMT
    cite: [1]
`, []string{"status", `"DREAMT"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := seed.Parse(mapFS(map[string]string{"000_a.yaml": source + tt.yaml}))
			if err == nil {
				t.Fatal("parsed without error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
