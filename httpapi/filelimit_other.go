//go:build !unix

package httpapi

// RaiseFileLimit does nothing where there is no RLIMIT_NOFILE, and returns
// 0 for an unknown limit.
func RaiseFileLimit() (uint64, error) { return 0, nil }
