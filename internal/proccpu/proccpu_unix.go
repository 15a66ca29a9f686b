//go:build unix

// Package proccpu reads the process's CPU time: on a shared machine the
// steadier measure of what a run cost (the wall clock also counts the time
// other processes held the cores). Perf plumbing for tests and benchmarks,
// not part of the public API.
package proccpu

import (
	"syscall"
	"time"
)

// Used is the process's user and system CPU time so far, every thread
// (an embedded NATS server's included); 0 if it cannot be read.
func Used() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
