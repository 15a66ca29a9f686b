package replay

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/ticklog"
)

// Source opens a fresh reader over the same log (verification may read it
// twice: once to find a snapshot, once to replay).
type Source func() (*ticklog.Reader, io.Closer, error)

// FileSource reads a log file. An unreadable header is reported with the
// path (as os.Open does), so that with two logs the message says which.
func FileSource(path string) Source {
	return func() (*ticklog.Reader, io.Closer, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		r, err := ticklog.NewReader(f)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		return r, f, nil
	}
}

// Options tune a verification.
type Options struct {
	// From starts at the nearest snapshot at or before this tick instead of
	// tick 0 (0: from the start).
	From uint64
	// Progress, if set, is called after every replayed tick with the byte
	// offset reached in the log.
	Progress func(tick uint64, offset int64)
	// DiffHorizon: after a mismatch, how many more ticks to replay looking
	// for a snapshot to diff the state against (default 10,000).
	DiffHorizon uint64
}

// Mismatch is where a replay parted from its log.
type Mismatch struct {
	Tick             uint64
	ExpectedChecksum uint64     // the recorded checksum (of the snapshot, if FoundBy is "snapshot")
	ActualChecksum   uint64     // the replayed one
	FoundBy          string     // "checksum", "events" (checksums agree) or "snapshot" (both agree, the state did not)
	Inputs           *EventDiff // first differing input or event (nil: they agree)
	Stage            string     // first stage whose checksum differs ("": stages agree or are not recorded)
	// RecordedStages and ReplayedStages count the stage checksums of the
	// tick in the log and in the replay (0: not recorded). They differ
	// when the recording world ran other systems than the log's header
	// names, the usual cause of a log that never verifies.
	RecordedStages, ReplayedStages int
	StateTick                      uint64 // tick the state diff was taken at (the next snapshot)
	State                          []FieldDiff
	// StateMissing says why State could not be compared ("" when it was):
	// no snapshot after Tick in the log, or none within the horizon.
	StateMissing string
}

// String explains the mismatch for a terminal. It always says what
// differs, or plainly that (and why) it could not locate the difference.
func (m *Mismatch) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "desync at tick %d:\n", m.Tick)
	switch {
	case m.FoundBy == "snapshot":
		fmt.Fprintf(&b, "  the recorded and replayed checksums agree, but the state at the snapshot before tick %d does not: the checksum misses a difference\n", m.StateTick)
	case m.ExpectedChecksum != m.ActualChecksum:
		fmt.Fprintf(&b, "  checksum: recorded %016x, replayed %016x\n", m.ExpectedChecksum, m.ActualChecksum)
	default:
		fmt.Fprintf(&b, "  checksums agree (%016x), but the events differ\n", m.ActualChecksum)
	}
	if m.Stage != "" {
		fmt.Fprintf(&b, "  first differing stage: %s\n", m.Stage)
	}
	if m.RecordedStages > 0 && m.ReplayedStages > 0 && m.RecordedStages != m.ReplayedStages {
		fmt.Fprintf(&b, "  the recording ran %d stages a tick and the replay %d: the recording world had other systems than the log's header names"+
			" (ticklog.Options.Setup: systems.CoreSetup() for systems.Install, systems.CommerceSetup(cfg) for systems.InstallCommerce(w, cfg))\n",
			m.RecordedStages, m.ReplayedStages)
	}
	switch {
	case m.Inputs != nil:
		fmt.Fprintf(&b, "  first difference: %s\n", m.Inputs)
	case m.FoundBy != "snapshot":
		b.WriteString("  inputs and events agree: the state changed without an event (a change outside the event log)\n")
	}
	writeState(&b, m.StateMissing, m.State,
		fmt.Sprintf("the snapshot before tick %d equals the replayed state", m.StateTick),
		fmt.Sprintf("at the snapshot before tick %d (expected: recorded, actual: replayed)", m.StateTick))
	return b.String()
}

// writeState renders the state part of a desync report: the diff under a
// heading, or plainly why there is none (missing: no snapshot to compare;
// else same: the snapshots agree), so a heading never stands alone.
func writeState(b *strings.Builder, missing string, state []FieldDiff, same, heading string) {
	switch {
	case missing != "":
		fmt.Fprintf(b, "  state diff: not located, %s\n", missing)
	case len(state) == 0:
		fmt.Fprintf(b, "  state diff: none; %s, so the difference did not last until then\n", same)
	default:
		fmt.Fprintf(b, "  state diff %s:\n", heading)
		for _, d := range state {
			fmt.Fprintf(b, "    %s\n", d)
		}
	}
}

