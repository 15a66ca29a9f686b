package ecs_test

import (
	"fmt"
	"os"
	"testing"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
)

func loadShop(t *testing.T) (*ecs.World, ecs.IDs) {
	t.Helper()
	w := ecs.New()
	return w, applyShop(t, w)
}

// applyShop queues testdata/shop.json's authoring commands on w.
func applyShop(t testing.TB, w *ecs.World) ecs.IDs {
	t.Helper()
	data, err := os.ReadFile("testdata/shop.json")
	require.NoError(t, err)
	c, err := ecs.ParseContent(data)
	require.NoError(t, err)
	ids, err := c.Apply(w)
	require.NoError(t, err)
	return ids
}

func TestContentBecomesTickZeroEvents(t *testing.T) {
	w, ids := loadShop(t)
	require.Equal(t, uint64(0), w.NextTick())
	rec := w.Step()
	assert.Equal(t, uint64(0), rec.Tick)
	assert.Equal(t, uint64(1), w.NextTick())
	require.Equal(t, len(rec.Commands), len(rec.Events), "every authoring command is one event")
	for i, ev := range rec.Events {
		assert.Equal(t, rec.Commands[i].Kind, ev.Kind, "event %d: %v", i, ev)
	}
	// Ids are allocated in file order: currencies, items, shops+listings, players.
	assert.Equal(t, components.ID(1), ids.MustID("gold"))
	assert.Equal(t, components.ID(3), ids.MustID("potion"))
	assert.Less(t, ids.MustID("smithy"), ids.MustID("potions"))
	assert.Less(t, ids.MustID("swords"), ids.MustID("alice"))
	e, st := w.Lookup(ids.MustID("alice"))
	require.Equal(t, ecs.Alive, st)
	assert.Equal(t, "Alice", w.Maps.Name.Get(e).Text)
	assert.Equal(t, int64(1000), w.Maps.Wallet.Get(e).Balance(ids.MustID("gold")))
	assert.Equal(t, 4, w.Maps.Inventory.Get(e).Capacity)
	le, _ := w.Lookup(ids.MustID("potions"))
	assert.Equal(t, components.ShopListing{Shop: ids.MustID("smithy"), Item: ids.MustID("potion"), Currency: ids.MustID("gold"),
		Price: 250, Stock: 40, Till: ids.MustID("smithy")}, *w.Maps.Listing.Get(le))
}

func TestContentErrorsNameTheEntry(t *testing.T) {
	cases := map[string]string{
		`{"currencies":[{"key":"g"},{"key":"g"}]}`:                                     `duplicate key "g"`,
		`{"items":[{"key":"x","max_stack":0}]}`:                                        "max_stack",
		`{"shops":[{"key":"s","listings":[{"key":"l","item":"nope","currency":""}]}]}`: `"nope" is not a defined item`,
		`{"currencies":[{"key":"g"}],"items":[{"key":"i","max_stack":1}],"shops":[{"key":"s","listings":[{"key":"l","item":"i","currency":"g","price":-1}]}]}`: "price and stock",
		`{"players":[{"key":"p","capacity":-1}]}`:                          "capacity",
		`{"players":[{"key":"p","wallet":[{"currency":"x","amount":1}]}]}`: `"x" is not a defined currency`,
		`{"players":[{"key":""}]}`:                                         "empty key",
		`{"unknown":1}`:                                                    `unknown field "unknown"`,
		`{"players":[]} {}`:                                                "trailing data",
		`{"players":[`:                                                     "unexpected EOF",
	}
	for in, want := range cases {
		_, err := ecs.ParseContent([]byte(in))
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
	}
}

func TestContentHashDependsOnContent(t *testing.T) {
	a, err := ecs.ParseContent([]byte(`{"currencies":[{"key":"g","name":"Gold"}]}`))
	require.NoError(t, err)
	b, err := ecs.ParseContent([]byte(`{"currencies":[{"key":"g","name":"Gold","decimals":1}]}`))
	require.NoError(t, err)
	a2, err := ecs.ParseContent([]byte(`{ "currencies" : [ {"name":"Gold", "key":"g"} ] }`))
	require.NoError(t, err)
	assert.NotEqual(t, a.Hash(), b.Hash())
	assert.Equal(t, a.Hash(), a2.Hash(), "formatting does not matter")
}

