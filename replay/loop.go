package replay

import (
	"fmt"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/core"
)

// TickOrderError is a recorded tick fed to a world that runs another tick
// next: the recording skips or repeats ticks, or starts elsewhere.
type TickOrderError struct {
	Recorded uint64 // the recorded tick
	World    uint64 // the tick the world runs next
}

// Error implements error.
func (e *TickOrderError) Error() string {
	return fmt.Sprintf("replay: the log has tick %d where tick %d was expected", e.Recorded, e.World)
}

// StepRecorded is the one replay step (Verify, Resume and the demo's
// replay all use it): it feeds a recorded tick's inputs to w — its
// commands, then its intents, in the recorded order — and runs the tick.
// It returns w's record of the re-simulated tick, valid until w's next
// Step; compare it with the recording with CompareTick. If w does not run
// rec.Tick next, nothing is fed and the error is a *TickOrderError.
func StepRecorded(w *ecs.World, rec *ecs.TickRecord) (*ecs.TickRecord, error) {
	if rec.Tick != w.NextTick() {
		return nil, &TickOrderError{Recorded: rec.Tick, World: w.NextTick()}
	}
	for _, c := range rec.Commands {
		w.Command(c)
	}
	// What w.Submit does for each intent, as one copy: submitting a busy
	// tick's intents one by one took 6% of a verification.
	st := core.Of(w)
	st.Submitted = append(st.Submitted, rec.Intents...)
	return w.Step(), nil
}

// CompareTick checks a re-simulated tick against its recording: nil when
// the events and the checksum agree, else a Mismatch naming the first
// differing input or event and stage (names: the world's StageNames). The
// Mismatch has no state diff yet; Verify adds one from the next snapshot.
func CompareTick(names []string, exp, got *ecs.TickRecord) *Mismatch {
	d := DiffTicks(exp, got)
	if d == nil && exp.Checksum == got.Checksum {
		return nil
	}
	m := &Mismatch{Tick: got.Tick, ExpectedChecksum: exp.Checksum, ActualChecksum: got.Checksum,
		Inputs: d, Stage: StageName(names, exp.Stages, got.Stages), FoundBy: "checksum",
		RecordedStages: len(exp.Stages), ReplayedStages: len(got.Stages)}
	if exp.Checksum == got.Checksum {
		m.FoundBy = "events"
	}
	return m
}
