package writer

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// procAttr has the kernel kill the writer when the serving process dies,
// however it dies.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// lowerPriority sets the niceness of every thread of the process. On Linux
// niceness belongs to each thread, and a thread starts with the niceness of
// the thread that made it: the Go runtime has made several before main, so
// each is set, and those made later inherit it.
func lowerPriority(nice int) error {
	if nice == 0 {
		return nil
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return syscall.Setpriority(syscall.PRIO_PROCESS, 0, nice)
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := syscall.Setpriority(syscall.PRIO_PROCESS, tid, nice); err != nil && err != syscall.ESRCH {
			return fmt.Errorf("niceness %d: %w", nice, err)
		}
	}
	return nil
}
