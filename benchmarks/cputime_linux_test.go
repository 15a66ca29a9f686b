package benchmarks_test

import (
	"syscall"
	"time"
)

// threadCPU returns the CPU time the calling OS thread has used (user and
// system): on a shared machine it counts only the time a design ran, not
// the time other processes held the core. The caller pins its goroutine to
// its thread (runtime.LockOSThread) for the readings to be comparable.
func threadCPU() (time.Duration, bool) {
	const rusageThread = 1 // RUSAGE_THREAD (Linux)
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
