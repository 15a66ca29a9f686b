package systems_test

import (
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// purchaseOrder is the order in which the plain purchase checks its
// reasons; docs/tick-rules.md must list the same.
var purchaseOrder = []events.Reason{
	events.ReasonDuplicateRequest, events.ReasonBadQuantity, events.ReasonUnknownBuyer,
	events.ReasonBuyerGone, events.ReasonNotACustomer, events.ReasonUnknownListing,
	events.ReasonListingGone, events.ReasonOutOfStock, events.ReasonOverflow,
	events.ReasonPriceOverflow, events.ReasonPriceChanged, events.ReasonInsufficientFunds, events.ReasonTillGone,
	events.ReasonTillOverflow, events.ReasonInventoryFull,
}

func TestReadmeListsTheRejectionOrder(t *testing.T) {
	raw, err := os.ReadFile("../docs/tick-rules.md")
	require.NoError(t, err)
	s := string(raw)
	start := strings.Index(s, "**validated completely**")
	require.Positive(t, start)
	end := start + strings.Index(s[start:], "The (buyer, request id)")
	require.Greater(t, end, start)
	var listed []events.Reason
	for _, m := range regexp.MustCompile("`(\\w+)`").FindAllStringSubmatch(s[start:end], -1) {
		var r events.Reason
		require.NoError(t, r.UnmarshalText([]byte(m[1])))
		listed = append(listed, r)
	}
	assert.Equal(t, purchaseOrder, listed)
}

// Where one intent fails two checks, the earlier in purchaseOrder names it.
func TestRejectionOrderBetweenNeighbours(t *testing.T) {
	t.Run("DuplicateRequest before BadQuantity", func(t *testing.T) {
		f := newFixture(t)
		f.w.Submit(f.intent("alice", "potions", 1, 5))
		f.w.Submit(f.intent("alice", "swords", 0, 5)) // same key, sorts after, quantity 0
		got := purchaseEvents(f.w.Step())
		require.Len(t, got, 2)
		assert.Equal(t, events.PurchaseCompleted, got[0].Kind)
		assert.Equal(t, events.ReasonDuplicateRequest, got[1].Reason)
	})
	t.Run("a retry in the window is a duplicate, not BadQuantity", func(t *testing.T) {
		s := newShop(t, systems.DefaultConfig)
		s.w.Submit(s.intent("alice", "potions", 1, 5))
		s.step()
		s.w.Submit(s.intent("alice", "potions", 0, 5))
		rec := s.step()
		require.Len(t, rec.Events, 1)
		assert.Equal(t, events.PurchaseDuplicate, rec.Events[0].Kind)
		assert.Equal(t, events.PurchaseCompleted, rec.Events[0].Of)
	})
	t.Run("OutOfStock before Overflow before PriceOverflow", func(t *testing.T) {
		s := newShop(t, systems.Config{})
		post := events.PostListing(s.id("smithy"), s.id("pebble"), s.id("gold"), 0, math.MaxInt64)
		a := s.cmd(post) // free: the checks that differ are all on the second line
		post.Amount = 2
		b := s.cmd(post)
		cart := func(q1, q2 int64) components.ID {
			c := s.cmd(events.OpenCart(s.id("alice")))
			s.cmd(events.AddCartLine(c, a, q1))
			s.cmd(events.AddCartLine(c, b, q2))
			return c
		}
		c1 := cart(math.MaxInt64, math.MaxInt64) // units overflow and price overflows
		c2 := cart(math.MaxInt64, math.MaxInt64)
		s.cmd(events.BurnItems(b, s.id("pebble"), 1)) // and b is short
		s.stepOK()
		s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Cart: c2, RequestID: 1})
		s.w.Submit(components.PurchaseIntent{Buyer: s.id("bob"), Cart: c1, RequestID: 1})
		got := purchaseEvents(s.step())
		require.Len(t, got, 2)
		assert.Equal(t, events.ReasonOutOfStock, got[0].Reason)
		s.cmd(events.Grant(b, s.id("pebble"), 1))
		c3 := cart(math.MaxInt64, math.MaxInt64)
		c4 := cart(1, math.MaxInt64/2+1) // units fit, price does not
		s.stepOK()
		s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Cart: c3, RequestID: 2})
		s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Cart: c4, RequestID: 3})
		got = purchaseEvents(s.step())
		require.Len(t, got, 2)
		assert.Equal(t, events.ReasonOverflow, got[0].Reason)
		assert.Equal(t, events.ReasonPriceOverflow, got[1].Reason)
	})
	t.Run("PriceOverflow before PriceChanged before InsufficientFunds", func(t *testing.T) {
		f := newFixture(t)
		for i, in := range []components.PurchaseIntent{
			{Listing: f.id("pricey"), Quantity: 2, ListingVersion: 9}, // overflows, and the version is wrong
			{Listing: f.id("potions"), Quantity: 40, MaxTotal: 1},     // bob cannot pay, and it costs too much
		} {
			in.Buyer, in.RequestID = f.id("bob"), uint64(i+1)
			f.w.Submit(in)
		}
		got := purchaseEvents(f.w.Step())
		require.Len(t, got, 2)
		assert.Equal(t, events.ReasonPriceOverflow, got[0].Reason)
		assert.Equal(t, events.ReasonPriceChanged, got[1].Reason)
	})
}
