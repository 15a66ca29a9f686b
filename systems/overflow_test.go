package systems_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// A till that redeems its own coupon receives two credits in one purchase:
// its share of the price and the unused rest. Each fits alone; together
// they would wrap the balance. The purchase must be rejected whole.
func TestTillRedeemingItsOwnCouponCannotWrap(t *testing.T) {
	s := newShop(t, systems.DefaultConfig)
	vault, gold := s.id("vault"), s.id("gold")
	coupon := s.cmd(events.Event{Kind: events.CouponIssued, Till: vault, Currency: gold, Amount: 1000})
	s.cmd(events.Event{Kind: events.Minted, Subject: vault, Currency: gold, Amount: 1})
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
	s.cmd(events.Event{Kind: events.Burned, Subject: vault, Currency: gold, Amount: 1})
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Listing: s.id("vaultPebbles"), Quantity: 1,
		RequestID: 2, Coupon: coupon})
	rec = s.step()
	assert.NotEqual(t, before, rec.Checksum)
	require.Contains(t, kinds(rec), events.PurchaseCompleted)
	assert.Equal(t, int64(math.MaxInt64), s.wallet("vault").Balance(gold))
}
