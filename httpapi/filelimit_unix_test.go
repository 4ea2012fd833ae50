//go:build unix

package httpapi_test

import (
	"syscall"
	"testing"

	"github.com/investgraph/investgraph/httpapi"
)

func TestRaiseFileLimit(t *testing.T) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Fatal(err)
	}
	lowered := rl
	lowered.Cur = min(rl.Max, 512)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lowered); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl) })
	got, err := httpapi.RaiseFileLimit()
	if err != nil {
		t.Fatal(err)
	}
	var now syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &now)
	if got != uint64(rl.Max) || uint64(now.Cur) != uint64(rl.Max) {
		t.Errorf("RaiseFileLimit = %d, soft limit now %d, want both the hard limit %d", got, now.Cur, rl.Max)
	}
}
