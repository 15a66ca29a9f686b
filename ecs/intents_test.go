package ecs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/core"
)

func intentEntities(w *ecs.World) ([]arche.Entity, []components.PurchaseIntent) {
	var es []arche.Entity
	var ins []components.PurchaseIntent
	q := w.ECS().Query(&core.Of(w).IntentFilter)
	for q.Next() {
		es = append(es, q.Entity())
		ins = append(ins, *w.Maps.Intent.Get(q.Entity()))
	}
	return es, ins
}

// Submitted intents become PurchaseIntent entities in submission order
// (after older ones left unconsumed), and TakeIntents hands them all back
// in query order and removes them: their handles are dead for good, even
// once arche hands their ids out again.
func TestIntentsAreFlushedAndTakenInBulk(t *testing.T) {
	w := ecs.New()
	in := func(i int) components.PurchaseIntent {
		return components.PurchaseIntent{Buyer: components.ID(i), Listing: 7, Quantity: int64(i), RequestID: uint64(100 + i), Saga: i%2 == 0}
	}
	for i := 1; i <= 3; i++ {
		w.Submit(in(i))
	}
	assert.Equal(t, []components.PurchaseIntent{in(1), in(2), in(3)}, w.PendingIntents())
	core.Of(w).FlushIntents()
	assert.Empty(t, w.PendingIntents())
	w.Submit(in(4))
	w.Submit(in(5))
	core.Of(w).FlushIntents()
	core.Of(w).FlushIntents() // nothing pending: no entities
	// An intent entity that also carries another component lives in a
	// second archetype; it is taken too, after the first archetype's.
	odd := w.ECS().NewEntity(w.Maps.Intent.ID(), w.Maps.Name.ID())
	*w.Maps.Intent.Get(odd) = in(6)

	es, ins := intentEntities(w)
	want := []components.PurchaseIntent{in(1), in(2), in(3), in(4), in(5), in(6)}
	require.Equal(t, want, ins)

	got := core.Of(w).TakeIntents([]components.PurchaseIntent{in(9)})
	assert.Equal(t, append([]components.PurchaseIntent{in(9)}, want...), got, "appended to dst, in query order")
	left, _ := intentEntities(w)
	assert.Empty(t, left)
	for _, e := range es {
		assert.False(t, w.ECS().Alive(e))
	}
	assert.Empty(t, core.Of(w).TakeIntents(nil))

	// The ids come back from arche's pool with new generations: the old
	// handles stay dead, the new entities hold the new intents.
	for i := 10; i < 20; i++ {
		w.Submit(in(i))
	}
	core.Of(w).FlushIntents()
	es2, ins2 := intentEntities(w)
	require.Len(t, es2, 10)
	assert.Equal(t, in(10), ins2[0])
	for _, e := range es {
		assert.False(t, w.ECS().Alive(e))
	}
	reused := 0
	for _, e := range es2 {
		for _, old := range es {
			if e.ID() == old.ID() {
				reused++
			}
		}
	}
	assert.Equal(t, len(es), reused, "every freed id is reused before a new one")
}

// A deferred flush (the Taker runs first) hands the submitted intents over
// without entities; with an intent entity alive it flushes them after it
// and takes both, as Step's flush would have.
func TestDeferredIntentsAreTakenAsFlushed(t *testing.T) {
	in := func(i int) components.PurchaseIntent {
		return components.PurchaseIntent{Buyer: components.ID(i), Listing: 7, Quantity: 1, RequestID: uint64(i)}
	}
	w := ecs.New()
	c := core.Of(w)
	taker := new(int)
	c.Taker = taker
	// The first time, the intents become entities all the same: their
	// archetype is made where it would be without deferring.
	w.Submit(in(0))
	c.BeginSystems(taker)
	require.True(t, c.Deferred)
	assert.Equal(t, []components.PurchaseIntent{in(0)}, c.TakeIntents(nil))
	c.EndSystems()

	w.Submit(in(1))
	w.Submit(in(2))
	c.BeginSystems(taker)
	require.True(t, c.Deferred)
	es, _ := intentEntities(w)
	assert.Empty(t, es, "no entities made")
	got := c.TakeIntents(nil)
	assert.Equal(t, []components.PurchaseIntent{in(1), in(2)}, got)
	assert.False(t, c.Deferred)
	assert.Empty(t, w.PendingIntents())
	c.EndSystems()
	es, _ = intentEntities(w)
	assert.Empty(t, es)

	odd := w.ECS().NewEntity(w.Maps.Intent.ID(), w.Maps.Name.ID())
	*w.Maps.Intent.Get(odd) = in(3)
	w.Submit(in(4))
	c.BeginSystems(taker)
	got = c.TakeIntents(nil)
	assert.Equal(t, []components.PurchaseIntent{in(4), in(3)}, got, "the flushed archetype (made first) first, then the odd one: query order")
	assert.False(t, w.ECS().Alive(odd))

	// Another first system: the flush runs before it; intents left untaken
	// by a deferring Taker become entities at the end.
	w.Submit(in(5))
	c.BeginSystems(nil)
	assert.False(t, c.Deferred)
	_, ins := intentEntities(w)
	assert.Equal(t, []components.PurchaseIntent{in(5)}, ins)
	assert.Equal(t, []components.PurchaseIntent{in(5)}, c.TakeIntents(nil))
	w.Submit(in(6))
	c.BeginSystems(taker)
	c.EndSystems()
	_, ins = intentEntities(w)
	assert.Equal(t, []components.PurchaseIntent{in(6)}, ins)
}