func TestCloseBurnsHoldingsAndNeverReusesTheID(t *testing.T) {
	w, ids := loadShop(t)
	w.Command(events.Grant(ids.MustID("alice"), ids.MustID("potion"), 12))
	w.Step()
	w.Command(events.Close(ids.MustID("alice")))
	rec := w.Step()
	var kinds []events.Kind
	for _, ev := range rec.Events {
		kinds = append(kinds, ev.Kind)
	}
	assert.Equal(t, []events.Kind{events.Burned, events.Burned, events.ItemsBurned, events.ItemsBurned, events.EntityClosed}, kinds)
	assert.Equal(t, int64(1000), rec.Events[0].Amount)
	assert.Equal(t, int64(10), rec.Events[2].Qty, "first slot")
	assert.Equal(t, int64(2), rec.Events[3].Qty, "second slot")
	_, st := w.Lookup(ids.MustID("alice"))
	assert.Equal(t, ecs.Gone, st)
	_, st = w.Lookup(w.NextID())
	assert.Equal(t, ecs.Unknown, st)
	_, st = w.Lookup(0)
	assert.Equal(t, ecs.Unknown, st)

	// Re-creating the closed id (as a corrupt or hostile log might) is refused.
	w.Command(events.WalletOpenedEvent{Player: ids.MustID("alice"), Capacity: 1}.Event())
	rec = w.Step()
	require.Len(t, rec.Events, 1)
	assert.Equal(t, events.CommandRejected, rec.Events[0].Kind)
	assert.Equal(t, events.ReasonIDInUse, rec.Events[0].Reason)
}

func TestExplicitIDsReserveAndRejectAbsurdJumps(t *testing.T) {
	w := ecs.New()
	id := w.Command(events.CurrencyDefinedEvent{Currency: 10, Name: "g"}.Event()).ID
	assert.Equal(t, components.ID(10), id)
	assert.Equal(t, components.ID(11), w.NextID())
	w.Command(events.CurrencyDefinedEvent{Currency: 1 << 40, Name: "far"}.Event())
	assert.Equal(t, components.ID(11), w.NextID(), "a huge jump reserves nothing")
	w.Command(events.CurrencyDefinedEvent{Currency: 10, Name: "again"}.Event())
	rec := w.Step()
	require.Len(t, rec.Events, 3)
	assert.Equal(t, events.CurrencyDefined, rec.Events[0].Kind)
	assert.Equal(t, events.ReasonIDOutOfRange, rec.Events[1].Reason)
	assert.Equal(t, events.ReasonIDInUse, rec.Events[2].Reason)
	assert.Equal(t, []components.ID{10}, w.Currencies())
}

// Many creating commands, each jumping less than the slack, cannot add
// up: the ids reserved but never created stay within the created ids plus
// ReserveSlack, and the refused jumps are typed rejections.
func TestIDReservationIsBoundedInTotal(t *testing.T) {
	w := ecs.New()
	const n = 40
	jump := components.ID(ecs.ReserveSlack/4 - 1) // each command reserves jump+1 ids
	for range n {
		w.Command(events.ShopOpenedEvent{Shop: w.NextID() + jump, Name: "s"}.Event())
	}
	rec := w.Step()
	require.Len(t, rec.Events, n)
	created, refused := 0, 0
	for _, ev := range rec.Events {
		switch {
		case ev.Kind == events.ShopOpened:
			created++
		case ev.Kind == events.CommandRejected && ev.Reason == events.ReasonIDOutOfRange:
			refused++
		default:
			t.Fatalf("unexpected %v", ev)
		}
	}
	assert.Equal(t, 4, created, "four jumps of a quarter of the slack fit")
	assert.Equal(t, n-created, refused)
	assert.LessOrEqual(t, uint64(w.NextID()-1), uint64(created)+ecs.ReserveSlack)

	// The world snapshots and restores within the same bound.
	s, err := w.TakeSnapshot()
	require.NoError(t, err)
	r := ecs.New()
	require.NoError(t, r.Restore(s))
	assert.Equal(t, w.NextID(), r.NextID())
}

// A rejected creating command spends its reserved id (it is never handed
// out again), so a stream of rejected creations never widens the gap of
// reserved-but-uncreated ids: the world stays snapshottable.
func TestRejectedCreationsSpendTheirIDs(t *testing.T) {
	w := ecs.New()
	var first components.ID
	for i := range ecs.ReserveSlack + 100 {
		id := w.Command(events.OpenPlayer("", -1)).ID // bad capacity
		if i == 0 {
			first = id
		}
	}
	rec := w.Step()
	require.Equal(t, events.ReasonBadCommand, rec.Events[0].Reason)
	w.Command(events.WalletOpenedEvent{Player: first, Capacity: 1}.Event())
	rec = w.Step()
	require.Len(t, rec.Events, 1)
	assert.Equal(t, events.ReasonIDInUse, rec.Events[0].Reason, "a spent id is not created later")

	s, err := w.TakeSnapshot()
	require.NoError(t, err)
	require.NoError(t, ecs.New().Restore(s))
}

