package shop

import (
	"errors"
	"fmt"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// Source yields recorded ticks in order, for replay: each record's inputs
// are replayed and its events and checksum compared. Next returns false
// when the recording ends; Err then says whether it ended cleanly (nil),
// in a torn record (*ticklog.TornTailError) or at damage
// (*ticklog.CorruptError or another error).
type Source interface {
	Next() (*ecs.TickRecord, bool)
	Err() error
}

// ReplayState is where a replay stands.
type ReplayState uint8

// Replay states. A replay starts Playing and ends in exactly one of the
// others, which decide the demo's exit code (the same codes as
// `tickecon verify`).
const (
	ReplayNone     ReplayState = iota // a live session
	ReplayPlaying                     // every tick so far matched
	ReplayVerified                    // the whole log replayed, every checksum matched
	ReplayDesync                      // a tick's checksum differed: stopped there
	ReplayDamaged                     // the log is corrupt: stopped before the damage
	ReplayTorn                        // the log ends in a torn record; all before it matched
)

// Exit codes of the demo, as `tickecon verify` uses them.
const (
	ExitOK      = 0
	ExitDesync  = 1
	ExitUsage   = 2
	ExitCorrupt = 3
	ExitTorn    = 4
)

// ReplayStatus is the verdict of a replay so far.
type ReplayStatus struct {
	State ReplayState
	// Ticks is how many ticks replayed and matched their recorded
	// checksums, tick 0 included: `tickecon verify` prints the same count.
	Ticks uint64
	// Tick is the tick whose checksum differed (ReplayDesync).
	Tick      uint64
	Want, Got uint64 // ReplayDesync: recorded and replayed checksums
	// Mismatch is the library's account of the desync (ReplayDesync): the
	// first differing event or input, and the stage.
	Mismatch *replay.Mismatch
	// Offset is the byte of the log where the damage or the torn record
	// starts (ReplayDamaged, ReplayTorn; -1 if the reader did not say).
	Offset int64
	Err    error // ReplayDamaged, ReplayTorn: the reader's error
}

// Headline is the window header's one-line state.
func (s ReplayStatus) Headline() string {
	switch s.State {
	case ReplayPlaying:
		return "REPLAYING"
	case ReplayVerified:
		return "REPLAY VERIFIED"
	case ReplayDesync:
		return fmt.Sprintf("DESYNC AT TICK %d", s.Tick)
	case ReplayDamaged:
		if s.Offset < 0 {
			return "LOG DAMAGED"
		}
		return fmt.Sprintf("LOG DAMAGED AT BYTE %d", s.Offset)
	case ReplayTorn:
		return fmt.Sprintf("TORN TAIL AT BYTE %d", s.Offset)
	}
	return "LIVE"
}

// String explains the state in a sentence, for the status line and stderr.
func (s ReplayStatus) String() string {
	switch s.State {
	case ReplayPlaying:
		return fmt.Sprintf("replaying: %d ticks matched the recording so far", s.Ticks)
	case ReplayVerified:
		return fmt.Sprintf("verified: all %d ticks (0 to %d) matched the recording, events and checksums", s.Ticks, s.Ticks-1)
	case ReplayDesync:
		how := fmt.Sprintf("checksum %016x, the recording has %016x", s.Got, s.Want)
		if s.Want == s.Got {
			how = "the events differ, the checksums agree"
		}
		return fmt.Sprintf("desync at tick %d: %s (ticks 0 to %d matched)", s.Tick, how, s.Tick-1)
	case ReplayDamaged:
		return fmt.Sprintf("log damaged, replay stopped after %d good ticks: %v", s.Ticks, s.Err)
	case ReplayTorn:
		return fmt.Sprintf("%v; the %d complete ticks before it matched", s.Err, s.Ticks)
	}
	return "live session"
}

// Line explains the state in a sentence for the window's status line.
// A desync whose checksums agree says the events differ, as `tickecon
// verify` does: "the state differs" would be wrong there.
func (s ReplayStatus) Line() string {
	switch s.State {
	case ReplayPlaying:
		return fmt.Sprintf("%d ticks matched so far.", s.Ticks)
	case ReplayVerified:
		return fmt.Sprintf("Verified: all %d ticks matched the recording, events and checksums.", s.Ticks)
	case ReplayDesync:
		what := "the state differs from the recording"
		if s.Want == s.Got {
			what = "the events differ from the recording; the checksums agree"
		}
		return fmt.Sprintf("Desync at tick %d: %s (ticks 0-%d matched).", s.Tick, what, s.Tick-1)
	case ReplayTorn:
		return fmt.Sprintf("The log ends in a torn record at byte %d; all %d complete ticks matched.", s.Offset, s.Ticks)
	case ReplayDamaged:
		if s.Offset >= 0 {
			return fmt.Sprintf("The log is damaged at byte %d: stopped after %d good ticks.", s.Offset, s.Ticks)
		}
		return fmt.Sprintf("The log is damaged (%v): stopped after %d good ticks.", s.Err, s.Ticks)
	}
	return "Live session."
}

// ExitCode is the process exit code for the state: 0 verified (or still
// playing when the window was closed), 1 desync, 3 damaged, 4 torn tail.
func (s ReplayStatus) ExitCode() int {
	switch s.State {
	case ReplayDesync:
		return ExitDesync
	case ReplayDamaged:
		return ExitCorrupt
	case ReplayTorn:
		return ExitTorn
	}
	return ExitOK
}

// replayer is the replay side of a model.
type replayer struct {
	src    Source
	next   *ecs.TickRecord // the record read ahead, replayed next
	done   bool
	status ReplayStatus
}

// NewReplay starts a replay of src on a world with the core systems
// (systems.Install), as the demo records. It replays the first recorded
// tick (tick 0, the content) immediately; the player is the first wallet.
func NewReplay(src Source) (*Model, error) { return newReplay(src, nil) }

// newReplay is NewReplay on a world from newWorld (nil: the core one).
func newReplay(src Source, newWorld func() *ecs.World) (*Model, error) {
	m := newModel(Replay, newWorld)
	m.replay.src = src
	m.replay.status.State = ReplayPlaying
	if m.replayTick() == nil && m.replay.status.Ticks == 0 {
		if err := m.replay.status.Err; err != nil {
			return nil, err
		}
		return nil, errors.New("shop: empty recording")
	}
	if len(m.shoppers) > 0 {
		m.player = m.shoppers[0]
	}
	return m, nil
}

// Replay is the replay's verdict so far (State ReplayNone when live).
func (m *Model) Replay() ReplayStatus { return m.replay.status }

// Done reports whether a replay has stopped: at the end of its recording,
// at a desync or at damage.
func (m *Model) Done() bool { return m.replay.done }

// replayTick feeds the next recorded tick to the world with the library's
// replay step (the one Verify uses) and compares its events and checksum.
// It returns nil once the replay has stopped; the verdict is in
// m.replay.status.
func (m *Model) replayTick() *ecs.TickRecord {
	r := &m.replay
	if r.done {
		return nil
	}
	exp := r.next
	r.next = nil
	if exp == nil {
		var ok bool
		if exp, ok = r.src.Next(); !ok {
			r.end(r.src.Err())
			return nil
		}
	}
	got, err := replay.StepRecorded(m.w, exp)
	if err != nil {
		r.end(err) // the log skips or repeats a tick: damaged
		return nil
	}
	m.last = got.Checksum
	if mm := replay.CompareTick(m.w.StageNames(), exp, got); mm != nil {
		r.done = true
		r.status.State, r.status.Tick, r.status.Mismatch = ReplayDesync, got.Tick, mm
		r.status.Want, r.status.Got = exp.Checksum, got.Checksum
		return got
	}
	r.status.Ticks++
	// Read one record ahead: a replay that has consumed the whole log is
	// verified (or torn, or damaged) at its last tick, even when the caller
	// stops exactly there (-ticks at the log's last tick).
	if nx, ok := r.src.Next(); ok {
		r.next = nx
	} else {
		r.end(r.src.Err())
	}
	return got
}

// end stops the replay with the source's verdict.
func (r *replayer) end(err error) {
	r.done = true
	s := &r.status
	s.Err, s.Offset = err, -1
	var torn *ticklog.TornTailError
	var corrupt *ticklog.CorruptError
	switch {
	case err == nil:
		s.State = ReplayVerified
	case errors.As(err, &torn):
		s.State, s.Offset = ReplayTorn, torn.Offset
	case errors.As(err, &corrupt):
		s.State, s.Offset = ReplayDamaged, corrupt.Offset
	default:
		s.State = ReplayDamaged
	}
}
