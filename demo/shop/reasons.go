package shop

import (
	"strings"
	"unicode"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// reasonTexts are the purchase rejections a player meets, in words.
var reasonTexts = map[events.Reason]string{ // lookups only, never iterated
	events.ReasonBadQuantity:      "bad quantity",
	events.ReasonDuplicateRequest: "already requested",
	events.ReasonUnknownBuyer:     "unknown buyer",
	events.ReasonBuyerGone:        "buyer has left",
	events.ReasonNotACustomer:     "buyer has no wallet or inventory",
	events.ReasonUnknownListing:   "no such listing",
	events.ReasonListingGone:      "listing closed",
	events.ReasonOutOfStock:       "out of stock",
	events.ReasonPriceOverflow:    "price too large",
	events.ReasonTillGone:         "the shop's till is closed",
	events.ReasonTillOverflow:     "the shop's till is full",
	events.ReasonInventoryFull:    "no room in the inventory",
	events.ReasonOverflow:         "amount too large",
}

// ReasonText renders a rejection reason for people: "out of stock",
// "not enough Gold" (currency names the money that was short; "" says
// "money"). Reasons without a text of their own are split into words
// ("CreditLimit" → "credit limit").
func ReasonText(r events.Reason, currency string) string {
	if r == events.ReasonInsufficientFunds {
		if currency == "" {
			currency = "money"
		}
		return "not enough " + currency
	}
	if s, ok := reasonTexts[r]; ok {
		return s
	}
	var b strings.Builder
	for i, c := range r.String() {
		if unicode.IsUpper(c) {
			if i > 0 {
				b.WriteByte(' ')
			}
			c = unicode.ToLower(c)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ReasonText is [ReasonText] with the currency of listing (0: none).
func (m *Model) ReasonText(r events.Reason, listing components.ID) string {
	cur := ""
	if l, ok := m.listing(listing); ok {
		cur, _ = m.currency(l.Currency)
	}
	return ReasonText(r, cur)
}
