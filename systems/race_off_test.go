//go:build !race

package systems_test

// raceEnabled shortens long-running tests under the race detector (CI runs
// the library once more with -race).
const raceEnabled = false
