package systems_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/systems"
)

// A world restored from a snapshot (through JSON, as a log stores it)
// continues exactly like the original.
func TestSnapshotRestoreContinuesIdentically(t *testing.T) {
	a := newSim(t, 5)
	for range 150 {
		a.inputs(80)
		a.w.Step()
	}
	snap, err := a.w.TakeSnapshot()
	require.NoError(t, err)
	raw, err := json.Marshal(snap)
	require.NoError(t, err)
	var back ecs.Snapshot
	require.NoError(t, json.Unmarshal(raw, &back))

	b := ecs.New()
	systems.Install(b)
	require.NoError(t, b.Restore(&back))
	require.Equal(t, a.w.Checksum(), b.Checksum())
	require.Equal(t, a.w.NextTick(), b.NextTick())
	require.Equal(t, a.w.NextID(), b.NextID())
	for range 150 {
		intents := a.inputs(80)
		for _, c := range a.w.Pending() {
			b.Command(c)
		}
		for _, in := range intents {
			b.Submit(in)
		}
		ra := a.w.Step().Clone()
		rb := b.Step()
		require.Equal(t, ra.Events, rb.Events, "tick %d", ra.Tick)
		require.Equal(t, ra.Checksum, rb.Checksum, "tick %d", ra.Tick)
	}
}

func TestRestoreRejectsBadSnapshots(t *testing.T) {
	a := newSim(t, 6)
	a.inputs(10)
	a.w.Step()
	good, err := a.w.TakeSnapshot()
	require.NoError(t, err)
	fresh := func() *ecs.World { w := ecs.New(); systems.Install(w); return w }

	bad := *good
	bad.Checksum++
	require.ErrorContains(t, fresh().Restore(&bad), "checksum")

	bad = *good
	bad.Entities = append([]ecs.EntitySnapshot{}, good.Entities...)
	bad.Entities[0], bad.Entities[1] = bad.Entities[1], bad.Entities[0]
	require.ErrorContains(t, fresh().Restore(&bad), "out of order")

	bad = *good
	bad.Entities = append([]ecs.EntitySnapshot{}, good.Entities...)
	bad.Entities[0].Components = []ecs.ComponentSnapshot{{Type: "components.Nope", Value: []byte("{}")}}
	require.ErrorContains(t, fresh().Restore(&bad), "not registered")

	used := fresh()
	used.Step()
	require.ErrorContains(t, used.Restore(good), "fresh world")
}
