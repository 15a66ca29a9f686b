package systems

import (
	"cmp"
	"slices"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// Line is one resolved purchase line. Pointers are only valid until the
// next structural change of the world.
type Line struct {
	Listing  components.ID
	L        *components.ShopListing
	Qty      int64
	Total    int64
	MaxStack int64
}

// Plan is a validated purchase: everything apply needs, resolved. It is
// only valid until the next structural change of the world.
type Plan struct {
	Intent   components.PurchaseIntent
	Lines    []Line
	Pay      Payment
	Source   PaymentSource
	Ship     Delivery
	Target   DeliveryTarget
	Coupon   *components.Coupon
	Cart     *components.Cart
	Total    int64 // sum of line totals
	couponID components.ID
}

// Validate checks one intent against the current state and fills p. It
// writes nothing to the world. It returns events.ReasonNone when the
// purchase can be applied whole. Checks, in order (the first failure names
// the reason): quantity; buyer; payer and delivery target resolved through
// the ports; the cart; per line listing, stock, units of one item over the
// lines (Overflow), price; the coupon; the payment source's checks (funds,
// tills); the coupon's credits, summed per wallet; the delivery target's
// (room). A duplicate (buyer, request id) is caught before Validate, in
// Update: the key is checked before the fields it keys.
func (s *PurchaseSystem) Validate(w *ecs.World, it components.PurchaseIntent, p *Plan) events.Reason {
	m := &w.Maps
	if it.Cart == 0 && it.Quantity <= 0 || it.Cart != 0 && (it.Quantity != 0 || it.Listing != 0 || it.ListingVersion != 0) || it.MaxTotal < 0 {
		return events.ReasonBadQuantity
	}
	be, st := w.Lookup(it.Buyer)
	switch st {
	case ecs.Unknown:
		return events.ReasonUnknownBuyer
	case ecs.Gone:
		return events.ReasonBuyerGone
	}
	p.Intent, p.Lines, p.Coupon, p.Cart, p.couponID, p.Total = it, p.Lines[:0], nil, nil, 0, 0
	if why := s.resolvePorts(w, it, be, p); why != events.ReasonNone {
		return why
	}
	if it.Cart != 0 {
		if why := s.cartLines(w, it, p); why != events.ReasonNone {
			return why
		}
	} else {
		p.Lines = append(p.Lines, Line{Listing: it.Listing, Qty: it.Quantity})
	}
	for i := range p.Lines {
		ln := &p.Lines[i]
		le, st := w.Lookup(ln.Listing)
		switch st {
		case ecs.Unknown:
			return events.ReasonUnknownListing
		case ecs.Gone:
			return events.ReasonListingGone
		}
		if ln.L = m.Listing.Get(le); ln.L == nil {
			return events.ReasonUnknownListing
		}
		// One currency a purchase: its total, MaxTotal and receipt are
		// amounts of it (commerce version 3; earlier logs replay as
		// recorded, summing across currencies).
		if i > 0 && ln.L.Currency != p.Lines[0].L.Currency && s.m != nil && s.m.version >= 3 {
			return events.ReasonMixedCurrencies
		}
		want, units, fits := ln.Qty, ln.Qty, true
		for _, o := range p.Lines[:i] { // a cart may name a listing, or an item, twice
			if o.Listing == ln.Listing {
				want = components.SatAdd(want, o.Qty)
			}
			if o.L.Item == ln.L.Item && fits {
				units, fits = components.AddInt64(units, o.Qty)
			}
		}
		if ln.L.Stock < want {
			return events.ReasonOutOfStock
		}
		if !fits { // units of one item from several listings: each in stock, too many together
			return events.ReasonOverflow
		}
		var ok bool
		if ln.Total, ok = components.MulInt64(ln.L.Price, ln.Qty); !ok {
			return events.ReasonPriceOverflow
		}
		if p.Total, ok = components.AddInt64(p.Total, ln.Total); !ok {
			return events.ReasonPriceOverflow
		}
		ie, st := w.Lookup(ln.L.Item)
		if st != ecs.Alive {
			return events.ReasonUnknownListing
		}
		ln.MaxStack = m.Item.Get(ie).MaxStack
	}
	// The buyer's expectations, once the terms are known to be sound: a
	// version that moved on, or a total above what the buyer agreed to,
	// is refused rather than charged.
	if it.ListingVersion != 0 && p.Lines[0].L.Revision+1 != it.ListingVersion ||
		it.MaxTotal != 0 && p.Total > it.MaxTotal {
		return events.ReasonPriceChanged
	}
	if it.Coupon != 0 {
		if why := s.validateCoupon(w, it, p); why != events.ReasonNone {
			return why
		}
	}
	if it.Saga { // paid later by the provider: only the delivery is checked now
		s.fillGoods(p)
		return p.Target.Check(w, &p.Ship)
	}
	s.fillDues(p)
	if why := p.Source.Check(w, &p.Pay); why != events.ReasonNone {
		return why
	}
	if p.Coupon != nil {
		if why := s.checkCouponCredits(w, p); why != events.ReasonNone {
			return why
		}
	}
	s.fillGoods(p)
	return p.Target.Check(w, &p.Ship)
}

// resolvePorts picks the payment source and delivery target of an intent.
func (s *PurchaseSystem) resolvePorts(w *ecs.World, it components.PurchaseIntent, be arche.Entity, p *Plan) events.Reason {
	payer, pe := it.Buyer, be
	if it.PayVia != 0 && it.PayVia != it.Buyer {
		var st ecs.Status
		if pe, st = w.Lookup(it.PayVia); st != ecs.Alive {
			return events.ReasonNotACustomer
		}
		payer = it.PayVia
	}
	dest, de := it.Buyer, be
	if it.ShipTo != 0 && it.ShipTo != it.Buyer {
		var st ecs.Status
		if de, st = w.Lookup(it.ShipTo); st != ecs.Alive {
			return events.ReasonNoDelivery
		}
		dest = it.ShipTo
	}
	if it.Saga {
		if why := s.sagaIntent(it); why != events.ReasonNone {
			return why
		}
	} else if p.Source = s.source(w, pe); p.Source == nil {
		return events.ReasonNotACustomer
	}
	if p.Target = s.target(w, de); p.Target == nil {
		if dest != it.Buyer {
			return events.ReasonNoDelivery
		}
		return events.ReasonNotACustomer
	}
	// Field by field, not p.Pay = Payment{…}: a composite literal with a
	// slice is zeroed and copied through a temporary, 8% of a purchase.
	// Every field is set (TestPlanResetSetsEveryField keeps it so).
	pay, ship := &p.Pay, &p.Ship
	pay.Buyer, pay.Payer, pay.Entity, pay.Request, pay.Dues = it.Buyer, payer, pe, it.RequestID, pay.Dues[:0]
	ship.Buyer, ship.Target, ship.Entity, ship.Goods = it.Buyer, dest, de, ship.Goods[:0]
	return events.ReasonNone
}

// fillDues aggregates the line totals per (till, currency), sorted, and
// splits off what the coupon covers (first dues first).
func (s *PurchaseSystem) fillDues(p *Plan) {
	dues := p.Pay.Dues[:0]
	for _, ln := range p.Lines {
		if len(dues) == 0 { // the common single-line case needs no search
			dues = append(dues, Due{Till: ln.L.Till, Currency: ln.L.Currency, Amount: ln.Total})
			continue
		}
		i, found := slices.BinarySearchFunc(dues, ln.L, func(d Due, l *components.ShopListing) int {
			if c := cmp.Compare(d.Till, l.Till); c != 0 {
				return c
			}
			return cmp.Compare(d.Currency, l.Currency)
		})
		if found {
			dues[i].Amount += ln.Total // cannot overflow: the sum of all totals did not
			continue
		}
		dues = slices.Insert(dues, i, Due{Till: ln.L.Till, Currency: ln.L.Currency, Amount: ln.Total})
	}
	if c := p.Coupon; c != nil {
		left := c.Value
		for i := range dues {
			if dues[i].Currency == c.Currency && left > 0 {
				dues[i].Coupon = min(left, dues[i].Amount)
				dues[i].Amount -= dues[i].Coupon
				left -= dues[i].Coupon
			}
		}
	}
	p.Pay.Dues = dues
}

// fillGoods aggregates the lines per item, sorted by item id.
func (s *PurchaseSystem) fillGoods(p *Plan) {
	goods := p.Ship.Goods[:0]
	for _, ln := range p.Lines {
		if len(goods) == 0 { // the common single-line case needs no search
			goods = append(goods, Goods{Item: ln.L.Item, Qty: ln.Qty, MaxStack: ln.MaxStack})
			continue
		}
		i, found := slices.BinarySearchFunc(goods, ln.L.Item, func(g Goods, item components.ID) int {
			return cmp.Compare(g.Item, item)
		})
		if found {
			goods[i].Qty += ln.Qty // Validate checked that the sum fits
			continue
		}
		goods = slices.Insert(goods, i, Goods{Item: ln.L.Item, Qty: ln.Qty, MaxStack: ln.MaxStack})
	}
	p.Ship.Goods = goods
}

// Apply writes a validated plan: every part in the same frame, then one
// PurchaseCompleted event per line, then the receipt. It cannot fail
// half-way: Validate checked every bound it relies on. It returns the
// receipt id (0 when receipts are off and this is no cart).
func (s *PurchaseSystem) Apply(w *ecs.World, p *Plan) components.ID {
	it := p.Intent
	p.Source.Commit(w, &p.Pay)
	if p.Coupon != nil {
		redeemCoupon(w, p)
	}
	for _, ln := range p.Lines {
		ln.L.Stock -= ln.Qty
	}
	p.Target.Commit(w, &p.Ship)
	for _, ln := range p.Lines {
		l := ln.L
		w.Emit(events.PurchaseCompletedEvent{Buyer: it.Buyer, Listing: ln.Listing, Till: l.Till,
			Item: l.Item, Currency: l.Currency, Qty: ln.Qty, Total: ln.Total, Request: it.RequestID}.Event())
	}
	if !s.Receipts && it.Cart == 0 {
		return 0
	}
	what := it.Listing
	if it.Cart != 0 {
		what = it.Cart
	}
	// Spawning is a structural change: p's pointers are invalid after it.
	id := s.spawnReceipt(w, components.Receipt{Buyer: it.Buyer, Request: it.RequestID, Tick: w.NextTick(),
		What: what, Lines: int64(len(p.Lines)), Amount: p.Total})
	if it.Cart != 0 {
		s.checkOut(w, it, id)
	}
	return id
}
