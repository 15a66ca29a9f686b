//go:build !amd64

package prefetch

import "unsafe"

func each(ps []unsafe.Pointer) {}

func lines(p unsafe.Pointer, n uintptr) {}
