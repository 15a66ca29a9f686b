package ecs

import (
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"
)

// boxed is a component holding a pointer, like Wallet's balances slice.
type boxed struct {
	P   *[16]uint64
	Tag uint64
}

// Arche moves components with a raw byte copy when an entity is removed
// (swap-remove) or changes archetype. For components holding pointers that
// copy bypasses the garbage collector's write barriers: during a concurrent
// mark the only reference to a slice can be hidden from the GC, which then
// frees memory the component still points to (seen as "found pointer to
// free object" in the systems tests). tickecon builds arche with a patch
// (third_party/arche, layout.copyItems) that copies such columns through
// reflect; this test churns pointer components under constant collection
// and checks every surviving component still points at its own data.
func TestPointerComponentsSurviveMovesDuringGC(t *testing.T) {
	var w arche.World = arche.NewWorld()
	id := arche.ComponentID[boxed](&w)
	other := arche.ComponentID[moved](&w)
	defer debug.SetGCPercent(debug.SetGCPercent(5)) // collect often
	rng := rand.New(rand.NewPCG(1, 2))
	var stop atomic.Bool
	done := make(chan struct{})
	go func() { // keep the collector marking while entities move
		for !stop.Load() {
			runtime.GC()
		}
		close(done)
	}()
	defer func() { stop.Store(true); <-done }()
	var sink [][]uint64
	rounds := 20
	if testing.Short() {
		rounds = 10
	}
	for round := 0; round < rounds; round++ {
		var live []arche.Entity
		for i := 0; i < 20000; i++ {
			e := w.NewEntity(id)
			b := (*boxed)(w.Get(e, id))
			b.Tag = uint64(round)<<32 | uint64(i)
			b.P = new([16]uint64)
			for k := range b.P {
				b.P[k] = b.Tag ^ uint64(k)
			}
			live = append(live, e)
		}
		for len(live) > 2000 {
			j := rng.IntN(len(live))
			e := live[j]
			live[j] = live[len(live)-1]
			live = live[:len(live)-1]
			if rng.IntN(4) == 0 {
				w.Add(e, other) // archetype move
				continue
			}
			w.RemoveEntity(e) // swap-remove
			// Reuse freed memory so a lost pointer shows as wrong data.
			sink = append(sink, make([]uint64, 16))
			if len(sink) > 256 {
				sink = sink[:0]
			}
		}
		for _, e := range live {
			b := (*boxed)(w.Get(e, id))
			for k := range b.P {
				require.Equal(t, b.Tag^uint64(k), b.P[k], "round %d: component data lost", round)
				b.P[k] = 0
			}
		}
		for _, e := range live {
			w.RemoveEntity(e)
		}
		q := w.Query(arche.All(id))
		var rest []arche.Entity
		for q.Next() {
			rest = append(rest, q.Entity())
		}
		for _, e := range rest {
			w.RemoveEntity(e)
		}
	}
}

// moved is a component added to move entities between archetypes.
type moved struct{ X uint64 }
