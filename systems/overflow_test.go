package systems_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/allocs"
	"github.com/tickecon/tickecon/systems"
)

// A till that redeems its own coupon receives two credits in one purchase:
// its share of the price and the unused rest. Each fits alone; together
// they would wrap the balance. The purchase must be rejected whole.
func TestTillRedeemingItsOwnCouponCannotWrap(t *testing.T) {
	s := newShop(t, systems.DefaultConfig)
	vault, gold := s.id("vault"), s.id("gold")
	coupon := s.cmd(events.IssueCoupon(vault, 0, gold, 1000))
	s.cmd(events.Mint(vault, gold, 1))
	s.stepOK()
	require.Equal(t, int64(math.MaxInt64-999), s.wallet("vault").Balance(gold))
	before := s.last
	// vaultPebbles costs 1: the till gets 1 from the coupon and 999 back as
	// issuer, 1000 in all, one more than fits.
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Listing: s.id("vaultPebbles"), Quantity: 1,
		RequestID: 1, Coupon: coupon})
	rec := s.step()
	got := purchaseEvents(rec)
	require.Len(t, got, 1)
	assert.Equal(t, events.PurchaseRejected, got[0].Kind)
	assert.Equal(t, events.ReasonTillOverflow, got[0].Reason)
	assert.Equal(t, int64(math.MaxInt64-999), s.wallet("vault").Balance(gold))
	assert.Equal(t, int64(1000), s.wallet("alice").Balance(gold))

	// One unit less in the till and the same purchase fits exactly.
	s.cmd(events.Burn(vault, gold, 1))
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Listing: s.id("vaultPebbles"), Quantity: 1,
		RequestID: 2, Coupon: coupon})
	rec = s.step()
	assert.NotEqual(t, before, rec.Checksum)
	require.Contains(t, kinds(rec), events.PurchaseCompleted)
	assert.Equal(t, int64(math.MaxInt64), s.wallet("vault").Balance(gold))
}

// Two lines of one item from two listings can each be in stock and still
// add up to more units than an int64 holds: the cart is rejected whole
// (Overflow) instead of delivering a wrapped, negative count.
func TestCartUnitsOfOneItemCannotWrap(t *testing.T) {
	for _, toParcel := range []bool{false, true} {
		s := newShop(t, systems.Config{}) // no idempotency window: a rejection changes no state
		post := events.PostListing(s.id("smithy"), s.id("pebble"), s.id("gold"), 0, math.MaxInt64)
		a, b := s.cmd(post), s.cmd(post)
		cart := s.cmd(events.OpenCart(s.id("alice")))
		s.cmd(events.AddCartLine(cart, a, math.MaxInt64))
		s.cmd(events.AddCartLine(cart, b, math.MaxInt64))
		it := components.PurchaseIntent{Buyer: s.id("alice"), Cart: cart, RequestID: 1}
		if toParcel {
			it.ShipTo = s.cmd(events.OpenPackage(s.id("alice")))
		}
		s.stepOK()
		before := s.last
		s.w.Submit(it)
		rec := s.step()
		got := purchaseEvents(rec)
		require.Len(t, got, 1)
		assert.Equal(t, events.ReasonOverflow, got[0].Reason, "to parcel: %v", toParcel)
		assert.Equal(t, before, rec.Checksum, "rejected whole")
	}
}

// The typed reads see value in commerce components: a coupon's money, a
// parcel's goods, a purchase record's escrow; and the supply counts them.
func TestTypedReadsCountCommerceHoldings(t *testing.T) {
	s := newShop(t, systems.Config{SagaTimeout: 10})
	gold, potion := s.id("gold"), s.id("potion")
	r := startSaga(t, s)
	s.cmd(events.ConfirmPayment(r, 9, 500))
	coupon := s.cmd(events.IssueCoupon(s.id("alice"), 0, gold, 300))
	parcel := s.cmd(events.OpenPackage(s.id("bob")))
	s.stepOK()
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("bob"), Listing: s.id("potions"), Quantity: 1, RequestID: 1, ShipTo: parcel})
	require.Contains(t, kinds(s.step()), events.PurchaseCompleted)

	n, err := s.w.Balance(coupon, gold)
	require.NoError(t, err)
	assert.Equal(t, int64(300), n)
	n, err = s.w.ItemCount(parcel, potion)
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	h, err := s.w.Holdings(r, nil)
	require.NoError(t, err)
	assert.Equal(t, []ecs.Holding{{Kind: ecs.Money, What: gold, Amount: 500}, {Kind: ecs.Items, What: potion, Amount: 2}}, h)
	// alice 1000 − 300 (coupon) − 0, bob 300 − 250, smithy +250, coupon 300, escrow 500 (minted), vault MaxInt64.
	want := components.TotalOf(math.MaxInt64).Add(700 + 50 + 250 + 300 + 500)
	assert.Equal(t, want, s.w.Supply().MoneyOf(gold))

	// The commerce holdings add no allocation to the reads; SupplyInto
	// reuses its buffers (1000 runs: one allocation per call would show).
	buf := make([]ecs.Holding, 0, 8)
	var sup ecs.Supply
	s.w.SupplyInto(&sup)
	mallocs := allocs.Total(1000, func() {
		_, _ = s.w.Balance(coupon, gold)
		_, _ = s.w.ItemCount(parcel, potion)
		buf, _ = s.w.Holdings(r, buf[:0])
		s.w.SupplyInto(&sup)
	})
	assert.Zero(t, mallocs, "allocations in 1000 reads")
}
