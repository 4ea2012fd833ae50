package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/export"
	"github.com/investgraph/investgraph/graphtest"
)

// dates are the days the export is compared with the API on: before the
// first source, each source's day, and none (today's graph).
func dates(t *testing.T, srv *graphtest.Server) []string {
	t.Helper()
	var got struct {
		Sources struct {
			Edges []struct{ Node struct{ PublishedOn string } }
		}
	}
	srv.MustQuery(t, `{ sources(first: 100) { edges { node { publishedOn } } } }`, nil, &got)
	ds := []string{"", "2000-01-01"}
	for _, e := range got.Sources.Edges {
		if !slices.Contains(ds, e.Node.PublishedOn) {
			ds = append(ds, e.Node.PublishedOn)
		}
	}
	if len(ds) < 5 {
		t.Fatalf("only %d dates to compare on", len(ds))
	}
	return ds
}

func fetch(t *testing.T, srv *graphtest.Server, asOf string) *export.Graph {
	t.Helper()
	g, err := export.Fetch(context.Background(), srv.Store, asOf)
	if err != nil {
		t.Fatalf("Fetch(%q): %v", asOf, err)
	}
	return g
}

// asOfQuery wraps a selection of Query in asOf(date:) when date is set.
func asOfQuery(date, selection string) (string, string) {
	if date == "" {
		return "{ " + selection + " }", ""
	}
	return fmt.Sprintf("{ asOf(date: %q) { %s } }", date, selection), "asOf"
}

// TestFetchMatchesAPI compares the lists an export reads with the API's
// counts as of every source's day: nothing is lost in paging or added by
// the asOf wrapping.
func TestFetchMatchesAPI(t *testing.T) {
	srv := graphtest.New(t)
	for _, d := range dates(t, srv) {
		g := fetch(t, srv, d)
		q, wrap := asOfQuery(d, `aggregates { counts { companies people projects meetings agreements sources statements events } }`)
		var raw map[string]json.RawMessage
		srv.MustQuery(t, q, nil, &raw)
		body := raw["aggregates"]
		if wrap != "" {
			var inner map[string]json.RawMessage
			if err := json.Unmarshal(raw[wrap], &inner); err != nil {
				t.Fatal(err)
			}
			body = inner["aggregates"]
		}
		var agg struct{ Counts map[string]int }
		if err := json.Unmarshal(body, &agg); err != nil {
			t.Fatal(err)
		}
		got := map[string]int{"companies": len(g.Companies), "people": len(g.People), "projects": len(g.Projects),
			"meetings": len(g.Meetings), "agreements": len(g.Agreements), "sources": len(g.Sources),
			"statements": len(g.Statements), "events": len(g.Events)}
		for k, want := range agg.Counts {
			if got[k] != want {
				t.Errorf("as of %q: %d %s exported, the API counts %d", d, got[k], k, want)
			}
		}
	}
}

