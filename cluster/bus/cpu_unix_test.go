//go:build unix

package bus

import (
	"syscall"
	"time"
)

// cpuTime is the process's user and system CPU time (the benchmarks'
// steadier measure on a shared machine).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
