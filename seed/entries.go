package seed

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/investgraph/investgraph/db"
)

func (b *builder) addCompany(fc fileContext, c CompanyEntry) {
	e := b.entity(fc, b.companies, trimmed(c.Slug), c.Cite)
	if e == nil {
		return
	}
	b.set(fc, e, "name", c.Name, nil)
	b.set(fc, e, "kind", c.Kind, oneOf(db.CompanyKinds))
	b.set(fc, e, "country", c.Country, isCountry)
	b.set(fc, e, "founded", c.Founded, isDate)
	b.set(fc, e, "headquarters", c.Headquarters, nil)
	b.set(fc, e, "description", c.Description, nil)
	b.addAliases(e, c.Aliases)
	if parent := trimmed(c.Parent); parent != "" {
		b.ref(fc, b.companies, "parent", parent, func(p *entity) {
			b.set(fc, e, "parent", p.slug, nil)
		})
	}
	for i, m := range c.Measurements {
		b.addMeasurement(fc.at("%s measurements[%d]", fc.entry, i), m, &e.id, nil)
	}
	b.inferences(fc, b.companies, e, c.Inferred)
}

func (b *builder) addPerson(fc fileContext, p PersonEntry) {
	e := b.entity(fc, b.people, trimmed(p.Slug), p.Cite)
	if e == nil {
		return
	}
	b.set(fc, e, "name", p.Name, nil)
	b.set(fc, e, "description", p.Description, nil)
	b.addAliases(e, p.Aliases)
	for i, pos := range p.Positions {
		b.addPosition(fc.at("%s positions[%d]", fc.entry, i), e, pos)
	}
	b.inferences(fc, b.people, e, p.Inferred)
}

// addPosition records a reported title. The same title at the same
// organization reported on the same date in two files is one position with
// both citations; anything else is a position of its own.
func (b *builder) addPosition(fc fileContext, person *entity, p PositionEntry) {
	title, org := trimmed(p.Title), trimmed(p.Organization)
	if title == "" {
		b.fail(fc.errorf("title is required"))
		return
	}
	reported := fc.source.PublishedOn
	if s := trimmed(p.ReportedOn); s != "" {
		d, err := db.ParsePartialDate(s)
		if err != nil {
			b.fail(fc.errorf("reportedOn: %v", err))
			return
		}
		reported = d
	}
	basis, note, ok := b.evidence(fc, p.Evidence)
	if !ok {
		return
	}
	cites := b.cites(fc, p.Cite)
	b.ref(fc, b.companies, "organization", org, func(o *entity) {
		key := fmt.Sprint(person.id, "|", o.id, "|", title, "|", reported)
		pos, ok := b.positionKeys[key]
		if !ok {
			pos = &db.Position{ID: int64(len(b.positions) + 1), PersonID: person.id, OrganizationID: o.id,
				Title: title, ReportedOn: reported}
			b.positionKeys[key] = pos
			b.positions = append(b.positions, pos)
		}
		mergeEvidence(&pos.Basis, &pos.InferenceNote, basis, note)
		b.addCitations(db.SubjectPosition, pos.ID, cites)
		b.actor(fc, p.AttributedTo, func(a *db.ActorRef) { pos.AttributedTo = a })
	})
}

func (b *builder) addProject(fc fileContext, p ProjectEntry) {
	e := b.entity(fc, b.projects, trimmed(p.Slug), p.Cite)
	if e == nil {
		return
	}
	b.set(fc, e, "name", p.Name, nil)
	b.set(fc, e, "sector", p.Sector, oneOf(db.ProjectSectors))
	b.set(fc, e, "status", p.Status, oneOf(db.ProjectStatuses))
	b.set(fc, e, "region", p.Region, nil)
	b.set(fc, e, "description", p.Description, nil)
	b.addAliases(e, p.Aliases)
	for i, part := range p.Participants {
		b.addParticipant(fc.at("%s participants[%d]", fc.entry, i), e, part)
	}
	for i, m := range p.Measurements {
		b.addMeasurement(fc.at("%s measurements[%d]", fc.entry, i), m, nil, &e.id)
	}
	for i, m := range p.Milestones {
		b.addMilestone(fc.at("%s milestones[%d]", fc.entry, i), m, e)
	}
	for i, a := range p.Amounts {
		b.addAmount(fc.at("%s amounts[%d]", fc.entry, i), a, &e.id, nil)
	}
	b.inferences(fc, b.projects, e, p.Inferred)
}

