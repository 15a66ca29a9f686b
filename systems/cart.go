package systems

import (
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// maxCartLines bounds a cart, so hostile commands cannot grow one forever.
const maxCartLines = 64

// registerCarts adds the CartOpened and CartLineAdded commands.
func registerCarts(w *ecs.World, m *CommerceMaps) {
	w.HandleCommand(events.CartOpened, cmd{creates: true, check: objectAlive,
		apply: func(w *ecs.World, c *events.Event) {
			e := w.SpawnAs(c.Subject, m.Cart.ID())
			m.Cart.Get(e).Owner = c.Object
			w.Emit(*c)
		}})
	w.HandleCommand(events.CartLineAdded, cmd{
		check: func(w *ecs.World, c *events.Event) events.Reason {
			e, ok := alive(w, c.Subject)
			if !ok || !m.Cart.Has(e) {
				return events.ReasonUnknownEntity
			}
			cart := m.Cart.Get(e)
			if cart.Receipt != 0 {
				return events.ReasonCartCheckedOut
			}
			if c.Qty <= 0 || len(cart.Lines) >= maxCartLines {
				return events.ReasonBadCommand
			}
			if le, ok := alive(w, c.Object); !ok || !w.Maps.Listing.Has(le) {
				return events.ReasonUnknownEntity
			}
			return events.ReasonNone
		},
		apply: func(w *ecs.World, c *events.Event) {
			e, _ := w.Lookup(c.Subject)
			cart := m.Cart.Get(e)
			cart.Lines = append(cart.Lines, components.CartLine{Listing: c.Object, Qty: c.Qty})
			w.Emit(*c)
		}})
}

// cartLines resolves a cart checkout's lines into p: UnknownCart (no live
// cart; none exist in a plain Install world), NotYours, CartCheckedOut
// (once only), CartEmpty.
func (s *PurchaseSystem) cartLines(w *ecs.World, it components.PurchaseIntent, p *Plan) events.Reason {
	ce, st := w.Lookup(it.Cart)
	if st != ecs.Alive || s.m == nil || !s.m.Cart.Has(ce) {
		return events.ReasonUnknownCart
	}
	p.Cart = s.m.Cart.Get(ce)
	switch {
	case p.Cart.Owner != it.Buyer:
		return events.ReasonNotYours
	case p.Cart.Receipt != 0:
		return events.ReasonCartCheckedOut
	case len(p.Cart.Lines) == 0:
		return events.ReasonCartEmpty
	}
	for _, l := range p.Cart.Lines {
		p.Lines = append(p.Lines, Line{Listing: l.Listing, Qty: l.Qty})
	}
	return events.ReasonNone
}

// checkOut closes a bought cart for further lines and checkouts by
// recording its receipt, and announces it.
func (s *PurchaseSystem) checkOut(w *ecs.World, it components.PurchaseIntent, receipt components.ID) {
	ce, _ := w.Lookup(it.Cart)
	s.m.Cart.Get(ce).Receipt = receipt
	w.Emit(events.CartCheckedOutEvent{Cart: it.Cart, Buyer: it.Buyer, Receipt: receipt, Request: it.RequestID}.Event())
}
