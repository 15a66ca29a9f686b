package core

import "github.com/tickecon/tickecon/components"

// Checksum tags of the core components: one per hashed field group. Part
// of the checksum format: append only. (They live here, not in ecs, because
// BalanceTerm and SlotTerm must hash exactly as ecs's entity hash does.)
const (
	TagAlive uint64 = iota + 1
	TagCurrency
	TagItem
	TagBalance
	TagCapacity
	TagSlot
	TagListingA
	TagListingB
	TagNextID
	TagShop
	TagListingRevision // a listing's ShopListing.Revision, hashed once non-zero
)

// Mix is the splitmix64 finalizer: a fixed integer function, identical on
// every architecture.
func Mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// FieldHash is ecs.FieldHash (see there): the hash of one field group of
// one entity, whose wrapping sum over every group is the state checksum.
func FieldHash(id components.ID, tag, a, b, c uint64) uint64 {
	h := Mix(uint64(id) ^ tag*0x9e3779b97f4a7c15)
	h = Mix(h ^ a)
	h = Mix(h + b)
	return Mix(h ^ c*0xd6e8feb86659fd93)
}

// BalanceTerm is the checksum term of holder's balance of currency c: the
// part of holder's entity hash that this balance contributes (a zero
// balance contributes nothing).
func BalanceTerm(holder, c components.ID, amount int64) uint64 {
	if amount == 0 {
		return 0
	}
	return FieldHash(holder, TagBalance, uint64(c), uint64(amount), 0)
}

// SlotTerm is the checksum term of slot i of holder's inventory (every
// slot in use has one; slots are never empty). Removing items compacts the
// slots, so a system that removes adjusts nothing and lets the event touch
// the holder.
func SlotTerm(holder components.ID, i int, st components.Stack) uint64 {
	return FieldHash(holder, TagSlot, uint64(i), uint64(st.Item), uint64(st.Qty))
}

// SeededHash hashes the pair (a, b) under seed (a world's hash seed,
// ecs.World.HashSeed): a keyed, non-invertible mix, unlike FieldHash
// (which is fixed so that checksums agree everywhere). For the positions
// of tables fed with client-chosen keys only, never for checksums.
func SeededHash(seed, a, b uint64) uint64 {
	return SeededHashKeyed(seed, SeedKey(seed), a, b)
}

// SeedKey is the second key SeededHash derives from seed: a caller that
// hashes many pairs under one seed computes it once (SeededHashKeyed).
func SeedKey(seed uint64) uint64 { return Mix(seed ^ 0x6a09e667f3bcc908) }

// SeededHashKeyed is SeededHash(seed, a, b) with k1 = SeedKey(seed).
func SeededHashKeyed(seed, k1, a, b uint64) uint64 {
	return Mix(Mix(b^k1) ^ Mix(a^seed))
}
