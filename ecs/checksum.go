package ecs

import (
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/internal/core"
)

// The checksum tags of the core components (core.TagAlive…) and the mix
// function are in internal/core, shared with the PurchaseSystem's hash
// adjustment (core.BalanceTerm, core.SlotTerm).

// FieldHash hashes one field group of one entity. The state checksum is the
// wrapping sum of FieldHash over every field group of every entity, so it
// does not depend on iteration order (arche's storage order is not stable
// ids' order) and can be updated incrementally by subtracting a field's old
// hash and adding its new one.
func FieldHash(id components.ID, tag, a, b, c uint64) uint64 {
	return core.FieldHash(id, tag, a, b, c)
}

// EntityHasher hashes the components a package adds (receipts, coupons…)
// of one live entity, as a wrapping sum of FieldHash. Register it with
// AddEntityHasher; it is called for entities changed in a tick, and for
// every entity by FullChecksum and audits.
type EntityHasher func(w *World, id components.ID, e arche.Entity) uint64

// AddEntityHasher adds fn to the per-entity hash. Register before the
// first Step.
func (w *World) AddEntityHasher(fn EntityHasher) {
	w.entHashers = append(w.entHashers, fn)
	w.core.Hashers = len(w.entHashers)
}

// Touch marks id as changed in this tick, so that its hash is recomputed
// before the checksum. Every entity named as Subject, Object, Till or Ref
// of an emitted event, and every created or closed entity, is touched
// automatically — except by refusals (PurchaseRejected, CommandRejected,
// PurchaseDuplicate), which by definition changed nothing. A system that
// changes an entity without an event naming it calls Touch. Audits
// (SetChecksumAudit) find a missing Touch.
func (w *World) Touch(id components.ID) {
	if id == 0 || id >= w.nextID || !w.core.IDs.MarkDirty(id) {
		return
	}
	w.dirty = append(w.dirty, id)
}

// SetChecksumAudit makes every n-th Step (n ≥ 1; 0 turns audits off, the
// default) recompute the state hash of every entity from scratch instead of
// only the touched ones, after every stage (so TickRecord.Stages names the
// system that wrote behind the log's back). An audit that finds a difference repairs the
// running checksum and counts a drift (ChecksumDrift): state changed
// without an event or Touch naming its entity. Tests and desync hunts run
// with n = 1; both ways give the same checksum when nothing drifts.
func (w *World) SetChecksumAudit(n uint64) { w.audit = n }

// ChecksumDrift returns how many audits found drift, and the tick of the
// last one.
func (w *World) ChecksumDrift() (count, lastTick uint64) { return w.driftN, w.driftTick }

// Checksum returns the checksum of the whole economic state, as recorded by
// Step: the id allocator, the hash of every live entity (core components
// and every EntityHasher), every StateHasher system and every AddHasher
// function. Entity hashes are cached and recomputed only for touched
// entities, so an idle tick costs the same in a world of any size.
func (w *World) Checksum() uint64 {
	w.flushHashes()
	return w.checksumFrom(w.core.EntSum)
}

// FullChecksum recomputes Checksum from scratch, without the per-entity
// cache (and without changing it). It equals Checksum unless some state
// changed without a Touch.
func (w *World) FullChecksum() uint64 {
	var sum uint64
	q := w.ecs.Query(&w.stableFilter)
	for q.Next() {
		sum += w.entityHash((*components.Stable)(q.Get(w.Maps.Stable.ID())).ID, q.Entity())
	}
	for _, id := range w.rowIDs() {
		sum += w.entityHash(id, w.core.Rows.Entity)
	}
	return w.checksumFrom(sum)
}

func (w *World) checksumFrom(entities uint64) uint64 {
	sum := FieldHash(0, core.TagNextID, uint64(w.nextID), 0, 0) + entities
	for _, h := range w.stateHashers {
		sum += h.StateHash()
	}
	for _, h := range w.hashers {
		sum += h(w)
	}
	return sum
}

// flushHashes folds the touched entities' new hashes into the running sum.
func (w *World) flushHashes() {
	w.touchEvents()
	ahead := len(w.dirty) >= 4*hashAhead && w.core.IDs.Live() >= hashWarmFromIDs
	for i, id := range w.dirty {
		if ahead && i%hashAhead == 0 {
			w.warmHashes(w.dirty[i:min(i+hashAhead, len(w.dirty))])
		}
		var h uint64
		if e, st := w.Lookup(id); st == Alive {
			h = w.entityHash(id, e)
		}
		w.core.EntSum += h - w.core.IDs.Flushed(id, h)
	}
	w.dirty = w.dirty[:0]
}

