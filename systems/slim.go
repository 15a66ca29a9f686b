package systems

import (
	"unsafe"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
	"github.com/tickecon/tickecon/internal/prefetch"
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"
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
	return it.Cart == 0 && it.Coupon == 0 && !it.Saga && it.Quantity > 0 && it.MaxTotal == 0 && it.ListingVersion == 0 &&
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
	// The Wallet read checked that be is alive; the Inventory read need not
	// check again (arche's GetUnchecked, documented for this case).
	wal, inv := m.Wallet.Get(be), m.Inventory.GetUnchecked(be)
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
	slot, fits := inv.TryAdd(l.Item, qty, r.maxStack)
	if !fits {
		return events.ReasonInventoryFull, 0, true
	}
	// A buyer with at most adjustRun intents this tick gets its hash adjusted by the
	// terms of the balance and the slot that changed, instead of being
	// read back and rehashed whole (at 1M players a cold read of every
	// buyer). A till that is the buyer, or goods spread over several
	// slots, take the plain touch.
	adjust := s.shortRun && slot >= 0 && till != wal
	var delta uint64
	if adjust {
		st := inv.Slots[slot]
		delta = core.SlotTerm(it.Buyer, slot, st) -
			core.SlotTerm(it.Buyer, slot, components.Stack{Item: st.Item, Qty: st.Qty - qty})
		if bal != nil {
			delta += core.BalanceTerm(it.Buyer, l.Currency, *bal-total) - core.BalanceTerm(it.Buyer, l.Currency, *bal)
		}
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
	// w.Emit(events.PurchaseCompletedEvent{…}.Event()), built in place.
	evs := s.core.Events()
	*evs = append(*evs, events.Event{Tick: w.NextTick(), Kind: events.PurchaseCompleted, Subject: it.Buyer,
		Object: it.Listing, Till: l.Till, Item: l.Item, Currency: l.Currency, Qty: qty, Amount: total,
		Request: it.RequestID})
	if adjust {
		s.core.AdjustHash(it.Buyer, delta)
		s.core.SubjectAdjusted() // ev touches the listing and till, not the buyer
	}
	if s.Receipts {
		receipt = s.issueReceipt(w, components.Receipt{Buyer: it.Buyer, Request: it.RequestID,
			Tick: w.NextTick(), What: it.Listing, Lines: 1, Amount: total})
	}
	return events.ReasonNone, receipt, true
}

// adjustRun is the longest run of one buyer's intents in a tick whose
// purchases adjust the buyer's hash term by term: each costs four field
// hashes, a rehash of a 16-slot buyer about twenty plus reading it back.
const adjustRun = 4

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

// warmFromIDs is the world size (in live entities, not NextID: closed
// receipts do not make a world bigger) from which the look-ahead runs: the
// rows of a smaller world mostly stay cached, and prefetching them only
// costs (16% of a replay verification at 10k players with the earlier
// blocking look-ahead).
const warmFromIDs = 1 << 18

// aheadGroup is how many intents each look-ahead stage covers at once, and
// aheadDepth how many groups ahead of the one being processed the first
// stage runs: at ~50-100 ns a purchase, a group takes about a DRAM latency,
// so every stage's prefetches have arrived when the next stage reads them.
const (
	aheadGroup = 16
	aheadDepth = 4
)

// ahead runs, before the intents of group g are processed, one stage of the
// look-ahead for each of the next groups: it prefetches the id table slots
// of group g+4, the entity records (liveness, location) of group g+3, the
// wallet and inventory rows of group g+2, and the balances and slots of
// group g+1. Each stage reads only what an earlier stage prefetched (by
// now cached), and starts the misses of the next level without waiting
// for them, so a purchase's chain of five dependent misses is hidden behind
// the purchases before it (the first stage also prefetches the buyer's
// cached hash, which AdjustHash updates). It writes nothing; a prefetch is a hint that
// never faults and never changes a result.
func (s *PurchaseSystem) ahead(w *ecs.World, sorted []components.PurchaseIntent, g int) {
	group := func(k int) (int, []components.PurchaseIntent) {
		lo := k * aheadGroup
		if k < 0 || lo >= len(sorted) {
			return 0, nil
		}
		return lo, sorted[lo:min(lo+aheadGroup, len(sorted))]
	}
	// Each intent's stages run at four consecutive calls; what the second
	// stage found (the buyer's entity) and the third (its rows) is kept in
	// the ring for the next, instead of being looked up again. A kept
	// pointer may be stale by then (the general path moved an entity): it
	// only aims a prefetch.
	m, world, ring := &w.Maps, w.ECS(), &s.ring
	var ps [2 * aheadGroup]unsafe.Pointer
	n := 0
	_, gr := group(g + 4)
	for k := range gr {
		ps[n], ps[n+1] = s.core.IDSlots(gr[k].Buyer)
		n += 2
	}
	prefetch.Each(ps[:n])
	n = 0
	lo, gr := group(g + 3)
	for k := range gr {
		r := &ring[(lo+k)%len(ring)]
		*r = aheadRow{}
		if e, st := w.Lookup(gr[k].Buyer); st == ecs.Alive {
			r.e, r.alive = e, true
			ps[n], ps[n+1] = world.EntityRecords(e)
			n += 2
		}
	}
	prefetch.Each(ps[:n])
	n = 0
	lo, gr = group(g + 2)
	for k := range gr {
		if r := &ring[(lo+k)%len(ring)]; r.alive {
			r.wal, r.inv = m.Wallet.Get(r.e), m.Inventory.Get(r.e)
			ps[n], ps[n+1] = unsafe.Pointer(r.wal), unsafe.Pointer(r.inv)
			n += 2
		}
	}
	prefetch.Each(ps[:n])
	lo, gr = group(g + 1)
	for k := range gr {
		r := &ring[(lo+k)%len(ring)]
		var bal []components.Balance
		var slots []components.Stack
		if r.wal != nil {
			bal = r.wal.Balances
		}
		if r.inv != nil {
			slots = r.inv.Slots
		}
		if bal != nil || slots != nil {
			prefetchRows(bal, slots)
		}
	}
}

// aheadRow is what the look-ahead found for one intent's buyer, kept from
// one stage to the next (PurchaseSystem.ring, by the intent's position).
type aheadRow struct {
	e     arche.Entity
	alive bool
	wal   *components.Wallet
	inv   *components.Inventory
}

// rowBytes is how much of a buyer's balances and slots the look-ahead
// prefetches: the balances and the first slots. A purchase scans the slots
// only up to its item's stack, and every line more costs one of the few
// misses the core can have in flight (an A/B at 1M players: 4-20% faster
// than prefetching all 16 slots).
const rowBytes = 4 * prefetch.LineSize

// prefetchRows prefetches the start of a buyer's balances and slots: one
// range when they share their block (a wallet opened with its inventory),
// two otherwise.
func prefetchRows(bal []components.Balance, slots []components.Stack) {
	const size = unsafe.Sizeof(components.Stack{})
	b, sl := unsafe.Pointer(unsafe.SliceData(bal)), unsafe.Pointer(unsafe.SliceData(slots))
	// Compared as integers: a pointer just past the balances' capacity
	// may point past their allocation, which checkptr (-race) refuses.
	if b != nil && uintptr(sl) == uintptr(b)+uintptr(cap(bal))*size {
		prefetch.Range(b, min(uintptr(cap(bal)+len(slots))*size, rowBytes))
		return
	}
	prefetch.Range(b, min(uintptr(len(bal))*size, prefetch.LineSize))
	prefetch.Range(sl, min(uintptr(len(slots))*size, rowBytes-prefetch.LineSize))
}