// TestRelationshipsMatchNeighborhood holds the export's relationships to
// Query.neighborhood's: for every object, as of several days, the
// relationships that touch it are the same (type, ends, label and basis,
// and the inference note where the export has one).
func TestRelationshipsMatchNeighborhood(t *testing.T) {
	srv := graphtest.New(t)
	ds := dates(t, srv)
	for _, d := range []string{"", ds[2], ds[len(ds)/2]} {
		g := fetch(t, srv, d)
		rels := export.Relationships(g)
		types := map[string]bool{}
		for _, r := range rels {
			types[r.Type] = true
			types[r.Basis] = true
		}
		if d == "" {
			for _, typ := range []string{"SAID", "SAID_AT", "ABOUT", "PART_OF", "IN_PACKAGE", "STATED", "INFERRED"} {
				if !types[typ] {
					t.Errorf("no %s relationship exported", typ)
				}
			}
		}
		for _, n := range export.Nodes(g) {
			var want []string
			notes := map[string]string{}
			for _, r := range rels {
				if r.From == n.ID || r.To == n.ID {
					want = append(want, relKey(r.Type, r.Label, r.From, r.To)+" "+r.Basis)
					if r.InferenceNote != "" {
						notes[relKey(r.Type, r.Label, r.From, r.To)] = r.InferenceNote
					}
				}
			}
			q, wrap := asOfQuery(d, fmt.Sprintf(`neighborhood(id: %q, depth: 1, limit: 1000) { relationships { type label fromId toId basis inferenceNote } }`, n.ID))
			var raw map[string]json.RawMessage
			srv.MustQuery(t, q, nil, &raw)
			body := raw["neighborhood"]
			if wrap != "" {
				var inner map[string]json.RawMessage
				if err := json.Unmarshal(raw[wrap], &inner); err != nil {
					t.Fatal(err)
				}
				body = inner["neighborhood"]
			}
			var nb struct {
				Relationships []struct{ Type, Label, FromID, ToID, Basis, InferenceNote string }
			}
			if err := json.Unmarshal(body, &nb); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range nb.Relationships {
				if r.FromID == n.ID || r.ToID == n.ID {
					k := relKey(r.Type, r.Label, r.FromID, r.ToID)
					got = append(got, k+" "+r.Basis)
					if note, ok := notes[k]; ok && note != r.InferenceNote {
						t.Errorf("as of %q, %s: export's note %q, the API's %q", d, k, note, r.InferenceNote)
					}
				}
			}
			sort.Strings(want)
			sort.Strings(got)
			got = slices.Compact(got)
			if !slices.Equal(got, want) {
				t.Errorf("as of %q, %s %s:\nexport   %v\nAPI      %v", d, n.Type, n.Slug, want, got)
			}
		}
	}
}

// relKey names a relationship; MET is undirected, so its ends are sorted.
func relKey(typ, label, from, to string) string {
	if typ == "MET" && to < from {
		from, to = to, from
	}
	return strings.Join([]string{typ, label, from, to}, " ")
}

