package ecs

import (
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
)

// hashAhead is how many touched entities flushHashes warms at a time:
// enough independent cache misses in flight to hide DRAM latency, few
// enough that the rows are still cached when they are hashed.
const hashAhead = 64

// hashWarmFromIDs is the world size (in live entities, not NextID: closed
// receipts do not make a world bigger) from which
// flushHashes warms rows ahead: below it the touched rows are mostly still
// cached from the tick, and warming them only costs.
const hashWarmFromIDs = 1 << 18

// warmHashes reads every row entityHash will read for the ids of batch (at
// most hashAhead) — the id table's entry and cached hash, the entity index
// and the wallet, inventory and listing rows, then the balances and every
// 64-byte line of the slots — in stages: each stage reads one level for
// every id of the batch before the next stage follows the pointers it
// found. The misses of one stage are independent, so they overlap, and an
// entity's chain of dependent misses costs a few DRAM latencies per batch
// instead of per entity (at 1M players the rows a tick touched are no
// longer cached when the checksum reads them back). (The PurchaseSystem's
// look-ahead no longer waits like this: it prefetches, internal/prefetch.)
// It changes nothing; the values read are kept only so that the loads are
// not dropped.
func (w *World) warmHashes(batch []components.ID) {
	m := &w.Maps
	var sink int64
	var ents [hashAhead]arche.Entity
	n := 0
	for _, id := range batch[:min(len(batch), hashAhead)] { // the id table
		sink += int64(w.core.IDs.Hash(id))
		if e, st := w.Lookup(id); st == Alive {
			ents[n] = e
			n++
		}
	}
	var wals [hashAhead]*components.Wallet
	var invs [hashAhead]*components.Inventory
	for i := range n { // the entity index: where the rows are
		wals[i], invs[i] = m.Wallet.Get(ents[i]), m.Inventory.Get(ents[i])
		if l := m.Listing.Get(ents[i]); l != nil {
			sink += l.Stock
		}
	}
	var bals [hashAhead][]components.Balance
	var slots [hashAhead][]components.Stack
	for i := range n { // the rows: where the balances and slots are
		if wals[i] != nil {
			bals[i] = wals[i].Balances
		}
		if invs[i] != nil {
			slots[i] = invs[i].Slots
		}
	}
	for i := range n { // the balances and every 64-byte line of slots
		if len(bals[i]) > 0 {
			sink += bals[i][0].Amount
		}
		for j := 0; j < len(slots[i]); j += 4 {
			sink += slots[i][j].Qty
		}
	}
	w.warmSink += sink
}