// rehash rebuilds the per-entity cache from scratch and reports whether
// the running sum was right.
func (w *World) rehash() bool {
	w.flushHashes()
	w.core.IDs.ClearHashes()
	var sum uint64
	q := w.ecs.Query(&w.stableFilter)
	for q.Next() {
		id := (*components.Stable)(q.Get(w.Maps.Stable.ID())).ID
		h := w.entityHash(id, q.Entity())
		w.core.IDs.Flushed(id, h)
		sum += h
	}
	for _, id := range w.rowIDs() {
		h := w.entityHash(id, w.core.Rows.Entity)
		w.core.IDs.Flushed(id, h)
		sum += h
	}
	ok := sum == w.core.EntSum
	w.core.EntSum = sum
	return ok
}

// entityHash hashes one live entity: its core components, then every
// EntityHasher. Names are presentation and are not included. Zero balances
// are skipped, so an absent balance and a zero one hash alike.
func (w *World) entityHash(id components.ID, e arche.Entity) uint64 {
	m, a := &w.Maps, &w.ecs
	// One read of the archetype's mask instead of a Has per component:
	// every touched entity (each buyer, each receipt) passes here.
	mask := a.Mask(e)
	sum := FieldHash(id, core.TagAlive, 0, 0, 0)
	if mask.Get(m.Currency.ID()) {
		sum += FieldHash(id, core.TagCurrency, uint64(m.Currency.Get(e).Decimals), 0, 0)
	}
	if mask.Get(m.Item.ID()) {
		sum += FieldHash(id, core.TagItem, uint64(m.Item.Get(e).MaxStack), 0, 0)
	}
	if mask.Get(m.Shop.ID()) {
		sum += FieldHash(id, core.TagShop, 0, 0, 0)
	}
	if mask.Get(m.Wallet.ID()) {
		for _, b := range m.Wallet.Get(e).Balances {
			if b.Amount != 0 {
				sum += FieldHash(id, core.TagBalance, uint64(b.Currency), uint64(b.Amount), 0)
			}
		}
	}
	if mask.Get(m.Inventory.ID()) {
		inv := m.Inventory.Get(e)
		sum += FieldHash(id, core.TagCapacity, uint64(inv.Capacity), 0, 0)
		for i, s := range inv.Slots {
			sum += FieldHash(id, core.TagSlot, uint64(i), uint64(s.Item), uint64(s.Qty))
		}
	}
	if mask.Get(m.Listing.ID()) {
		l := m.Listing.Get(e)
		sum += FieldHash(id, core.TagListingA, uint64(l.Shop), uint64(l.Item), uint64(l.Currency))
		sum += FieldHash(id, core.TagListingB, uint64(l.Price), uint64(l.Stock), uint64(l.Till))
		if l.Revision != 0 { // a listing never repriced hashes as before revisions existed
			sum += FieldHash(id, core.TagListingRevision, l.Revision, 0, 0)
		}
	}
	for _, fn := range w.entHashers {
		sum += fn(w, id, e)
	}
	return sum
}

// StaleEntities returns, in id order, the live or closed entities whose
// cached hash no longer matches their state: something changed them
// without an event or Touch naming them. For finding a missing Touch in a
// new system; it scans the whole world.
func (w *World) StaleEntities() []components.ID {
	w.flushHashes()
	var stale []components.ID
	for id := components.ID(1); id < w.nextID; id++ {
		var h uint64
		if e, st := w.Lookup(id); st == Alive {
			h = w.entityHash(id, e)
		}
		if h != w.core.IDs.Hash(id) {
			stale = append(stale, id)
		}
	}
	return stale
}

// rowIDs returns the live row ids (internal/core's rows), ascending, in a
// buffer reused by the next call. Rows are not arche entities, so the
// queries over StableFilter do not see them.
func (w *World) rowIDs() []components.ID {
	if w.core.Rows.Owner == nil {
		return nil
	}
	w.rowBuf = w.core.IDs.AppendRows(w.rowBuf[:0], w.core.Rows.Entity)
	return w.rowBuf
}