func TestSubscribersSeeCommittedTicksInOrder(t *testing.T) {
	w, _ := loadShop(t)
	var seen []string
	w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error {
		assert.Equal(t, r.Tick+1, w.NextTick(), "called after the tick committed")
		assert.Equal(t, w.Checksum(), r.Checksum)
		seen = append(seen, "a")
		return nil
	})
	w.Subscribe(ecs.EveryTick, func(*ecs.TickRecord) error { seen = append(seen, "b"); return nil })
	w.Step()
	w.Step()
	assert.Equal(t, []string{"a", "b", "a", "b"}, seen)
}

func TestCloneOutlivesTheTick(t *testing.T) {
	w, _ := loadShop(t)
	rec := w.Step()
	c := rec.Clone()
	n := len(c.Events)
	require.Positive(t, n)
	w.Step()
	assert.Len(t, c.Events, n)
	assert.Equal(t, events.CurrencyDefined, c.Events[0].Kind)
}

type hashed struct{ v uint64 }

func (h hashed) Name() string      { return "hashed" }
func (h hashed) Update(*ecs.World) {}
func (h hashed) StateHash() uint64 { return h.v }
func TestSystemStateIsInTheChecksum(t *testing.T) {
	a, b := ecs.New(), ecs.New()
	a.AddSystem(hashed{1})
	b.AddSystem(hashed{2})
	assert.NotEqual(t, a.Step().Checksum, b.Step().Checksum)
	c := ecs.New()
	c.AddHasher(func(*ecs.World) uint64 { return 1 })
	assert.Equal(t, a.Step().Checksum, c.Step().Checksum)
}

// A command that sets a field its kind does not use is malformed: each
// Event field has one meaning, and there is none for it here.
func TestCommandWithAFieldOutsideItsTableIsRejected(t *testing.T) {
	w := ecs.New()
	gold := w.Command(events.DefineCurrency("Gold", 2)).ID
	alice := w.Command(events.OpenPlayer("Alice", 2)).ID
	w.Step()
	bad := events.Mint(alice, gold, 5)
	bad.Qty = 3 // Qty counts items; a mint has none
	w.Command(bad)
	before := w.Checksum()
	rec := w.Step()
	require.Len(t, rec.Events, 1)
	v, ok := rec.Events[0].AsCommandRejected()
	require.True(t, ok)
	assert.Equal(t, events.CommandRejectedEvent{Command: events.Minted, Reason: events.ReasonBadCommand, Target: alice}, v)
	assert.Equal(t, before, rec.Checksum)
	w.Command(events.Mint(alice, gold, 5))
	assert.Equal(t, events.Minted, w.Step().Events[0].Kind)
}

// The live count (core.IDTable.Live) counts live entities, not ids handed out: closing one
// lowers it while NextID stays, and a restored world counts the same.
func TestLiveEntitiesCountsLiveNotClosed(t *testing.T) {
	w := ecs.New()
	w.Command(events.DefineCurrency("gold", 0))
	a := w.Command(events.OpenPlayer("a", 1)).ID
	w.Command(events.OpenPlayer("b", 1))
	w.Step()
	require.Equal(t, 3, core.Of(w).IDs.Live())
	w.Command(events.Close(a))
	w.Step()
	assert.Equal(t, 2, core.Of(w).IDs.Live())
	assert.Equal(t, components.ID(4), w.NextID(), "the closed id stays handed out")
	s, err := w.TakeSnapshot()
	require.NoError(t, err)
	r := ecs.New()
	require.NoError(t, r.Restore(s))
	assert.Equal(t, 2, core.Of(r).IDs.Live())
}

// SpawnBatch gives consecutive fresh ids to entities that are alive with
// what fill set, also when their archetype already holds older entities
// (some removed in between), and the checksum covers them like Spawn's.
func TestSpawnBatchCreatesConsecutiveLiveEntities(t *testing.T) {
	w := ecs.New()
	comps := []arche.ID{w.Maps.Listing.ID()}
	check := func(first components.ID, n int, base int64) {
		t.Helper()
		for i := range n {
			e, st := w.Lookup(first + components.ID(i))
			require.Equal(t, ecs.Alive, st)
			assert.Equal(t, base+int64(i), w.Maps.Listing.Get(e).Stock)
			assert.Equal(t, first+components.ID(i), w.Maps.Stable.Get(e).ID)
		}
	}
	fill := func(base int64) func(int, arche.Entity) {
		return func(i int, e arche.Entity) { w.Maps.Listing.Get(e).Stock = base + int64(i) }
	}
	a := w.SpawnBatch(5, comps, fill(100))
	require.Equal(t, components.ID(1), a)
	solo, _ := w.Spawn(comps...) // one at a time in between
	w.Command(events.Close(a + 1))
	w.Step()
	b := w.SpawnBatch(4, comps, fill(200))
	require.Equal(t, solo+1, b)
	require.Equal(t, b+4, w.NextID())
	check(a, 1, 100)
	check(a+2, 3, 102)
	check(b, 4, 200)
	_, st := w.Lookup(a + 1)
	assert.Equal(t, ecs.Gone, st)
	assert.Equal(t, components.ID(0), w.SpawnBatch(0, comps, fill(0))-w.NextID(), "n = 0: nothing")
	assert.Equal(t, w.FullChecksum(), w.Checksum())
	assert.Equal(t, 4+1+4, core.Of(w).IDs.Live())
}

