package ecs

import "github.com/tickecon/tickecon/components"

// hashAhead is how many touched entities flushHashes warms at a time.
const hashAhead = 16

// hashWarmFromIDs is the world size (in stable ids) from which
// flushHashes warms rows ahead: below it the touched rows are mostly still
// cached from the tick, and warming them only costs.
const hashWarmFromIDs = 1 << 18

// warmHashes reads the first word of every row entityHash will read for
// the ids of batch (the id table's entry and cached hash, the entity
// index, the wallet, inventory and listing rows, the balances and slots),
// one id after the other without waiting for any result, so that their
// cache misses overlap instead of each entity paying its chain of
// dependent misses in turn (at 1M players the rows a tick touched are no
// longer cached when the checksum reads them back). It changes nothing;
// the value read is kept only so that the loads are not dropped.
func (w *World) warmHashes(batch []components.ID) {
	m := &w.Maps
	var sink int64
	for _, id := range batch {
		sink += int64(w.idt.hash(id))
		e, st := w.Lookup(id)
		if st != Alive {
			continue
		}
		if wal := m.Wallet.Get(e); wal != nil && len(wal.Balances) > 0 {
			sink += wal.Balances[0].Amount
		}
		if inv := m.Inventory.Get(e); inv != nil && len(inv.Slots) > 0 {
			sink += inv.Slots[0].Qty
		}
		if l := m.Listing.Get(e); l != nil {
			sink += l.Stock
		}
	}
	w.warmSink += sink
}
