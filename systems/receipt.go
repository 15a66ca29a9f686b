package systems

import (
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

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

// issueReceipt announces a slim purchase's receipt now and creates its
// entity later, together with the others of the run (createReceipts): one
// arche batch per tick instead of an entity creation per purchase. Its id
// is the one Spawn would have given it — the next id after the receipts
// still pending — and the entity exists before anything can look it up:
// Update creates the pending receipts before an intent that names such an
// id, before the general path, and at its end, so ids, events, lookups and
// checksums are those of creating each receipt at once.
func (s *PurchaseSystem) issueReceipt(w *ecs.World, r components.Receipt) components.ID {
	if len(s.pending) == 0 {
		s.pendingFrom = w.NextID()
	}
	id := s.pendingFrom + components.ID(len(s.pending))
	s.pending = append(s.pending, r)
	w.Emit(events.ReceiptIssuedEvent{Receipt: id, Buyer: r.Buyer, For: r.What, Total: r.Amount,
		Lines: r.Lines, Request: r.Request}.Event())
	if s.hashReceipts {
		// The event changed only the receipt, whose hash createReceipts
		// sets; the buyer and listing it names are the purchase event's.
		s.core.EventHashed()
	}
	return id
}

// createReceipts creates the pending receipts' entities, in id order.
func (s *PurchaseSystem) createReceipts(w *ecs.World) {
	if len(s.pending) == 0 {
		return
	}
	if w.NextID() != s.pendingFrom {
		// Only the slim path runs while receipts are pending, and it takes
		// no ids: the announced ids are still free.
		panic("systems: ids were taken while receipts were pending")
	}
	a, rid := w.ECS(), s.m.Receipt.ID()
	// With hashReceipts the receipts are not touched to be rehashed at the
	// checksum (reading each back through the generic entity hash): their
	// whole hash is known here and set at once.
	s.core.SpawnUntouched = s.hashReceipts
	w.SpawnBatch(len(s.pending), s.m.receiptComps, func(i int, e arche.Entity) {
		*(*components.Receipt)(a.GetUnchecked(e, rid)) = s.pending[i]
	})
	s.core.SpawnUntouched = false
	if s.hashReceipts {
		for i := range s.pending {
			id := s.pendingFrom + components.ID(i)
			s.core.AdjustHash(id, receiptEntityHash(id, &s.pending[i]))
		}
	}
	s.pending = s.pending[:0]
}

// namesPending reports whether an intent names an id a pending receipt
// will get (ids from NextID on): it must exist before the intent is
// looked at. A slimmable intent names no other entity.
func (s *PurchaseSystem) namesPending(w *ecs.World, it *components.PurchaseIntent) bool {
	return len(s.pending) > 0 && max(it.Buyer, it.Listing) >= w.NextID()
}
