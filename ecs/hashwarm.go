package ecs

import (
	"math"

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
		sink += int64(w.idt.hash(id))
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

// Default thresholds of FoldTouched (see SetChecksumFolding): off. Since
// purchases adjust their buyers' hashes term by term (AdjustHash), a fold
// only rehashes listings and tills, which stay cached anyway: with folding
// on, a 1M-player Step took 1.00-1.16× (median 1.09×) the time of one
// without (in-process A/B, alternate ticks, 5 runs, 18:35 UTC).
const (
	foldFromLive = math.MaxInt
	foldEvery    = 2048
)

// FoldTouched folds the hashes of the entities changed so far this tick
// into the running checksum now, once the world holds enough live
// entities and enough events passed since the last fold (both set by
// SetChecksumFolding; off by default); it does nothing otherwise. A system that changes many
// entities calls it between units of work whose changes are all made and
// emitted — the PurchaseSystem does between two buyers — so that their
// rows are hashed while they are still cached, instead of being read back
// from memory for the tick's checksum (it saved ≈ 15% of a 1M-player
// tick before purchases adjusted their buyers' hashes term by term; now it
// costs ≈ 9%, so it is off unless SetChecksumFolding turns it on). The
// checksum is the same whether and wherever it is called at such points
// (an entity changed again later is hashed again); calling it while a
// change is half made, or before the event naming it, would record a stale
// hash, which an audit (SetChecksumAudit) reports as drift.
func (w *World) FoldTouched() {
	if len(w.rec.Events)-w.touched >= w.foldEvery && int(w.idt.live) >= w.foldFromLive {
		w.flushHashes()
	}
}

// SetChecksumFolding sets when FoldTouched folds: in worlds of at least
// minLive live entities, once everyEvents events passed since the last
// fold (by default it never folds: minLive is math.MaxInt; everyEvents
// is 2048). Tests
// force folding with (0, 1) to check that a system calls FoldTouched only
// where every change is made and emitted.
func (w *World) SetChecksumFolding(minLive, everyEvents int) {
	w.foldFromLive, w.foldEvery = minLive, everyEvents
}
