package shop

import (
	"fmt"

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

func (m *Model) describePurchase(ev events.Event) string {
	name, dec := m.currency(ev.Currency)
	shop := ""
	if l, ok := m.listing(ev.Object); ok {
		shop = " at " + m.Name(l.Shop)
	}
	return fmt.Sprintf("%d× %s%s for %s %s", ev.Qty, m.Name(ev.Item), shop, FormatAmount(ev.Amount, dec), name)
}

// describe renders an event with entity names for the feed.
func (m *Model) describe(ev events.Event) string {
	switch ev.Kind {
	case events.PurchaseCompleted:
		return m.Name(ev.Subject) + " bought " + m.describePurchase(ev)
	case events.PurchaseRejected:
		return fmt.Sprintf("%s: %d× %s rejected, %s", m.Name(ev.Subject), ev.Qty, m.listingItemName(ev.Object), m.ReasonText(ev.Reason, ev.Object))
	case events.CommandRejected:
		return fmt.Sprintf("%s on %s rejected, %s", ev.Of, m.Name(ev.Subject), m.ReasonText(ev.Reason, 0))
	case events.Minted, events.Burned:
		name, dec := m.currency(ev.Currency)
		verb := "minted"
		if ev.Kind == events.Burned {
			verb = "burned"
		}
		return fmt.Sprintf("%s %s %s for %s", verb, FormatAmount(ev.Amount, dec), name, m.Name(ev.Subject))
	case events.ItemsGranted:
		if m.isListing(ev.Subject) {
			return fmt.Sprintf("restocked %d× %s", ev.Qty, m.Name(ev.Item))
		}
		return fmt.Sprintf("granted %d× %s to %s", ev.Qty, m.Name(ev.Item), m.Name(ev.Subject))
	case events.ItemsBurned:
		return fmt.Sprintf("%s used %d× %s", m.Name(ev.Subject), ev.Qty, m.Name(ev.Item))
	}
	return ev.String()
}
