package systems_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// Reprice changes a listing's price and raises its version; it is
// refused, changing nothing, for a negative price, a version set by the
// caller, another currency or something that is no listing.
func TestRepriceRaisesTheListingsVersion(t *testing.T) {
	f := newFixture(t)
	potions := f.id("potions")
	l, err := f.w.Listing(potions)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), l.Version, "as posted")

	tk := f.w.Command(events.Reprice(potions, 300))
	rec := f.w.Step()
	ev, ok := rec.Outcome(tk)
	require.True(t, ok)
	rp, ok := ev.AsListingRepriced()
	require.True(t, ok, "%v", ev)
	assert.Equal(t, events.ListingRepricedEvent{Listing: potions, Currency: f.id("gold"), Price: 300, Version: 2}, rp)
	l, _ = f.w.Listing(potions)
	assert.Equal(t, int64(300), l.Price)
	assert.Equal(t, uint64(2), l.Version)
	assert.Equal(t, f.w.FullChecksum(), rec.Checksum, "the version is state: in the checksum")

	f.w.Submit(f.intent("alice", "potions", 1, 1)) // a restock or sale leaves the version
	f.w.Step()
	l, _ = f.w.Listing(potions)
	assert.Equal(t, uint64(2), l.Version)

	for _, c := range []events.Event{
		events.Reprice(potions, -1),
		events.ListingRepricedEvent{Listing: potions, Price: 1, Version: 2}.Event(), // it is 2: the next is 3
		events.ListingRepricedEvent{Listing: potions, Currency: f.id("gems"), Price: 1}.Event(),
		events.Reprice(f.id("alice"), 1),
		events.Reprice(f.id("closedListing"), 1),
	} {
		before := f.w.Checksum()
		tk := f.w.Command(c)
		rec := f.w.Step()
		ev, _ := rec.Outcome(tk)
		assert.Equal(t, events.CommandRejected, ev.Kind, "%v", c)
		assert.Equal(t, before, rec.Checksum)
	}
	l, _ = f.w.Listing(potions)
	assert.Equal(t, uint64(2), l.Version)
}

// An intent may state the listing version and the most it pays: when the
// terms changed since, it is refused with PriceChanged and nothing moves;
// zero states nothing. A version with a cart, or a negative MaxTotal, is
// malformed.
func TestPurchasePreconditions(t *testing.T) {
	f := newFixture(t)
	potions, gold := f.id("potions"), f.id("gold")
	shown, _ := f.w.Listing(potions) // version 1, 250 a unit
	f.w.Command(events.Reprice(potions, 400))
	f.w.Command(events.Mint(f.id("alice"), gold, 10_000))
	f.w.Step()

	cases := []struct {
		name string
		in   components.PurchaseIntent
		want events.Reason
	}{
		{"stale version", components.PurchaseIntent{Quantity: 2, ListingVersion: shown.Version}, events.ReasonPriceChanged},
		{"total above the limit", components.PurchaseIntent{Quantity: 2, MaxTotal: 2 * shown.Price}, events.ReasonPriceChanged},
		{"both hold", components.PurchaseIntent{Quantity: 2, ListingVersion: 2, MaxTotal: 800}, events.ReasonNone},
		{"limit above the total", components.PurchaseIntent{Quantity: 1, MaxTotal: 401}, events.ReasonNone},
		{"no expectation", components.PurchaseIntent{Quantity: 1}, events.ReasonNone},
		{"version from the future", components.PurchaseIntent{Quantity: 1, ListingVersion: 3}, events.ReasonPriceChanged},
		{"negative limit", components.PurchaseIntent{Quantity: 1, MaxTotal: -1}, events.ReasonBadQuantity},
		{"out of stock first", components.PurchaseIntent{Quantity: 99, ListingVersion: 1}, events.ReasonOutOfStock},
	}
	for i, c := range cases {
		in := c.in
		in.Buyer, in.Listing, in.RequestID = f.id("alice"), potions, uint64(100+i)
		before := f.w.Checksum()
		bal := f.wallet("alice").Balance(gold)
		f.w.Submit(in)
		rec := f.w.Step()
		ev, ok := rec.IntentOutcome(in.Buyer, in.RequestID)
		require.True(t, ok, c.name)
		if c.want == events.ReasonNone {
			p, ok := ev.AsPurchaseCompleted()
			require.True(t, ok, "%s: %v", c.name, ev)
			assert.Equal(t, bal-p.Total, f.wallet("alice").Balance(gold), c.name)
			continue
		}
		assert.Equal(t, events.PurchaseRejected, ev.Kind, c.name)
		assert.Equal(t, c.want, ev.Reason, c.name)
		assert.Equal(t, before, rec.Checksum, "%s: a refused intent changes nothing", c.name)
	}

	cart := components.PurchaseIntent{Buyer: f.id("alice"), Cart: potions, ListingVersion: 1, RequestID: 999}
	f.w.Submit(cart)
	ev, _ := f.w.Step().IntentOutcome(cart.Buyer, cart.RequestID)
	assert.Equal(t, events.ReasonBadQuantity, ev.Reason, "a cart has no one listing version")
}

