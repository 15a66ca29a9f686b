// Package replay re-simulates recorded sessions and explains desyncs: it
// verifies a replay log tick by tick, diffs two peers' logs, and diffs two
// world snapshots down to the entity, component and field.
//
// # Outline
//
//   - Worlds: a log's header names its systems ([ecs.Setup], written by
//     systems.CoreSetup or systems.CommerceSetup); with a nil newWorld,
//     [Verify] and [ResumeLog] rebuild them through the setups registered
//     with [ecs.RegisterSetup] (package systems registers its own when
//     imported; replay does not import it). An unknown setup is an
//     [ecs.SetupError].
//   - The replay step: [StepRecorded] feeds one recorded tick to a world and
//     runs it; [CompareTick] checks the result against the recording. Verify,
//     Resume and the demo's replay all use this one loop body.
//   - Verification: [Verify] replays a whole log (or from a snapshot,
//     Options.From) and returns a [Result]; a desync is a [Mismatch] whose
//     String always says what differs, or why it could not be located.
//     Starting past the end is a [RangeError]. A log that agrees is
//     verified on three goroutines (reading, stepping, comparing events as
//     bytes); anything else is verified again in order, so reports do not
//     depend on GOMAXPROCS.
//   - Resuming: [Resume] and [ResumeLog] rebuild the world at the end of a
//     log that [ticklog.OpenAppend] recovered, so recording goes on.
//   - Comparing: [DiffLogs] finds where two peers' logs part ([LogDiff]; an
//     unreadable log is a [LogError] naming it); [DiffTicks] and
//     [DiffSnapshots] compare single ticks and states.
package replay
