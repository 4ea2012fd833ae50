//go:build unix

package httpapi

import "syscall"

// RaiseFileLimit raises the soft limit on open files to the hard limit, so
// that the connection limits, not the file limit, decide how many clients
// are served, and returns the limit in force. (Go's runtime does this at
// start on most systems too; doing it here makes the limit known and
// logged.)
func RaiseFileLimit() (uint64, error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, err
	}
	if rl.Cur < rl.Max {
		raised := rl
		raised.Cur = rl.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised); err != nil {
			return uint64(rl.Cur), err
		}
		rl = raised
	}
	return uint64(rl.Cur), nil
}
