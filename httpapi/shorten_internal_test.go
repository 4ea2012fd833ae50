package httpapi

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestShorten(t *testing.T) {
	long := strings.Repeat("a", 900_000)
	cutLong := `"` + strings.Repeat("a", 64) + `…" (900000 characters)`
	for _, tc := range []struct {
		name, in, want string
	}{
		{"Short", `invalid id "abc": pass an id returned by this API`, `invalid id "abc": pass an id returned by this API`},
		{"LongQuoted", `invalid cursor "` + long + `": pass a cursor`, `invalid cursor ` + cutLong + `: pass a cursor`},
		{"LongQuotedEscapes", `search "` + strings.Repeat(`\"`, 100) + `"`, `search "` + strings.Repeat(`\"`, 64) + `…" (100 characters)`},
		{"AlreadyCut", `invalid id ` + cutLong, `invalid id ` + cutLong},
		{"LongWord", `Int cannot represent non-integer value: ` + strings.Repeat("A", 900), `Int cannot represent non-integer value: ` + strings.Repeat("A", 64) + `… (900 characters)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := shorten(tc.in); got != tc.want {
				t.Errorf("shorten = %.200q, want %.200q", got, tc.want)
			}
		})
	}
	t.Run("LongMessage", func(t *testing.T) {
		got := shorten("String cannot represent a non string value: [" + strings.Repeat(`"a", `, 100_000) + `]`)
		if n := utf8.RuneCountInString(got); n > maxMessage+50 || !strings.HasSuffix(got, "… (message of 500046 characters cut)") {
			t.Errorf("shorten = %q (%d characters)", got, n)
		}
	})
}
