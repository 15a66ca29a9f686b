package benchmarks_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/benchmarks"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
	"github.com/tickecon/tickecon/systems"
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
		core.Of(w).BeginSystems(ps) // what Step does before its systems run
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
	// Count every allocation made by the library over many ticks
	// (testing.AllocsPerRun rounds its average down, so 19 allocations in
	// 20 runs would read 0).
	for _, c := range []struct {
		name string
		tick func()
	}{{"PurchaseSystem tick", system}, {"Submit + Step", step}} {
		assert.Zero(t, libraryAllocs(200, c.tick), "allocations in 200 of %s", c.name)
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

// libraryAllocs runs fn n times and returns how many objects code of this
// module or of arche allocated meanwhile. Every allocation is sampled
// (MemProfileRate 1) and attributed by its stack, so the Go runtime's own
// background allocations (the scavenger's timers…), which runtime.MemStats
// would count too, do not make the test flaky.
func libraryAllocs(n int, fn func()) int64 {
	old := runtime.MemProfileRate
	runtime.GC()
	before := profiledAllocs()
	runtime.MemProfileRate = 1
	for range n {
		fn()
	}
	runtime.MemProfileRate = old
	runtime.GC() // the profile is published at the end of a GC cycle
	runtime.GC()
	return profiledAllocs() - before
}

// profiledAllocs sums the allocated objects of the memory profile's
// records whose stack runs through this module or arche.
func profiledAllocs() int64 {
	var recs []runtime.MemProfileRecord
	n, _ := runtime.MemProfile(nil, true)
	for {
		recs = make([]runtime.MemProfileRecord, n+50)
		var ok bool
		if n, ok = runtime.MemProfile(recs, true); ok {
			recs = recs[:n]
			break
		}
	}
	var total int64
	for _, r := range recs {
		frames := runtime.CallersFrames(r.Stack())
		for {
			f, more := frames.Next()
			// This counter's own buffers are not the library's: the one
			// profiledAllocs makes for the "before" count is sometimes
			// sampled (at the default rate) and published only in the
			// "after" count, which made the test fail at random.
			if strings.HasPrefix(f.Function, "github.com/tickecon/tickecon/benchmarks_test.libraryAllocs") ||
				strings.HasPrefix(f.Function, "github.com/tickecon/tickecon/benchmarks_test.profiledAllocs") {
				break
			}
			if strings.HasPrefix(f.Function, "github.com/tickecon/tickecon/") ||
				strings.HasPrefix(f.Function, "github.com/tickecon/tickecon/third_party/arche/") {
				total += r.AllocObjects
				break
			}
			if !more {
				break
			}
		}
	}
	return total
}

// A commerce tick allocates nothing either once warm, with a receipt per
// purchase that its client closes a tick later — one Close each, or one
// CloseReceipts over the tick's — and a full idempotency window — also at
// 5,000 purchases a tick, whose receipts fill five id table pages a tick
// (the table kept 4 freed pages for reuse and allocated the rest anew
// every tick).
func TestSteadyCommerceTickAllocatesNothing(t *testing.T) {
	for _, bulk := range []bool{false, true} {
		t.Run(fmt.Sprintf("bulk=%v", bulk), func(t *testing.T) { steadyCommerceTick(t, bulk) })
	}
}

func steadyCommerceTick(t *testing.T, bulk bool) {
	sc := benchmarks.Busy(2000)
	sc.Commerce = true
	w, _, err := sc.Build()
	require.NoError(t, err)
	base := sc.Intents(5000, 4)
	intents := make([]components.PurchaseIntent, len(base))
	var toClose []components.ID
	req, done := uint64(0), 0
	tick := func() {
		req++
		if bulk && len(toClose) > 0 {
			w.Command(events.CloseReceipts(toClose[0], toClose[len(toClose)-1]))
		}
		for _, id := range toClose {
			if !bulk {
				w.Command(events.Close(id))
			}
		}
		toClose = toClose[:0]
		for i := range base {
			intents[i] = base[i]
			intents[i].RequestID += req * uint64(len(base))
			w.Submit(intents[i])
		}
		done = 0
		for _, ev := range w.Step().Events {
			switch ev.Kind {
			case events.ReceiptIssued:
				toClose = append(toClose, ev.Subject)
			case events.PurchaseCompleted:
				done++
			case events.CommandRejected:
				t.Errorf("rejected: %v", ev)
			}
		}
	}
	for range systems.DefaultConfig.IdempotencyWindow + 5 { // every window bucket and buffer at its size
		tick()
	}
	assert.Zero(t, libraryAllocs(30, tick), "allocations in 30 commerce ticks")
	assert.Greater(t, done, len(base)*97/100)
}
