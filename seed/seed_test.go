package seed_test

import (
	"testing"

	"github.com/investgraph/investgraph/seed"
)

func TestParse_Embedded(t *testing.T) {
	d, err := seed.Parse(seed.Files())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(d.Sources), 5; got != want {
		t.Fatalf("sources = %d, want %d", got, want)
	}
}
