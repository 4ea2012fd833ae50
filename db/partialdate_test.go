package db_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestParsePartialDate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct {
			in         string
			precision  db.Precision
			start, end string
		}{
			{"2025", db.PrecisionYear, "2025-01-01", "2025-12-31"},
			{"2024-H1", db.PrecisionHalf, "2024-01-01", "2024-06-30"},
			{"2024-H2", db.PrecisionHalf, "2024-07-01", "2024-12-31"},
			{"2024-Q1", db.PrecisionQuarter, "2024-01-01", "2024-03-31"},
			{"2024-Q4", db.PrecisionQuarter, "2024-10-01", "2024-12-31"},
			{"2025-03", db.PrecisionMonth, "2025-03-01", "2025-03-31"},
			{"2024-02", db.PrecisionMonth, "2024-02-01", "2024-02-29"},
			{"2023-02", db.PrecisionMonth, "2023-02-01", "2023-02-28"},
			{"2025-03-15", db.PrecisionDay, "2025-03-15", "2025-03-15"},
			{"2024-02-29", db.PrecisionDay, "2024-02-29", "2024-02-29"},
			{"2025-12-31", db.PrecisionDay, "2025-12-31", "2025-12-31"},
		} {
			t.Run(tt.in, func(t *testing.T) {
				d, err := db.ParsePartialDate(tt.in)
				if err != nil {
					t.Fatalf("ParsePartialDate(%q): %v", tt.in, err)
				}
				if got, want := d.String(), tt.in; got != want {
					t.Errorf("String() = %q, want %q", got, want)
				}
				if got, want := d.Precision, tt.precision; got != want {
					t.Errorf("Precision = %v, want %v", got, want)
				}
				if got, want := d.Start(), tt.start; got != want {
					t.Errorf("Start() = %q, want %q", got, want)
				}
				if got, want := d.End(), tt.end; got != want {
					t.Errorf("End() = %q, want %q", got, want)
				}
				if d.IsZero() {
					t.Error("IsZero() = true for a parsed date")
				}
			})
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, in := range []string{
			"", "25", "202", "abcd", "+2025", "-2025", " 2025", "2025 ", "0000",
			"2025-", "2025-3", "2025-003", "2025-00", "2025-13", "2025-ab",
			"2025-02-30", "2023-02-29", "2025-04-31", "2025-03-00", "2025-03-5", "2025-03-",
			"2025-03-15T00:00", "2025-03-15-", "2025/03/15", "20250315",
			"2024-Q", "2024-Q0", "2024-Q5", "2024-Q12", "2024-q4",
			"2024-H", "2024-H0", "2024-H3", "2024-h2", "2024-Q+1",
		} {
			t.Run(fmt.Sprintf("%q", in), func(t *testing.T) {
				d, err := db.ParsePartialDate(in)
				wantCode(t, err, db.EINVALID)
				if !strings.Contains(err.Error(), fmt.Sprintf("%q", in)) {
					t.Errorf("error %q does not quote the input", err)
				}
				if !d.IsZero() {
					t.Errorf("date = %v, want the zero date on error", d)
				}
			})
		}
	})
}

func TestMustParsePartialDate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		if got, want := db.MustParsePartialDate("2024-Q4").String(), "2024-Q4"; got != want {
			t.Errorf("MustParsePartialDate = %q, want %q", got, want)
		}
	})
	t.Run("ErrPanics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("MustParsePartialDate(\"2024-13\") did not panic")
			}
		}()
		db.MustParsePartialDate("2024-13")
	})
}

func TestPartialDate_Zero(t *testing.T) {
	var d db.PartialDate
	if !d.IsZero() {
		t.Error("IsZero() = false for the zero PartialDate")
	}
	if got, want := d.String(), ""; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestPartialDate_RangeNests checks the property the store relies
// on to order and filter dates: a date's range lies inside the range of
// every coarser date that contains it.
func TestPartialDate_RangeNests(t *testing.T) {
	chain := []string{"2024", "2024-H1", "2024-Q2", "2024-05", "2024-05-17"}
	for i := 1; i < len(chain); i++ {
		outer, inner := db.MustParsePartialDate(chain[i-1]), db.MustParsePartialDate(chain[i])
		if inner.Start() < outer.Start() || inner.End() > outer.End() {
			t.Errorf("%s covers %s..%s, outside %s's %s..%s",
				inner, inner.Start(), inner.End(), outer, outer.Start(), outer.End())
		}
		if inner.Start() > inner.End() {
			t.Errorf("%s starts %s after it ends %s", inner, inner.Start(), inner.End())
		}
	}
}

func TestPrecision_String(t *testing.T) {
	for p, want := range map[db.Precision]string{
		db.PrecisionYear: "YEAR", db.PrecisionHalf: "HALF", db.PrecisionQuarter: "QUARTER",
		db.PrecisionMonth: "MONTH", db.PrecisionDay: "DAY", 0: "UNKNOWN",
	} {
		if got := p.String(); got != want {
			t.Errorf("Precision(%d).String() = %q, want %q", int(p), got, want)
		}
	}
}