// A MaxTotal bounds a whole cart; the preconditions survive the log and a
// replay verifies them.
func TestPreconditionsRecordAndReplay(t *testing.T) {
	c, err := ecs.ParseContent([]byte(fixtureJSON))
	require.NoError(t, err)
	cfg := systems.DefaultConfig
	path := filepath.Join(t.TempDir(), "p.log")
	w := ecs.New()
	systems.InstallCommerce(w, cfg)
	lw, err := ticklog.Create(path, c, ticklog.Options{SnapshotEvery: 2, Setup: systems.CommerceSetup(cfg)})
	require.NoError(t, err)
	lw.Record(w)
	ids, err := c.Apply(w)
	require.NoError(t, err)
	w.Step()
	alice, potions := ids.MustID("alice"), ids.MustID("potions")
	cartID := w.Command(events.OpenCart(alice)).ID
	w.Step()
	w.Command(events.AddCartLine(cartID, potions, 2))
	w.Command(events.AddCartLine(cartID, ids.MustID("pebbles"), 3))
	w.Step()
	w.Submit(components.PurchaseIntent{Buyer: alice, Cart: cartID, MaxTotal: 499, RequestID: 1})
	w.Submit(components.PurchaseIntent{Buyer: alice, Listing: potions, Quantity: 1, ListingVersion: 1, MaxTotal: 250, RequestID: 2})
	rec := w.Step()
	ev, _ := rec.IntentOutcome(alice, 1)
	assert.Equal(t, events.ReasonPriceChanged, ev.Reason, "the cart costs 500")
	ev, _ = rec.IntentOutcome(alice, 2)
	assert.Equal(t, events.PurchaseCompleted, ev.Kind)
	w.Command(events.Reprice(potions, 1))
	w.Step()
	w.Submit(components.PurchaseIntent{Buyer: alice, Listing: potions, Quantity: 1, ListingVersion: 1, RequestID: 3})
	w.Step()
	require.NoError(t, lw.Close())

	_, recs, err := ticklog.ReadAll(path)
	require.NoError(t, err)
	var got []components.PurchaseIntent
	for _, r := range recs {
		if r.Tick != nil {
			got = append(got, r.Tick.Intents...)
		}
	}
	require.Len(t, got, 3)
	assert.Equal(t, int64(499), got[0].MaxTotal)
	assert.Equal(t, uint64(1), got[1].ListingVersion)
	newWorld, err := systems.CommerceSetup(cfg).Worlds()
	require.NoError(t, err)
	res, err := replay.Verify(replay.FileSource(path), newWorld, replay.Options{})
	require.NoError(t, err)
	require.Nil(t, res.Mismatch, "%v", res.Mismatch)
}
