package db

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// QuoteLimit is how many characters of a client's input an error message
// echoes before Quote cuts it.
const QuoteLimit = 64

// Quote returns s quoted as %q quotes it, for error messages that echo a
// client's input. Input longer than QuoteLimit characters is cut, and the
// message says how long it was, so that a 900 KB string sent by mistake (or
// on purpose) does not come back whole: "aaaa…" (900000 characters).
func Quote(s string) string {
	n := utf8.RuneCountInString(s)
	if n <= QuoteLimit {
		return strconv.Quote(s)
	}
	cut := 0
	for range QuoteLimit {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	return fmt.Sprintf("%s (%d characters)", strconv.Quote(s[:cut]+"…"), n)
}
