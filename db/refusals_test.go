package db_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// TestRefusals checks that each bad argument the store is given is refused
// with EINVALID and a message saying what to do, and that the values just
// inside each limit are accepted. The limits are the documented ones
// (README: depth at most 3, maxHops at most 6, limit at most 1,000, pages
// of 0 to 100), written out rather than read from the constants.
func TestRefusals(t *testing.T) {
	s, _ := seededStore(t)
	ctx := t.Context()
	citic := db.NodeRef{Type: "Company", ID: companyID(t, s, "citic-group")}
	caspi := db.NodeRef{Type: "Project", ID: projectID(t, s, "caspi-bitum-expansion")}
	date := func(s string) *db.PartialDate { d := db.MustParsePartialDate(s); return &d }
	amount := func(v float64) *float64 { return &v }
	ints := func(v int) *int { return &v }
	strs := func(v string) *string { return &v }
	nameCursor := func() string {
		p, err := s.FindCompanies(ctx, db.CompanyFilter{}, db.Order{}, db.PageArgs{First: 1})
		if err != nil {
			t.Fatal(err)
		}
		return p.Cursors[0].String()
	}()
	for _, tc := range []struct {
		name string
		call func() error
		want string // part of the message; "" when the call must succeed
	}{
		{"DepthZero", func() error { _, err := s.Neighborhood(ctx, citic, 0, 100); return err }, "depth must be 1 to 3, got 0"},
		{"DepthOne", func() error { _, err := s.Neighborhood(ctx, citic, 1, 100); return err }, ""},
		{"DepthThree", func() error { _, err := s.Neighborhood(ctx, citic, 3, 1000); return err }, ""},
		{"DepthFour", func() error { _, err := s.Neighborhood(ctx, citic, 4, 100); return err }, "depth must be 1 to 3, got 4"},
		{"LimitZero", func() error { _, err := s.Neighborhood(ctx, citic, 1, 0); return err }, "limit must be 1 to 1000, got 0"},
		{"LimitMax", func() error { _, err := s.Neighborhood(ctx, citic, 1, 1000); return err }, ""},
		{"LimitOverMax", func() error { _, err := s.Neighborhood(ctx, citic, 1, 1001); return err }, "limit must be 1 to 1000, got 1001"},
		{"NeighborhoodOverLimit", func() error { _, err := s.Neighborhood(ctx, citic, 2, 2); return err }, "has more than 2 nodes"},
		{"NeighborhoodAtItsSize", func() error {
			g, err := s.Neighborhood(ctx, citic, 1, 1000)
			if err != nil {
				return err
			}
			// A limit of exactly the neighborhood's size is enough.
			_, err = s.Neighborhood(ctx, citic, 1, len(g.Nodes)+1)
			return err
		}, ""},
		{"HopsZero", func() error { _, err := s.Paths(ctx, citic, caspi, 0, 3); return err }, "maxHops must be 1 to 6, got 0"},
		{"HopsOne", func() error { _, err := s.Paths(ctx, citic, caspi, 1, 3); return err }, ""},
		{"HopsSix", func() error { _, err := s.Paths(ctx, citic, caspi, 6, 3); return err }, ""},
		{"HopsSeven", func() error { _, err := s.Paths(ctx, citic, caspi, 7, 3); return err }, "maxHops must be 1 to 6, got 7"},
		{"PathsZero", func() error { _, err := s.Paths(ctx, citic, caspi, 4, 0); return err }, "first must be 1 to 20, got 0"},
		{"PathsTwenty", func() error { _, err := s.Paths(ctx, citic, caspi, 4, 20); return err }, ""},
		{"PathsTwentyOne", func() error { _, err := s.Paths(ctx, citic, caspi, 4, 21); return err }, "first must be 1 to 20, got 21"},
		{"FirstNegative", func() error { _, err := db.NewPageArgs(ints(-1), nil, nil, nil); return err }, "first must not be negative, got -1"},
		{"FirstZero", func() error { _, err := db.NewPageArgs(ints(0), nil, nil, nil); return err }, ""},
		{"FirstMax", func() error { _, err := db.NewPageArgs(ints(100), nil, nil, nil); return err }, ""},
		{"FirstOverMax", func() error { _, err := db.NewPageArgs(ints(101), nil, nil, nil); return err }, "first must be at most 100, got 101: page with after"},
		{"LastNegative", func() error { _, err := db.NewPageArgs(nil, nil, ints(-1), nil); return err }, "last must not be negative, got -1"},
		{"LastOverMax", func() error { _, err := db.NewPageArgs(nil, nil, ints(101), nil); return err }, "last must be at most 100, got 101: page with before"},
		{"FirstAndLast", func() error { _, err := db.NewPageArgs(ints(1), nil, ints(1), nil); return err }, "pass first or last, not both"},
		{"BadAfter", func() error { _, err := db.NewPageArgs(nil, strs("nope"), nil, nil); return err }, `invalid cursor "nope"`},
		{"BadBefore", func() error { _, err := db.NewPageArgs(nil, nil, nil, strs("nope")); return err }, `invalid cursor "nope"`},
		{"CursorWithoutSlug", func() error {
			_, err := db.ParseCursor(db.Cursor{Order: "NAME", Key: "x"}.String())
			return err
		}, "invalid cursor"},
		{"CursorOfAnotherOrdering", func() error {
			p, err := db.NewPageArgs(nil, &nameCursor, nil, nil)
			if err != nil {
				return err
			}
			_, err = s.FindCompanies(ctx, db.CompanyFilter{}, db.Order{Field: "COUNTRY"}, p)
			return err
		}, `the cursor belongs to ordering "NAME", not "COUNTRY"`},
		{"CursorOfTheSameOrderingDescending", func() error {
			p, err := db.NewPageArgs(nil, &nameCursor, nil, nil)
			if err != nil {
				return err
			}
			_, err = s.FindCompanies(ctx, db.CompanyFilter{}, db.Order{Field: "NAME", Desc: true}, p)
			return err
		}, `the cursor belongs to ordering "NAME", not "NAME DESC"`},
		{"UnknownOrdering", func() error {
			_, err := s.FindCompanies(ctx, db.CompanyFilter{}, db.Order{Field: "PLANET"}, db.PageArgs{First: 1})
			return err
		}, `cannot order by "PLANET": use one of NAME, COUNTRY, KIND, FIRST_REPORTED`},
		{"MinAboveMax", func() error {
			_, err := s.FindAgreements(ctx, db.AgreementFilter{MinAmount: amount(2), MaxAmount: amount(1)}, db.Order{}, db.PageArgs{First: 1})
			return err
		}, "minAmount (2) is more than maxAmount (1): swap them"},
		{"MinIsMax", func() error {
			_, err := s.FindAgreements(ctx, db.AgreementFilter{MinAmount: amount(2e9), MaxAmount: amount(2e9)}, db.Order{}, db.PageArgs{First: 1})
			return err
		}, ""},
		{"AgreementsFromAfterTo", func() error {
			_, err := s.FindAgreements(ctx, db.AgreementFilter{From: date("2024"), To: date("2023")}, db.Order{}, db.PageArgs{First: 1})
			return err
		}, "from (2024) is after to (2023): swap them"},
		{"MeetingsFromAfterTo", func() error {
			_, err := s.FindMeetings(ctx, db.MeetingFilter{From: date("2024-02"), To: date("2024-01")}, db.Order{}, db.PageArgs{First: 1})
			return err
		}, "from (2024-02) is after to (2024-01)"},
		{"ProjectsFromAfterTo", func() error {
			_, err := s.FindProjects(ctx, db.ProjectFilter{From: date("2024-02-02"), To: date("2024-02-01")}, db.Order{}, db.PageArgs{First: 1})
			return err
		}, "from (2024-02-02) is after to (2024-02-01)"},
		{"TimelineFromAfterTo", func() error {
			_, _, err := s.Timeline(ctx, db.TimelineFilter{From: date("2024-H2"), To: date("2024-Q2")}, 0, 10)
			return err
		}, "from (2024-H2) is after to (2024-Q2)"},
		{"RangeOfOneDay", func() error {
			_, _, err := s.Timeline(ctx, db.TimelineFilter{From: date("2024-07-02"), To: date("2024-07-02")}, 0, 10)
			return err
		}, ""},
		{"AgreementCurrency", func() error {
			_, err := s.FindAgreements(ctx, db.AgreementFilter{MinAmount: amount(1), Currency: "dollars"}, db.Order{}, db.PageArgs{First: 1})
			return err
		}, `currency "dollars" is not an ISO 4217 currency code`},
		{"MoneyCurrency", func() error { _, err := s.MoneySummary(ctx, db.ByYear, "US"); return err }, `currency "US" is not an ISO 4217 currency code`},
		{"MoneyGrouping", func() error { _, err := s.MoneySummary(ctx, "PLANET", "USD"); return err }, `cannot group money by "PLANET"`},
		{"SearchUnbalancedQuote", func() error { _, _, err := s.Search(ctx, `"caspi`, nil, 0, 10); return err }, "unbalanced quote"},
		{"SearchOperator", func() error { _, _, err := s.Search(ctx, "caspi OR bitum", nil, 0, 10); return err }, "operators such as OR are not supported"},
		{"SearchCharacters", func() error { _, _, err := s.Search(ctx, "caspi:bitum(x)::", nil, 0, 10); return err }, `remove the character(s) ":()"`},
		{"SearchStarInside", func() error { _, _, err := s.Search(ctx, "ca*pi", nil, 0, 10); return err }, "* may only end a word"},
		{"SearchLoneStar", func() error { _, _, err := s.Search(ctx, "caspi *", nil, 0, 10); return err }, "a lone * needs letters before it"},
		{"SearchEmptyPhrase", func() error { _, _, err := s.Search(ctx, `caspi "--"`, nil, 0, 10); return err }, `phrase "--" has no words`},
		{"SearchSixteenWords", func() error { _, _, err := s.Search(ctx, strings.Repeat("caspi ", 16), nil, 0, 10); return err }, ""},
		{"SearchSeventeenWords", func() error { _, _, err := s.Search(ctx, strings.Repeat("caspi ", 17), nil, 0, 10); return err }, "at most 16 words"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want == "":
			case db.ErrorCode(err) != db.EINVALID:
				t.Errorf("error %v (code %q), want EINVALID", err, db.ErrorCode(err))
			case !strings.Contains(err.Error(), tc.want):
				t.Errorf("error %q, want it to say %q", err, tc.want)
			}
		})
	}
}

