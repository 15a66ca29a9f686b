// Package systems holds the tick systems of tickecon. The PurchaseSystem
// turns PurchaseIntent components into whole purchases or typed rejections.
package systems

import (
	"cmp"
	"slices"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// Install adds the default systems to w in their fixed order and returns
// the PurchaseSystem.
func Install(w *ecs.World) *PurchaseSystem {
	p := NewPurchaseSystem()
	w.AddSystem(p)
	return p
}

// PurchaseSystem consumes every PurchaseIntent each tick.
//
// Order: intents are processed in ascending (Buyer, RequestID, Listing,
// Quantity), whatever order they were submitted in, so peers that receive
// the same inputs in a different order still agree. Each intent is
// validated against the state left by the intents before it, so when two
// buyers want the last unit the lower buyer id wins, and a wallet spending
// twice in one tick pays for its lower request id first.
//
// Validation runs to completion before anything is written; the first
// failing check (in the order of the events.Reason constants) names the
// rejection, and a rejected intent changes nothing. A valid intent is
// applied whole in the same frame: debit, credit to the till, stock
// decrement, inventory credit, one PurchaseCompleted event.
type PurchaseSystem struct {
	buf []components.PurchaseIntent // reused every tick: no steady-state allocation
}

// NewPurchaseSystem returns a PurchaseSystem with no pending work.
func NewPurchaseSystem() *PurchaseSystem { return &PurchaseSystem{} }

// Name implements ecs.System.
func (s *PurchaseSystem) Name() string { return "purchase" }

// Plan is a validated purchase: everything Apply needs, resolved. It is
// only valid until the next structural change of the world.
type Plan struct {
	Intent   components.PurchaseIntent
	Buyer    *components.Wallet
	Bag      *components.Inventory
	Listing  *components.ShopListing
	Till     *components.Wallet
	MaxStack int64
	Total    int64
}

func compareIntents(a, b components.PurchaseIntent) int {
	if c := cmp.Compare(a.Buyer, b.Buyer); c != 0 {
		return c
	}
	if c := cmp.Compare(a.RequestID, b.RequestID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Listing, b.Listing); c != 0 {
		return c
	}
	return cmp.Compare(a.Quantity, b.Quantity)
}

// Update implements ecs.System.
func (s *PurchaseSystem) Update(w *ecs.World) {
	s.buf = s.buf[:0]
	world := w.ECS()
	in := w.Maps.Intent.ID()
	q := world.Query(w.IntentFilter())
	for q.Next() {
		s.buf = append(s.buf, *(*components.PurchaseIntent)(q.Get(in)))
	}
	if len(s.buf) == 0 {
		return
	}
	world.Batch().RemoveEntities(w.IntentFilter())
	if !slices.IsSortedFunc(s.buf, compareIntents) {
		slices.SortFunc(s.buf, compareIntents)
	}
	w.RecordIntents(s.buf)
	for i := range s.buf {
		it := s.buf[i]
		dup := i > 0 && s.buf[i-1].Buyer == it.Buyer && s.buf[i-1].RequestID == it.RequestID
		var p Plan
		why := events.ReasonDuplicateRequest
		if !dup {
			why = Validate(w, it, &p)
		}
		if why != events.ReasonNone {
			w.Emit(events.Event{Kind: events.PurchaseRejected, Reason: why, Subject: it.Buyer,
				Object: it.Listing, Qty: it.Quantity, Request: it.RequestID})
			continue
		}
		Apply(w, &p)
	}
}

// Validate checks one intent against the current state and fills p. It
// writes nothing to the world. It returns events.ReasonNone when the
// purchase can be applied whole.
func Validate(w *ecs.World, it components.PurchaseIntent, p *Plan) events.Reason {
	m := &w.Maps
	if it.Quantity <= 0 {
		return events.ReasonBadQuantity
	}
	be, st := w.Lookup(it.Buyer)
	switch st {
	case ecs.Unknown:
		return events.ReasonUnknownBuyer
	case ecs.Gone:
		return events.ReasonBuyerGone
	}
	p.Buyer, p.Bag = m.Wallet.Get(be), m.Inventory.Get(be)
	if p.Buyer == nil || p.Bag == nil {
		return events.ReasonNotACustomer
	}
	le, st := w.Lookup(it.Listing)
	switch st {
	case ecs.Unknown:
		return events.ReasonUnknownListing
	case ecs.Gone:
		return events.ReasonListingGone
	}
	p.Listing = m.Listing.Get(le)
	if p.Listing == nil {
		return events.ReasonUnknownListing
	}
	l := p.Listing
	if l.Stock < it.Quantity {
		return events.ReasonOutOfStock
	}
	total, ok := components.MulInt64(l.Price, it.Quantity)
	if !ok {
		return events.ReasonPriceOverflow
	}
	if p.Buyer.Balance(l.Currency) < total {
		return events.ReasonInsufficientFunds
	}
	te, st := w.Lookup(l.Till)
	if st != ecs.Alive {
		return events.ReasonTillGone
	}
	p.Till = m.Wallet.Get(te)
	if p.Till == nil {
		return events.ReasonTillGone
	}
	// Buying from one's own till moves nothing net; only a real credit can overflow.
	if p.Till != p.Buyer && !p.Till.CanCredit(l.Currency, total) {
		return events.ReasonTillOverflow
	}
	ie, st := w.Lookup(l.Item)
	if st != ecs.Alive {
		return events.ReasonUnknownListing
	}
	p.MaxStack = m.Item.Get(ie).MaxStack
	if p.Bag.Room(l.Item, p.MaxStack) < it.Quantity {
		return events.ReasonInventoryFull
	}
	p.Intent, p.Total = it, total
	return events.ReasonNone
}

// Apply writes a validated plan: every part in the same frame, then one
// PurchaseCompleted event. It cannot fail half-way: Validate checked every
// bound it relies on.
func Apply(w *ecs.World, p *Plan) {
	l := p.Listing
	p.Buyer.Debit(l.Currency, p.Total)
	p.Till.Credit(l.Currency, p.Total)
	l.Stock -= p.Intent.Quantity
	p.Bag.Add(l.Item, p.Intent.Quantity, p.MaxStack)
	w.Emit(events.Event{Kind: events.PurchaseCompleted, Subject: p.Intent.Buyer,
		Object: p.Intent.Listing, Item: l.Item, Currency: l.Currency, Till: l.Till,
		Qty: p.Intent.Quantity, Amount: p.Total, Request: p.Intent.RequestID})
}
