package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// ProjectColumns are the columns of ProjectsCSV, in order.
var ProjectColumns = []string{
	"id", "slug", "name", "aliases", "sector", "status", "region",
	"participants", "roles",
	"latest_actual", "latest_target",
	"amounts", "amount_count", "amount_currencies",
	"agreements", "first_reported", "last_reported", "sources", "citations",
	"as_of",
}

// ProjectsCSV writes one row per project, in the manner of AidData's
// project tables: its participants and their roles, sector, region and
// status, the latest ACTUAL and TARGET figure of each metric, every amount
// reported for it with its approximation (conflicting reports side by side,
// never summed), the agreements that cover it, the dates of the first and
// last source that reports it, and its citations. A participant the
// sources do not state but a curator inferred reads "(ROLE, inferred)";
// an amount says whom it is attributed to and whether it is inferred.
// Lists within a cell are separated by "; ".
func ProjectsCSV(w io.Writer, g *Graph) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ProjectColumns); err != nil {
		return err
	}
	covering := map[string][]string{}
	for _, a := range g.Agreements {
		for _, p := range a.Projects {
			covering[p.ID] = append(covering[p.ID], a.Title)
		}
	}
	names := map[string]string{}
	for _, c := range g.Companies {
		names[c.ID] = c.Name
	}
	for _, pe := range g.People {
		names[pe.ID] = pe.Name
	}
	for _, p := range g.Projects {
		var parts, roles []string
		for _, pa := range p.Participants {
			role := pa.Role
			if pa.Inferred() {
				role += ", inferred"
			}
			parts = append(parts, fmt.Sprintf("%s (%s)", names[pa.Company.ID], role))
			if !slices.Contains(roles, pa.Role) {
				roles = append(roles, pa.Role)
			}
		}
		var amounts, currencies []string
		for _, a := range p.Amounts {
			amounts = append(amounts, amountText(a, g, names))
			if !slices.Contains(currencies, a.Currency) {
				currencies = append(currencies, a.Currency)
			}
		}
		first, last, sources := reportDates(g, p.Citations)
		bySource, order := groupCitations(p.Citations)
		var cites []string
		for _, id := range order {
			cites = append(cites, citationText(g, id, bySource[id]))
		}
		row := []string{
			p.ID, p.Slug, p.Name, strings.Join(p.Aliases, "; "), p.Sector, p.Status, p.Region,
			strings.Join(parts, "; "), strings.Join(roles, "; "),
			latestFigures(p.Measurements, "ACTUAL"), latestFigures(p.Measurements, "TARGET"),
			strings.Join(amounts, "; "), strconv.Itoa(len(p.Amounts)), strings.Join(currencies, "; "),
			strings.Join(covering[p.ID], "; "), first, last, strings.Join(sources, "; "), strings.Join(cites, "; "),
			g.AsOf,
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// latestFigures is the latest figure of each metric with the status, in the
// order metrics first appear: "PRODUCTION_CAPACITY 500000 t/yr (2023-10)".
// Figures come in asOf order, so the last one of a metric is its latest.
func latestFigures(ms []*Measurement, status string) string {
	latest := map[string]*Measurement{}
	var order []string
	for _, m := range ms {
		if m.Status != status {
			continue
		}
		if _, ok := latest[m.Metric]; !ok {
			order = append(order, m.Metric)
		}
		latest[m.Metric] = m
	}
	out := make([]string, 0, len(order))
	for _, metric := range order {
		m := latest[metric]
		out = append(out, fmt.Sprintf("%s %s%s %s (%s)", metric, approxWord(m.Approximation),
			strconv.FormatFloat(m.Value, 'f', -1, 64), m.Unit, m.AsOf))
	}
	return strings.Join(out, "; ")
}

// reportDates returns the publication dates of the first and last source
// among cites, and the sources' titles, earliest first.
func reportDates(g *Graph, cites []Citation) (first, last string, titles []string) {
	_, order := groupCitations(cites)
	var srcs []*Source
	for _, id := range order {
		if s := g.Source(id); s != nil {
			srcs = append(srcs, s)
		}
	}
	slices.SortStableFunc(srcs, func(a, b *Source) int { return strings.Compare(a.PublishedOn, b.PublishedOn) })
	for _, s := range srcs {
		titles = append(titles, s.Title)
	}
	if len(srcs) > 0 {
		first, last = srcs[0].PublishedOn, srcs[len(srcs)-1].PublishedOn
	}
	return first, last, titles
}
