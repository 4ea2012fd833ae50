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
