package ecs

import (
	"fmt"
	"slices"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// Supply is the total of every currency and item type in a world: what the
// conservation rule counts. Money of a currency is the sum over wallets and
// every registered value-holding component (coupons, saga escrow…); units
// of an item the sum over inventories, listing stock and registered
// components (parcels, saga escrow…). Receivables are not money and are not
// counted. Totals are exact (components.Total): a supply can exceed what
// one balance holds.
type Supply struct {
	money []SupplyLine // sorted by What
	items []SupplyLine
}

// SupplyLine is the total of one currency or item type.
type SupplyLine struct {
	What  components.ID
	Total components.Total
}

// Money returns the totals per currency, sorted by id. The slice is
// the Supply's own: read it, do not keep it across SupplyInto.
func (s *Supply) Money() []SupplyLine { return s.money }

// Items returns the totals per item type, sorted by id (as Money).
func (s *Supply) Items() []SupplyLine { return s.items }

// MoneyOf returns the total of currency c (0 if c is not counted).
func (s *Supply) MoneyOf(c components.ID) components.Total { return lineOf(s.money, c) }

// ItemsOf returns the total of item type it (0 if it is not counted).
func (s *Supply) ItemsOf(it components.ID) components.Total { return lineOf(s.items, it) }

func lineOf(lines []SupplyLine, id components.ID) components.Total {
	if i, ok := findLine(lines, id); ok {
		return lines[i].Total
	}
	return components.Total{}
}

func findLine(lines []SupplyLine, id components.ID) (int, bool) {
	return slices.BinarySearchFunc(lines, id, func(l SupplyLine, id components.ID) int {
		switch {
		case l.What < id:
			return -1
		case l.What > id:
			return 1
		}
		return 0
	})
}

// line returns the line of id, inserted (zero) if missing.
func line(lines *[]SupplyLine, id components.ID) *SupplyLine {
	i, ok := findLine(*lines, id)
	if !ok {
		*lines = slices.Insert(*lines, i, SupplyLine{What: id})
	}
	return &(*lines)[i]
}

// add counts one holding.
func (s *Supply) add(h Holding, sign int) {
	lines := &s.money
	if h.Kind == Items {
		lines = &s.items
	}
	l := line(lines, h.What)
	if sign < 0 {
		l.Total = l.Total.Sub(h.Amount)
	} else {
		l.Total = l.Total.Add(h.Amount)
	}
}

func (s *Supply) reset() {
	s.money, s.items = s.money[:0], s.items[:0]
}

// Supply returns the world's totals per currency and item type (every
// defined one, zeros included). It walks every entity: call it for checks
// and reports, not every frame (SupplyInto reuses a Supply's buffers).
func (w *World) Supply() *Supply {
	s := &Supply{}
	w.SupplyInto(s)
	return s
}

// SupplyInto computes the world's supply into s, reusing its buffers: with
// the same definitions as last time it allocates nothing.
func (w *World) SupplyInto(s *Supply) {
	s.reset()
	m := &w.Maps
	q := w.ecs.Query(w.StableFilter())
	for q.Next() {
		e := q.Entity()
		switch {
		case m.Currency.Has(e):
			line(&s.money, m.Stable.Get(e).ID)
		case m.Item.Has(e):
			line(&s.items, m.Stable.Get(e).ID)
		}
		w.scratch = w.entityHoldings(e, w.scratch[:0])
		for _, h := range w.scratch {
			s.add(h, 1)
		}
	}
}

// Ledger follows, from committed tick records, what the event log says
// entered and left the economy: Minted − Burned per currency, and
// ItemsGranted + ListingPosted stock − ItemsBurned per item type. The
// conservation rule is that it equals the world's Supply after every tick
// (Check). Subscribe its Record method, or call it with each record.
type Ledger struct {
	s Supply
}

// NewLedger returns a ledger that starts from w's current supply (nothing,
// for a new world; everything, for a restored one), so that a session
// checked from the middle still balances.
func NewLedger(w *World) *Ledger {
	l := &Ledger{}
	w.SupplyInto(&l.s)
	return l
}

// Record adds one committed tick's mints, grants and burns.
func (l *Ledger) Record(r *TickRecord) {
	for i := range r.Events {
		ev := &r.Events[i]
		switch ev.Kind {
		case events.Minted:
			l.s.add(Holding{Kind: Money, What: ev.Currency, Amount: ev.Amount}, 1)
		case events.Burned:
			l.s.add(Holding{Kind: Money, What: ev.Currency, Amount: ev.Amount}, -1)
		case events.ItemsGranted, events.ListingPosted:
			l.s.add(Holding{Kind: Items, What: ev.Item, Amount: ev.Qty}, 1)
		case events.ItemsBurned:
			l.s.add(Holding{Kind: Items, What: ev.Item, Amount: ev.Qty}, -1)
		}
	}
}

// Issued returns minted − burned (money) and granted − burned (items) so
// far, as a Supply.
func (l *Ledger) Issued() *Supply { return &l.s }

// ConservationError names the first currency or item whose supply differs
// from what the event log issued.
type ConservationError struct {
	Kind     HoldingKind
	What     components.ID
	Held     components.Total // what the world holds (Supply)
	Issued   components.Total // what the log says entered minus left (Ledger)
	Tick     uint64           // the world's Tick() when checked
	Negative bool             // a holding is negative (Held may still match)
	Holder   components.ID    // with Negative: the entity holding it
}

// Error implements error.
func (e *ConservationError) Error() string {
	kind := "money of currency"
	if e.Kind == Items {
		kind = "units of item"
	}
	if e.Negative {
		return fmt.Sprintf("ecs: before tick %d: entity %d holds a negative amount of %s %d", e.Tick, e.Holder, kind, e.What)
	}
	return fmt.Sprintf("ecs: before tick %d: %s %d: held %s, issued %s", e.Tick, kind, e.What, e.Held, e.Issued)
}

// Check compares w's supply with the ledger and reports the first
// difference, and any negative holding, as a *ConservationError.
func (l *Ledger) Check(w *World) error {
	var s Supply
	w.SupplyInto(&s)
	q := w.ecs.Query(w.StableFilter())
	for q.Next() {
		w.scratch = w.entityHoldings(q.Entity(), w.scratch[:0])
		for _, h := range w.scratch {
			if h.Amount < 0 {
				id := w.Maps.Stable.Get(q.Entity()).ID
				q.Close()
				return &ConservationError{Kind: h.Kind, What: h.What, Tick: w.tick, Negative: true, Holder: id}
			}
		}
	}
	for _, k := range [2]HoldingKind{Money, Items} {
		held, issued := s.money, l.s.money
		if k == Items {
			held, issued = s.items, l.s.items
		}
		for _, h := range held {
			if iss := lineOf(issued, h.What); iss != h.Total {
				return &ConservationError{Kind: k, What: h.What, Held: h.Total, Issued: iss, Tick: w.tick}
			}
		}
		for _, iss := range issued {
			if h := lineOf(held, iss.What); h != iss.Total {
				return &ConservationError{Kind: k, What: iss.What, Held: h, Issued: iss.Total, Tick: w.tick}
			}
		}
	}
	return nil
}