func (b *builder) addParticipant(fc fileContext, project *entity, p ParticipantEntry) {
	role := trimmed(p.Role)
	if err := oneOf(db.ParticipantRoles)(role); err != nil {
		b.fail(fc.errorf("role: %v", err))
		return
	}
	basis, note, ok := b.evidence(fc, p.Evidence)
	if !ok {
		return
	}
	cites := b.cites(fc, p.Cite)
	b.ref(fc, b.companies, "company", trimmed(p.Company), func(c *entity) {
		key := [3]string{project.slug, c.slug, role}
		part, ok := b.participants[key]
		if !ok {
			part = &db.ProjectParticipant{ID: int64(len(b.partOrder) + 1), ProjectID: project.id, CompanyID: c.id,
				Role: db.ParticipantRole(role)}
			b.participants[key] = part
			b.partOrder = append(b.partOrder, part)
		}
		mergeEvidence(&part.Basis, &part.InferenceNote, basis, note)
		b.addCitations(db.SubjectParticipant, part.ID, cites)
	})
}

func (b *builder) addMeasurement(fc fileContext, m MeasurementEntry, companyID, projectID *int64) {
	asOf, err := db.ParsePartialDate(trimmed(m.AsOf))
	switch {
	case err != nil:
		b.fail(fc.errorf("asOf: %v", err))
	case oneOf(db.Metrics)(m.Metric) != nil:
		b.fail(fc.errorf("metric: %v", oneOf(db.Metrics)(m.Metric)))
	case oneOf(db.MeasurementStatuses)(m.Status) != nil:
		b.fail(fc.errorf("status: %v", oneOf(db.MeasurementStatuses)(m.Status)))
	case trimmed(m.Unit) == "":
		b.fail(fc.errorf("unit is required"))
	default:
		approx, ok := b.approximation(fc, m.Approximation)
		if !ok {
			return
		}
		basis, note, ok := b.evidence(fc, m.Evidence)
		if !ok {
			return
		}
		start, okStart := b.optionalDate(fc, "periodStart", m.PeriodStart)
		end, okEnd := b.optionalDate(fc, "periodEnd", m.PeriodEnd)
		if !okStart || !okEnd {
			return
		}
		me := &db.Measurement{
			ID: int64(len(b.measurements) + 1), CompanyID: companyID, ProjectID: projectID,
			Metric: db.Metric(m.Metric), Label: optional(m.Label), Value: m.Value, Unit: trimmed(m.Unit),
			Approximation: approx, AsOf: asOf, Status: db.MeasurementStatus(m.Status), Citation: b.cite(fc, m.Cite),
			Basis: basis, InferenceNote: note, PeriodStart: start, PeriodEnd: end,
		}
		b.measurements = append(b.measurements, me)
		b.actor(fc, m.AttributedTo, func(a *db.ActorRef) { me.AttributedTo = a })
		if c := trimmed(m.Counterparty); c != "" {
			b.ref(fc, b.companies, "counterparty", c, func(e *entity) { me.CounterpartyID = &e.id })
		}
	}
}

func (b *builder) addMilestone(fc fileContext, m MilestoneEntry, project *entity) {
	var date *db.PartialDate
	if s := trimmed(m.Date); s != "" {
		d, err := db.ParsePartialDate(s)
		if err != nil {
			b.fail(fc.errorf("date: %v", err))
			return
		}
		date = &d
	}
	basis, note, ok := b.evidence(fc, m.Evidence)
	switch {
	case !ok:
	case trimmed(m.Name) == "":
		b.fail(fc.errorf("name is required"))
	case oneOf(db.MilestoneStatuses)(m.Status) != nil:
		b.fail(fc.errorf("status: %v", oneOf(db.MilestoneStatuses)(m.Status)))
	default:
		b.milestones = append(b.milestones, &db.Milestone{
			ID: int64(len(b.milestones) + 1), ProjectID: project.id, Name: trimmed(m.Name), Date: date,
			Status: db.MilestoneStatus(m.Status), Citation: b.cite(fc, m.Cite), Basis: basis, InferenceNote: note,
		})
	}
}

func (b *builder) addAmount(fc fileContext, a AmountEntry, projectID, agreementID *int64) {
	approx, ok := b.approximation(fc, a.Approximation)
	basis, note, evidenced := b.evidence(fc, a.Evidence)
	switch {
	case !ok, !evidenced:
	case a.Amount <= 0:
		b.fail(fc.errorf("amount must be positive, got %v", a.Amount))
	case !currencyPattern.MatchString(trimmed(a.Currency)):
		b.fail(fc.errorf("currency %q is not an ISO 4217 code such as USD", a.Currency))
	default:
		am := &db.Amount{
			ID: int64(len(b.amounts) + 1), ProjectID: projectID, AgreementID: agreementID, Amount: a.Amount,
			Currency: trimmed(a.Currency), Approximation: approx, Label: optional(a.Label), Citation: b.cite(fc, a.Cite),
			Basis: basis, InferenceNote: note,
		}
		b.amounts = append(b.amounts, am)
		b.actor(fc, a.AttributedTo, func(r *db.ActorRef) { am.AttributedTo = r })
	}
}

