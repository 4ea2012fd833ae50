// Package export writes the graph, or its asOf view, in formats other tools
// read: FollowTheMoney entities as JSON lines (Aleph, OpenSanctions),
// GraphML (Gephi, Cytoscape) and a CSV of projects (spreadsheets). It reads
// the graph through the GraphQL API in process (Fetch), so that an export
// holds exactly what the API shows, as of the same dates.
package export

import (
	"fmt"
	"io"
	"slices"
)

// Format is an export format.
type Format struct {
	// Name is what -format and the download's name use.
	Name string
	// File is the download's file name, under /export/.
	File string
	// ContentType is the download's media type.
	ContentType string
	// Write writes the graph.
	Write func(io.Writer, *Graph) error
}

// Formats are the export formats, by name.
var Formats = []Format{
	{Name: "ftm", File: "ftm.jsonl", ContentType: "application/x-ndjson; charset=utf-8", Write: FtM},
	{Name: "csv", File: "projects.csv", ContentType: "text/csv; charset=utf-8; header=present", Write: ProjectsCSV},
	{Name: "graphml", File: "graph.graphml", ContentType: "application/graphml+xml; charset=utf-8", Write: GraphML},
}

// FormatByName returns the format called name, or an error listing them.
func FormatByName(name string) (Format, error) {
	i := slices.IndexFunc(Formats, func(f Format) bool { return f.Name == name })
	if i < 0 {
		return Format{}, fmt.Errorf("unknown export format %q: use ftm, csv or graphml", name)
	}
	return Formats[i], nil
}

// FormatByFile returns the format whose download is called file.
func FormatByFile(file string) (Format, bool) {
	i := slices.IndexFunc(Formats, func(f Format) bool { return f.File == file })
	if i < 0 {
		return Format{}, false
	}
	return Formats[i], true
}
