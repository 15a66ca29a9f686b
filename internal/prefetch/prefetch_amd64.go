package prefetch

import "unsafe"

//go:noescape
func each(ps []unsafe.Pointer)

//go:noescape
func lines(p unsafe.Pointer, n uintptr)
