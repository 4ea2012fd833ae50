package db

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a PartialDate is known.
type Precision int

// The precisions a PartialDate can have, from coarsest to finest.
const (
	PrecisionYear Precision = iota + 1
	PrecisionHalf
	PrecisionQuarter
	PrecisionMonth
	PrecisionDay
)

// String returns the precision's GraphQL enum name.
func (p Precision) String() string {
	switch p {
	case PrecisionYear:
		return "YEAR"
	case PrecisionHalf:
		return "HALF"
	case PrecisionQuarter:
		return "QUARTER"
	case PrecisionMonth:
		return "MONTH"
	case PrecisionDay:
		return "DAY"
	}
	return "UNKNOWN"
}

// PartialDate is a calendar date known only as precisely as a source gave it:
// a year, a half, a quarter, a month or a day. It never invents the parts a
// source left out.
type PartialDate struct {
	Year      int
	Precision Precision
	// Part is the half (1-2), quarter (1-4) or month (1-12), by Precision.
	Part int
	Day  int
}

// ParsePartialDate parses 2025, 2025-03, 2025-03-15, 2024-Q4 or 2024-H2.
func ParsePartialDate(s string) (PartialDate, error) {
	bad := func(reason string) (PartialDate, error) {
		return PartialDate{}, Errorf(EINVALID, "invalid date %s: %s (use YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or YYYY-Hn)", Quote(s), reason)
	}
	if len(s) < 4 {
		return bad("too short")
	}
	year, err := parseDigits(s[:4])
	if err != nil || year < 1 {
		return bad("the year must be four digits")
	}
	rest := s[4:]
	if rest == "" {
		return PartialDate{Year: year, Precision: PrecisionYear}, nil
	}
	if rest[0] != '-' || len(rest) < 2 {
		return bad("expected '-' after the year")
	}
	rest = rest[1:]
	switch rest[0] {
	case 'Q', 'H':
		n, err := parseDigits(rest[1:])
		max, prec := 4, PrecisionQuarter
		if rest[0] == 'H' {
			max, prec = 2, PrecisionHalf
		}
		if err != nil || len(rest) != 2 || n < 1 || n > max {
			return bad(fmt.Sprintf("%c must be followed by 1 to %d", rest[0], max))
		}
		return PartialDate{Year: year, Precision: prec, Part: n}, nil
	}
	month, day, hasDay := rest, "", false
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		month, day, hasDay = rest[:i], rest[i+1:], true
	}
	m, err := parseDigits(month)
	if err != nil || len(month) != 2 || m < 1 || m > 12 {
		return bad("the month must be 01 to 12")
	}
	if !hasDay {
		return PartialDate{Year: year, Precision: PrecisionMonth, Part: m}, nil
	}
	d, err := parseDigits(day)
	if err != nil || len(day) != 2 || d < 1 || d > daysIn(year, m) {
		return bad("no such day in that month")
	}
	return PartialDate{Year: year, Precision: PrecisionDay, Part: m, Day: d}, nil
}

// MustParsePartialDate is ParsePartialDate for constants in tests and code; it
// panics on a malformed date.
func MustParsePartialDate(s string) PartialDate {
	d, err := ParsePartialDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d holds no date.
func (d PartialDate) IsZero() bool { return d.Precision == 0 }

// String formats d back in the form it was parsed from.
func (d PartialDate) String() string {
	switch d.Precision {
	case PrecisionYear:
		return fmt.Sprintf("%04d", d.Year)
	case PrecisionHalf:
		return fmt.Sprintf("%04d-H%d", d.Year, d.Part)
	case PrecisionQuarter:
		return fmt.Sprintf("%04d-Q%d", d.Year, d.Part)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Part)
	case PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Part, d.Day)
	}
	return ""
}

// Start returns the first day d covers, as YYYY-MM-DD. A partial date is the
// period from Start to End; sorting by Start, then by End, puts periods in
// the order of their first day, the shorter of two starting the same day
// first: 2024-07-01, 2024-07, 2024-Q3, 2024-H2, then 2024-07-15.
func (d PartialDate) Start() string {
	y, m1, _ := d.months()
	day := 1
	if d.Precision == PrecisionDay {
		day = d.Day
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m1, day)
}

// End returns the last day d covers, as YYYY-MM-DD.
func (d PartialDate) End() string {
	y, _, m2 := d.months()
	if d.Precision == PrecisionDay {
		return fmt.Sprintf("%04d-%02d-%02d", y, d.Part, d.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m2, daysIn(y, m2))
}

func (d PartialDate) months() (year, first, last int) {
	switch d.Precision {
	case PrecisionHalf:
		return d.Year, d.Part*6 - 5, d.Part * 6
	case PrecisionQuarter:
		return d.Year, d.Part*3 - 2, d.Part * 3
	case PrecisionMonth, PrecisionDay:
		return d.Year, d.Part, d.Part
	}
	return d.Year, 1, 12
}

// parseDigits accepts only ASCII digits, unlike strconv.Atoi which takes signs.
func parseDigits(s string) (int, error) {
	if s == "" {
		return 0, strconv.ErrSyntax
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.Atoi(s)
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
