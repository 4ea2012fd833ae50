package main

import (
	"fmt"
	"strings"

	"github.com/investgraph/investgraph/db"
)

func (g *generator) addSources() {
	publishers := []string{"Kazinform", "Trend", "Xinhua", "Kapital.kz", "The Astana Times"}
	g.paragraphs = make([]int, 0, g.sources.len())
	for id := g.sources.first; id <= g.sources.last; id++ {
		n := 8 + g.r.IntN(30)
		g.paragraphs = append(g.paragraphs, n)
		g.d.Sources = append(g.d.Sources, &db.Source{ID: id, Slug: fmt.Sprintf("synthetic-%08x", id),
			Title: "Report on " + g.pick(topicWords) + " cooperation", Publisher: ptr(g.pick(publishers)),
			PublishedOn: db.PartialDate{Year: 2012 + g.r.IntN(14), Precision: db.PrecisionDay,
				Part: 1 + g.r.IntN(12), Day: 1 + g.r.IntN(28)}, Paragraphs: n})
	}
}

func (g *generator) addCompanies() {
	countries := []string{"KZ", "KZ", "KZ", "CN", "CN", "CN", "RU", "DE", "TR", "AE"}
	for id := g.companies.first; id <= g.companies.last; id++ {
		name := g.name(db.SubjectCompany, id, false, g.companyName)
		c := &db.Company{ID: id, Slug: slug(name, id), Name: name, Kind: db.CompanyKinds[g.r.IntN(4)],
			Country: ptr(g.pick(countries))}
		if g.r.IntN(4) == 0 {
			c.Headquarters = ptr(g.pick(cities))
		}
		// Subsidiaries hang off the hubs; a parent always has a lower id,
		// so there is no cycle.
		if id > g.companies.first+10 && g.r.IntN(7) == 0 {
			c.ParentID = ptr(min(id-1, g.company()))
		}
		g.d.Companies = append(g.d.Companies, c)
		if g.r.IntN(3) == 0 {
			g.name(db.SubjectCompany, id, true, func() string { return initials(name) + " " + g.word() })
		}
		g.cite(db.SubjectCompany, id, 3)
		if g.r.IntN(20) == 0 {
			metric := [...]db.Metric{"INVESTMENT", "EMPLOYEES"}[g.r.IntN(2)]
			g.d.Measurements = append(g.d.Measurements, &db.Measurement{ID: int64(len(g.d.Measurements) + 1),
				CompanyID: ptr(id), Metric: metric, Value: float64(100 + g.r.IntN(100000)), Unit: "USD",
				Approximation: db.Approximations[g.r.IntN(4)], AsOf: g.date(), Status: "ACTUAL",
				Citation: g.factCitation(db.SubjectKey{Subject: db.SubjectCompany, ID: id})})
		}
	}
}

func initials(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		b.WriteByte(w[0])
	}
	return b.String()
}

func (g *generator) addPeople() {
	for id := g.people.first; id <= g.people.last; id++ {
		name := g.name(db.SubjectPerson, id, false, g.personName)
		g.d.People = append(g.d.People, &db.Person{ID: id, Slug: slug(name, id), Name: name})
		g.cite(db.SubjectPerson, id, 3)
		// Titles change over time: some people get a second, later report.
		for range 1 + g.r.IntN(2) {
			pos := &db.Position{ID: int64(len(g.d.Positions) + 1), PersonID: id, OrganizationID: g.company(),
				Title: g.pick(titles), ReportedOn: g.date()}
			g.d.Positions = append(g.d.Positions, pos)
			g.cite(db.SubjectPosition, pos.ID, 1, db.SubjectKey{Subject: db.SubjectPerson, ID: id}, db.SubjectKey{Subject: db.SubjectCompany, ID: pos.OrganizationID})
		}
	}
}

func (g *generator) addProjects() {
	for id := g.projects.first; id <= g.projects.last; id++ {
		name := g.name(db.SubjectProject, id, false, g.projectName)
		g.d.Projects = append(g.d.Projects, &db.Project{ID: id, Slug: slug(name, id), Name: name,
			Sector: db.ProjectSectors[g.r.IntN(len(db.ProjectSectors))], Status: db.ProjectStatuses[g.r.IntN(len(db.ProjectStatuses))],
			Region: ptr(g.pick(regions))})
		g.cite(db.SubjectProject, id, 3)
		g.addParticipants(id)
		if g.r.IntN(5) < 2 {
			g.addCapacityHistory(id)
		}
		if g.r.IntN(10) < 3 {
			for i := range 1 + g.r.IntN(3) {
				m := &db.Milestone{ID: int64(len(g.d.Milestones) + 1), ProjectID: id,
					Name:   [...]string{"Start of construction", "Commissioning", "Financial close"}[i],
					Status: db.MilestoneStatuses[g.r.IntN(2)], Citation: g.factCitation(db.SubjectKey{Subject: db.SubjectProject, ID: id})}
				if g.r.IntN(5) > 0 {
					m.Date = ptr(g.date())
				}
				g.d.Milestones = append(g.d.Milestones, m)
			}
		}
		if g.r.IntN(4) == 0 {
			g.addAmounts(ptr(id), nil)
		}
	}
}

