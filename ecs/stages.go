package ecs

// StageCommands names the first stage of every tick, in which the queued
// commands apply.
const StageCommands = "commands"

// StageNames names the stages of a tick, in the order of
// TickRecord.Stages: "commands", then every system's Name.
//
// A per-stage checksum costs one fold of the entities touched so far, which
// Step does anyway before the final checksum: only entities touched in
// more than one stage are hashed more than once.
func (w *World) StageNames() []string {
	out := make([]string, 0, 1+len(w.systems))
	out = append(out, StageCommands)
	for _, s := range w.systems {
		out = append(out, s.Name())
	}
	return out
}

// FirstStageDiff returns the index of the first stage whose checksum
// differs between two records of the same tick, and false if all stages
// agree or either record has none (stage checksums turned off). Records
// with different stage counts (different systems) part at the first
// stage one of them lacks.
func FirstStageDiff(exp, act []uint64) (int, bool) {
	if len(exp) == 0 || len(act) == 0 {
		return 0, false
	}
	for i := range min(len(exp), len(act)) {
		if exp[i] != act[i] {
			return i, true
		}
	}
	if len(exp) != len(act) {
		return min(len(exp), len(act)), true
	}
	return 0, false
}

// SetStageChecksums turns the per-stage checksums of TickRecord.Stages on
// (the default) or off. Off, Stages stays empty and a desync report can
// only name the tick; the saving is small (see BenchmarkCommerceStep).
func (w *World) SetStageChecksums(on bool) { w.noStages = !on }

// stage records the checksum at the end of a stage of the current tick.
// In an audited tick each stage is audited, so that a write without an
// event or Touch shows in the checksum of the stage that made it; it
// reports whether the audit found drift.
func (w *World) stage(audit bool) (drift bool) {
	if w.noStages {
		return false
	}
	if audit {
		drift = !w.rehash()
	}
	w.rec.Stages = append(w.rec.Stages, w.Checksum())
	return drift
}

// WrapSystem replaces the system named name with wrap(it), keeping its
// place in the order, and reports whether one was found. It is for
// instrumentation and fault injection (profiling a stage, a debug build
// that plants a bug to see the desync report); the wrapper should keep the
// name and forward StateHasher and StateSaver (embedding the wrapped
// system's concrete type does). Call it before the first Step.
func (w *World) WrapSystem(name string, wrap func(System) System) bool {
	for i, s := range w.systems {
		if s.Name() == name {
			w.systems[i] = wrap(s)
			return true
		}
	}
	return false
}
