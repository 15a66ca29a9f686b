//go:build !unix

package main

import "time"

// cpuTime is unknown here: verify prints the CPU time as 0 and no rate per
// CPU second.
func cpuTime() time.Duration { return 0 }
