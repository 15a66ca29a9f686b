package benchmarks_test

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/benchmarks"
	"github.com/tickecon/tickecon/events"
)

// The benchmarks' "0 allocs/op" is a property, not a measurement: once the
// world's buffers have grown to a tick's size, neither the PurchaseSystem
// nor a whole Step (submit, purchases, events, checksum) allocates.
func TestSteadyStateTickAllocatesNothing(t *testing.T) {
	sc := benchmarks.Busy(500)
	w, ps, err := sc.Build()
	require.NoError(t, err)
	intents := sc.Intents(2000, 9)
	rec := w.Step()

	system := func() {
		rec.Events = rec.Events[:0] // what Step does before its systems run
		rec.Intents = rec.Intents[:0]
		for _, in := range intents {
			w.Submit(in)
		}
		w.FlushIntents() // what Step does before its systems run
		ps.Update(w)
	}
	step := func() {
		for _, in := range intents {
			w.Submit(in)
		}
		w.Step()
	}
	for range 3 { // warm up: buffers reach their steady size
		system()
		step()
	}
	// Count every allocation over many ticks (testing.AllocsPerRun rounds
	// its average down, so 19 allocations in 20 runs would read 0).
	for _, c := range []struct {
		name string
		tick func()
	}{{"PurchaseSystem tick", system}, {"Submit + Step", step}} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 200 {
			c.tick()
		}
		runtime.ReadMemStats(&after)
		assert.Zero(t, after.Mallocs-before.Mallocs, "allocations in 200 of %s", c.name)
	}

	// The ticks measured did real work: nearly every intent completed.
	done := 0
	for _, ev := range rec.Events {
		if ev.Kind == events.PurchaseCompleted {
			done++
		}
	}
	require.Len(t, rec.Events, len(intents))
	assert.Greater(t, done, len(intents)*97/100)
}
