package graph

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/model"
	"github.com/investgraph/investgraph/seed"
)

// seedFile converts the structured form of a changeset into the seed File
// its YAML form decodes into, field for field, so that the seed loader
// checks both alike. Only what YAML writes as a map and GraphQL as a list
// (inferred, roles) is checked here: a key given twice, which YAML refuses
// as a duplicate mapping key.
func seedFile(in *model.SeedFileInput) (*seed.File, error) {
	c := converter{}
	f := &seed.File{}
	if in.Source != nil {
		s := in.Source
		f.Source = seed.SourceEntry{Slug: str(s.Slug), Title: str(s.Title), Publisher: str(s.Publisher),
			Attribution: str(s.Attribution), PublishedOn: str(s.PublishedOn), Paragraphs: num(s.Paragraphs), Text: s.Text}
	}
	for i, x := range in.Companies {
		at := fmt.Sprintf("companies[%d]", i)
		f.Companies = append(f.Companies, seed.CompanyEntry{Slug: str(x.Slug), Name: str(x.Name), Aliases: x.Aliases,
			Kind: str(x.Kind), Country: str(x.Country), Parent: str(x.Parent), Founded: str(x.Founded),
			Headquarters: str(x.Headquarters), Description: str(x.Description), Cite: x.Cite,
			Measurements: measurements(x.Measurements), Inferred: c.inferred(at, x.Inferred)})
	}
	for i, x := range in.People {
		at := fmt.Sprintf("people[%d]", i)
		p := seed.PersonEntry{Slug: str(x.Slug), Name: str(x.Name), Aliases: x.Aliases, Description: str(x.Description),
			Cite: x.Cite, Inferred: c.inferred(at, x.Inferred)}
		for _, y := range x.Positions {
			p.Positions = append(p.Positions, seed.PositionEntry{Organization: str(y.Organization), Title: str(y.Title),
				ReportedOn: str(y.ReportedOn), Cite: y.Cite, AttributedTo: str(y.AttributedTo), Evidence: evidence(y.Basis, y.InferenceNote)})
		}
		f.People = append(f.People, p)
	}
	for i, x := range in.Projects {
		at := fmt.Sprintf("projects[%d]", i)
		p := seed.ProjectEntry{Slug: str(x.Slug), Name: str(x.Name), Aliases: x.Aliases, Sector: str(x.Sector),
			Status: str(x.Status), Region: str(x.Region), Description: str(x.Description), Cite: x.Cite,
			Measurements: measurements(x.Measurements), Amounts: amounts(x.Amounts), Inferred: c.inferred(at, x.Inferred)}
		for _, y := range x.Participants {
			p.Participants = append(p.Participants, seed.ParticipantEntry{Company: str(y.Company), Role: str(y.Role),
				Cite: y.Cite, Evidence: evidence(y.Basis, y.InferenceNote)})
		}
		for _, y := range x.Milestones {
			p.Milestones = append(p.Milestones, seed.MilestoneEntry{Name: str(y.Name), Date: str(y.Date), Status: str(y.Status),
				Cite: num(y.Cite), Evidence: evidence(y.Basis, y.InferenceNote)})
		}
		f.Projects = append(f.Projects, p)
	}
	for i, x := range in.Meetings {
		at := fmt.Sprintf("meetings[%d]", i)
		f.Meetings = append(f.Meetings, seed.MeetingEntry{Slug: str(x.Slug), Date: str(x.Date), Location: str(x.Location),
			Occasion: str(x.Occasion), Summary: str(x.Summary), Participants: x.Participants, Organizations: x.Organizations,
			Topics: x.Topics, Projects: x.Projects, Cite: x.Cite, Roles: c.roles(at, x.Roles), Event: str(x.Event),
			Inferred: c.inferred(at, x.Inferred)})
	}
	for i, x := range in.Agreements {
		at := fmt.Sprintf("agreements[%d]", i)
		f.Agreements = append(f.Agreements, seed.AgreementEntry{Slug: str(x.Slug), Title: str(x.Title), Kind: str(x.Kind),
			SignedOn: str(x.SignedOn), Summary: str(x.Summary), Parties: x.Parties, Signatories: x.Signatories,
			Projects: x.Projects, Meeting: str(x.Meeting), DocumentCount: num(x.DocumentCount),
			DocumentCountApproximation: str(x.DocumentCountApproximation), Amounts: amounts(x.Amounts), Cite: x.Cite,
			Status: str(x.Status), PartOf: str(x.PartOf), Event: str(x.Event), Inferred: c.inferred(at, x.Inferred)})
	}
	for i, x := range in.Events {
		at := fmt.Sprintf("events[%d]", i)
		f.Events = append(f.Events, seed.EventEntry{Slug: str(x.Slug), Name: str(x.Name), Kind: str(x.Kind),
			Start: str(x.Start), End: str(x.End), Location: str(x.Location), Description: str(x.Description),
			PartOf: str(x.PartOf), Cite: x.Cite, Inferred: c.inferred(at, x.Inferred)})
	}
	for _, x := range in.Statements {
		f.Statements = append(f.Statements, seed.StatementEntry{Slug: str(x.Slug), Speaker: str(x.Speaker), Date: str(x.Date),
			Meeting: str(x.Meeting), Event: str(x.Event), About: x.About, Summary: str(x.Summary), Cite: num(x.Cite),
			Evidence: evidence(x.Basis, x.InferenceNote)})
	}
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	return f, nil
}

// converter collects the problems of the lists that become maps.
type converter struct{ errs []error }

