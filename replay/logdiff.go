package replay

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/ticklog"
)

// LogDiff is where two peers' logs of the same session part.
type LogDiff struct {
	Tick             uint64
	What             string     // "content", "setup", "length", "commands", "intents", "events" or "checksum"
	Diff             *EventDiff // first differing input or event, if any
	Stage            int        // index of the first stage (ecs.World.StageNames) whose checksum differs; -1: none or not recorded
	ExpectedChecksum uint64     // log A's checksum at Tick
	ActualChecksum   uint64     // log B's
	StateTick        uint64
	State            []FieldDiff // A's vs B's snapshot at the first common snapshot after Tick
	StageNames       []string    // optional (ecs.World.StageNames): String names the stage instead of its index
	Detail           string
	// StateMissing says why State could not be compared ("" when it was):
	// no common snapshot after Tick, or none within the horizon.
	StateMissing string
}

// String explains the difference. It always says what differs, or
// plainly that (and why) it could not locate it.
func (d *LogDiff) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "logs part at tick %d (%s)", d.Tick, d.What)
	if d.Detail != "" {
		fmt.Fprintf(&b, ": %s", d.Detail)
	}
	b.WriteByte('\n')
	if d.What == "content" || d.What == "setup" || d.What == "length" {
		return b.String()
	}
	if d.ExpectedChecksum != d.ActualChecksum {
		fmt.Fprintf(&b, "  checksum A %016x, B %016x\n", d.ExpectedChecksum, d.ActualChecksum)
	} else {
		fmt.Fprintf(&b, "  checksums agree (%016x), but the %s differ\n", d.ActualChecksum, d.What)
	}
	if d.Stage >= 0 {
		if d.Stage < len(d.StageNames) {
			fmt.Fprintf(&b, "  first differing stage: %s\n", d.StageNames[d.Stage])
		} else {
			fmt.Fprintf(&b, "  first differing stage: %d (0: commands, then the systems in order)\n", d.Stage)
		}
	}
	if d.Diff != nil {
		fmt.Fprintf(&b, "  first difference: %s\n", d.Diff)
	} else {
		b.WriteString("  inputs and events agree: the state differs without an event (a change outside the event log)\n")
	}
	writeState(&b, d.StateMissing, d.State,
		fmt.Sprintf("both logs' snapshots before tick %d are equal", d.StateTick),
		fmt.Sprintf("at the common snapshot before tick %d (expected: A, actual: B)", d.StateTick))
	return b.String()
}

// describe renders a Setup for a report: "core", or "commerce {…config…}".
func describe(s ecs.Setup) string {
	if len(s.Config) == 0 {
		return s.Systems
	}
	return s.Systems + " " + string(s.Config)
}

// LogError is a log DiffLogs could not read to the end (damage, or an
// unreadable file): Log says which, "A" or "B".
type LogError struct {
	Log string
	Err error
}

// Error implements error.
func (e *LogError) Error() string { return "log " + e.Log + ": " + e.Err.Error() }

// Unwrap returns the underlying error (e.g. a *ticklog.CorruptError).
func (e *LogError) Unwrap() error { return e.Err }

// ticker reads tick records, keeping the latest snapshot it passed (only
// one: memory stays bounded on long logs).
type ticker struct {
	r    *ticklog.Reader
	snap *ecs.Snapshot
	err  error
	torn *ticklog.TornTailError // the log ended in a torn tail
}

// end says how a log that ran out ended, for the "length" detail.
func (t *ticker) end(name string) string {
	if t.torn != nil {
		return fmt.Sprintf("log %s ends first, in a torn tail (%v)", name, t.torn)
	}
	return fmt.Sprintf("log %s ends first", name)
}