// TestParseCurrency_Cases checks that a code in any case and with spaces is
// read as the upper-case code, and nothing else is.
func TestParseCurrency_Cases(t *testing.T) {
	for in, want := range map[string]string{"usd": "USD", " Cny ": "CNY", "KZT": "KZT", "US": "", "USDX": "", "U5D": "", "": "", "us$": "", "[sd": "", "@SD": ""} {
		got, err := db.ParseCurrency("currency", in)
		if want == "" {
			if db.ErrorCode(err) != db.EINVALID || !strings.Contains(err.Error(), "currency "+db.Quote(in)) {
				t.Errorf("ParseCurrency(%q) = %q, %v; want EINVALID naming the argument", in, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("ParseCurrency(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// TestPageArgs_Window checks the window a page selects from a ranked list
// of 10 items, the paging search and the timeline use.
func TestPageArgs_Window(t *testing.T) {
	cursor := func(offset int) *string { c := db.OffsetCursor("SEARCH", offset); return &c }
	ints := func(v int) *int { return &v }
	for _, tc := range []struct {
		first, last   *int
		after, before *string
		offset, limit int
	}{
		{first: ints(3), offset: 0, limit: 3},
		{first: ints(3), after: cursor(0), offset: 1, limit: 3},
		{first: ints(3), after: cursor(4), offset: 5, limit: 3},
		{first: ints(3), after: cursor(4), before: cursor(6), offset: 5, limit: 1},
		{first: ints(3), after: cursor(4), before: cursor(5), offset: 5, limit: 0},
		{first: ints(3), after: cursor(4), before: cursor(2), offset: 5, limit: 0},
		{first: ints(3), before: cursor(8), offset: 0, limit: 3},
		{last: ints(3), offset: 7, limit: 3},
		{last: ints(3), before: cursor(5), offset: 2, limit: 3},
		{last: ints(3), before: cursor(2), offset: 0, limit: 2},
		{last: ints(3), after: cursor(3), before: cursor(5), offset: 4, limit: 1},
		{last: ints(20), offset: 0, limit: 10},
		{last: ints(0), offset: 10, limit: 0},
	} {
		name := fmt.Sprintf("first=%v last=%v after=%v before=%v", deref(tc.first), deref(tc.last), tc.after != nil, tc.before != nil)
		p, err := db.NewPageArgs(tc.first, tc.after, tc.last, tc.before)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		offset, limit, err := p.Window("SEARCH", func() (int, error) { return 10, nil })
		if err != nil || offset != tc.offset || limit != tc.limit {
			t.Errorf("%s: window (%d, %d), %v; want (%d, %d)", name, offset, limit, err, tc.offset, tc.limit)
		}
	}
	p, _ := db.NewPageArgs(nil, cursor(2), nil, nil)
	if _, _, err := p.Window("TIMELINE", func() (int, error) { return 10, nil }); db.ErrorCode(err) != db.EINVALID {
		t.Errorf("a search cursor on the timeline: %v, want EINVALID", err)
	}
	for _, key := range []string{"-1", "x", "1099511627777"} {
		c := db.Cursor{Order: "SEARCH", Key: key, Slug: "-"}.String()
		p, err := db.NewPageArgs(nil, &c, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := p.Window("SEARCH", func() (int, error) { return 10, nil }); db.ErrorCode(err) != db.EINVALID {
			t.Errorf("cursor at offset %s: %v, want EINVALID", key, err)
		}
	}
	c := db.Cursor{Order: "SEARCH", Key: "1099511627776", Slug: "-"}.String()
	p, _ = db.NewPageArgs(nil, &c, nil, nil)
	if _, _, err := p.Window("SEARCH", func() (int, error) { return 10, nil }); err != nil {
		t.Errorf("cursor at the largest offset: %v", err)
	}
}
