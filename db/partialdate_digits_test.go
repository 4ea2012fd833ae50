package db_test

import (
	"testing"

	"github.com/investgraph/investgraph/db"
)

// TestParsePartialDate_OnlyDigits checks that every part of a date must be
// ASCII digits: the characters either side of '0' to '9', signs and
// spaces are refused, as strconv.Atoi alone would not refuse them.
func TestParsePartialDate_OnlyDigits(t *testing.T) {
	for _, in := range []string{"2O24", "/024", "202:", "+024", "-024", "2024-+3", "2024-0/", "2024-03-1:", "2024-03- 1", "٢٠٢٤", "2024-Q+1", ""} {
		if d, err := db.ParsePartialDate(in); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("ParsePartialDate(%q) = %v, %v; want EINVALID", in, d, err)
		}
	}
	for _, in := range []string{"1000", "9999", "2024-09", "2024-10-09"} {
		if _, err := db.ParsePartialDate(in); err != nil {
			t.Errorf("ParsePartialDate(%q): %v", in, err)
		}
	}
}
