package baseline

import (
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
)

// Floor applies intents straight to the world's components, in the order
// given (the benchmark gives it the PurchaseSystem's processing order, so
// both walk the rows in the same pattern): for each one the id lookups and generic.Map reads of the buyer's
// wallet and inventory, the listing, its till and its item definition, then
// the debit, credit, stock decrement and inventory credit. There is no
// validation (beyond skipping ids that are not alive, which would make
// arche panic), no ordering, no duplicate detection and no events. It
// bypasses the event log on purpose and must only be used on benchmark
// worlds. It returns how many intents it applied.
func Floor(w *ecs.World, intents []components.PurchaseIntent) int {
	m := &w.Maps
	done := 0
	for _, it := range intents {
		be, bs := w.Lookup(it.Buyer)
		le, ls := w.Lookup(it.Listing)
		if bs != ecs.Alive || ls != ecs.Alive || it.Quantity <= 0 {
			continue
		}
		l := m.Listing.Get(le)
		te, _ := w.Lookup(l.Till)
		ie, _ := w.Lookup(l.Item)
		total := l.Price * it.Quantity
		m.Wallet.Get(be).Debit(l.Currency, total)
		m.Wallet.Get(te).Credit(l.Currency, total)
		l.Stock -= it.Quantity
		m.Inventory.Get(be).Add(l.Item, it.Quantity, m.Item.Get(ie).MaxStack)
		done++
	}
	return done
}