func (t *ticker) next() *ecs.TickRecord {
	for {
		rec, err := t.r.Next()
		if err != nil {
			var torn *ticklog.TornTailError
			switch {
			case errors.As(err, &torn):
				t.torn = torn
			case err != io.EOF:
				t.err = err
			}
			return nil
		}
		if rec.Snapshot != nil {
			t.snap = rec.Snapshot
			continue
		}
		return rec.Tick
	}
}

// DiffLogs compares two logs record by record and reports the first tick
// where their inputs, events or checksums differ (nil: they agree). A log
// that cannot be read is a *LogError naming it. When
// both logs hold a snapshot at the same tick after that, it adds the state
// diff between them.
func DiffLogs(a, b Source, horizon uint64) (*LogDiff, error) {
	if horizon == 0 {
		horizon = 10000
	}
	ra, ca, err := a()
	if err != nil {
		return nil, &LogError{Log: "A", Err: err}
	}
	defer ca.Close()
	rb, cb, err := b()
	if err != nil {
		return nil, &LogError{Log: "B", Err: err}
	}
	defer cb.Close()
	if ha, hb := ra.Header(), rb.Header(); ha.ContentHash != hb.ContentHash || !bytes.Equal(ha.Content, hb.Content) {
		return &LogDiff{What: "content", Detail: fmt.Sprintf("content hash %016x vs %016x", ha.ContentHash, hb.ContentHash)}, nil
	} else if sa, sb := ha.Setup, hb.Setup; sa.Systems != sb.Systems || !bytes.Equal(sa.Config, sb.Config) {
		return &LogDiff{What: "setup", Detail: fmt.Sprintf("systems %s vs %s", describe(sa), describe(sb))}, nil
	}
	// Each pair of ticks is compared before the next is read.
	ra.SetReuse(true)
	rb.SetReuse(true)
	ta, tb := &ticker{r: ra}, &ticker{r: rb}
	var d *LogDiff
	// common reports a snapshot both logs took after the parting tick.
	common := func() bool {
		sa, sb := ta.snap, tb.snap
		if sa == nil || sb == nil || sa.Tick != sb.Tick || sa.Tick <= d.Tick {
			return false
		}
		d.StateTick, d.State = sa.Tick, DiffSnapshots(sa, sb)
		return true
	}
	for {
		x, y := ta.next(), tb.next()
		if ta.err != nil {
			return nil, &LogError{Log: "A", Err: ta.err}
		}
		if tb.err != nil {
			return nil, &LogError{Log: "B", Err: tb.err}
		}
		if d != nil {
			switch {
			case common():
				return d, nil
			case x == nil || y == nil:
				d.StateMissing = fmt.Sprintf("the logs hold no snapshot at a common tick after tick %d", d.Tick)
				return d, nil
			case x.Tick-d.Tick > horizon:
				d.StateMissing = fmt.Sprintf("the logs hold no snapshot at a common tick within %d ticks after tick %d", horizon, d.Tick)
				return d, nil
			}
			continue
		}
		switch {
		case x == nil && y == nil:
			return nil, nil
		case x == nil || y == nil:
			if x != nil {
				return &LogDiff{Tick: x.Tick, What: "length", Detail: tb.end("B")}, nil
			}
			return &LogDiff{Tick: y.Tick, What: "length", Detail: ta.end("A")}, nil
		}
		if x.Tick != y.Tick {
			return &LogDiff{Tick: min(x.Tick, y.Tick), What: "length", Detail: fmt.Sprintf("tick %d vs tick %d", x.Tick, y.Tick)}, nil
		}
		ed := DiffTicks(x, y)
		if ed == nil && x.Checksum == y.Checksum {
			continue
		}
		d = &LogDiff{Tick: x.Tick, What: "checksum", Diff: ed, ExpectedChecksum: x.Checksum, ActualChecksum: y.Checksum, Stage: -1}
		if i, ok := ecs.FirstStageDiff(x.Stages, y.Stages); ok {
			d.Stage = i
		}
		if ed != nil {
			d.What = ed.List
		}
	}
}
