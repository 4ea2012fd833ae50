package writer

import (
	"fmt"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// procAttr has the kernel kill the writer when the serving process dies,
// however it dies.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// lowerPriority sets the priority of every thread of the process. On Linux
// niceness and scheduling policy belong to each thread, and a thread starts
// with those of the thread that made it: the Go runtime has made several
// before main, so each is set, and those made later inherit it. The
// niceness is set first: a thread may always lower its own priority.
func lowerPriority(p priority) error {
	if p.nice == 0 && !p.idle {
		return nil
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return fmt.Errorf("priority: %w", err)
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := syscall.Setpriority(syscall.PRIO_PROCESS, tid, p.nice); err != nil && err != syscall.ESRCH {
			return fmt.Errorf("niceness %d: %w", p.nice, err)
		}
		if !p.idle {
			continue
		}
		attr := unix.SchedAttr{Size: unix.SizeofSchedAttr, Policy: unix.SCHED_IDLE, Nice: int32(p.nice)}
		if err := unix.SchedSetAttr(tid, &attr, 0); err != nil && err != syscall.ESRCH {
			return fmt.Errorf("idle priority: %w", err)
		}
	}
	return nil
}
