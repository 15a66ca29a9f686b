package benchmarks_test

import (
	"syscall"
	"time"
	"unsafe"
)

// threadCPU returns the CPU time the calling OS thread has used
// (CLOCK_THREAD_CPUTIME_ID, exact to the nanosecond, unlike getrusage's
// RUSAGE_THREAD, which lags by up to a scheduler tick): on a shared
// machine it counts only the time a design ran, not the time other
// processes held the core. The caller pins its goroutine to its thread
// (runtime.LockOSThread) for the readings to be comparable.
func threadCPU() (time.Duration, bool) {
	const clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime,
		uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