// Result sums up a verification.
type Result struct {
	Header    ticklog.Header
	StartTick uint64 // first tick replayed
	Ticks     int    // ticks replayed
	Events    int    // events compared
	Snapshots int    // snapshots compared
	Mismatch  *Mismatch
	TornTail  *ticklog.TornTailError // the log ended in a torn record (not a desync)
	StartedAt *ecs.Snapshot          // the snapshot replay started from, if any
}

// RangeError is a verification asked to start past the log's last tick.
type RangeError struct {
	From     uint64
	LastTick uint64 // the log's last complete tick (valid if HasTick)
	HasTick  bool
}

// Error implements error.
func (e *RangeError) Error() string {
	if !e.HasTick {
		return fmt.Sprintf("replay: cannot start at tick %d: the log holds no complete tick", e.From)
	}
	return fmt.Sprintf("replay: cannot start at tick %d: the log ends at tick %d", e.From, e.LastTick)
}

// Verify re-simulates a log and checks every tick's events and checksum,
// and every snapshot. newWorld makes the worlds to replay on; nil builds
// them from the log header's Setup (ecs.Setup.Worlds), as recorded. It stops
// at the first mismatch, after diffing the state at the next snapshot.
// Starting (Options.From) past the log's last tick is a *RangeError.
func Verify(src Source, newWorld func() *ecs.World, opts Options) (*Result, error) {
	if opts.DiffHorizon == 0 {
		opts.DiffHorizon = 10000
	}
	r, c, err := src()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	r.SetRawSnapshots(true) // compared as JSON first, decoded only if they differ
	res := &Result{Header: r.Header()}
	if newWorld == nil {
		if newWorld, err = res.Header.Setup.Worlds(); err != nil {
			return nil, err
		}
	}
	if opts.From > 0 {
		s, err := nearestSnapshot(src, opts.From)
		if err != nil {
			return nil, err
		}
		res.StartedAt = s
	}
	w := newWorld()
	if base := res.StartedAt; base != nil {
		if err := w.Restore(base); err != nil {
			return nil, err
		}
		res.StartTick = base.Tick
	}
	names := w.StageNames()
	var mm *Mismatch
	var last uint64
	var hasLast, horizon bool
	// The next records decode on another goroutine while this one steps.
	pf := prefetch(r)
	defer pf.stop()
	for {
		f := pf.next()
		rec, err := f.rec, f.err
		if err == io.EOF {
			break
		}
		var torn *ticklog.TornTailError
		if errors.As(err, &torn) {
			res.TornTail = torn
			break
		}
		if err != nil {
			return res, err
		}
		if t := rec.Tick; t != nil {
			last, hasLast = t.Tick, true
			if t.Tick < w.NextTick() {
				pf.release(t)
				continue // before the starting snapshot
			}
			if mm != nil && t.Tick-mm.Tick > opts.DiffHorizon {
				horizon = true
				break
			}
			got, err := StepRecorded(w, t)
			if err != nil {
				return res, err
			}
			res.Ticks++
			res.Events += len(got.Events)
			if opts.Progress != nil {
				opts.Progress(got.Tick, f.off)
			}
			if mm == nil {
				if mm = CompareTick(names, t, got); mm != nil {
					res.Mismatch = mm
				}
			}
			pf.release(t)
			continue
		}
		// The snapshot after the tick just replayed, while all agrees: if its
		// JSON is exactly what the log's writer would write for the replayed
		// state, they are equal. Otherwise (or on any doubt) decode and diff.
		if mm == nil && hasLast && last+1 == w.NextTick() {
			if act, err := w.TakeSnapshot(); err == nil && sameSnapshotJSON(rec.SnapshotJSON, act) {
				res.Snapshots++
				continue
			}
		}
		snap, err := rec.DecodeSnapshot()
		if err != nil {
			return res, err
		}
		if snap.Tick != w.NextTick() {
			continue // the starting snapshot itself, or one before it
		}
		if snap.Format != ecs.SnapshotFormat {
			// Another layout would diff as a desync: say what it is instead.
			return res, &ecs.SnapshotError{Msg: fmt.Sprintf("the log's snapshot at tick %d has format %d, this build reads format %d",
				snap.Tick, snap.Format, ecs.SnapshotFormat)}
		}
		act, err := w.TakeSnapshot()
		if err != nil {
			return res, err
		}
		res.Snapshots++
		diffs := DiffSnapshots(snap, act)
		if len(diffs) > 0 || mm != nil {
			if mm == nil {
				// Checksums agreed but the state did not: a change the
				// checksum does not cover. Report it at this tick.
				mm = &Mismatch{Tick: w.NextTick() - 1, ExpectedChecksum: snap.Checksum, ActualChecksum: act.Checksum, FoundBy: "snapshot"}
				res.Mismatch = mm
			}
			mm.StateTick, mm.State = snap.Tick, diffs
			return res, nil
		}
	}
	if mm != nil {
		if horizon {
			mm.StateMissing = fmt.Sprintf("the log has no snapshot within %d ticks after tick %d to compare the replayed state with", opts.DiffHorizon, mm.Tick)
		} else {
			mm.StateMissing = fmt.Sprintf("the log has no snapshot after tick %d to compare the replayed state with (record with snapshots, e.g. tickecon record -snapshot-every N)", mm.Tick)
		}
	}
	if opts.From > 0 && (!hasLast || last < opts.From) {
		return res, &RangeError{From: opts.From, LastTick: last, HasTick: hasLast}
	}
	return res, nil
}

