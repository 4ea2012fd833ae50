package export

import (
	"bufio"
	"encoding/xml"
	"io"
	"strings"
)

// nodeKeys and edgeKeys are the GraphML attributes, in the order declared.
var (
	nodeKeys = []string{"type", "label", "slug", "kind", "country", "sector", "status", "region", "date", "end", "location", "basis", "inferenceNote"}
	edgeKeys = []string{"type", "label", "basis", "inferenceNote", "citations"}
)

// GraphML writes the graph's objects and typed relationships as GraphML,
// which Gephi, Cytoscape, yEd and NetworkX read: one node per organization,
// person, project, meeting, agreement, event and statement (its id the
// global ID, with type, label, slug and the type's own attributes; a
// statement's label is its summary, with its basis), one directed edge per
// relationship (type, label, basis STATED or INFERRED with the inference
// note, and the paragraphs that report it).
func GraphML(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	bw.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for _, k := range nodeKeys {
		bw.WriteString(`  <key id="n_` + k + `" for="node" attr.name="` + k + `" attr.type="string"/>` + "\n")
	}
	for _, k := range edgeKeys {
		bw.WriteString(`  <key id="e_` + k + `" for="edge" attr.name="` + k + `" attr.type="string"/>` + "\n")
	}
	bw.WriteString(`  <graph id="investgraph" edgedefault="directed">` + "\n")
	if g.AsOf != "" {
		bw.WriteString(`    <desc>as of ` + escape(g.AsOf) + `</desc>` + "\n")
	}
	for _, n := range Nodes(g) {
		bw.WriteString(`    <node id="` + escape(n.ID) + `">`)
		data(bw, "n_type", n.Type)
		data(bw, "n_label", n.Name)
		data(bw, "n_slug", n.Slug)
		for _, k := range nodeKeys[3:] {
			data(bw, "n_"+k, n.Attrs[k])
		}
		bw.WriteString("</node>\n")
	}
	for i, r := range Relationships(g) {
		bw.WriteString(`    <edge id="e` + itoa(i) + `" source="` + escape(r.From) + `" target="` + escape(r.To) + `">`)
		data(bw, "e_type", r.Type)
		data(bw, "e_label", r.Label)
		data(bw, "e_basis", r.Basis)
		data(bw, "e_inferenceNote", r.InferenceNote)
		bySource, order := groupCitations(r.Citations)
		var cites []string
		for _, id := range order {
			cites = append(cites, citationText(g, id, bySource[id]))
		}
		data(bw, "e_citations", strings.Join(cites, "; "))
		bw.WriteString("</edge>\n")
	}
	bw.WriteString("  </graph>\n</graphml>\n")
	return bw.Flush()
}

func data(w *bufio.Writer, key, value string) {
	if value == "" {
		return
	}
	w.WriteString(`<data key="` + key + `">` + escape(value) + `</data>`)
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writes to memory
	return b.String()
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}
