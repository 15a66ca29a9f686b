package systems_test

import (
	"fmt"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"
	"github.com/tickecon/tickecon/third_party/arche/generic"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// Allowance is a third party's component: a budget a parent grants a child
// that the shop never heard of.
type Allowance struct {
	Child components.ID
	Left  int64 // in the shop's only currency, for brevity
}

// allowanceSource pays tills from an Allowance. It lives outside systems/:
// registering it on the PurchaseSystem instance is all it takes.
type allowanceSource struct {
	m generic.Map[Allowance]
	// funds is the wallet that backs the allowances (money never appears
	// from nowhere: the parent's wallet pays).
	funds components.ID
}

func (a allowanceSource) Accepts(w *ecs.World, e arche.Entity) bool { return a.m.Has(e) }

func (a allowanceSource) Check(w *ecs.World, p *systems.Payment) events.Reason {
	al := a.m.Get(p.Entity)
	if al.Child != p.Buyer {
		return events.ReasonNotYours
	}
	due, ok := p.DueIn(p.Dues[0].Currency) // the shop's only currency, for brevity
	parent := systems.TillWallet(w, a.funds)
	if !ok || due > al.Left || parent == nil || parent.Balance(p.Dues[0].Currency) < due {
		return events.ReasonInsufficientFunds
	}
	for _, d := range p.Dues {
		if till := systems.TillWallet(w, d.Till); till == nil || !till.CanCredit(d.Currency, d.Amount) {
			return events.ReasonTillGone
		}
	}
	return events.ReasonNone
}

func (a allowanceSource) Commit(w *ecs.World, p *systems.Payment) {
	al := a.m.Get(p.Entity)
	w.Touch(p.Payer) // changed without an event naming them: rehash for the checksum
	w.Touch(a.funds)
	for _, d := range p.Dues {
		al.Left -= d.Amount
		systems.TillWallet(w, a.funds).Debit(d.Currency, d.Amount)
		systems.TillWallet(w, d.Till).Credit(d.Currency, d.Amount)
	}
}

// A third party adds its own PaymentSource without editing systems/.
func ExamplePurchaseSystem_RegisterPayment() {
	content, _ := ecs.ParseContent([]byte(`{
	  "currencies": [{"key": "gold", "name": "Gold"}],
	  "items": [{"key": "potion", "name": "Potion", "max_stack": 10}],
	  "shops": [{"key": "smithy", "name": "Smithy", "listings": [
	    {"key": "potions", "item": "potion", "currency": "gold", "price": 30, "stock": 9}]}],
	  "players": [
	    {"key": "mom", "name": "Mom", "capacity": 1, "wallet": [{"currency": "gold", "amount": 500}]},
	    {"key": "kid", "name": "Kid", "capacity": 1}]}`))
	w := ecs.New()
	com := systems.InstallCommerce(w, systems.DefaultConfig)
	ids, _ := content.Apply(w)
	w.Step()

	src := allowanceSource{m: generic.NewMap[Allowance](w.ECS()), funds: ids.MustID("mom")}
	com.Purchase.RegisterPayment(src)
	// A real game would create this entity through its own command handler
	// (w.HandleCommand) so that it is recorded, and hash it (w.AddEntityHasher);
	// Spawn keeps the example short.
	allowance, e := w.Spawn(src.m.ID())
	*src.m.Get(e) = Allowance{Child: ids.MustID("kid"), Left: 100}

	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("kid"), Listing: ids.MustID("potions"), Quantity: 3, RequestID: 1, PayVia: allowance})
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("kid"), Listing: ids.MustID("potions"), Quantity: 1, RequestID: 2, PayVia: allowance})
	rec := w.Step()
	if p, ok := rec.Events[0].AsPurchaseCompleted(); ok {
		fmt.Println("kid bought", p.Qty, "for", p.Total)
	}
	if r, ok := rec.Events[2].AsPurchaseRejected(); ok { // [1] is the first purchase's receipt
		fmt.Println("request", r.Request, "rejected:", r.Reason)
	}
	mom, _ := w.Balance(ids.MustID("mom"), ids.MustID("gold"))
	fmt.Println("mom's gold:", mom, "allowance left:", src.m.Get(e).Left)
	// Output:
	// kid bought 3 for 90
	// request 2 rejected: InsufficientFunds
	// mom's gold: 410 allowance left: 10
}
