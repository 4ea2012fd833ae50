package graph

import (
	"math"
	"testing"
)

// TestSaturating checks the prefetch walk's counting at the edge of int64:
// sums and products that fit are exact, and those that would overflow stop
// at the largest value.
func TestSaturating(t *testing.T) {
	const top = math.MaxInt64
	for _, tc := range []struct{ a, b, sum, product int64 }{
		{2, 3, 5, 6},
		{0, top, top, 0},
		{1, top - 1, top, top - 1},
		{2, top - 1, top, top},
		{2, top / 2, top/2 + 2, 2 * (top / 2)},
		{3, top/3 + 1, top/3 + 4, top},
		{top, 1, top, top},
	} {
		if got := saturatingAdd(tc.a, tc.b); got != tc.sum {
			t.Errorf("saturatingAdd(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.sum)
		}
		if got := saturatingMul(tc.a, tc.b); got != tc.product {
			t.Errorf("saturatingMul(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.product)
		}
	}
}
