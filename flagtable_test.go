package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readmeFlags reads the flag tables of README.md: each flag's default as
// documented, "none" when the table says none. A flag in two tables must
// have the same default in both.
func readmeFlags(t *testing.T) map[string]string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\| `-([a-z-]+)` \\| ([^|]+) \\|")
	value := regexp.MustCompile("^`([^`]*)`")
	flags := map[string]string{}
	for _, line := range strings.Split(string(readme), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		def := strings.TrimSpace(m[2])
		if v := value.FindStringSubmatch(def); v != nil {
			def = v[1]
		} else if def != "none" {
			t.Errorf("README: -%s has default %q, want a `value` or none", m[1], def)
		}
		if old, ok := flags[m[1]]; ok && old != def {
			t.Errorf("README: -%s has default %q in one table and %q in another", m[1], old, def)
		}
		flags[m[1]] = def
	}
	if len(flags) < 30 {
		t.Fatalf("README documents %d flags, expected more", len(flags))
	}
	return flags
}

// helpFlags reads -h: each flag's usage text, by name.
func helpFlags(t *testing.T) map[string]string {
	t.Helper()
	var out bytes.Buffer
	if _, err := parseFlags([]string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: error %v, want flag.ErrHelp", err)
	}
	name := regexp.MustCompile(`^  -([a-z-]+)`)
	flags := map[string]string{}
	var current string
	for _, line := range strings.Split(out.String(), "\n") {
		if m := name.FindStringSubmatch(line); m != nil {
			current = m[1]
			flags[current] = ""
		} else if current != "" && strings.HasPrefix(line, "    \t") {
			flags[current] += strings.TrimSpace(line)
		}
	}
	return flags
}

// TestFlagTable holds the command to its documentation: README's flag table
// lists exactly the flags -h prints, -h states the defaults the table
// states, and giving each flag its documented default changes nothing.
func TestFlagTable(t *testing.T) {
	t.Setenv("PORT", "")
	documented, help := readmeFlags(t), helpFlags(t)
	var names, helpNames []string
	for n := range documented {
		names = append(names, n)
	}
	for n := range help {
		helpNames = append(helpNames, n)
	}
	slices.Sort(names)
	slices.Sort(helpNames)
	if !slices.Equal(names, helpNames) {
		t.Errorf("README documents flags %q,\n-h prints %q", names, helpNames)
	}

	defaults, err := parseFlags(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The flag package prints "(default X)" for every default but the zero
	// value; the usage of size flags says "default X" itself.
	stated := regexp.MustCompile(`[(; ]default "?([^");]+?)"?[);]`)
	for _, name := range names {
		def, usage := documented[name], help[name]
		t.Run(name, func(t *testing.T) {
			if _, ok := help[name]; !ok {
				return // reported above
			}
			m := stated.FindStringSubmatch(usage)
			switch {
			case def == "none" || def == "false" || def == "0":
				if m != nil {
					t.Errorf("-h states default %q, README says %s", m[1], def)
				}
			case m == nil:
				t.Errorf("-h states no default, README says %s (usage %q)", def, usage)
			case m[1] != def:
				t.Errorf("-h states default %q, README says %s", m[1], def)
			}
			arg := "-" + name + "=" + def
			if def == "none" {
				arg = "-" + name + "="
			}
			c, err := parseFlags([]string{arg}, nil)
			if err != nil {
				t.Fatalf("%s: %v", arg, err)
			}
			if !reflect.DeepEqual(c, defaults) {
				t.Errorf("%s changes the configuration:\n got %+v\nwant %+v", arg, c, defaults)
			}
		})
	}
}
