package db_test

import (
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestQuote(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"Short", "citic-group", `"citic-group"`},
		{"Escaped", "a\"b\n", `"a\"b\n"`},
		{"AtLimit", strings.Repeat("a", db.QuoteLimit), `"` + strings.Repeat("a", db.QuoteLimit) + `"`},
		{"Long", strings.Repeat("a", 900_000), `"` + strings.Repeat("a", db.QuoteLimit) + `…" (900000 characters)`},
		{"LongMultibyte", strings.Repeat("ж", 100), `"` + strings.Repeat("ж", db.QuoteLimit) + `…" (100 characters)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := db.Quote(tt.in); got != tt.want {
				t.Errorf("Quote = %.100s, want %.100s", got, tt.want)
			}
		})
	}
}
