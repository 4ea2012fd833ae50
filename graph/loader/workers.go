package loader

import "sync/atomic"

// maxWorkers bounds the goroutines kept for running batches.
const maxWorkers = 64

var (
	jobs    = make(chan func())
	workers atomic.Int32
)

// run runs f on a long-lived goroutine when one is free. A batch's fetch
// runs SQLite, whose deep call stack a fresh goroutine would have to grow,
// copying it several times; a reused goroutine has grown it already.
func run(f func()) {
	select {
	case jobs <- f:
	default:
		if workers.Add(1) > maxWorkers {
			workers.Add(-1)
			go f()
			return
		}
		go work(f)
	}
}

// work runs f, then every job handed to it, forever.
func work(f func()) {
	for {
		f()
		f = <-jobs
	}
}
