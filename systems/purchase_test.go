package systems_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/allocs"
	"github.com/tickecon/tickecon/internal/core"
)

func TestEveryRejectionReason(t *testing.T) {
	cases := []struct {
		name    string
		buyer   string
		listing string
		qty     int64
		want    events.Reason
	}{
		{"zero quantity", "alice", "potions", 0, events.ReasonBadQuantity},
		{"negative quantity", "alice", "potions", -3, events.ReasonBadQuantity},
		{"unknown buyer", "nobody", "potions", 1, events.ReasonUnknownBuyer},
		{"closed buyer", "ghost", "potions", 1, events.ReasonBuyerGone},
		{"shop is no customer", "smithy", "potions", 1, events.ReasonNotACustomer},
		{"item type is no customer", "potion", "potions", 1, events.ReasonNotACustomer},
		{"unknown listing", "alice", "nothing", 1, events.ReasonUnknownListing},
		{"player is no listing", "alice", "bob", 1, events.ReasonUnknownListing},
		{"closed listing", "alice", "closedListing", 1, events.ReasonListingGone},
		{"more than stock", "alice", "potions", 41, events.ReasonOutOfStock},
		{"price times quantity overflows", "alice", "pricey", 2, events.ReasonPriceOverflow},
		{"not enough gold", "bob", "potions", 2, events.ReasonInsufficientFunds},
		{"no gems at all", "bob", "swords", 1, events.ReasonInsufficientFunds},
		{"till closed", "alice", "stallPotions", 1, events.ReasonTillGone},
		{"till would overflow", "alice", "vaultPebbles", 1, events.ReasonTillOverflow},
		{"inventory full", "alice", "pebbles", 41, events.ReasonInventoryFull},
	}
	seen := map[events.Reason]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			before := f.w.Checksum()
			in := f.intent(c.buyer, c.listing, c.qty, 7)
			f.w.Submit(in)
			rec := f.w.Step()
			require.Len(t, rec.Events, 1)
			ev := rec.Events[0]
			assert.Equal(t, events.PurchaseRejected, ev.Kind)
			assert.Equal(t, c.want, ev.Reason, "got %v", ev)
			assert.Equal(t, in.Buyer, ev.Subject)
			assert.Equal(t, in.Listing, ev.Object)
			assert.Equal(t, uint64(7), ev.Request)
			assert.Equal(t, before, rec.Checksum, "a rejected intent must change nothing")
			assert.Equal(t, []components.PurchaseIntent{in}, rec.Intents)
			seen[c.want] = true
		})
	}
	// Every purchase reason is covered here or in TestDuplicateRequestInOneTick.
	seen[events.ReasonDuplicateRequest] = true
	for r := events.ReasonBadQuantity; r <= events.ReasonInventoryFull; r++ {
		assert.True(t, seen[r], "no test case for %v", r)
	}
}

func TestCompletedPurchaseMovesEverythingOnce(t *testing.T) {
	f := newFixture(t)
	f.w.Submit(f.intent("alice", "potions", 3, 1))
	rec := f.w.Step()
	require.Len(t, rec.Events, 1)
	ev := rec.Events[0]
	assert.Equal(t, events.Event{Tick: rec.Tick, Kind: events.PurchaseCompleted, Subject: f.id("alice"),
		Object: f.id("potions"), Item: f.id("potion"), Currency: f.id("gold"), Till: f.id("smithy"),
		Qty: 3, Amount: 750, Request: 1}, ev)
	assert.Equal(t, int64(250), f.wallet("alice").Balance(f.id("gold")))
	assert.Equal(t, int64(5), f.wallet("alice").Balance(f.id("gems")), "other currency untouched")
	assert.Equal(t, int64(750), f.wallet("smithy").Balance(f.id("gold")))
	assert.Equal(t, int64(37), f.listing("potions").Stock)
	assert.Equal(t, int64(3), f.inventory("alice").Count(f.id("potion")))
	q := f.w.ECS().Query(&core.Of(f.w).IntentFilter)
	assert.Zero(t, q.Count(), "intents are consumed")
	q.Close()
}

func TestDuplicateRequestInOneTick(t *testing.T) {
	f := newFixture(t)
	f.w.Submit(f.intent("alice", "potions", 1, 5))
	f.w.Submit(f.intent("alice", "potions", 1, 5))
	rec := f.w.Step()
	got := purchaseEvents(rec)
	require.Len(t, got, 2)
	assert.Equal(t, events.PurchaseCompleted, got[0].Kind)
	assert.Equal(t, events.ReasonDuplicateRequest, got[1].Reason)
	assert.Equal(t, int64(1), f.inventory("alice").Count(f.id("potion")), "applied once only")
}

func TestLastUnitGoesToLowerBuyerIDWhateverTheSubmitOrder(t *testing.T) {
	for _, order := range [][2]string{{"carol", "dave"}, {"dave", "carol"}} {
		f := newFixture(t)
		require.Less(t, f.id("carol"), f.id("dave"))
		for _, who := range order {
			f.w.Submit(f.intent(who, "swords", 1, 1))
		}
		got := purchaseEvents(f.w.Step())
		require.Len(t, got, 2)
		assert.Equal(t, events.PurchaseCompleted, got[0].Kind)
		assert.Equal(t, f.id("carol"), got[0].Subject)
		assert.Equal(t, events.PurchaseRejected, got[1].Kind)
		assert.Equal(t, events.ReasonOutOfStock, got[1].Reason)
		assert.Equal(t, f.id("dave"), got[1].Subject)
		assert.Equal(t, int64(9), f.wallet("dave").Balance(f.id("gems")))
	}
}

