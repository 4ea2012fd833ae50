package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/seed"
)

// copyBlock is one parsed COPY ... FROM stdin block of the script.
type copyBlock struct {
	columns []string
	rows    [][]string // unescaped values
}

// parseScript reads the COPY blocks of an export script, by table, and the
// other statements' text, failing the test on a malformed block.
func parseScript(t *testing.T, script []byte) (map[string]*copyBlock, string) {
	t.Helper()
	blocks := map[string]*copyBlock{}
	var rest strings.Builder
	s := bufio.NewScanner(bytes.NewReader(script))
	s.Buffer(nil, 1<<20)
	var cur *copyBlock
	for s.Scan() {
		line := s.Text()
		switch {
		case cur != nil && line == `\.`:
			cur = nil
		case cur != nil:
			fields := strings.Split(line, "\t")
			if len(fields) != len(cur.columns) {
				t.Fatalf("row %q has %d values for %d columns", line, len(fields), len(cur.columns))
			}
			for i, f := range fields {
				fields[i] = unescapeCopy(f)
			}
			cur.rows = append(cur.rows, fields)
		case strings.HasPrefix(line, "COPY "):
			var table, cols string
			head := strings.TrimSuffix(strings.TrimPrefix(line, "COPY "), " FROM stdin;")
			table, cols, _ = strings.Cut(head, " ")
			if blocks[table] != nil {
				t.Fatalf("two COPY blocks for %s", table)
			}
			cur = &copyBlock{columns: strings.Split(strings.Trim(cols, "()"), ", ")}
			blocks[table] = cur
		default:
			rest.WriteString(line + "\n")
		}
	}
	if cur != nil {
		t.Fatal("a COPY block is not terminated")
	}
	return blocks, rest.String()
}

