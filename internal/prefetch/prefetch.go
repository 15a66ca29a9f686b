// Package prefetch asks the CPU to start loading memory that will be read
// soon, without waiting for it. A look-ahead that loads a row to learn where
// the next one is must wait for every miss in turn; a prefetch only starts
// the miss, so the work of the current purchases hides the latency of the
// next ones. On architectures without an implementation the calls do
// nothing: prefetching is a hint and never changes a result.
package prefetch

import "unsafe"

// LineSize is the cache line size prefetching steps by.
const LineSize = 64

// Each starts loading the cache line at every address in ps. Nil addresses,
// and addresses that are not mapped, are ignored (a prefetch never faults).
func Each(ps []unsafe.Pointer) { each(ps) }

// Range starts loading every cache line of the n bytes at p.
func Range(p unsafe.Pointer, n uintptr) { lines(p, n) }
