package db

import "strings"

// ParseCurrency returns code, an ISO 4217 currency code in any case and
// with any surrounding spaces, as the upper-case code amounts are stored
// in. Anything but three letters is refused with an EINVALID error naming
// arg, the argument the code came from (e.g. "filter.currency"). Every
// reader of a currency goes through it, so that `usd` means USD everywhere.
func ParseCurrency(arg, code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	ok := len(c) == 3
	for i := range len(c) {
		ok = ok && c[i] >= 'A' && c[i] <= 'Z'
	}
	if !ok {
		return "", Errorf(EINVALID, "%s %s is not an ISO 4217 currency code: use three letters, such as USD", arg, Quote(code))
	}
	return c, nil
}
