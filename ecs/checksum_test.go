package ecs_test

import (
	"testing"

	arche "github.com/mlange-42/arche/ecs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	gold, alice, potions := ids["gold"], ids["alice"], ids["potions"]
	steps := []events.Event{
		{Kind: events.Minted, Subject: alice, Currency: gold, Amount: 7},
		{Kind: events.Burned, Subject: alice, Currency: gold, Amount: 3},
		{Kind: events.ItemsGranted, Subject: alice, Item: ids["potion"], Qty: 2},
		{Kind: events.ItemsGranted, Subject: potions, Item: ids["potion"], Qty: 5},
		{Kind: events.ItemsBurned, Subject: potions, Item: ids["potion"], Qty: 1},
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
	bob, gold := ids["bob"], ids["gold"]
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
	tick := w.Tick()
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