// addParticipants gives a project one to five companies, each in one role.
func (g *generator) addParticipants(project int64) {
	seen := map[int64]bool{}
	for range 1 + g.r.IntN(5) {
		c := g.company()
		if seen[c] {
			continue
		}
		seen[c] = true
		p := &db.ProjectParticipant{ID: int64(len(g.d.Participants) + 1), ProjectID: project, CompanyID: c,
			Role: db.ParticipantRoles[g.r.IntN(len(db.ParticipantRoles))]}
		g.d.Participants = append(g.d.Participants, p)
		g.cite(db.SubjectParticipant, p.ID, 2, db.SubjectKey{Subject: db.SubjectProject, ID: project}, db.SubjectKey{Subject: db.SubjectCompany, ID: c})
	}
}

// addCapacityHistory reports a capacity over the years, as the seed does for
// Caspi Bitum: two to five reports, each an actual figure or a target.
func (g *generator) addCapacityHistory(project int64) {
	metric := db.CapacityMetrics[g.r.IntN(len(db.CapacityMetrics))]
	value := float64(50 * (1 + g.r.IntN(200)))
	when := g.date()
	for range 2 + g.r.IntN(4) {
		status, v := db.MeasurementStatus("ACTUAL"), value
		if g.r.IntN(3) == 0 {
			status, v = "TARGET", value*1.5
		}
		g.d.Measurements = append(g.d.Measurements, &db.Measurement{ID: int64(len(g.d.Measurements) + 1),
			ProjectID: ptr(project), Metric: metric, Value: v, Unit: units[string(metric)],
			Approximation: db.Approximations[g.r.IntN(4)], AsOf: when, Status: status,
			Citation: g.factCitation(db.SubjectKey{Subject: db.SubjectProject, ID: project})})
		value *= 1 + float64(g.r.IntN(40))/100
		when.Year++
	}
}

// addAmounts reports one sum, sometimes twice with figures that disagree.
func (g *generator) addAmounts(project, agreement *int64) {
	sum := float64(1+g.r.IntN(2000)) * 1e6
	of := db.SubjectKey{Subject: db.SubjectProject}
	if project != nil {
		of.ID = *project
	} else {
		of = db.SubjectKey{Subject: db.SubjectAgreement, ID: *agreement}
	}
	for range 1 + g.r.IntN(2) {
		g.d.Amounts = append(g.d.Amounts, &db.Amount{ID: int64(len(g.d.Amounts) + 1), ProjectID: project,
			AgreementID: agreement, Amount: sum, Currency: "USD", Approximation: db.Approximations[g.r.IntN(4)],
			Citation: g.factCitation(of)})
		sum *= 0.8
	}
}

func (g *generator) addMeetings() {
	for id := g.meetings.first; id <= g.meetings.last; id++ {
		g.d.Meetings = append(g.d.Meetings, &db.Meeting{ID: id, Slug: fmt.Sprintf("meeting-s%08x", id), Date: g.date(),
			Location: ptr(g.pick(cities)), Occasion: ptr(g.pick(occasions))})
		g.cite(db.SubjectMeeting, id, 3)
		g.links(db.MeetingParticipant, id, 2+g.r.IntN(3), g.person)
		g.links(db.MeetingOrganization, id, 1+g.r.IntN(3), g.company)
		g.links(db.MeetingProject, id, g.r.IntN(3), g.project)
		for i := range 1 + g.r.IntN(3) {
			g.d.Topics = append(g.d.Topics, db.Topic{MeetingID: id, Topic: topicWords[(int(id)+i)%len(topicWords)]})
		}
	}
}

func (g *generator) addAgreements() {
	for id := g.agreements.first; id <= g.agreements.last; id++ {
		a := &db.Agreement{ID: id, Slug: fmt.Sprintf("agreement-s%08x", id),
			Title: "Agreement on " + g.pick(topicWords), Kind: db.AgreementKinds[g.r.IntN(len(db.AgreementKinds))]}
		if g.r.IntN(5) > 0 {
			a.SignedOn = ptr(g.date())
		}
		if g.r.IntN(2) == 0 {
			a.MeetingID = ptr(g.meetings.first + g.r.Int64N(g.meetings.len()))
		}
		if g.r.IntN(4) == 0 {
			a.DocumentCount = ptr(2 + g.r.IntN(70))
		}
		g.d.Agreements = append(g.d.Agreements, a)
		g.cite(db.SubjectAgreement, id, 3)
		g.links(db.AgreementParty, id, 2+g.r.IntN(2), g.company)
		g.links(db.AgreementSignatory, id, 1+g.r.IntN(2), g.person)
		g.links(db.AgreementProject, id, g.r.IntN(3), g.project)
		if g.r.IntN(5) < 2 {
			g.addAmounts(nil, ptr(id))
		}
	}
}

// links adds up to n distinct pairs (from, pick()) of a many-to-many relation.
func (g *generator) links(kind db.LinkKind, from int64, n int, pick func() int64) {
	var seen [4]int64
	for i := range n {
		to := pick()
		dup := false
		for _, s := range seen[:i] {
			dup = dup || s == to
		}
		seen[i] = to
		if !dup {
			g.d.Links = append(g.d.Links, db.Link{Kind: kind, From: from, To: to})
		}
	}
}
