package main

import (
	"os"
	"testing"

	"github.com/investgraph/investgraph/writer"
)

// TestMain lets the test binary be the writer process of the servers its
// tests start (run starts os.Executable() as the writer).
func TestMain(m *testing.M) {
	writer.RunIfChild()
	os.Exit(m.Run())
}