// A player's balances and slots share one allocation (openPlayer): a
// wallet that gains more currencies than its reserve, and an inventory
// filled to capacity, must never write into each other.
func TestWalletAndInventoryBlocksStayApart(t *testing.T) {
	w := ecs.New()
	gold := w.Command(events.DefineCurrency("Gold", 2)).ID
	sword := w.Command(events.DefineItem("Sword", 7)).ID
	bob := w.Command(events.OpenPlayer("Bob", 3)).ID
	w.Command(events.Grant(bob, sword, 21)) // three full slots
	w.Command(events.Mint(bob, gold, 11))
	w.Step()
	var currs []components.ID
	for i := range 9 { // more than the wallet's reserve of spare slots
		c := w.Command(events.DefineCurrency(fmt.Sprint("C", i), 0)).ID
		currs = append(currs, c)
		w.Command(events.Mint(bob, c, int64(100+i)))
	}
	w.Step()
	for i, c := range currs {
		got, err := w.Balance(bob, c)
		require.NoError(t, err)
		assert.Equal(t, int64(100+i), got)
	}
	got, err := w.Balance(bob, gold)
	require.NoError(t, err)
	assert.Equal(t, int64(11), got)
	n, err := w.ItemCount(bob, sword)
	require.NoError(t, err)
	assert.Equal(t, int64(21), n)
	e, _ := w.Lookup(bob)
	for _, st := range w.Maps.Inventory.Get(e).Slots {
		assert.Equal(t, components.Stack{Item: sword, Qty: 7}, st)
	}
	assert.Equal(t, w.FullChecksum(), w.Checksum())
}

// Definitions are never closed (their items and balances would be
// orphaned); other entities are.
func TestClosingADefinitionIsRefused(t *testing.T) {
	w := ecs.New()
	gold := w.Command(events.DefineCurrency("gold", 0)).ID
	gem := w.Command(events.DefineItem("gem", 5)).ID
	wal := w.Command(events.OpenPlayer("w", 1)).ID
	w.Step()
	w.Command(events.Close(gold))
	w.Command(events.Close(gem))
	w.Command(events.Close(wal))
	rec := w.Step()
	require.Len(t, rec.Events, 3)
	for i, id := range []components.ID{gold, gem} {
		c, ok := rec.Events[i].Rejected()
		require.True(t, ok, "%v", rec.Events[i])
		assert.Equal(t, id, c.Subject)
		assert.Equal(t, events.ReasonBadCommand, rec.Events[i].Reason)
	}
	assert.Equal(t, events.EntityClosed, rec.Events[2].Kind)
	for _, id := range []components.ID{gold, gem} {
		_, st := w.Lookup(id)
		assert.Equal(t, ecs.Alive, st)
	}
}

// A wallet opened before any currency exists, with no slots, still has
// empty (not nil) balances and slots: snapshots and the typed reads see
// [] as for any other player, and a later currency can be credited.
func TestPlayerWithoutCurrenciesOrSlots(t *testing.T) {
	w := ecs.New()
	bob := w.Command(events.OpenPlayer("Bob", 0)).ID
	w.Step()
	e, _ := w.Lookup(bob)
	require.NotNil(t, w.Maps.Wallet.Get(e).Balances)
	require.NotNil(t, w.Maps.Inventory.Get(e).Slots)
	gold := w.Command(events.DefineCurrency("Gold", 0)).ID
	w.Command(events.Mint(bob, gold, 7))
	w.Step()
	got, err := w.Balance(bob, gold)
	require.NoError(t, err)
	assert.Equal(t, int64(7), got)
	s, err := w.TakeSnapshot()
	require.NoError(t, err)
	r := ecs.New()
	require.NoError(t, r.Restore(s))
	assert.Equal(t, w.Checksum(), r.Checksum())
}