func TestWalletSpendingTwiceInOneTick(t *testing.T) {
	f := newFixture(t)
	// 1000 gold: request 2 (3 potions, 750) and request 1 (2 potions, 500)
	// cannot both be paid; request 1 goes first by the documented order.
	f.w.Submit(f.intent("alice", "potions", 3, 2))
	f.w.Submit(f.intent("alice", "potions", 2, 1))
	got := purchaseEvents(f.w.Step())
	require.Len(t, got, 2)
	assert.Equal(t, events.PurchaseCompleted, got[0].Kind)
	assert.Equal(t, uint64(1), got[0].Request)
	assert.Equal(t, events.ReasonInsufficientFunds, got[1].Reason)
	assert.Equal(t, int64(500), f.wallet("alice").Balance(f.id("gold")))
	assert.Equal(t, int64(2), f.inventory("alice").Count(f.id("potion")))
}

func TestBuyingFromOwnTillIsNeutral(t *testing.T) {
	f := newFixture(t)
	f.w.Command(events.ListingPostedEvent{Shop: f.id("smithy"), Till: f.id("alice"), Item: f.id("pebble"), Currency: f.id("gold"), Price: 100, Stock: 5}.Event())
	rec := f.w.Step()
	require.Len(t, rec.Events, 1)
	own := rec.Events[0].Subject
	f.w.Submit(components.PurchaseIntent{Buyer: f.id("alice"), Listing: own, Quantity: 2, RequestID: 1})
	got := purchaseEvents(f.w.Step())
	require.Len(t, got, 1)
	assert.Equal(t, events.PurchaseCompleted, got[0].Kind)
	assert.Equal(t, int64(1000), f.wallet("alice").Balance(f.id("gold")))
	assert.Equal(t, int64(2), f.inventory("alice").Count(f.id("pebble")))
}

func TestSteadyStateTickAllocatesNothing(t *testing.T) {
	f := newFixture(t)
	// Pebbles are free and plentiful; alternate buying and burning them so
	// every tick does real work without the inventory filling up.
	f.w.Command(events.Grant(f.id("pebbles"), f.id("pebble"), 1<<40))
	f.w.Step()
	var req uint64
	tick := func() {
		req++
		f.w.Submit(f.intent("alice", "pebbles", 5, req))
		f.w.Submit(f.intent("bob", "pebbles", 5, req))
		f.w.Submit(f.intent("nobody", "pebbles", 5, req)) // rejections allocate nothing either
		f.w.Step()
		f.w.Command(events.BurnItems(f.id("alice"), f.id("pebble"), 5))
		f.w.Command(events.BurnItems(f.id("bob"), f.id("pebble"), 5))
	}
	for range 10 { // warm up: buffers reach their steady size
		tick()
	}
	assert.Zero(t, allocs.Total(1000, tick), "allocations in 1000 steady-state ticks")
	f.w.Step() // apply the last burns
	assert.Equal(t, int64(0), f.inventory("alice").Count(f.id("pebble")))
	assert.Greater(t, req, uint64(200))
}

func TestIntentsSubmittedDuringSubscriberGoToNextTick(t *testing.T) {
	f := newFixture(t)
	fired := false
	f.w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error {
		if !fired {
			fired = true
			f.w.Submit(f.intent("alice", "potions", 1, 99))
		}
		return nil
	})
	rec := f.w.Step()
	assert.Empty(t, rec.Events)
	rec = f.w.Step()
	require.Len(t, rec.Events, 1)
	assert.Equal(t, uint64(99), rec.Events[0].Request)
}

// A plain Install world has no commerce components: a cart or coupon
// intent is rejected without registering any (no lazy registration on the
// purchase path, which once bound the commerce maps on the first purchase).
func TestPlainInstallRegistersNoCommerceComponents(t *testing.T) {
	f := newFixture(t)
	before := len(arche.ComponentIDs(f.w.ECS()))
	f.w.Submit(f.intent("alice", "potions", 1, 1))
	f.w.Submit(components.PurchaseIntent{Buyer: f.id("alice"), Cart: f.id("bob"), RequestID: 2})
	f.w.Submit(components.PurchaseIntent{Buyer: f.id("alice"), Listing: f.id("potions"), Quantity: 1,
		RequestID: 3, Coupon: f.id("bob")})
	rec := f.w.Step()
	require.Len(t, rec.Events, 3)
	assert.Equal(t, events.PurchaseCompleted, rec.Events[0].Kind)
	assert.Equal(t, events.ReasonUnknownCart, rec.Events[1].Reason)
	assert.Equal(t, events.ReasonUnknownCoupon, rec.Events[2].Reason)
	assert.Equal(t, before, len(arche.ComponentIDs(f.w.ECS())), "a purchase registered components")
}
