package main

import (
	"cmp"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// tally counts outcomes.
type tally struct{ killed, survived, noCompile, equivalent, notRun int }

func (t *tally) add(status string) {
	switch status {
	case Killed, Timeout:
		t.killed++
	case Survived:
		t.survived++
	case NoCompile:
		t.noCompile++
	case Equivalent:
		t.equivalent++
	case NotRun:
		t.notRun++
	}
}

// score is the percentage of counted mutants the tests killed.
func (t tally) score() float64 {
	if t.killed+t.survived == 0 {
		return 100
	}
	return 100 * float64(t.killed) / float64(t.killed+t.survived)
}

func (t tally) String() string {
	s := fmt.Sprintf("%5.1f%%  %4d killed %4d survived", t.score(), t.killed, t.survived)
	if t.equivalent > 0 {
		s += fmt.Sprintf(" %4d equivalent", t.equivalent)
	}
	if t.noCompile > 0 {
		s += fmt.Sprintf(" %4d not compiling", t.noCompile)
	}
	if t.notRun > 0 {
		s += fmt.Sprintf(" %4d not run", t.notRun)
	}
	return s
}

type summary struct {
	total               tally
	byPkg, byFile, byOp map[string]*tally
}

func summarize(rs []Result) summary {
	s := summary{byPkg: map[string]*tally{}, byFile: map[string]*tally{}, byOp: map[string]*tally{}}
	for _, r := range rs {
		s.total.add(r.Status)
		for key, m := range map[string]map[string]*tally{path.Dir(r.File) + "/": s.byPkg, r.File: s.byFile, r.Op: s.byOp} {
			if m[key] == nil {
				m[key] = &tally{}
			}
			m[key].add(r.Status)
		}
	}
	return s
}

func sortResults(rs []Result) {
	slices.SortFunc(rs, func(a, b Result) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), strings.Compare(a.Repl, b.Repl))
	})
}

// text is the report: scores overall, per package, per file and per
// operator, then the survivors; full adds every other mutant.
func (s summary) text(rs []Result, full bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "score  %s\n\nper package\n", s.total)
	table := func(m map[string]*tally) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			fmt.Fprintf(&b, "  %-28s %s\n", k, m[k])
		}
	}
	table(s.byPkg)
	b.WriteString("\nper file\n")
	table(s.byFile)
	b.WriteString("\nper operator\n")
	table(s.byOp)
	section := func(title string, keep func(Result) bool) {
		var lines []string
		for _, r := range rs {
			if keep(r) {
				l := fmt.Sprintf("  %s:%d:%d %s %s\n    %s", r.File, r.Line, r.Col, r.Op, r.Describe(), r.ID)
				switch {
				case r.Reason != "":
					l += "\n    " + r.Reason
				case r.Output != "":
					l += "\n    " + r.Output
				}
				lines = append(lines, l)
			}
		}
		if len(lines) > 0 {
			fmt.Fprintf(&b, "\n%s (%d)\n%s\n", title, len(lines), strings.Join(lines, "\n"))
		}
	}
	section("survivors", func(r Result) bool { return r.Status == Survived })
	if full {
		section("equivalent", func(r Result) bool { return r.Status == Equivalent })
		section("killed", func(r Result) bool { return r.Status == Killed || r.Status == Timeout })
		section("not compiling", func(r Result) bool { return r.Status == NoCompile })
		section("not run", func(r Result) bool { return r.Status == NotRun })
	}
	return b.String()
}
