package systems

import (
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// registerAccounts adds the AccountOpened command: a customer account
// billed to its holder's wallet at settlement (settlement.go).
func registerAccounts(w *ecs.World, m *CommerceMaps) {
	w.HandleCommand(events.AccountOpened, cmd{creates: true,
		check: func(w *ecs.World, c *events.Event) events.Reason {
			if e, ok := alive(w, c.Object); !ok || !w.Maps.Wallet.Has(e) {
				return events.ReasonUnknownEntity
			}
			if c.Amount < 0 {
				return events.ReasonBadCommand
			}
			return events.ReasonNone
		},
		apply: func(w *ecs.World, c *events.Event) {
			e := w.SpawnAs(c.Subject, m.Account.ID())
			*m.Account.Get(e) = components.Account{Holder: c.Object, Limit: c.Amount}
			w.Emit(*c)
		}})
}

// AccountSource charges a customer Account: no money moves at purchase
// time; each due becomes a receivable of its till, billed to the
// account's holder by the SettlementSystem. Only the holder may charge it.
type AccountSource struct{ M *CommerceMaps }

// Accepts implements PaymentSource: entities with an Account.
func (a AccountSource) Accepts(w *ecs.World, e arche.Entity) bool { return a.M.Account.Has(e) }

// Check implements PaymentSource: NotYours, TillGone, then CreditLimit
// (what is owed in a currency, over all tills, may not exceed Limit).
func (a AccountSource) Check(w *ecs.World, p *Payment) events.Reason {
	acc := a.M.Account.Get(p.Entity)
	if acc.Holder != p.Buyer {
		return events.ReasonNotYours
	}
	for _, d := range p.Dues {
		if TillWallet(w, d.Till) == nil {
			return events.ReasonTillGone
		}
	}
	for _, d := range p.Dues {
		due, ok := p.DueIn(d.Currency)
		if ok {
			due, ok = components.AddInt64(acc.OwedIn(d.Currency), due)
		}
		if !ok || due > acc.Limit {
			return events.ReasonCreditLimit
		}
	}
	return events.ReasonNone
}

// Commit implements PaymentSource: one AccountCharged event per due.
func (a AccountSource) Commit(w *ecs.World, p *Payment) {
	acc := a.M.Account.Get(p.Entity)
	for _, d := range p.Dues {
		if d.Amount == 0 {
			continue
		}
		acc.Charge(d.Till, d.Currency, d.Amount)
		w.Emit(events.AccountChargedEvent{Account: p.Payer, Buyer: p.Buyer, Till: d.Till,
			Currency: d.Currency, Amount: d.Amount, Request: p.Request}.Event())
	}
}
