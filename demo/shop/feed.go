package shop

import (
	"fmt"

	"github.com/tickecon/tickecon/components"

	"github.com/tickecon/tickecon/events"
)

// FeedSize is the number of feed lines kept.
const FeedSize = 256

// FeedKind classifies a feed line (and the status line), so the UI can
// colour it.
type FeedKind uint8

// Feed line kinds.
const (
	FeedOther FeedKind = iota
	FeedPurchase
	FeedRejection
	FeedMint
	FeedBurn
)

// FeedLine is one event of the live feed, rendered with entity names.
type FeedLine struct {
	Tick   uint64
	Kind   FeedKind
	Player bool // the event concerns the player
	Text   string
}

// feed is a ring buffer of the latest lines.
type feed struct {
	lines []FeedLine
	next  int
	n     int
}

func (f *feed) push(l FeedLine) {
	f.lines[f.next] = l
	f.next = (f.next + 1) % len(f.lines)
	f.n = min(f.n+1, len(f.lines))
}

// Feed returns up to n of the latest feed lines, oldest first.
func (m *Model) Feed(n int) []FeedLine {
	f := &m.feed
	n = min(n, f.n)
	out := make([]FeedLine, 0, n)
	for i := n; i > 0; i-- {
		out = append(out, f.lines[(f.next-i+len(f.lines))%len(f.lines)])
	}
	return out
}

func feedKind(k events.Kind) (FeedKind, bool) {
	switch k {
	case events.PurchaseCompleted:
		return FeedPurchase, true
	case events.PurchaseRejected, events.CommandRejected:
		return FeedRejection, true
	case events.Minted, events.ItemsGranted:
		return FeedMint, true
	case events.Burned, events.ItemsBurned:
		return FeedBurn, true
	case events.EntityClosed:
		return FeedOther, true
	}
	return FeedOther, false
}

func (m *Model) describePurchase(v events.PurchaseCompletedEvent) string {
	name, dec := m.currency(v.Currency)
	shop := ""
	if l, ok := m.listing(v.Listing); ok {
		shop = " at " + m.Name(l.Shop)
	}
	return fmt.Sprintf("%d× %s%s for %s %s", v.Qty, m.Name(v.Item), shop, FormatAmount(v.Total, dec), name)
}

// describe renders an event with entity names for the feed, reading it
// through its kind's typed view, and says whom it concerns.
func (m *Model) describe(ev events.Event) (string, components.ID) {
	if v, ok := ev.AsPurchaseCompleted(); ok {
		return m.Name(v.Buyer) + " bought " + m.describePurchase(v), v.Buyer
	}
	if v, ok := ev.AsPurchaseRejected(); ok {
		return fmt.Sprintf("%s: %d× %s rejected, %s", m.Name(v.Buyer), v.Qty, m.listingItemName(v.Listing),
			m.ReasonText(v.Reason, v.Listing)), v.Buyer
	}
	if v, ok := ev.AsCommandRejected(); ok {
		return fmt.Sprintf("%s on %s rejected, %s", v.Command, m.Name(v.Target), m.ReasonText(v.Reason, 0)), v.Target
	}
	if v, ok := ev.AsMinted(); ok {
		return m.describeMoney("minted", v.Holder, v.Currency, v.Amount), v.Holder
	}
	if v, ok := ev.AsBurned(); ok {
		return m.describeMoney("burned", v.Holder, v.Currency, v.Amount), v.Holder
	}
	if v, ok := ev.AsItemsGranted(); ok {
		if m.isListing(v.Holder) {
			return fmt.Sprintf("restocked %d× %s", v.Qty, m.Name(v.Item)), v.Holder
		}
		return fmt.Sprintf("granted %d× %s to %s", v.Qty, m.Name(v.Item), m.Name(v.Holder)), v.Holder
	}
	if v, ok := ev.AsItemsBurned(); ok {
		return fmt.Sprintf("%s used %d× %s", m.Name(v.Holder), v.Qty, m.Name(v.Item)), v.Holder
	}
	if v, ok := ev.AsEntityClosed(); ok {
		return fmt.Sprintf("%s closed", m.Name(v.Entity)), v.Entity
	}
	return ev.String(), 0
}

func (m *Model) describeMoney(verb string, holder, currency components.ID, amount int64) string {
	name, dec := m.currency(currency)
	return fmt.Sprintf("%s %s %s for %s", verb, FormatAmount(amount, dec), name, m.Name(holder))
}
