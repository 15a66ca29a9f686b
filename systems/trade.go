package systems

import (
	"cmp"
	"slices"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// maxTradeLines bounds each side of a trade.
const maxTradeLines = 32

// registerTrades adds the player-to-player trade commands:
//
//	OpenTrade(a, b)                    TradeOpened
//	OfferItems / OfferMoney(trade, party, …) TradeOffered
//	AcceptTrade(trade, party)          TradeAccepted
//
// An offer resets both acceptances, so each party accepts exactly what it
// saw. When the second party accepts, the swap is checked whole: each giver
// holds what it offers and each receiver has room (inventory room is
// checked before the giver's own items leave: conservative) and no balance
// overflows. Then everything moves in that command (TradeMoved per line,
// TradeCompleted), or nothing moves and the trade is closed with
// TradeRejected naming the party short and why.
func registerTrades(w *ecs.World, m *CommerceMaps) {
	w.HandleCommand(events.TradeOpened, cmd{creates: true,
		check: func(w *ecs.World, c *events.Event) events.Reason {
			for _, p := range [2]components.ID{c.Object, c.Ref} {
				e, ok := alive(w, p)
				if !ok || !w.Maps.Wallet.Has(e) || !w.Maps.Inventory.Has(e) {
					return events.ReasonUnknownEntity
				}
			}
			if c.Object == c.Ref {
				return events.ReasonBadCommand
			}
			return events.ReasonNone
		},
		apply: func(w *ecs.World, c *events.Event) {
			e := w.SpawnAs(c.Subject, m.Trade.ID())
			m.Trade.Get(e).Parties = [2]components.ID{c.Object, c.Ref}
			w.Emit(*c)
		}})
	w.HandleCommand(events.TradeOffered, cmd{
		check: func(w *ecs.World, c *events.Event) events.Reason {
			t, side, why := m.openTrade(w, c)
			if why != events.ReasonNone {
				return why
			}
			s := &t.Sides[side]
			item := c.Item != 0 && c.Qty > 0 && c.Currency == 0 && c.Amount == 0
			money := c.Currency != 0 && c.Amount > 0 && c.Item == 0 && c.Qty == 0
			if !item && !money || len(s.Items)+len(s.Money) >= maxTradeLines {
				return events.ReasonBadCommand
			}
			if item {
				if e, ok := alive(w, c.Item); !ok || !w.Maps.Item.Has(e) {
					return events.ReasonUnknownEntity
				}
				for _, st := range s.Items {
					if _, ok := components.AddInt64(st.Qty, c.Qty); st.Item == c.Item && !ok {
						return events.ReasonOverflow
					}
				}
				return events.ReasonNone
			}
			if e, ok := alive(w, c.Currency); !ok || !w.Maps.Currency.Has(e) {
				return events.ReasonUnknownEntity
			}
			for _, b := range s.Money {
				if _, ok := components.AddInt64(b.Amount, c.Amount); b.Currency == c.Currency && !ok {
					return events.ReasonOverflow
				}
			}
			return events.ReasonNone
		},
		apply: func(w *ecs.World, c *events.Event) {
			t, side, _ := m.openTrade(w, c)
			s := &t.Sides[side]
			if c.Item != 0 {
				i, found := slices.BinarySearchFunc(s.Items, c.Item, func(st components.Stack, id components.ID) int { return cmp.Compare(st.Item, id) })
				if found {
					s.Items[i].Qty += c.Qty
				} else {
					s.Items = slices.Insert(s.Items, i, components.Stack{Item: c.Item, Qty: c.Qty})
				}
			} else {
				i, found := slices.BinarySearchFunc(s.Money, c.Currency, func(b components.Balance, id components.ID) int { return cmp.Compare(b.Currency, id) })
				if found {
					s.Money[i].Amount += c.Amount
				} else {
					s.Money = slices.Insert(s.Money, i, components.Balance{Currency: c.Currency, Amount: c.Amount})
				}
			}
			t.Accepted = [2]bool{}
			w.Emit(*c)
		}})
	w.HandleCommand(events.TradeAccepted, cmd{
		check: func(w *ecs.World, c *events.Event) events.Reason {
			_, _, why := m.openTrade(w, c)
			return why
		},
		apply: func(w *ecs.World, c *events.Event) {
			t, side, _ := m.openTrade(w, c)
			t.Accepted[side] = true
			w.Emit(*c)
			if t.Accepted[0] && t.Accepted[1] {
				m.settleTrade(w, c.Subject, t)
			}
		}})
}

// openTrade resolves the trade of a command and the side of its Object.
func (m *CommerceMaps) openTrade(w *ecs.World, c *events.Event) (*components.Trade, int, events.Reason) {
	e, ok := alive(w, c.Subject)
	if !ok || !m.Trade.Has(e) {
		return nil, 0, events.ReasonUnknownEntity
	}
	t := m.Trade.Get(e)
	if t.Closed {
		return nil, 0, events.ReasonTradeClosed
	}
	switch c.Object {
	case t.Parties[0]:
		return t, 0, events.ReasonNone
	case t.Parties[1]:
		return t, 1, events.ReasonNone
	}
	return nil, 0, events.ReasonNotYours
}

// tradeCheck reports the first party that cannot complete its side, and why.
func tradeCheck(w *ecs.World, t *components.Trade) (components.ID, events.Reason) {
	for side := range 2 {
		from, to := t.Parties[side], t.Parties[1-side]
		fe, ok1 := alive(w, from)
		te, ok2 := alive(w, to)
		if !ok1 {
			return from, events.ReasonBuyerGone
		}
		if !ok2 {
			return to, events.ReasonBuyerGone
		}
		give := &t.Sides[side]
		fw, tw := w.Maps.Wallet.Get(fe), w.Maps.Wallet.Get(te)
		for _, b := range give.Money {
			if fw.Balance(b.Currency) < b.Amount {
				return from, events.ReasonInsufficientFunds
			}
			if !tw.CanCredit(b.Currency, b.Amount) {
				return to, events.ReasonOverflow
			}
		}
		inv := w.Maps.Inventory.Get(fe)
		d := Delivery{Buyer: to, Target: to, Entity: te}
		for _, st := range give.Items {
			if inv.Count(st.Item) < st.Qty {
				return from, events.ReasonInsufficientHoldings
			}
			ie, _ := w.Lookup(st.Item)
			d.Goods = append(d.Goods, Goods{Item: st.Item, Qty: st.Qty, MaxStack: w.Maps.Item.Get(ie).MaxStack})
		}
		if len(d.Goods) > 0 {
			if why := (InventoryTarget{}).Check(w, &d); why != events.ReasonNone {
				return to, why
			}
		}
	}
	return 0, events.ReasonNone
}

// settleTrade applies an accepted trade whole, or rejects it whole.
func (m *CommerceMaps) settleTrade(w *ecs.World, id components.ID, t *components.Trade) {
	t.Closed = true
	if who, why := tradeCheck(w, t); why != events.ReasonNone {
		w.Emit(events.TradeRejectedEvent{Trade: id, Party: who, Reason: why}.Event())
		return
	}
	for side := range 2 {
		from, to := t.Parties[side], t.Parties[1-side]
		fe, _ := w.Lookup(from)
		te, _ := w.Lookup(to)
		give := &t.Sides[side]
		for _, b := range give.Money {
			w.Maps.Wallet.Get(fe).Debit(b.Currency, b.Amount)
			w.Maps.Wallet.Get(te).Credit(b.Currency, b.Amount)
			w.Emit(events.TradeMovedEvent{Trade: id, From: from, To: to, Currency: b.Currency, Amount: b.Amount}.Event())
		}
		for _, st := range give.Items {
			ie, _ := w.Lookup(st.Item)
			w.Maps.Inventory.Get(fe).Remove(st.Item, st.Qty)
			w.Maps.Inventory.Get(te).Add(st.Item, st.Qty, w.Maps.Item.Get(ie).MaxStack)
			w.Emit(events.TradeMovedEvent{Trade: id, From: from, To: to, Item: st.Item, Qty: st.Qty}.Event())
		}
	}
	w.Emit(events.TradeCompletedEvent{Trade: id, A: t.Parties[0], B: t.Parties[1]}.Event())
}
