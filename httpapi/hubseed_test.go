package httpapi_test

import (
	"fmt"
	"strings"
	"testing/fstest"
)

// hubSeed is a seed directory with one hub: company "hub" (also named "Hub
// Holding" and "THE HUB") takes part in every one of projects projects, each
// with one small company, among small companies in all. Small companies
// beyond the projects' take part in none, so that the hub stands out from
// the 99th percentile of Company.projects (at least 200 companies are needed
// for the percentile to fall below the largest list).
func hubSeed(projects, small int) fstest.MapFS {
	var b strings.Builder
	b.WriteString(`source:
  slug: "hub0"
  title: "A hub and its projects"
  publishedOn: "2024-05-01"
  paragraphs: 1
companies:
  - slug: hub
    name: "Hub Holding"
    aliases: ["THE HUB"]
    kind: COMPANY
    country: CN
    cite: [1]
`)
	for i := range small {
		fmt.Fprintf(&b, `  - slug: small-%03d
    name: "Small %03d"
    kind: COMPANY
    country: KZ
    cite: [1]
`, i, i)
	}
	b.WriteString("projects:\n")
	for i := range projects {
		fmt.Fprintf(&b, `  - slug: project-%03d
    name: "Project %03d"
    sector: POWER
    status: OPERATING
    cite: [1]
    participants:
      - company: hub
        role: INVESTOR
        cite: [1]
      - company: small-%03d
        role: OPERATOR
        cite: [1]
`, i, i, i%small)
	}
	return fstest.MapFS{"000_hub0.yaml": &fstest.MapFile{Data: []byte(b.String())}}
}

// hubQuery reaches every project of a company, then every participant of
// those, then their projects again: each of the hub's appearances among
// the participants lists all its projects.
const hubQuery = `query($slug: String!) { company(slug: $slug) { projects { project { participants { company { projects { project { name } } } } } } } }`