type graphml struct {
	XMLName xml.Name `xml:"graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string  `xml:"id,attr"`
			Data []gData `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string  `xml:"id,attr"`
			Source string  `xml:"source,attr"`
			Target string  `xml:"target,attr"`
			Data   []gData `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

type gData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// TestGraphMLStructure parses the GraphML and checks what a reader relies
// on: the namespace, declared keys of a known type, unique node ids, edges
// between declared nodes, data only under declared keys for the right
// element, and as many edges as relationships.
func TestGraphMLStructure(t *testing.T) {
	srv := graphtest.New(t)
	for _, d := range []string{"", "2023-12-31"} {
		g := fetch(t, srv, d)
		var b bytes.Buffer
		if err := export.GraphML(&b, g); err != nil {
			t.Fatal(err)
		}
		var doc graphml
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("as of %q: not XML: %v", d, err)
		}
		if doc.XMLName.Space != "http://graphml.graphdrawing.org/xmlns" {
			t.Errorf("namespace %q", doc.XMLName.Space)
		}
		keys := map[string]string{}
		for _, k := range doc.Keys {
			if k.Type != "string" || (k.For != "node" && k.For != "edge") || k.Name == "" {
				t.Errorf("key %+v", k)
			}
			keys[k.ID] = k.For
		}
		if doc.Graph.EdgeDefault != "directed" {
			t.Errorf("edgedefault %q", doc.Graph.EdgeDefault)
		}
		nodes := map[string]string{}
		bases := map[string]int{}
		for _, n := range doc.Graph.Nodes {
			if _, dup := nodes[n.ID]; dup {
				t.Errorf("node %s twice", n.ID)
			}
			for _, dt := range n.Data {
				if keys[dt.Key] != "node" {
					t.Errorf("node %s: data under key %q, not a node key", n.ID, dt.Key)
				}
				if dt.Key == "n_type" {
					nodes[n.ID] = dt.Value
				}
			}
			if nodes[n.ID] == "" {
				t.Errorf("node %s has no type", n.ID)
			}
		}
		if want := len(export.Nodes(g)); len(nodes) != want || want == 0 {
			t.Errorf("as of %q: %d nodes, want %d", d, len(nodes), want)
		}
		for _, e := range doc.Graph.Edges {
			if nodes[e.Source] == "" || nodes[e.Target] == "" {
				t.Errorf("edge %s joins %s and %s, not both nodes", e.ID, e.Source, e.Target)
			}
			types, basis := 0, ""
			for _, dt := range e.Data {
				if keys[dt.Key] != "edge" {
					t.Errorf("edge %s: data under key %q, not an edge key", e.ID, dt.Key)
				}
				if dt.Key == "e_type" {
					types++
				}
				if dt.Key == "e_basis" {
					basis = dt.Value
					bases[basis]++
				}
			}
			if types != 1 {
				t.Errorf("edge %s has %d types", e.ID, types)
			}
			if basis != "STATED" && basis != "INFERRED" {
				t.Errorf("edge %s has basis %q", e.ID, basis)
			}
		}
		kinds := map[string]int{}
		for _, typ := range nodes {
			kinds[typ]++
		}
		if kinds["Statement"] != len(g.Statements) || kinds["Event"] != len(g.Events) || (d == "" && (kinds["Statement"] == 0 || kinds["Event"] == 0)) {
			t.Errorf("as of %q: %d statement and %d event nodes, the graph has %d and %d", d, kinds["Statement"], kinds["Event"], len(g.Statements), len(g.Events))
		}
		if d == "" && (bases["STATED"] == 0 || bases["INFERRED"] == 0) {
			t.Errorf("edge bases %v: want both", bases)
		}
		if want := len(export.Relationships(g)); len(doc.Graph.Edges) != want || want == 0 {
			t.Errorf("as of %q: %d edges, want %d", d, len(doc.Graph.Edges), want)
		}
	}
}

// TestProjectsCSV reads the CSV back: a header of ProjectColumns, one row
// per project of the API's list, and the Caspi Bitum expansion's figures
// as of the end of 2023 and today.
func TestProjectsCSV(t *testing.T) {
	srv := graphtest.New(t)
	rows := func(asOf string) map[string]map[string]string {
		var b bytes.Buffer
		if err := export.ProjectsCSV(&b, fetch(t, srv, asOf)); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatalf("as of %q: %v", asOf, err)
		}
		if !slices.Equal(recs[0], export.ProjectColumns) {
			t.Fatalf("header %v", recs[0])
		}
		out := map[string]map[string]string{}
		for _, r := range recs[1:] {
			m := map[string]string{}
			for i, c := range export.ProjectColumns {
				m[c] = r[i]
			}
			out[m["slug"]] = m
		}
		return out
	}
	now, then := rows(""), rows("2023-12-31")
	var api struct{ Projects struct{ TotalCount int } }
	srv.MustQuery(t, `{ projects { totalCount } }`, nil, &api)
	if len(now) != api.Projects.TotalCount {
		t.Errorf("%d rows, the API has %d projects", len(now), api.Projects.TotalCount)
	}
	caspi, ok := now["caspi-bitum-expansion"]
	if !ok {
		t.Fatal("no caspi-bitum-expansion row")
	}
	if got := caspi["latest_actual"]; !strings.Contains(got, "PRODUCTION_CAPACITY 500000 t/yr (2024-08)") {
		t.Errorf("latest_actual = %q", got)
	}
	if got := caspi["latest_target"]; !strings.Contains(got, "PRODUCTION_CAPACITY 750000 t/yr (2024-08)") {
		t.Errorf("latest_target = %q", got)
	}
	if got := caspi["participants"]; !strings.Contains(got, "CITIC Group (PARTNER)") {
		t.Errorf("participants = %q", got)
	}
	old := then["caspi-bitum-expansion"]
	if !strings.Contains(old["latest_actual"], "PRODUCTION_CAPACITY 500000 t/yr (2023-10)") {
		t.Errorf("as of 2023-12-31: latest_actual = %q", old["latest_actual"])
	}
	if strings.Contains(old["latest_target"], "2024") || old["last_reported"] >= "2024" || old["as_of"] != "2023-12-31" {
		t.Errorf("as of 2023-12-31: target %q, last reported %q, as_of %q", old["latest_target"], old["last_reported"], old["as_of"])
	}
	if len(then) >= len(now) {
		t.Errorf("%d projects as of 2023-12-31, %d today", len(then), len(now))
	}
}

// TestFtMEntities checks the JSON lines: each an entity with an id, a
// schema and string-list properties, ids unique, every reference to an
// entity of the file. (web/explore/test/ftm.test.mjs validates them
// against the FollowTheMoney model itself.)
func TestFtMEntities(t *testing.T) {
	srv := graphtest.New(t)
	g := fetch(t, srv, "")
	var b bytes.Buffer
	if err := export.FtM(&b, g); err != nil {
		t.Fatal(err)
	}
	type entity struct {
		ID         string
		Schema     string
		Properties map[string][]string
	}
	var ents []entity
	ids := map[string]string{}
	for i, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		var e entity
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if e.ID == "" || e.Schema == "" || len(e.Properties) == 0 {
			t.Fatalf("line %d: %s", i+1, line)
		}
		if _, dup := ids[e.ID]; dup {
			t.Errorf("id %s twice", e.ID)
		}
		ids[e.ID] = e.Schema
		ents = append(ents, e)
	}
	refs := []string{"parent", "proof", "document", "entity", "employee", "employer", "member", "organization",
		"participant", "project", "involved", "subject", "object"}
	schemas := map[string]int{}
	for _, e := range ents {
		schemas[e.Schema]++
		for _, p := range refs {
			for _, v := range e.Properties[p] {
				if ids[v] == "" {
					t.Errorf("%s %s: %s %s is no entity of the file", e.Schema, e.ID, p, v)
				}
			}
		}
	}
	for _, s := range []string{"Article", "Company", "PublicBody", "Person", "Employment", "Membership", "Event", "Project",
		"ProjectParticipant", "Contract", "UnknownLink", "Documentation"} {
		if schemas[s] == 0 {
			t.Errorf("no %s entity", s)
		}
	}
	if schemas["Company"]+schemas["PublicBody"]+schemas["Organization"] != len(g.Companies) {
		t.Errorf("%v organizations for %d companies", schemas, len(g.Companies))
	}
	// Statements are Notes on their speakers; events and meetings are
	// Events; an inferred fact says so.
	if schemas["Note"] != len(g.Statements) || len(g.Statements) == 0 {
		t.Errorf("%d Notes for %d statements", schemas["Note"], len(g.Statements))
	}
	if schemas["Event"] != len(g.Events)+len(g.Meetings) {
		t.Errorf("%d Events for %d events and %d meetings", schemas["Event"], len(g.Events), len(g.Meetings))
	}
	roles := map[string]bool{}
	inferred := 0
	for _, e := range ents {
		if e.Schema == "Note" && ids[e.Properties["entity"][0]] != "Person" {
			t.Errorf("Note %s is on a %s, not a Person", e.ID, ids[e.Properties["entity"][0]])
		}
		if e.Schema == "UnknownLink" {
			roles[e.Properties["role"][0]] = true
		}
		for _, v := range append(e.Properties["summary"], e.Properties["notes"]...) {
			if strings.Contains(v, "Inferred") {
				inferred++
			}
		}
	}
	for _, r := range []string{"about", "said at", "part of", "in package"} {
		if !roles[r] {
			t.Errorf("no UnknownLink %q among %v", r, roles)
		}
	}
	if inferred == 0 {
		t.Error("no entity says it is inferred")
	}
}

func TestFetchBadAsOf(t *testing.T) {
	srv := graphtest.New(t)
	for _, d := range []string{"2023-13", "yesterday", "2023-Q5", "23"} {
		if _, err := export.Fetch(context.Background(), srv.Store, d); err == nil || !strings.Contains(err.Error(), "invalid date") {
			t.Errorf("Fetch(%q) = %v, want an invalid date error", d, err)
		}
	}
}
