package ecs

import "github.com/tickecon/tickecon/components"

// Checksum tags: one per hashed field group. Part of the format: append only.
const (
	tagAlive uint64 = iota + 1
	tagCurrency
	tagItem
	tagBalance
	tagCapacity
	tagSlot
	tagListingA
	tagListingB
	tagNextID
	tagShop
)

// mix is the splitmix64 finalizer: a fixed integer function, identical on
// every architecture.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// FieldHash hashes one field group of one entity. The state checksum is the
// wrapping sum of FieldHash over every field group of every entity, so it
// does not depend on iteration order (arche's storage order is not stable
// ids' order) and can be updated incrementally by subtracting a field's old
// hash and adding its new one.
func FieldHash(id components.ID, tag, a, b, c uint64) uint64 {
	h := mix(uint64(id) ^ tag*0x9e3779b97f4a7c15)
	h = mix(h ^ a)
	h = mix(h + b)
	return mix(h ^ c*0xd6e8feb86659fd93)
}

// Checksum returns the checksum of the whole economic state, as recorded by
// Step: the core components (CoreChecksum), plus every StateHasher system
// and every hasher added with AddHasher.
func (w *World) Checksum() uint64 {
	sum := w.CoreChecksum()
	for _, s := range w.systems {
		if h, ok := s.(StateHasher); ok {
			sum += h.StateHash()
		}
	}
	for _, h := range w.hashers {
		sum += h(w)
	}
	return sum
}

// CoreChecksum covers the core components: every wallet balance, inventory
// slot, listing, definition and the id allocator. Names are presentation
// and are not included. Zero balances are skipped, so an absent balance and
// a zero one hash alike.
func (w *World) CoreChecksum() uint64 {
	m := &w.Maps
	sum := FieldHash(0, tagNextID, uint64(w.nextID), 0, 0)
	q := w.ecs.Query(&w.stableFilter)
	for q.Next() {
		id := (*components.Stable)(q.Get(m.Stable.ID())).ID
		sum += FieldHash(id, tagAlive, 0, 0, 0)
		if q.Has(m.Currency.ID()) {
			sum += FieldHash(id, tagCurrency, uint64((*components.CurrencyDef)(q.Get(m.Currency.ID())).Decimals), 0, 0)
		}
		if q.Has(m.Item.ID()) {
			sum += FieldHash(id, tagItem, uint64((*components.ItemDef)(q.Get(m.Item.ID())).MaxStack), 0, 0)
		}
		if q.Has(m.Shop.ID()) {
			sum += FieldHash(id, tagShop, 0, 0, 0)
		}
		if q.Has(m.Wallet.ID()) {
			for _, b := range (*components.Wallet)(q.Get(m.Wallet.ID())).Balances {
				if b.Amount != 0 {
					sum += FieldHash(id, tagBalance, uint64(b.Currency), uint64(b.Amount), 0)
				}
			}
		}
		if q.Has(m.Inventory.ID()) {
			inv := (*components.Inventory)(q.Get(m.Inventory.ID()))
			sum += FieldHash(id, tagCapacity, uint64(inv.Capacity), 0, 0)
			for i, s := range inv.Slots {
				sum += FieldHash(id, tagSlot, uint64(i), uint64(s.Item), uint64(s.Qty))
			}
		}
		if q.Has(m.Listing.ID()) {
			l := (*components.ShopListing)(q.Get(m.Listing.ID()))
			sum += FieldHash(id, tagListingA, uint64(l.Shop), uint64(l.Item), uint64(l.Currency))
			sum += FieldHash(id, tagListingB, uint64(l.Price), uint64(l.Stock), uint64(l.Till))
		}
	}
	return sum
}
