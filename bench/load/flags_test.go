package main

import (
	"slices"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	t.Run("OKDefaults", func(t *testing.T) {
		c, err := parseFlags(nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.executors, []string{"fast"}; !slices.Equal(got, want) {
			t.Errorf("executors = %q, want %q", got, want)
		}
		if c.rounds != 0 || c.postgraphile {
			t.Errorf("rounds = %d, postgraphile = %v; want 0, false", c.rounds, c.postgraphile)
		}
	})
	t.Run("OKBothInRounds", func(t *testing.T) {
		c, err := parseFlags([]string{"-executor", "both", "-rounds", "5", "-d", "5s", "-c", "32", "-queries", "q1,q2"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.executors, []string{"gqlgen", "fast"}; !slices.Equal(got, want) {
			t.Errorf("executors = %q, want %q", got, want)
		}
		if c.rounds != 5 || c.conns != 32 || c.duration.Seconds() != 5 {
			t.Errorf("rounds, c, d = %d, %d, %v; want 5, 32, 5s", c.rounds, c.conns, c.duration)
		}
	})
	t.Run("OKFast", func(t *testing.T) {
		c, err := parseFlags([]string{"-executor", "fast"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.executors, []string{"fast"}; !slices.Equal(got, want) {
			t.Errorf("executors = %q, want %q", got, want)
		}
	})
	for _, tc := range []struct {
		name string
		args []string
		want string // part of the error
	}{
		{"ErrUnknownExecutor", []string{"-executor", "jit"}, `-executor "jit"`},
		{"ErrBothWithoutRounds", []string{"-executor", "both"}, "-rounds"},
		{"ErrPostGraphileWithoutRounds", []string{"-postgraphile"}, "-rounds"},
		{"ErrPostgresWithoutRounds", []string{"-postgres"}, "-rounds"},
		{"ErrNegativeRounds", []string{"-rounds", "-1"}, "-rounds"},
		{"ErrNegativePrime", []string{"-rounds", "2", "-prime", "-1s"}, "-prime"},
		{"ErrRoundsWithRespCache", []string{"-rounds", "2", "-respcache"}, "-respcache"},
		{"ErrArguments", []string{"-rounds", "2", "extra"}, "unexpected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseFlags(tc.args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseFlags(%q) = %v, want an error mentioning %q", tc.args, err, tc.want)
			}
		})
	}
}

func TestRotate(t *testing.T) {
	cells := []*cell{{sys: &system{name: "a"}}, {sys: &system{name: "b"}}, {sys: &system{name: "c"}}}
	names := func(cs []*cell) string {
		var s []string
		for _, c := range cs {
			s = append(s, c.sys.name)
		}
		return strings.Join(s, "")
	}
	for r, want := range []string{"abc", "bca", "cab", "abc"} {
		if got := names(rotate(cells, r)); got != want {
			t.Errorf("rotate(abc, %d) = %s, want %s", r, got, want)
		}
	}
	if got := names(cells); got != "abc" {
		t.Errorf("rotate changed its input to %s", got)
	}
}

func TestMedian(t *testing.T) {
	if got := median([]float64{5, 1, 3}); got != 3 {
		t.Errorf("median(5 1 3) = %v, want 3", got)
	}
	if got := median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Errorf("median(4 1 3 2) = %v, want 2.5", got)
	}
	if got := median([]float64(nil)); got != 0 {
		t.Errorf("median() = %v, want 0", got)
	}
}

func TestParseFlags_Writes(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, err := parseFlags([]string{"-writes", "10", "-d", "10s"})
		if err != nil {
			t.Fatal(err)
		}
		if c.writes.perSecond != 10 || c.writes.items != 100 || c.writes.query != "q1" || c.writes.rate != 100 || c.writes.rounds != 3 {
			t.Errorf("writes = %+v, want 10/s of 100 items, q1 at 100/s, 3 rounds", c.writes)
		}
	})
	for name, args := range map[string][]string{
		"ErrWithRounds":   {"-writes", "10", "-rounds", "3"},
		"ErrNoItems":      {"-writes", "10", "-write-items", "0"},
		"ErrNegativeRate": {"-writes", "-1"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseFlags(args); err == nil {
				t.Errorf("parseFlags(%q) = nil error, want one", args)
			}
		})
	}
}
