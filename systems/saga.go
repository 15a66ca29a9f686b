package systems

import (
	"cmp"
	"slices"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// SagaSystem advances purchase records: purchases whose payment (an
// external provider) and delivery (a carrier that may be refused) cannot
// complete in one frame.
//
// A PurchaseIntent with Saga set is validated like any purchase (except
// that no payment source is asked) and then starts a saga in the same
// frame: the goods leave the listing's stock into a new PurchaseRecord
// entity (SagaStarted), with two empty slots — payment and delivery — and
// a deadline SagaTimeout ticks later. External outcomes arrive as commands
// (so they are recorded and replayed with their tick):
//
//	events.ConfirmPayment(record, providerRef ≠ 0, price)  PaymentConfirmed
//	events.DeclinePayment(record, providerRef)             PaymentDeclined
//	events.AcceptDelivery(record, carrierRef ≠ 0)          DeliveryAccepted
//	events.RefuseDelivery(record, carrierRef)              DeliveryRefused
//
// A confirmation fills its slot once (a second one is rejected with
// DuplicateRequest) and the confirmed money enters the record (a Minted
// event with the record as Subject: real money from outside). Each tick,
// after the commands, every pending record (in ascending id) either
// completes — both slots filled: goods to the delivery target, money to
// the till, a receipt, SagaCompleted — or is compensated — declined,
// refused, timed out (tick > deadline), or the goods or money can no
// longer be delivered: goods back to stock (burned with an event if the
// listing is gone), money refunded to the provider (Burned), and
// SagaCompensated with the reason. A finished record stays (outcomes for
// it are rejected with SagaClosed) until it is closed.
type SagaSystem struct {
	m       *CommerceMaps
	p       *PurchaseSystem
	timeout uint64
	filter  arche.CachedFilter
	bound   bool
	todo    []acct // reused: pending records this tick, by stable id
}

// Name implements ecs.System.
func (s *SagaSystem) Name() string { return "saga" }

func (s *SagaSystem) register(w *ecs.World) {
	s.filter = w.ECS().Cache().Register(arche.All(s.m.Record.ID(), w.Maps.Stable.ID()))
	h := cmd{check: s.checkOutcome, apply: s.applyOutcome}
	for _, k := range []events.Kind{events.PaymentConfirmed, events.PaymentDeclined,
		events.DeliveryAccepted, events.DeliveryRefused} {
		w.HandleCommand(k, h)
	}
}

func (s *SagaSystem) record(w *ecs.World, id components.ID) *components.PurchaseRecord {
	e, ok := alive(w, id)
	if !ok {
		return nil
	}
	return s.m.Record.Get(e)
}

func (s *SagaSystem) checkOutcome(w *ecs.World, c *events.Event) events.Reason {
	r := s.record(w, c.Subject)
	switch {
	case r == nil:
		return events.ReasonUnknownEntity
	case r.State != components.SagaPending:
		return events.ReasonSagaClosed
	case c.Request == 0:
		return events.ReasonBadCommand
	}
	switch c.Kind {
	case events.PaymentConfirmed:
		if r.Payment != 0 {
			return events.ReasonDuplicateRequest
		}
		if c.Amount != r.Price {
			return events.ReasonBadCommand
		}
	case events.DeliveryAccepted:
		if r.Delivery != 0 {
			return events.ReasonDuplicateRequest
		}
	}
	return events.ReasonNone
}

// applyOutcome fills a slot, or marks the refusal for this tick's Update.
func (s *SagaSystem) applyOutcome(w *ecs.World, c *events.Event) {
	r := s.record(w, c.Subject)
	w.Emit(*c)
	switch c.Kind {
	case events.PaymentConfirmed:
		r.Payment, r.Paid = c.Request, c.Amount
		if c.Amount > 0 {
			w.Emit(events.Mint(c.Subject, r.Currency, c.Amount))
		}
	case events.DeliveryAccepted:
		r.Delivery = c.Request
	case events.PaymentDeclined:
		s.compensate(w, c.Subject, r, events.ReasonDeclined)
	case events.DeliveryRefused:
		s.compensate(w, c.Subject, r, events.ReasonRefused)
	}
}

// sagaIntent checks what a saga intent may name: the saga system must be
// installed (NotACustomer), and a saga is one listing paid by the provider
// — no cart, coupon or payer (BadCommand).
func (s *PurchaseSystem) sagaIntent(it components.PurchaseIntent) events.Reason {
	if s.sagas == nil {
		return events.ReasonNotACustomer
	}
	if it.Cart != 0 || it.Coupon != 0 || it.PayVia != 0 {
		return events.ReasonBadCommand
	}
	return events.ReasonNone
}

// start opens a saga for a validated single-listing plan: the goods leave
// stock into a new record. It returns the record id.
func (s *SagaSystem) start(w *ecs.World, p *Plan) components.ID {
	it, ln := p.Intent, p.Lines[0]
	l := ln.L
	l.Stock -= ln.Qty
	rec := components.PurchaseRecord{Buyer: it.Buyer, Listing: ln.Listing, Till: l.Till, Item: l.Item,
		Currency: l.Currency, Qty: ln.Qty, Price: ln.Total, Request: it.RequestID,
		Deadline: w.NextTick() + s.timeout, Target: p.Ship.Target}
	// Spawning is a structural change: p's pointers are invalid after it.
	id, e := w.Spawn(s.m.Record.ID())
	*s.m.Record.Get(e) = rec
	w.Emit(events.SagaStartedEvent{Record: id, Listing: rec.Listing, Till: rec.Till, Buyer: rec.Buyer,
		Item: rec.Item, Qty: rec.Qty, Currency: rec.Currency, Price: rec.Price, Request: rec.Request,
		Deadline: rec.Deadline}.Event())
	return id
}

// Update implements ecs.System: complete or time out pending records.
func (s *SagaSystem) Update(w *ecs.World) {
	s.todo = s.todo[:0]
	st := w.Maps.Stable.ID()
	q := w.ECS().Query(&s.filter)
	for q.Next() {
		if (*components.PurchaseRecord)(q.Get(s.m.Record.ID())).State == components.SagaPending {
			s.todo = append(s.todo, acct{id: (*components.Stable)(q.Get(st)).ID, e: q.Entity()})
		}
	}
	slices.SortFunc(s.todo, func(a, b acct) int { return cmp.Compare(a.id, b.id) })
	for _, a := range s.todo {
		r := s.record(w, a.id) // re-resolved: a completion may have spawned a receipt
		switch {
		case r.Payment != 0 && r.Delivery != 0:
			s.complete(w, a.id, r)
		case w.NextTick() > r.Deadline:
			s.compensate(w, a.id, r, events.ReasonTimeout)
		}
	}
}

// complete delivers the goods and pays the till, or compensates if either
// can no longer be done (target gone or full, till gone or full).
func (s *SagaSystem) complete(w *ecs.World, id components.ID, r *components.PurchaseRecord) {
	te, ok := alive(w, r.Target)
	var target DeliveryTarget
	if ok { // a closed target has no entity to ask the ports about
		target = s.p.target(w, te)
	}
	if target == nil {
		s.compensate(w, id, r, events.ReasonNoDelivery)
		return
	}
	ie, _ := w.Lookup(r.Item)
	s.p.plan.Ship = Delivery{Buyer: r.Buyer, Target: r.Target, Entity: te,
		Goods: append(s.p.plan.Ship.Goods[:0], Goods{Item: r.Item, Qty: r.Qty, MaxStack: w.Maps.Item.Get(ie).MaxStack})}
	d := &s.p.plan.Ship
	if why := target.Check(w, d); why != events.ReasonNone {
		s.compensate(w, id, r, why)
		return
	}
	till := TillWallet(w, r.Till)
	if till == nil {
		s.compensate(w, id, r, events.ReasonTillGone)
		return
	}
	if !till.CanCredit(r.Currency, r.Paid) {
		s.compensate(w, id, r, events.ReasonTillOverflow)
		return
	}
	target.Commit(w, d)
	till.Credit(r.Currency, r.Paid)
	ev := events.SagaCompletedEvent{Record: id, Target: r.Target, Till: r.Till, Buyer: r.Buyer,
		Item: r.Item, Qty: r.Qty, Currency: r.Currency, Paid: r.Paid, Request: r.Request}
	r.Qty, r.Paid, r.State = 0, 0, components.SagaCompleted
	w.Emit(ev.Event())
	// Spawning invalidates r; nothing uses it after this.
	s.p.spawnReceipt(w, components.Receipt{Buyer: ev.Buyer, Request: ev.Request, Tick: w.NextTick(),
		What: id, Lines: 1, Amount: ev.Paid})
}

// compensate undoes a saga: goods back to stock, money back to the
// provider. Every unit and every coin ends somewhere logged.
func (s *SagaSystem) compensate(w *ecs.World, id components.ID, r *components.PurchaseRecord, why events.Reason) {
	ev := events.SagaCompensatedEvent{Record: id, Listing: r.Listing, Buyer: r.Buyer, Item: r.Item,
		Qty: r.Qty, Currency: r.Currency, Refunded: r.Paid, Request: r.Request, Reason: why}
	if r.Qty > 0 {
		le, ok := alive(w, r.Listing)
		var l *components.ShopListing
		if ok {
			l = w.Maps.Listing.Get(le)
		}
		if _, fits := components.AddInt64(stockOf(l), r.Qty); l != nil && fits && l.Item == r.Item {
			l.Stock += r.Qty
		} else {
			w.Emit(events.BurnItems(id, r.Item, r.Qty))
		}
	}
	if r.Paid > 0 {
		w.Emit(events.Burn(id, r.Currency, r.Paid))
	}
	r.Qty, r.Paid, r.State = 0, 0, components.SagaCompensated
	w.Emit(ev.Event())
}

func stockOf(l *components.ShopListing) int64 {
	if l == nil {
		return 0
	}
	return l.Stock
}
