package oracle

import "testing"

func TestLastDay(t *testing.T) {
	for date, want := range map[string]string{
		"":           "",
		"2024":       "2024-12-31",
		"2024-02":    "2024-02-29",
		"2023-02":    "2023-02-28",
		"2023-12":    "2023-12-31",
		"2023-05-20": "2023-05-20",
	} {
		if got, err := lastDay(date); err != nil || got != want {
			t.Errorf("lastDay(%q) = %q, %v, want %q", date, got, err, want)
		}
	}
	if _, err := lastDay("2024-Q1"); err == nil {
		t.Error("lastDay(2024-Q1): no error")
	}
}

func TestSpan(t *testing.T) {
	for date, want := range map[string][2]string{
		"2024":       {"2024-01-01", "2024-12-31"},
		"2024-H1":    {"2024-01-01", "2024-06-30"},
		"2024-H2":    {"2024-07-01", "2024-12-31"},
		"2024-Q1":    {"2024-01-01", "2024-03-31"},
		"2023-Q4":    {"2023-10-01", "2023-12-31"},
		"2024-02":    {"2024-02-01", "2024-02-29"},
		"2023-05-20": {"2023-05-20", "2023-05-20"},
	} {
		if start, end, err := span(date); err != nil || start != want[0] || end != want[1] {
			t.Errorf("span(%q) = %q, %q, %v, want %q", date, start, end, err, want)
		}
	}
	for _, bad := range []string{"2024-Q5", "2024-H3", "2024-13", "yesterday"} {
		if _, _, err := span(bad); err == nil {
			t.Errorf("span(%q): no error", bad)
		}
	}
}

func TestInAsOfOrder(t *testing.T) {
	at := func(asOf, status string) measurement { return measurement{AsOf: asOf, Status: status} }
	for _, ok := range [][]measurement{
		{},
		{at("2023", "ACTUAL"), at("2023", "TARGET"), at("2023-07", "ACTUAL")},
		{at("2024-01", "TARGET"), at("2024-Q1", "ACTUAL"), at("2024-H1", "ACTUAL"), at("2024-01-15", "ACTUAL")},
	} {
		if err := inAsOfOrder(ok); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
	for _, bad := range [][]measurement{
		{at("2023", "TARGET"), at("2023", "ACTUAL")},
		{at("2024-H2", "ACTUAL"), at("2024-07", "ACTUAL")},
		{at("2025", "ACTUAL"), at("2024-12-31", "ACTUAL")},
	} {
		if inAsOfOrder(bad) == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}
