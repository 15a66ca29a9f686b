package ecs

import "fmt"

// SyncError is the first tick whose two runs (SetSyncTest) differed.
type SyncError struct {
	Tick     uint64
	Stage    string // first stage whose checksum differs; "events" if only the events do, "snapshot" or "restore" if the re-run could not start
	Expected uint64 // the forward run's checksum after Stage
	Actual   uint64 // the re-run's
	Event    int    // index of the first differing event (-1: events agree)
	Detail   string // what kind of bug this looks like
	// Rerun is the re-run world after its tick, for a state diff against
	// the forward one (replay/synctest diffs them); nil if it never ran.
	Rerun *World
}

// Error implements error.
func (e *SyncError) Error() string {
	if e.Stage == "events" {
		return fmt.Sprintf("synctest: tick %d: the re-run emitted different events (first at index %d): %s", e.Tick, e.Event, e.Detail)
	}
	return fmt.Sprintf("synctest: tick %d: stage %s: checksum forward %016x, re-run %016x: %s", e.Tick, e.Stage, e.Expected, e.Actual, e.Detail)
}

type syncTest struct {
	newWorld func() *World
	err      *SyncError
	ticks    uint64
}

// SetSyncTest makes every Step run its tick twice, like GGPO's SyncTest:
// forward on w, then on a world made by newWorld (the same systems and
// extensions, not stepped) restored from a snapshot taken before the tick,
// fed the same intents. The re-run audits every stage from scratch. The
// first tick whose two runs differ — in any stage's checksum or in the
// events — is kept as a *SyncError (SyncErr) and checking stops; w itself
// goes on as usual. It catches systems that are not deterministic, state a
// system keeps outside components without saving it in snapshots
// (StateSaver), and writes the incremental checksum missed (no event or
// Touch). It costs a snapshot and a restore per tick: for tests and debug
// builds. nil turns it off.
func (w *World) SetSyncTest(newWorld func() *World) {
	if newWorld == nil {
		w.sync = nil
		return
	}
	w.sync = &syncTest{newWorld: newWorld}
}

// SyncErr returns the first tick whose two runs differed, or nil.
func (w *World) SyncErr() *SyncError {
	if w.sync == nil || w.sync.err == nil {
		return nil
	}
	return w.sync.err
}

// SyncTicks returns how many ticks SetSyncTest has checked (run twice).
func (w *World) SyncTicks() uint64 {
	if w.sync == nil {
		return 0
	}
	return w.sync.ticks
}

func (w *World) syncStep() *TickRecord {
	st := w.sync
	if st.err != nil {
		return w.step()
	}
	tick := w.tick
	snap, err := w.TakeSnapshot() // with the submitted intents
	rec := w.step()
	if err != nil {
		st.err = &SyncError{Tick: tick, Stage: "snapshot", Event: -1, Detail: err.Error()}
		return rec
	}
	re := st.newWorld()
	if err := re.Restore(snap); err != nil {
		st.err = &SyncError{Tick: tick, Stage: "restore", Event: -1, Detail: err.Error()}
		return rec
	}
	re.SetChecksumAudit(1)
	re.SetStageChecksums(true)
	rr := re.step()
	st.ticks++
	if e := compareRuns(w, re, rec, rr); e != nil {
		e.Tick, e.Rerun = tick, re
		st.err = e
	}
	return rec
}

// compareRuns explains the first difference between the forward record a
// (of world w) and the re-run's b (of world re), or returns nil.
func compareRuns(w, re *World, a, b *TickRecord) *SyncError {
	names := w.StageNames()
	if i, ok := FirstStageDiff(a.Stages, b.Stages); ok || a.Checksum != b.Checksum {
		e := &SyncError{Stage: "checksum", Expected: a.Checksum, Actual: b.Checksum, Event: -1}
		if ok && i < len(names) && i < len(a.Stages) && i < len(b.Stages) {
			e.Stage, e.Expected, e.Actual = names[i], a.Stages[i], b.Stages[i]
		}
		if j := firstEventDiff(a.Events, b.Events); j >= 0 {
			e.Event = j
		}
		// The re-run audited every stage; if the forward state hashes to the
		// re-run's checksum from scratch, only the forward cache was wrong.
		if full := w.FullChecksum(); full == b.Checksum {
			e.Detail = fmt.Sprintf("both runs reached the same state, but the forward run's incremental checksum missed a change (no event or Touch) to entities %v", w.StaleEntities())
		} else {
			e.Detail = "the runs reached different states: a system is not deterministic, or keeps state outside components that snapshots do not save (implement StateSaver)"
		}
		return e
	}
	if j := firstEventDiff(a.Events, b.Events); j >= 0 {
		return &SyncError{Stage: "events", Expected: a.Checksum, Actual: b.Checksum, Event: j,
			Detail: fmt.Sprintf("forward %v, re-run %v", at(a.Events, j), at(b.Events, j))}
	}
	return nil
}

func firstEventDiff[T comparable](a, b []T) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return -1
}

func at[T any](s []T, i int) any {
	if i < len(s) {
		return s[i]
	}
	return "-"
}
