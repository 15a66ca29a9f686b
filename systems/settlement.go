package systems

import (
	"cmp"
	"slices"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// SettlementSystem bills customer accounts in one batch at the end of each
// day: on every tick t with (t+1) % every == 0, each account (in ascending
// stable id) pays each charge (in ascending (till, currency)) from its
// holder's wallet to the till, as far as the holder's balance goes. What
// cannot be paid stays owed (Reason InsufficientFunds, or TillGone /
// TillOverflow / BuyerGone with nothing paid) and is billed again next day.
//
// Money: a charge moves no money, so "total money" of a currency is the sum
// of wallets, coupon values and saga escrow at every tick; receivables (the
// accounts' Owed) are a separate ledger: owed = charged − settled.
type SettlementSystem struct {
	m     *CommerceMaps
	every uint64
	ids   []acct // reused: accounts of the day, sorted by stable id
}

type acct struct {
	id components.ID
	e  arche.Entity
}

// Name implements ecs.System.
func (s *SettlementSystem) Name() string { return "settlement" }

// Update implements ecs.System.
func (s *SettlementSystem) Update(w *ecs.World) {
	if s.every == 0 || (w.NextTick()+1)%s.every != 0 {
		return
	}
	s.ids = s.ids[:0]
	q := w.ECS().Query(w.StableFilter())
	st := w.Maps.Stable.ID()
	for q.Next() {
		if q.Has(s.m.Account.ID()) {
			s.ids = append(s.ids, acct{id: (*components.Stable)(q.Get(st)).ID, e: q.Entity()})
		}
	}
	slices.SortFunc(s.ids, func(a, b acct) int { return cmp.Compare(a.id, b.id) })
	for _, a := range s.ids {
		s.settle(w, a)
	}
}

func (s *SettlementSystem) settle(w *ecs.World, a acct) {
	acc := s.m.Account.Get(a.e)
	var wal *components.Wallet
	if he, ok := alive(w, acc.Holder); ok {
		wal = w.Maps.Wallet.Get(he)
	}
	for i := range acc.Owed {
		ch := &acc.Owed[i]
		if ch.Amount == 0 {
			continue
		}
		till := TillWallet(w, ch.Till)
		ev := events.AccountSettledEvent{Account: a.id, Holder: acc.Holder, Till: ch.Till, Currency: ch.Currency}
		switch {
		case wal == nil:
			ev.Reason = events.ReasonBuyerGone
		case till == nil:
			ev.Reason = events.ReasonTillGone
		default:
			pay := min(ch.Amount, wal.Balance(ch.Currency))
			if !till.CanCredit(ch.Currency, pay) {
				ev.Reason = events.ReasonTillOverflow
				break
			}
			if pay < ch.Amount {
				ev.Reason = events.ReasonInsufficientFunds
			}
			wal.Debit(ch.Currency, pay)
			till.Credit(ch.Currency, pay)
			ch.Amount -= pay
			ev.Paid = pay
		}
		ev.Owed = ch.Amount
		w.Emit(ev.Event())
	}
	// Drop settled charges; order is kept, so Owed stays sorted.
	out := acc.Owed[:0]
	for _, ch := range acc.Owed {
		if ch.Amount > 0 {
			out = append(out, ch)
		}
	}
	acc.Owed = out
}