// approximation validates an approximation, EXACT when empty.
func (b *builder) approximation(fc fileContext, v string) (db.Approximation, bool) {
	if v = trimmed(v); v == "" {
		return "EXACT", true
	}
	if err := oneOf(db.Approximations)(v); err != nil {
		b.fail(fc.errorf("approximation: %v", err))
		return "", false
	}
	return db.Approximation(v), true
}

func (b *builder) addMeeting(fc fileContext, m MeetingEntry) {
	e := b.entity(fc, b.meetings, trimmed(m.Slug), m.Cite)
	if e == nil {
		return
	}
	b.set(fc, e, "date", m.Date, isDate)
	b.set(fc, e, "location", m.Location, nil)
	b.set(fc, e, "occasion", m.Occasion, nil)
	b.set(fc, e, "summary", m.Summary, nil)
	b.link(fc, db.MeetingParticipant, e, b.people, "participants", m.Participants)
	b.link(fc, db.MeetingOrganization, e, b.companies, "organizations", m.Organizations)
	b.link(fc, db.MeetingProject, e, b.projects, "projects", m.Projects)
	for _, t := range m.Topics {
		if t = trimmed(t); t != "" && !slices.Contains(b.topics[e.id], t) {
			b.topics[e.id] = append(b.topics[e.id], t)
		}
	}
	for person, role := range m.Roles {
		if err := oneOf(db.MeetingRoles)(trimmed(role)); err != nil {
			b.fail(fc.keyErrorf(person, "roles %s: %v", person, err))
			continue
		}
		if old, ok := e.roles[person]; ok && old != trimmed(role) {
			b.fail(fc.keyErrorf(person, "roles %s: %s conflicts with %s given earlier", person, role, old))
			continue
		}
		e.roles[trimmed(person)] = trimmed(role)
	}
	if ev := trimmed(m.Event); ev != "" {
		b.ref(fc, b.events, "event", ev, func(ee *entity) { b.set(fc, e, "event", ee.slug, nil) })
	}
	b.inferences(fc, b.meetings, e, m.Inferred)
}

func (b *builder) addAgreement(fc fileContext, a AgreementEntry) {
	e := b.entity(fc, b.agreements, trimmed(a.Slug), a.Cite)
	if e == nil {
		return
	}
	b.set(fc, e, "title", a.Title, nil)
	b.set(fc, e, "kind", a.Kind, oneOf(db.AgreementKinds))
	b.set(fc, e, "signedOn", a.SignedOn, isDate)
	b.set(fc, e, "summary", a.Summary, nil)
	if a.DocumentCount != 0 {
		b.set(fc, e, "documentCount", strconv.Itoa(a.DocumentCount), isCount)
	}
	b.set(fc, e, "documentCountApproximation", a.DocumentCountApproximation, oneOf(db.Approximations))
	if m := trimmed(a.Meeting); m != "" {
		b.ref(fc, b.meetings, "meeting", m, func(me *entity) { b.set(fc, e, "meeting", me.slug, nil) })
	}
	b.link(fc, db.AgreementParty, e, b.companies, "parties", a.Parties)
	b.link(fc, db.AgreementSignatory, e, b.people, "signatories", a.Signatories)
	b.link(fc, db.AgreementProject, e, b.projects, "projects", a.Projects)
	for i, am := range a.Amounts {
		b.addAmount(fc.at("%s amounts[%d]", fc.entry, i), am, nil, &e.id)
	}
	b.set(fc, e, "status", a.Status, oneOf(db.AgreementStatuses))
	if p := trimmed(a.PartOf); p != "" {
		b.ref(fc, b.agreements, "partOf", p, func(pe *entity) { b.set(fc, e, "partOf", pe.slug, nil) })
	}
	if ev := trimmed(a.Event); ev != "" {
		b.ref(fc, b.events, "event", ev, func(ee *entity) { b.set(fc, e, "event", ee.slug, nil) })
	}
	b.inferences(fc, b.agreements, e, a.Inferred)
}

// optionalDate parses a date that may be left empty.
func (b *builder) optionalDate(fc fileContext, field, s string) (*db.PartialDate, bool) {
	if s = trimmed(s); s == "" {
		return nil, true
	}
	d, err := db.ParsePartialDate(s)
	if err != nil {
		b.fail(fc.errorf("%s: %v", field, err))
		return nil, false
	}
	return &d, true
}

func (b *builder) addCitations(subject db.Subject, id int64, cites []db.Citation) {
	for _, c := range cites {
		sc := db.SubjectCitation{SubjectKey: db.SubjectKey{Subject: subject, ID: id}, Citation: c}
		if !slices.Contains(b.citations, sc) {
			b.citations = append(b.citations, sc)
		}
	}
}
