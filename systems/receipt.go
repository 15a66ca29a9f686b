package systems

import (
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// spawnReceipt creates a receipt entity and announces it.
func (s *PurchaseSystem) spawnReceipt(w *ecs.World, r components.Receipt) components.ID {
	id, e := w.Spawn(s.m.receiptComps...)
	*s.m.Receipt.Get(e) = r
	w.Emit(events.ReceiptIssuedEvent{Receipt: id, Buyer: r.Buyer, For: r.What, Total: r.Amount,
		Lines: r.Lines, Request: r.Request}.Event())
	return id
}
