package ecs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// The running checksum rehashes only touched entities, yet after every
// kind of core change (create, mint, burn, grant, close) it equals the
// from-scratch checksum.
func TestIncrementalChecksumEqualsFullAfterEveryChange(t *testing.T) {
	w, ids := loadShop(t)
	first := w.Step()
	require.Equal(t, w.FullChecksum(), first.Checksum)
	gold, alice, potions := ids.MustID("gold"), ids.MustID("alice"), ids.MustID("potions")
	steps := []events.Event{
		{Kind: events.Minted, Subject: alice, Currency: gold, Amount: 7},
		{Kind: events.Burned, Subject: alice, Currency: gold, Amount: 3},
		{Kind: events.ItemsGranted, Subject: alice, Item: ids.MustID("potion"), Qty: 2},
		{Kind: events.ItemsGranted, Subject: potions, Item: ids.MustID("potion"), Qty: 5},
		{Kind: events.ItemsBurned, Subject: potions, Item: ids.MustID("potion"), Qty: 1},
		{Kind: events.WalletOpened, Name: "Zed", Size: 4},
		{Kind: events.EntityClosed, Subject: alice},
	}
	for _, c := range steps {
		w.Command(c)
		rec := w.Step()
		require.NotEqual(t, events.CommandRejected, rec.Events[0].Kind, "%v", rec.Events[0])
		require.Equal(t, w.FullChecksum(), rec.Checksum, "after %v", c.Kind)
		require.Empty(t, w.StaleEntities())
	}
	before := w.Checksum()
	require.Equal(t, before, w.Step().Checksum, "an idle tick changes nothing")
}

// A change made behind the log's back (no event, no Touch) is invisible to
// the running checksum until an audit or a Touch; StaleEntities names it,
// an audit counts it as drift and repairs the running sum.
func TestChangesWithoutTouchAreFoundByAudits(t *testing.T) {
	w, ids := loadShop(t)
	w.Step()
	bob, gold := ids.MustID("bob"), ids.MustID("gold")
	e, _ := w.Lookup(bob)
	clean := w.Checksum()
	w.Maps.Wallet.Get(e).Credit(gold, 1)
	assert.Equal(t, clean, w.Checksum(), "untouched: the running sum does not see it")
	assert.NotEqual(t, clean, w.FullChecksum())
	assert.Equal(t, []components.ID{bob}, w.StaleEntities())

	w.Touch(bob)
	assert.Equal(t, w.FullChecksum(), w.Checksum(), "Touch folds it in")
	assert.Empty(t, w.StaleEntities())

	w.SetChecksumAudit(2)
	w.Maps.Wallet.Get(e).Credit(gold, 1)
	tick := w.NextTick()
	if tick%2 != 0 {
		w.Step() // no audit on odd ticks: still stale
		tick++
	}
	rec := w.Step()
	assert.Equal(t, w.FullChecksum(), rec.Checksum)
	n, last := w.ChecksumDrift()
	assert.Equal(t, uint64(1), n)
	assert.Equal(t, tick, last)
	w.Step()
	w.Step()
	n, _ = w.ChecksumDrift()
	assert.Equal(t, uint64(1), n, "clean audits count nothing")
}

// An EntityHasher's components are part of an entity's hash.
func TestEntityHashersCoverExtensionComponents(t *testing.T) {
	type Badge struct{ Level int64 }
	w, _ := loadShop(t)
	badgeID := arche.ComponentID[Badge](w.ECS())
	w.AddEntityHasher(func(w *ecs.World, id components.ID, e arche.Entity) uint64 {
		if !w.ECS().Has(e, badgeID) {
			return 0
		}
		return ecs.FieldHash(id, 0x100, uint64((*Badge)(w.ECS().Get(e, badgeID)).Level), 0, 0)
	})
	w.Step()
	id, e := w.Spawn(badgeID)
	withBadge := w.Checksum()
	(*Badge)(w.ECS().Get(e, badgeID)).Level = 3
	w.Touch(id)
	assert.NotEqual(t, withBadge, w.Checksum())
	assert.Equal(t, w.FullChecksum(), w.Checksum())
}

// refuser changes who's wallet without a Touch, then emits one event
// naming who (a refusal, or not).
type refuser struct {
	who, cur components.ID
	ev       events.Event
}

func (r refuser) Name() string { return "refuser" }

func (r refuser) Update(w *ecs.World) {
	e, _ := w.Lookup(r.who)
	w.Maps.Wallet.Get(e).Credit(r.cur, 1)
	w.Emit(r.ev)
}

// Refusals (PurchaseRejected, CommandRejected, PurchaseDuplicate) changed
// nothing by definition, so the entities they name are not rehashed: a
// change hidden behind one stays invisible to the running checksum (and
// audits find it), while any other event naming the entity folds it in.
// Rehashing every refused buyer was most of the checksum's cost in a busy
// replay.
func TestRefusalsTouchNothing(t *testing.T) {
	for _, tc := range []struct {
		ev      func(who components.ID) events.Event
		touches bool
	}{
		{func(who components.ID) events.Event {
			return events.PurchaseRejectedEvent{Buyer: who, Listing: 99, Qty: 1, Request: 1, Reason: events.ReasonOutOfStock}.Event()
		}, false},
		{func(who components.ID) events.Event {
			return events.PurchaseDuplicateEvent{Buyer: who, Request: 1, Original: events.PurchaseRejected, Reason: events.ReasonOutOfStock}.Event()
		}, false},
		{func(who components.ID) events.Event {
			return events.Event{Kind: events.CommandRejected, Of: events.Minted, Subject: who, Reason: events.ReasonUnknownEntity}
		}, false},
		{func(who components.ID) events.Event { return events.Mint(who, 1, 1) }, true},
	} {
		w, ids := loadShop(t)
		alice := ids.MustID("alice")
		ev := tc.ev(alice)
		w.AddSystem(refuser{who: alice, cur: ids.MustID("gold"), ev: ev})
		rec := w.Step()
		require.Equal(t, ev.Kind, rec.Events[len(rec.Events)-1].Kind)
		if tc.touches {
			assert.Equal(t, w.FullChecksum(), rec.Checksum, "%v rehashes the entity it names", ev.Kind)
			assert.Empty(t, w.StaleEntities())
			continue
		}
		assert.NotEqual(t, w.FullChecksum(), rec.Checksum, "%v leaves the hash of the entity it names", ev.Kind)
		assert.Equal(t, []components.ID{alice}, w.StaleEntities(), "%v", ev.Kind)
	}
}