// unescapeCopy reverses COPY's text-format escapes (the ones copyEscaper
// writes).
func unescapeCopy(s string) string {
	r := strings.NewReplacer(`\\`, `\`, `\t`, "\t", `\n`, "\n", `\r`, "\r")
	return r.Replace(s)
}

func (b *copyBlock) column(t *testing.T, name string) []string {
	t.Helper()
	i := slices.Index(b.columns, name)
	if i < 0 {
		t.Fatalf("no column %s in %q", name, b.columns)
	}
	var out []string
	for _, r := range b.rows {
		out = append(out, r[i])
	}
	return out
}

func seedStore(t *testing.T) (*db.Store, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "seed.db")
	store, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := seed.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	return store, path
}

// rawCount counts rows straight from the SQLite file, past the store.
func rawCount(t *testing.T, path, query string, args ...any) int {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestExportSQL(t *testing.T) {
	store, path := seedStore(t)
	e, err := readExport(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	var script bytes.Buffer
	if err := e.writeSQL(&script); err != nil {
		t.Fatal(err)
	}
	blocks, statements := parseScript(t, script.Bytes())
	for _, table := range pgTables {
		if blocks[table] == nil {
			t.Fatalf("no COPY block for %s", table)
		}
	}

	capacity := strings.Repeat("?,", len(db.CapacityMetrics))
	metrics := make([]any, len(db.CapacityMetrics))
	for i, m := range db.CapacityMetrics {
		metrics[i] = string(m)
	}
	for _, tc := range []struct {
		table string
		want  int
	}{
		{"company", rawCount(t, path, `SELECT count(*) FROM companies`)},
		{"project", rawCount(t, path, `SELECT count(*) FROM projects`)},
		{"project_participant", rawCount(t, path, `SELECT count(*) FROM project_participants`)},
		{"capacity_measurement", rawCount(t, path, `SELECT count(*) FROM measurements WHERE project_id IS NOT NULL AND metric IN (`+
			strings.TrimSuffix(capacity, ",")+`)`, metrics...)},
	} {
		if got := len(blocks[tc.table].rows); got != tc.want || got == 0 {
			t.Errorf("%s: %d rows, want %d (and some)", tc.table, got, tc.want)
		}
	}

	t.Run("KeysAndIndexes", func(t *testing.T) {
		if got := strings.Count(statements, "ADD PRIMARY KEY (id)"); got != len(pgTables) {
			t.Errorf("%d primary keys, want %d", got, len(pgTables))
		}
		if got := strings.Count(statements, "ADD FOREIGN KEY"); got != 3 {
			t.Errorf("%d foreign keys, want 3 (participant → project, company; figure → project)", got)
		}
		for _, want := range []string{"UNIQUE (name_key)", "ON project_participant (company_id, id)", "ON project_participant (project_id, id)",
			"ON capacity_measurement (project_id, ordinal)", "BEGIN;", "COMMIT;"} {
			if !strings.Contains(statements, want) {
				t.Errorf("the script lacks %q", want)
			}
		}
	})
	t.Run("ReferencesResolve", func(t *testing.T) {
		companies, projects := set(blocks["company"].column(t, "id")), set(blocks["project"].column(t, "id"))
		p := blocks["project_participant"]
		for i, c := range p.column(t, "company_id") {
			if !companies[c] || !projects[p.column(t, "project_id")[i]] {
				t.Errorf("participation %v refers to a company or project not exported", p.rows[i])
			}
		}
		for _, id := range blocks["capacity_measurement"].column(t, "project_id") {
			if !projects[id] {
				t.Errorf("capacity figure of project %s, not exported", id)
			}
		}
	})
	t.Run("GatewayOrder", func(t *testing.T) {
		c := blocks["company"]
		for i, o := range c.column(t, "ordinal") {
			if o != strconv.Itoa(i) {
				t.Fatalf("company %d has ordinal %s", i, o)
			}
		}
		names := c.column(t, "name")
		if !slices.IsSortedFunc(names, func(a, b string) int { return cmp.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
			t.Errorf("companies not in the gateway's order (by name): %q", names)
		}
		// Each project's capacity figures are numbered 0, 1, ... in order.
		m := blocks["capacity_measurement"]
		next := map[string]int{}
		for i, project := range m.column(t, "project_id") {
			if got := m.column(t, "ordinal")[i]; got != strconv.Itoa(next[project]) {
				t.Errorf("figure %v: ordinal %s, want %d", m.rows[i], got, next[project])
			}
			next[project]++
		}
	})
	t.Run("Q1Company", func(t *testing.T) {
		citic, err := store.FindCompanyByName(context.Background(), q1Company)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(blocks["company"].column(t, "name_key"), citic.Name) {
			t.Errorf("%s is not exported with its name as its key", citic.Name)
		}
		n := 0
		for _, c := range blocks["project_participant"].column(t, "company_id") {
			if c == fmt.Sprint(citic.ID) {
				n++
			}
		}
		if want := rawCount(t, path, `SELECT count(*) FROM project_participants WHERE company_id = ?`, citic.ID); n != want || n == 0 {
			t.Errorf("%s has %d participations exported, want %d (and some)", citic.Name, n, want)
		}
	})
}

func TestExportEscapes(t *testing.T) {
	name := "Tab\there, back\\slash, new\nline\r"
	e := &pgExport{companies: []*db.Company{{ID: 7, Slug: "odd", Name: name}}}
	var script bytes.Buffer
	if err := e.writeSQL(&script); err != nil {
		t.Fatal(err)
	}
	blocks, _ := parseScript(t, script.Bytes())
	if got := blocks["company"].column(t, "name"); len(got) != 1 || got[0] != name {
		t.Errorf("names read back = %q, want [%q]", got, name)
	}
}

func TestNameKeys(t *testing.T) {
	companies := []*db.Company{{Slug: "a", Name: "Alpha"}, {Slug: "b", Name: "Beta"}, {Slug: "a2", Name: "Alpha"}}
	if got, want := nameKeys(companies), []string{"", "Beta", ""}; !slices.Equal(got, want) {
		t.Errorf("nameKeys = %q, want %q: a name two companies share is no key", got, want)
	}
}

func TestExportNullNameKey(t *testing.T) {
	e := &pgExport{companies: []*db.Company{{ID: 1, Slug: "a", Name: "Alpha"}, {ID: 2, Slug: "a2", Name: "Alpha"}}}
	e.nameKeys = nameKeys(e.companies)
	var script bytes.Buffer
	if err := e.writeSQL(&script); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(script.String(), "1\ta\tAlpha\t\\N\t0\n") {
		t.Errorf("a shared name is not written as NULL (\\N):\n%s", script.String())
	}
}

func set(xs []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}
