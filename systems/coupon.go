package systems

import (
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// registerCoupons adds the CouponIssued command.
func registerCoupons(w *ecs.World, m *CommerceMaps) {
	w.HandleCommand(events.CouponIssued, cmd{creates: true, check: m.checkIssueCoupon, apply: m.issueCoupon})
}

func (m *CommerceMaps) checkIssueCoupon(w *ecs.World, c *events.Event) events.Reason {
	if c.Amount <= 0 {
		return events.ReasonBadCommand
	}
	if c.Ref != 0 { // the holder; 0 is the bearer
		if _, ok := alive(w, c.Ref); !ok {
			return events.ReasonUnknownEntity
		}
	}
	if e, ok := alive(w, c.Currency); !ok || !w.Maps.Currency.Has(e) {
		return events.ReasonUnknownEntity
	}
	wal := TillWallet(w, c.Object)
	if wal == nil {
		return events.ReasonUnknownEntity
	}
	if wal.Balance(c.Currency) < c.Amount {
		return events.ReasonInsufficientHoldings
	}
	return events.ReasonNone
}

// issueCoupon moves the coupon's value from the issuer's wallet into the
// coupon: a coupon is money held for its holder, not money created.
func (m *CommerceMaps) issueCoupon(w *ecs.World, c *events.Event) {
	TillWallet(w, c.Object).Debit(c.Currency, c.Amount)
	e := w.SpawnAs(c.Subject, m.Coupon.ID())
	*m.Coupon.Get(e) = components.Coupon{Holder: c.Ref, Issuer: c.Object, Currency: c.Currency, Value: c.Amount}
	w.Emit(*c)
}

// validateCoupon checks an intent's coupon (UnknownCoupon in a plain
// Install world: no coupons exist there).
func (s *PurchaseSystem) validateCoupon(w *ecs.World, it components.PurchaseIntent, p *Plan) events.Reason {
	if s.m == nil {
		return events.ReasonUnknownCoupon
	}
	return checkCoupon(w, s.m, it, p)
}

// checkCoupon validates an intent's coupon: UnknownCoupon (not a live
// coupon, or one in a currency none of the lines is priced in), NotYours,
// CouponUsed. The credits it causes are checked by checkCouponCredits,
// after the payment source. Two intents naming one coupon in a tick: the first in processing
// order — ascending (Buyer, RequestID, …) — redeems it, the second is
// rejected with CouponUsed.
func checkCoupon(w *ecs.World, m *CommerceMaps, it components.PurchaseIntent, p *Plan) events.Reason {
	e, ok := alive(w, it.Coupon)
	if !ok || !m.Coupon.Has(e) {
		return events.ReasonUnknownCoupon
	}
	c := m.Coupon.Get(e)
	if c.Holder != 0 && c.Holder != it.Buyer {
		return events.ReasonNotYours
	}
	if c.Used {
		return events.ReasonCouponUsed
	}
	var due int64
	for _, ln := range p.Lines {
		if ln.L.Currency == c.Currency {
			due = components.SatAdd(due, ln.Total)
		}
	}
	if due == 0 {
		return events.ReasonUnknownCoupon
	}
	p.Coupon, p.couponID = c, it.Coupon
	return events.ReasonNone
}

// checkCouponCredits checks what a coupon purchase credits, summed per
// wallet: each till of the coupon's currency may receive the coupon's part
// and what the payment source pays it (conservatively, for any source: an
// account pays later), and the issuer the unused rest — the issuer may be
// one of those tills (TillOverflow), so credits are never checked alone.
func (s *PurchaseSystem) checkCouponCredits(w *ecs.World, p *Plan) events.Reason {
	c, cr := p.Coupon, &s.credits
	cr.reset()
	var used int64
	for _, d := range p.Pay.Dues {
		if d.Currency != c.Currency {
			continue
		}
		if TillWallet(w, d.Till) == nil { // a third-party source may not need the till itself
			return events.ReasonTillGone
		}
		cr.add(d.Till, d.Currency, d.Amount)
		cr.add(d.Till, d.Currency, d.Coupon)
		used += d.Coupon // ≤ c.Value
	}
	if rest := c.Value - used; rest > 0 {
		cr.add(c.Issuer, c.Currency, rest) // a gone issuer's rest is burned instead
	}
	if cr.overflows(w) != 0 {
		return events.ReasonTillOverflow
	}
	return events.ReasonNone
}

// redeemCoupon pays the coupon's parts of the dues to the tills, returns
// the unused rest to the issuer (burned, with an event, if the issuer is
// gone) and marks the coupon used.
func redeemCoupon(w *ecs.World, p *Plan) {
	c := p.Coupon
	var used int64
	for _, d := range p.Pay.Dues {
		if d.Coupon > 0 {
			TillWallet(w, d.Till).Credit(d.Currency, d.Coupon)
			used += d.Coupon
		}
	}
	rest := c.Value - used
	if rest > 0 {
		if iss := TillWallet(w, c.Issuer); iss != nil {
			iss.Credit(c.Currency, rest)
		} else {
			w.Emit(events.Burn(p.couponID, c.Currency, rest))
		}
	}
	c.Value, c.Used = 0, true
	w.Emit(events.CouponRedeemedEvent{Coupon: p.couponID, Buyer: p.Intent.Buyer, Issuer: c.Issuer,
		Currency: c.Currency, Used: used, Returned: rest, Request: p.Intent.RequestID}.Event())
}