// StageName names the first stage whose checksum differs between two
// records of one tick ("" if none does or stages were not recorded);
// names are the world's StageNames.
func StageName(names []string, exp, act []uint64) string {
	i, ok := ecs.FirstStageDiff(exp, act)
	switch {
	case !ok:
		return ""
	case i < len(names):
		return names[i]
	}
	return fmt.Sprintf("stage %d", i)
}

// nearestSnapshot reads the log once for the last snapshot at or before tick.
func nearestSnapshot(src Source, tick uint64) (*ecs.Snapshot, error) {
	r, c, err := src()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	r.SetReuse(true) // only snapshots are kept, and they are never reused
	var best *ecs.Snapshot
	for {
		rec, err := r.Next()
		if err != nil {
			var torn *ticklog.TornTailError
			if err == io.EOF || errors.As(err, &torn) {
				return best, nil
			}
			return nil, err
		}
		if rec.Snapshot != nil && rec.Snapshot.Tick <= tick {
			best = rec.Snapshot
		}
		if rec.Tick != nil && rec.Tick.Tick > tick {
			return best, nil
		}
	}
}

// Resume rebuilds the world at the end of a log's good records (as
// OpenAppend returns them): from the last snapshot, re-simulating the ticks
// after it and checking their checksums, so recording can go on where it
// stopped. newWorld installs the recording's systems.
func Resume(recs []ticklog.Record, newWorld func() *ecs.World) (*ecs.World, error) {
	w := newWorld()
	start := 0
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Snapshot != nil {
			if err := w.Restore(recs[i].Snapshot); err != nil {
				return nil, err
			}
			start = i + 1
			break
		}
	}
	for _, r := range recs[start:] {
		if r.Tick == nil {
			continue
		}
		got, err := StepRecorded(w, r.Tick)
		if err != nil {
			return nil, err
		}
		if got.Checksum != r.Tick.Checksum {
			return nil, fmt.Errorf("resume: desync at tick %d (checksum %016x, log %016x)", got.Tick, got.Checksum, r.Tick.Checksum)
		}
	}
	return w, nil
}

// ResumeLog is Resume for what OpenAppend recovered: it checks the
// header's content against its hash (*ticklog.ContentHashError) and,
// with a nil newWorld, rebuilds the world from the header's Setup.
func ResumeLog(rec *ticklog.Recovered, newWorld func() *ecs.World) (*ecs.World, error) {
	if _, err := rec.Header.ParseContent(); err != nil {
		return nil, err
	}
	if newWorld == nil {
		var err error
		if newWorld, err = rec.Header.Setup.Worlds(); err != nil {
			return nil, err
		}
	}
	return Resume(rec.Records, newWorld)
}
