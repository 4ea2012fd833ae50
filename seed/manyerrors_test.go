package seed_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/seed"
)

// TestParse_ManyErrors checks that a seed with many problems reports the
// count, the first twenty and how many more there are.
func TestParse_ManyErrors(t *testing.T) {
	for _, n := range []int{20, 25} {
		var b strings.Builder
		b.WriteString(source + "companies:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - slug: c%d\n    name: \"C %d\"\n    kind: COMPANY\n    cite: [9]\n", i, i)
		}
		_, err := seed.Parse(mapFS(map[string]string{"000_a.yaml": b.String()}))
		if err == nil {
			t.Fatalf("%d citations of a missing paragraph accepted", n)
		}
		msg := err.Error()
		if want := fmt.Sprintf("seed: %d problem(s):", n); !strings.HasPrefix(msg, want) {
			t.Errorf("error starts %q, want %q", msg[:min(len(msg), 40)], want)
		}
		if got := strings.Count(msg, "cite 9 is not a paragraph"); got != min(n, 20) {
			t.Errorf("%d problems listed of %d, want %d", got, n, min(n, 20))
		}
		more := fmt.Sprintf("... and %d more problems", n-20)
		if got, want := strings.Contains(msg, more), n > 20; got != want {
			t.Errorf("error says %q: %v, want %v:\n%s", more, got, want, msg)
		}
	}
}
