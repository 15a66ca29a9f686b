package systems_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

const fixtureJSON = `{
  "currencies": [{"key": "gold", "name": "Gold", "decimals": 2}, {"key": "gems", "name": "Gems"}],
  "items": [
    {"key": "potion", "name": "Potion", "max_stack": 10},
    {"key": "sword", "name": "Sword", "max_stack": 1},
    {"key": "pebble", "name": "Pebble", "max_stack": 10}
  ],
  "shops": [
    {"key": "smithy", "name": "Smithy", "listings": [
      {"key": "potions", "item": "potion", "currency": "gold", "price": 250, "stock": 40},
      {"key": "swords", "item": "sword", "currency": "gems", "price": 3, "stock": 1},
      {"key": "pricey", "item": "potion", "currency": "gold", "price": 4611686018427387904, "stock": 10},
      {"key": "pebbles", "item": "pebble", "currency": "gold", "price": 0, "stock": 1000}
    ]},
    {"key": "stall", "name": "Stall", "listings": [
      {"key": "stallPotions", "item": "potion", "currency": "gold", "price": 1, "stock": 5}
    ]},
    {"key": "vault", "name": "Vault", "funds": [{"currency": "gold", "amount": 9223372036854775807}], "listings": [
      {"key": "vaultPebbles", "item": "pebble", "currency": "gold", "price": 1, "stock": 5}
    ]}
  ],
  "players": [
    {"key": "alice", "name": "Alice", "capacity": 4,
     "wallet": [{"currency": "gold", "amount": 1000}, {"currency": "gems", "amount": 5}]},
    {"key": "bob", "name": "Bob", "capacity": 2, "wallet": [{"currency": "gold", "amount": 300}]},
    {"key": "carol", "name": "Carol", "capacity": 2, "wallet": [{"currency": "gems", "amount": 9}]},
    {"key": "dave", "name": "Dave", "capacity": 2, "wallet": [{"currency": "gems", "amount": 9}]}
  ]
}`

// fixture is a world at tick 1 with the fixture content, where carol, the
// "stallPotions"-listing's shop and "pebbles" listing's neighbours are set up
// for every rejection reason: "ghost" is a closed player, "closedListing" a
// closed listing, and "stall" (the till of stallPotions) is closed.
type fixture struct {
	t   *testing.T
	w   *ecs.World
	ids fixtureIDs
}

// fixtureIDs are the content's ids and the fixture's own extra entities.
type fixtureIDs struct {
	ecs.IDs
	extra map[string]components.ID
}

// MustID returns the id of an extra entity or a content key.
func (f fixtureIDs) MustID(key string) components.ID {
	if id, ok := f.extra[key]; ok {
		return id
	}
	return f.IDs.MustID(key)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	c, err := ecs.ParseContent([]byte(fixtureJSON))
	require.NoError(t, err)
	w := ecs.New()
	systems.Install(w)
	cids, err := c.Apply(w)
	require.NoError(t, err)
	ids := fixtureIDs{IDs: cids, extra: map[string]components.ID{}}
	ids.extra["ghost"] = w.Command(events.OpenPlayer("Ghost", 1)).ID
	ids.extra["closedListing"] = w.Command(events.PostListing(ids.MustID("smithy"), ids.MustID("potion"), ids.MustID("gold"), 1, 3)).ID
	rec := w.Step()
	for _, ev := range rec.Events {
		require.NotEqual(t, events.CommandRejected, ev.Kind, "fixture command rejected: %v", ev)
	}
	w.Command(events.Close(ids.MustID("ghost")))
	w.Command(events.Close(ids.MustID("closedListing")))
	w.Command(events.Close(ids.MustID("stall")))
	rec = w.Step()
	for _, ev := range rec.Events {
		require.NotEqual(t, events.CommandRejected, ev.Kind, "fixture command rejected: %v", ev)
	}
	return &fixture{t: t, w: w, ids: ids}
}

func (f *fixture) intent(buyer, listing string, qty int64, req uint64) components.PurchaseIntent {
	return components.PurchaseIntent{Buyer: f.id(buyer), Listing: f.id(listing), Quantity: qty, RequestID: req}
}

// id resolves a fixture key; unknown keys become an id that was never allocated.
func (f *fixture) id(key string) components.ID {
	if id, ok := f.ids.extra[key]; ok {
		return id
	}
	if id, ok := f.ids.Lookup(key); ok {
		return id
	}
	return math.MaxUint64
}

func (f *fixture) wallet(key string) *components.Wallet {
	e, st := f.w.Lookup(f.id(key))
	require.Equal(f.t, ecs.Alive, st)
	return f.w.Maps.Wallet.Get(e)
}

func (f *fixture) inventory(key string) *components.Inventory {
	e, st := f.w.Lookup(f.id(key))
	require.Equal(f.t, ecs.Alive, st)
	return f.w.Maps.Inventory.Get(e)
}

func (f *fixture) listing(key string) *components.ShopListing {
	e, st := f.w.Lookup(f.id(key))
	require.Equal(f.t, ecs.Alive, st)
	return f.w.Maps.Listing.Get(e)
}

// purchaseEvents returns the purchase outcomes of a record.
func purchaseEvents(rec *ecs.TickRecord) []events.Event {
	var out []events.Event
	for _, ev := range rec.Events {
		if ev.Kind == events.PurchaseCompleted || ev.Kind == events.PurchaseRejected {
			out = append(out, ev)
		}
	}
	return out
}
