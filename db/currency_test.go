package db_test

import (
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestParseCurrency(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for in, want := range map[string]string{"USD": "USD", "usd": "USD", "Kzt": "KZT", " cny ": "CNY"} {
			if got, err := db.ParseCurrency("currency", in); err != nil || got != want {
				t.Errorf("ParseCurrency(%q) = %q, %v; want %q", in, got, err, want)
			}
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		for _, in := range []string{"", "US", "USDT", "US$", "u d", "12€", "ÜSD"} {
			_, err := db.ParseCurrency("filter.currency", in)
			wantCode(t, err, db.EINVALID)
			if err != nil && !strings.HasPrefix(err.Error(), "filter.currency ") {
				t.Errorf("ParseCurrency(%q): %v, want the argument named first", in, err)
			}
		}
	})
}
