//go:build !unix

// Package proccpu reads the process's CPU time: on a shared machine the
// steadier measure of what a run cost (the wall clock also counts the time
// other processes held the cores). Perf plumbing for tests and benchmarks,
// not part of the public API.
package proccpu

import "time"

// Used is unknown here: it returns 0.
func Used() time.Duration { return 0 }
