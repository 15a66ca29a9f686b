// Package allocs counts heap allocations exactly, for tests that claim
// "nothing allocates per tick".
//
// testing.AllocsPerRun returns the integer average (total / runs,
// rounded down), so 19 allocations over 20 runs report 0: a function that
// allocates once per call on most calls passes. Total returns the total
// instead, so a test can require zero over many runs and a single
// allocation anywhere shows.
package allocs

import "runtime"

// Total runs f once to warm up (lazily grown buffers, first-use
// registration), then n more times, and returns the number of heap
// allocations (runtime.MemStats.Mallocs) those n runs made. Like
// testing.AllocsPerRun it measures with GOMAXPROCS 1; allocations of
// other goroutines running meanwhile would be counted too, so callers do
// not run in parallel with other tests.
func Total(n int, f func()) uint64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	f()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		f()
	}
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs
}
