package systems

import (
	arche "github.com/mlange-42/arche/ecs"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// The slim path: almost every intent is one listing bought by a buyer that
// pays from its own Wallet into its own Inventory. For those the general
// path's machinery (the Plan's per-line slices, dues and goods
// aggregation, port interface calls) costs more than the purchase itself,
// so they take a straight-line version of the same checks, in the same
// order, with the same rejections and writes. Anything else — carts,
// coupons, sagas, PayVia/ShipTo, a buyer that another port would serve —
// is detected before the first check and goes the general way.
// TestSlimPathMatchesGeneralPath plays hostile ticks both ways.

// slimmable reports whether an intent has the plain shape the slim path
// handles (the ports still have to resolve to Wallet and Inventory).
func slimmable(it *components.PurchaseIntent) bool {
	return it.Cart == 0 && it.Coupon == 0 && !it.Saga && it.Quantity > 0 &&
		(it.PayVia == 0 || it.PayVia == it.Buyer) && (it.ShipTo == 0 || it.ShipTo == it.Buyer)
}

// defaultPortsFirst reports whether the first registered ports are the
// Wallet source and the Inventory target, so that an entity with a Wallet
// and an Inventory resolves to them without asking every port. So they are
// under InstallCommerce's order too, where this system's AccountSource
// comes before the Wallet: then accountFirst is set, and an entity with an
// Account goes to the ports (slim checks it without an interface call).
func (s *PurchaseSystem) defaultPortsFirst() bool {
	srcs := s.sources
	s.accountFirst = false
	if a, ok := first(srcs).(AccountSource); ok && s.m != nil && a.M == s.m {
		s.accountFirst, srcs = true, srcs[1:]
	}
	_, src := first(srcs).(WalletSource)
	_, dst := first(s.targets).(InventoryTarget)
	return src && dst
}

// first returns ports[0], or nil.
func first[P any](ports []P) any {
	if len(ports) == 0 {
		return nil
	}
	return ports[0]
}

// slim processes a slimmable intent. handled is false, and nothing was
// checked or written, when the buyer is not served by the Wallet and
// Inventory ports; otherwise the intent was rejected with why, or applied
// whole (why is ReasonNone) with receipt its receipt id (0 when receipts
// are off). The checks mirror Validate, resolvePorts, WalletSource.Check
// and InventoryTarget.Check for one line, in their order.
func (s *PurchaseSystem) slim(w *ecs.World, it *components.PurchaseIntent, portsFirst bool) (why events.Reason, receipt components.ID, handled bool) {
	m := &w.Maps
	be, st := w.Lookup(it.Buyer)
	switch st {
	case ecs.Unknown:
		return events.ReasonUnknownBuyer, 0, true
	case ecs.Gone:
		return events.ReasonBuyerGone, 0, true
	}
	wal, inv := m.Wallet.Get(be), m.Inventory.Get(be)
	if portsFirst {
		if wal == nil || inv == nil || s.accountFirst && s.m.Account.Has(be) {
			return 0, 0, false
		}
	} else if _, ok := s.source(w, be).(WalletSource); !ok || wal == nil {
		return 0, 0, false
	} else if _, ok := s.target(w, be).(InventoryTarget); !ok || inv == nil {
		return 0, 0, false
	}
	le, st := w.Lookup(it.Listing)
	switch st {
	case ecs.Unknown:
		return events.ReasonUnknownListing, 0, true
	case ecs.Gone:
		return events.ReasonListingGone, 0, true
	}
	r := s.resolve(w, it.Listing, le)
	l := r.l
	if l == nil {
		return events.ReasonUnknownListing, 0, true
	}
	qty := it.Quantity
	if l.Stock < qty {
		return events.ReasonOutOfStock, 0, true
	}
	total, ok := components.MulInt64(l.Price, qty)
	if !ok {
		return events.ReasonPriceOverflow, 0, true
	}
	if !r.item { // the item is not a live item type
		return events.ReasonUnknownListing, 0, true
	}
	bal := wal.Amount(l.Currency) // nil: no slot, a balance of 0
	if bal == nil && total > 0 || bal != nil && *bal < total {
		return events.ReasonInsufficientFunds, 0, true
	}
	till := r.till
	if till == nil {
		return events.ReasonTillGone, 0, true
	}
	got := till.Amount(l.Currency)
	if till != wal && got != nil {
		if _, ok := components.AddInt64(*got, total); !ok {
			return events.ReasonTillOverflow, 0, true
		}
	}
	// The last check places the goods when they fit: nothing can fail
	// after it, so the purchase is whole either way.
	if !inv.TryAdd(l.Item, qty, r.maxStack) {
		return events.ReasonInventoryFull, 0, true
	}
	if bal != nil {
		*bal -= total
	}
	if got != nil {
		*got += total
	} else {
		till.Credit(l.Currency, total) // opens the till's slot (never in steady state)
	}
	l.Stock -= qty
	w.Emit(events.PurchaseCompletedEvent{Buyer: it.Buyer, Listing: it.Listing, Till: l.Till,
		Item: l.Item, Currency: l.Currency, Qty: qty, Total: total, Request: it.RequestID}.Event())
	if s.Receipts {
		receipt = s.issueReceipt(w, components.Receipt{Buyer: it.Buyer, Request: it.RequestID,
			Tick: w.Tick(), What: it.Listing, Lines: 1, Amount: total})
	}
	return events.ReasonNone, receipt, true
}

// listingMemo is what a listing resolves to for the slim path: its row, its
// item's max stack (item false: not a live item type) and its till's
// wallet (nil: gone). Resolving it takes five lookups; a tick buys from the
// same few listings again and again, so the answer is remembered.
//
// The pointers stay valid while no entity joins or leaves the archetypes of
// the listing, the item and the till. The slim path only creates receipts
// (their own archetype) and nothing else, so a memo is trusted for the rest
// of a run of slim purchases in one Update; the general path may create or
// close anything, and bumps the epoch after it applied an intent, as Update
// does every tick (commands ran in between).
type listingMemo struct {
	id       components.ID
	epoch    uint64
	l        *components.ShopListing
	till     *components.Wallet
	maxStack int64
	item     bool // the item is a live item type (maxStack is its MaxStack)
}

// memoSize is the number of direct-mapped memo slots (a power of two): a
// thousand listings in 40 KiB, most of it in L2.
const memoSize = 1024

// resolve returns listing id's memo (entity le, alive), filling its slot
// if it is stale. Values are read through the pointers, never cached.
func (s *PurchaseSystem) resolve(w *ecs.World, id components.ID, le arche.Entity) *listingMemo {
	if s.memo == nil {
		s.memo = new([memoSize]listingMemo)
	}
	r := &s.memo[id&(memoSize-1)]
	if r.id == id && r.epoch == s.epoch {
		return r
	}
	m := &w.Maps
	*r = listingMemo{id: id, epoch: s.epoch, l: m.Listing.Get(le)}
	if r.l == nil {
		return r
	}
	if ie, st := w.Lookup(r.l.Item); st == ecs.Alive {
		if d := m.Item.Get(ie); d != nil {
			r.maxStack, r.item = d.MaxStack, true
		}
	}
	r.till = TillWallet(w, r.l.Till)
	return r
}

// aheadBatch is how many intents warm reads at once: enough independent
// cache misses in flight to hide DRAM latency, few enough that the rows
// are still cached when their intents are processed.
const aheadBatch = 64

// warmFromIDs is the world size (in live entities, not NextID: closed
// receipts do not make a world bigger) from which warm runs: the
// rows of a smaller world mostly stay cached, and warming them only costs
// (16% of a replay verification at 10k players, neutral to slightly
// negative in the 10k-player benchmark; 2.4x faster at 1M).
const warmFromIDs = 1 << 18

// warm reads every row the buyers of batch will touch — the id table
// entry, the entity index and the wallet and inventory rows, then their
// balances and slots — in stages: each stage reads one level for every
// buyer of the batch before the next stage follows the pointers it found.
// The misses of one stage are independent, so they overlap, and a buyer's
// chain of dependent misses costs a few DRAM latencies per batch instead
// of per purchase. It changes nothing; the values read are kept only so
// that the loads are not dropped.
func (s *PurchaseSystem) warm(w *ecs.World, batch []components.PurchaseIntent) {
	m := &w.Maps
	var ents [aheadBatch]arche.Entity
	n := 0
	for i := range batch[:min(len(batch), aheadBatch)] {
		if e, st := w.Lookup(batch[i].Buyer); st == ecs.Alive {
			ents[n] = e
			n++
		}
	}
	var wals [aheadBatch]*components.Wallet
	var invs [aheadBatch]*components.Inventory
	for i := range n { // the entity index: where the rows are
		wals[i], invs[i] = m.Wallet.Get(ents[i]), m.Inventory.Get(ents[i])
	}
	var bals [aheadBatch][]components.Balance
	var slots [aheadBatch][]components.Stack
	for i := range n { // the rows: where the balances and slots are
		if wals[i] != nil {
			bals[i] = wals[i].Balances
		}
		if invs[i] != nil {
			slots[i] = invs[i].Slots
		}
	}
	var sink int64
	for i := range n { // the balances and every 64-byte line of slots
		if len(bals[i]) > 0 {
			sink += bals[i][0].Amount
		}
		for j := 0; j < len(slots[i]); j += 4 {
			sink += slots[i][j].Qty
		}
	}
	s.sink += sink
}
