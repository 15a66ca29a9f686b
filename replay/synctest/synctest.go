// Package synctest is the test helper around ecs.World.SetSyncTest: it
// runs every tick of a session twice — forward, then restored from a
// snapshot taken before the tick and re-run — and fails the test at the
// first tick whose runs differ, naming the stage (the system), the first
// differing event and the state diff by stable id, component and field.
//
//	synctest.Run(t, w, newWorld, 600, func() { sim.inputs() })
//
// newWorld builds an empty world with the same systems and extensions as
// w (what a replay or a late-joining peer would build).
package synctest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
)

// Run turns on sync testing for w and steps it ticks times, calling inputs
// before every tick to queue that tick's commands and intents. It fails t
// at the first tick whose two runs differ, with Report's explanation.
func Run(t testing.TB, w *ecs.World, newWorld func() *ecs.World, ticks int, inputs func()) {
	t.Helper()
	w.SetSyncTest(newWorld)
	defer w.SetSyncTest(nil)
	for range ticks {
		if inputs != nil {
			inputs()
		}
		w.Step()
		Require(t, w)
	}
}

// Require fails t if w's sync test found a tick whose runs differ. Call it
// right after the Step that found it (Run does), so that the state diff
// compares the two runs of that tick.
func Require(t testing.TB, w *ecs.World) {
	t.Helper()
	if w.SyncErr() != nil {
		t.Fatal(Report(w))
	}
}

// Report explains w's sync test failure ("" if none): the tick, the stage
// and the cause, then the state diff between the forward run and the
// re-run after that tick.
func Report(w *ecs.World) string {
	e := w.SyncErr()
	if e == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(e.Error())
	b.WriteByte('\n')
	if e.Rerun == nil {
		return b.String()
	}
	fwd, err1 := w.TakeSnapshot()
	re, err2 := e.Rerun.TakeSnapshot()
	if err1 != nil || err2 != nil {
		fmt.Fprintf(&b, "  no state diff: %v %v\n", err1, err2)
		return b.String()
	}
	diffs := replay.DiffSnapshots(fwd, re)
	if len(diffs) == 0 {
		b.WriteString("  the states agree field by field (expected: forward run, actual: re-run)\n")
	} else {
		b.WriteString("  state diff (expected: forward run, actual: re-run):\n")
	}
	for _, d := range diffs {
		fmt.Fprintf(&b, "    %s\n", d)
	}
	return b.String()
}
