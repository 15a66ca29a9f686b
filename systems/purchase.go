package systems

import (
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
)

// Install adds the default systems to w in their fixed order and returns
// the PurchaseSystem: plain Wallet + Inventory purchases, no receipts, no
// idempotency window beyond the tick. InstallCommerce adds the rest.
func Install(w *ecs.World) *PurchaseSystem {
	p := NewPurchaseSystem()
	w.AddSystem(p)
	return p
}

// PurchaseSystem consumes every PurchaseIntent each tick.
//
// Order: intents are processed in ascending (Buyer, RequestID, Listing,
// Quantity, then the composition fields), whatever order they were
// submitted in, so peers that receive the same inputs in a different order
// still agree. Each intent is validated against the state left by the
// intents before it, so when two buyers want the last unit the lower buyer
// id wins, and a wallet spending twice in one tick pays for its lower
// request id first.
//
// Validation runs to completion before anything is written; the first
// failing check names the rejection, and a rejected intent changes
// nothing. A valid intent is applied whole in the same frame: payment,
// coupon, stock, delivery, one PurchaseCompleted event per line, and (when
// enabled, and always for carts) a receipt entity.
type PurchaseSystem struct {
	buf     []components.PurchaseIntent // reused every tick: no steady-state allocation
	sorter  intentSorter                // its buffers are reused likewise
	sources []PaymentSource
	targets []DeliveryTarget
	plan    Plan

	// Receipts makes every completed purchase create a Receipt entity.
	// Cart checkouts always create one.
	Receipts bool
	seen     window        // idempotency memory (idempotency.go)
	credits  credits       // reused: combined credits per wallet of one purchase
	m        *CommerceMaps // nil unless InstallCommerce: set once, never lazily on a purchase
	sagas    *SagaSystem
	// noSlim sends every intent down the general path (tests compare).
	noSlim bool
	// aheadAlways runs the look-ahead in worlds of any size (tests).
	aheadAlways bool
	// shortRun: the current buyer has at most adjustRun intents this tick
	// (slim.go adjusts its hash instead of touching it).
	shortRun bool
	// accountFirst: the sources are this system's AccountSource, then the
	// Wallet (InstallCommerce); set by defaultPortsFirst.
	accountFirst bool
	// memo remembers what listings resolve to; a bumped epoch forgets it
	// (slim.go).
	memo  *[memoSize]listingMemo
	epoch uint64
	// core is the world's core state (its id table and running checksum),
	// fetched once per Update: the slim path adjusts hashes through it and
	// the look-ahead prefetches its slots.
	core *core.State
}

// NewPurchaseSystem returns a PurchaseSystem with no pending work that pays
// from wallets and delivers to inventories.
func NewPurchaseSystem() *PurchaseSystem {
	s := &PurchaseSystem{}
	s.RegisterPayment(WalletSource{})
	s.RegisterDelivery(InventoryTarget{})
	return s
}

// Name implements ecs.System.
func (s *PurchaseSystem) Name() string { return "purchase" }

// Update implements ecs.System.
func (s *PurchaseSystem) Update(w *ecs.World) {
	c := core.Of(w)
	s.core = c
	if s.seen.seed != c.HashSeed {
		s.seen.reseed(c.HashSeed)
	}
	s.seen.begin(w.NextTick())
	s.epoch++
	s.buf = c.TakeIntents(s.buf[:0])
	if len(s.buf) == 0 {
		return
	}
	s.buf = s.sorter.sort(s.buf) // s.buf itself when already in order
	// The record keeps the sorted intents (no copy); the system collects
	// into the record's previous buffer next tick.
	sorted := s.buf
	s.buf = c.SwapRecordIntents(sorted)
	s.seen.prefetch(sorted)
	portsFirst := s.defaultPortsFirst()
	ahead := len(sorted) >= 4*aheadGroup && (s.aheadAlways || c.IDs.Live() >= warmFromIDs)
	if ahead {
		for g := -aheadDepth; g < 0; g++ { // fill the pipeline
			s.ahead(w, sorted, g)
		}
	}
	for i := range sorted {
		if ahead && i%aheadGroup == 0 {
			s.ahead(w, sorted, i/aheadGroup)
		}
		it := sorted[i]
		if i == 0 || sorted[i-1].Buyer != it.Buyer {
			if i > 0 {
				c.FoldTouched() // the last buyer's rows are hashed while cached
			}
			j := i + 1
			for j < len(sorted) && j-i <= adjustRun && sorted[j].Buyer == it.Buyer {
				j++
			}
			s.shortRun = j-i <= adjustRun
		}
		if s.seen.size > 0 {
			if o, dup := s.seen.lookupAt(i, it.Buyer, it.RequestID); dup {
				w.Emit(events.PurchaseDuplicateEvent{Buyer: it.Buyer, Request: it.RequestID,
					Original: o.kind, Reason: o.reason, Receipt: o.receipt, At: o.tick}.Event())
				continue
			}
		} else if i > 0 && sorted[i-1].Buyer == it.Buyer && sorted[i-1].RequestID == it.RequestID {
			s.reject(w, it, events.ReasonDuplicateRequest)
			continue
		}
		if !s.noSlim && slimmable(&it) {
			if why, receipt, ok := s.slim(w, &it, portsFirst); ok {
				if why != events.ReasonNone {
					s.reject(w, it, why)
					s.seen.add(it.Buyer, it.RequestID, outcome{kind: events.PurchaseRejected, reason: why})
				} else {
					s.seen.add(it.Buyer, it.RequestID, outcome{kind: events.PurchaseCompleted, receipt: receipt})
				}
				continue
			}
		}
		s.general(w, it)
	}
}

// general validates and applies one intent the long way: any composition,
// any port.
func (s *PurchaseSystem) general(w *ecs.World, it components.PurchaseIntent) {
	p := &s.plan
	if why := s.Validate(w, it, p); why != events.ReasonNone {
		s.reject(w, it, why)
		s.seen.add(it.Buyer, it.RequestID, outcome{kind: events.PurchaseRejected, reason: why})
		return
	}
	// Applying may add or remove entities anywhere (receipts, purchase
	// records, parcels): what the slim path remembers is stale after it.
	// A rejection wrote nothing, so the memo survives it.
	s.epoch++
	if it.Saga {
		rec := s.sagas.start(w, p)
		s.seen.add(it.Buyer, it.RequestID, outcome{kind: events.SagaStarted, receipt: rec})
		return
	}
	receipt := s.Apply(w, p)
	s.seen.add(it.Buyer, it.RequestID, outcome{kind: events.PurchaseCompleted, receipt: receipt})
}

func (s *PurchaseSystem) reject(w *ecs.World, it components.PurchaseIntent, why events.Reason) {
	w.Emit(events.PurchaseRejectedEvent{Buyer: it.Buyer, Listing: it.Listing, Cart: it.Cart,
		Qty: it.Quantity, Request: it.RequestID, Reason: why}.Event())
}
