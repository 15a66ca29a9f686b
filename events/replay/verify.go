package replay

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events/replaylog"
)

// Source opens a fresh reader over the same log (verification may read it
// twice: once to find a snapshot, once to replay).
type Source func() (*replaylog.Reader, io.Closer, error)

// FileSource reads a log file. An unreadable header is reported with the
// path (as os.Open does), so that with two logs the message says which.
func FileSource(path string) Source {
	return func() (*replaylog.Reader, io.Closer, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		r, err := replaylog.NewReader(f)
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
	ExpectedChecksum uint64
	ActualChecksum   uint64
	Inputs           *EventDiff  // first differing event (nil: events agree)
	Stage            string      // first stage whose checksum differs ("": stages agree or are not recorded)
	StateTick        uint64      // tick the state diff was taken at (the next snapshot)
	State            []FieldDiff // nil: no snapshot to compare within the horizon
}

// String explains the mismatch for a terminal.
func (m *Mismatch) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "desync at tick %d: checksum expected %016x, actual %016x\n", m.Tick, m.ExpectedChecksum, m.ActualChecksum)
	if m.Stage != "" {
		fmt.Fprintf(&b, "  first differing stage: %s\n", m.Stage)
	}
	if m.Inputs != nil {
		fmt.Fprintf(&b, "  first difference: %s\n", m.Inputs)
	} else {
		b.WriteString("  events agree: the state differs without an event (a change outside the event log)\n")
	}
	if m.State == nil {
		b.WriteString("  no snapshot in the log after it to diff the state against\n")
	} else {
		fmt.Fprintf(&b, "  state diff at the snapshot before tick %d:\n", m.StateTick)
		for _, d := range m.State {
			fmt.Fprintf(&b, "    %s\n", d)
		}
	}
	return b.String()
}

// Result sums up a verification.
type Result struct {
	Header    replaylog.Header
	StartTick uint64 // first tick replayed
	Ticks     int    // ticks replayed
	Events    int    // events compared
	Snapshots int    // snapshots compared
	Mismatch  *Mismatch
	TornTail  *replaylog.TornTailError // the log ended in a torn record (not a desync)
	StartedAt *ecs.Snapshot            // the snapshot replay started from, if any
}

// Verify re-simulates a log on worlds made by newWorld (which installs
// the same systems the recording did, and nothing else) and checks every
// tick's events and checksum, and every snapshot. It stops at the first
// mismatch, after diffing the state at the next snapshot.
func Verify(src Source, newWorld func() *ecs.World, opts Options) (*Result, error) {
	if opts.DiffHorizon == 0 {
		opts.DiffHorizon = 10000
	}
	var base *ecs.Snapshot
	if opts.From > 0 {
		s, err := nearestSnapshot(src, opts.From)
		if err != nil {
			return nil, err
		}
		base = s
	}
	r, c, err := src()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	res := &Result{Header: r.Header(), StartedAt: base}
	w := newWorld()
	if base != nil {
		if err := w.Restore(base); err != nil {
			return nil, err
		}
		res.StartTick = base.Tick
	}
	var mm *Mismatch
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		var torn *replaylog.TornTailError
		if errors.As(err, &torn) {
			res.TornTail = torn
			break
		}
		if err != nil {
			return res, err
		}
		if rec.Tick != nil {
			if rec.Tick.Tick < w.Tick() {
				continue // before the starting snapshot
			}
			if rec.Tick.Tick != w.Tick() {
				return res, fmt.Errorf("log jumps to tick %d, replay is at %d", rec.Tick.Tick, w.Tick())
			}
			if mm != nil && rec.Tick.Tick-mm.Tick > opts.DiffHorizon {
				break
			}
			for _, cmd := range rec.Tick.Commands {
				w.Command(cmd)
			}
			for _, in := range rec.Tick.Intents {
				w.Submit(in)
			}
			got := w.Step()
			res.Ticks++
			res.Events += len(got.Events)
			if opts.Progress != nil {
				opts.Progress(got.Tick, r.Offset())
			}
			if mm == nil && (got.Checksum != rec.Tick.Checksum || DiffTicks(rec.Tick, got) != nil) {
				mm = &Mismatch{Tick: got.Tick, ExpectedChecksum: rec.Tick.Checksum, ActualChecksum: got.Checksum,
					Inputs: DiffTicks(rec.Tick, got), Stage: StageName(w.StageNames(), rec.Tick.Stages, got.Stages)}
				res.Mismatch = mm
			}
			continue
		}
		if rec.Snapshot.Tick != w.Tick() {
			continue // the starting snapshot itself, or one before it
		}
		if rec.Snapshot.Format != ecs.SnapshotFormat {
			// Another layout would diff as a desync: say what it is instead.
			return res, &ecs.SnapshotError{Msg: fmt.Sprintf("the log's snapshot at tick %d has format %d, this build reads format %d",
				rec.Snapshot.Tick, rec.Snapshot.Format, ecs.SnapshotFormat)}
		}
		act, err := w.TakeSnapshot()
		if err != nil {
			return res, err
		}
		res.Snapshots++
		diffs := DiffSnapshots(rec.Snapshot, act)
		if len(diffs) > 0 || mm != nil {
			if mm == nil {
				// Checksums agreed but the state did not: a change the
				// checksum does not cover. Report it at this tick.
				mm = &Mismatch{Tick: w.Tick() - 1, ExpectedChecksum: rec.Snapshot.Checksum, ActualChecksum: act.Checksum}
				res.Mismatch = mm
			}
			mm.StateTick, mm.State = rec.Snapshot.Tick, diffs
			if mm.State == nil {
				mm.State = []FieldDiff{}
			}
			break
		}
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
	var best *ecs.Snapshot
	for {
		rec, err := r.Next()
		if err != nil {
			var torn *replaylog.TornTailError
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
func Resume(recs []replaylog.Record, newWorld func() *ecs.World) (*ecs.World, error) {
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
		if r.Tick.Tick != w.Tick() {
			return nil, fmt.Errorf("log jumps to tick %d, replay is at %d", r.Tick.Tick, w.Tick())
		}
		for _, c := range r.Tick.Commands {
			w.Command(c)
		}
		for _, in := range r.Tick.Intents {
			w.Submit(in)
		}
		if got := w.Step(); got.Checksum != r.Tick.Checksum {
			return nil, fmt.Errorf("resume: desync at tick %d (checksum %016x, log %016x)", got.Tick, got.Checksum, r.Tick.Checksum)
		}
	}
	return w, nil
}
