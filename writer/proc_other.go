//go:build !linux

package writer

import "syscall"

// procAttr: only Linux kills a child when its parent dies; elsewhere the
// writer exits when its standard input closes.
func procAttr() *syscall.SysProcAttr { return nil }

// lowerPriority does nothing outside Linux: the writer runs at the
// server's priority.
func lowerPriority(priority) error { return nil }