func (c *converter) inferred(at string, in []*model.SeedInferenceInput) seed.Inferred {
	if len(in) == 0 {
		return nil
	}
	out := seed.Inferred{}
	for i, x := range in {
		if j := indexOf(in[:i], x.Key, func(y *model.SeedInferenceInput) string { return y.Key }); j >= 0 {
			c.fail(fmt.Sprintf("%s.inferred[%d].key", at, i), fmt.Sprintf("key %s is given at inferred[%d] already: give each attribute or link once", db.Quote(x.Key), j))
			continue
		}
		out[x.Key] = x.Note
	}
	return out
}

func (c *converter) roles(at string, in []*model.SeedMeetingRoleInput) map[string]string {
	if len(in) == 0 {
		return nil
	}
	out := map[string]string{}
	for i, x := range in {
		if j := indexOf(in[:i], x.Participant, func(y *model.SeedMeetingRoleInput) string { return y.Participant }); j >= 0 {
			c.fail(fmt.Sprintf("%s.roles[%d].participant", at, i), fmt.Sprintf("participant %s has a role at roles[%d] already: give each participant's role once", db.Quote(x.Participant), j))
			continue
		}
		out[x.Participant] = x.Role
	}
	return out
}

// indexOf returns the index of the entry of list whose key is key, or -1.
func indexOf[T any](list []T, key string, keyOf func(T) string) int {
	for j, y := range list {
		if keyOf(y) == key {
			return j
		}
	}
	return -1
}

func (c *converter) fail(field, msg string) {
	c.errs = append(c.errs, &db.Error{Code: db.EINVALID, Field: fileField + "." + field, Message: msg})
}

// fileField is where the structured form sits in the mutation's input.
const fileField = "input.changeset"

func measurements(in []*model.SeedMeasurementInput) []seed.MeasurementEntry {
	var out []seed.MeasurementEntry
	for _, x := range in {
		out = append(out, seed.MeasurementEntry{Metric: str(x.Metric), Label: str(x.Label), Value: float(x.Value),
			Unit: str(x.Unit), Approximation: str(x.Approximation), AsOf: str(x.AsOf), Status: str(x.Status),
			Cite: num(x.Cite), AttributedTo: str(x.AttributedTo), Counterparty: str(x.Counterparty),
			PeriodStart: str(x.PeriodStart), PeriodEnd: str(x.PeriodEnd), Evidence: evidence(x.Basis, x.InferenceNote)})
	}
	return out
}

func amounts(in []*model.SeedAmountInput) []seed.AmountEntry {
	var out []seed.AmountEntry
	for _, x := range in {
		out = append(out, seed.AmountEntry{Amount: float(x.Amount), Currency: str(x.Currency),
			Approximation: str(x.Approximation), Label: str(x.Label), Cite: num(x.Cite),
			AttributedTo: str(x.AttributedTo), Evidence: evidence(x.Basis, x.InferenceNote)})
	}
	return out
}

func evidence(basis, note *string) seed.Evidence {
	return seed.Evidence{Basis: str(basis), InferenceNote: str(note)}
}

// num and float (as str) read an optional input value, absent as YAML's
// zero.
func num(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func float(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// mapEntryField matches the place of a problem with one entry of a map,
// which the loader names by the map's key.
var mapEntryField = regexp.MustCompile(`^` + regexp.QuoteMeta(fileField) + `\.(\w+)\[(\d+)\]\.(inferred|roles)\.(.+)$`)

// elementFields rewrites the places of problems with an entry of inferred
// or roles, which the loader names by key as YAML writes them
// (companies[0].inferred.parent), as the element of the list that the
// structured form gave (companies[0].inferred[1]).
func elementFields(err error, in *model.SeedFileInput) error {
	errs := []error{err}
	if many, ok := err.(interface{ Unwrap() []error }); ok {
		errs = many.Unwrap()
	}
	for _, e := range errs {
		var de *db.Error
		if !errors.As(e, &de) {
			continue
		}
		m := mapEntryField.FindStringSubmatch(de.Field)
		if m == nil {
			continue
		}
		i, _ := strconv.Atoi(m[2])
		if j := mapEntryIndex(in, m[1], i, m[3], m[4]); j >= 0 {
			de.Field = fmt.Sprintf("%s.%s[%d].%s[%d]", fileField, m[1], i, m[3], j)
		}
	}
	return err
}

// mapEntryIndex is the index of key in the inferred or roles list of the
// i-th entry of list, or -1.
func mapEntryIndex(in *model.SeedFileInput, list string, i int, field, key string) int {
	if field == "roles" {
		if list != "meetings" || i >= len(in.Meetings) {
			return -1
		}
		return indexOf(in.Meetings[i].Roles, key, func(r *model.SeedMeetingRoleInput) string { return r.Participant })
	}
	var inferred []*model.SeedInferenceInput
	switch {
	case list == "companies" && i < len(in.Companies):
		inferred = in.Companies[i].Inferred
	case list == "people" && i < len(in.People):
		inferred = in.People[i].Inferred
	case list == "projects" && i < len(in.Projects):
		inferred = in.Projects[i].Inferred
	case list == "meetings" && i < len(in.Meetings):
		inferred = in.Meetings[i].Inferred
	case list == "agreements" && i < len(in.Agreements):
		inferred = in.Agreements[i].Inferred
	case list == "events" && i < len(in.Events):
		inferred = in.Events[i].Inferred
	}
	return indexOf(inferred, key, func(x *model.SeedInferenceInput) string { return x.Key })
}
