package systems

import (
	"unsafe"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
	"github.com/tickecon/tickecon/internal/prefetch"
)

// outcome is what became of a request: remembered so a retry gets it back.
type outcome struct {
	kind    events.Kind   // PurchaseCompleted, PurchaseRejected or SagaStarted
	reason  events.Reason // rejection reason (None otherwise)
	receipt components.ID // receipt or purchase record (0 if none)
	tick    uint64        // tick of the outcome
}

type reqKey struct {
	buyer components.ID
	req   uint64
}

// entry is one remembered request, stored in its tick's bucket, with its
// table hash (a rebuild re-places it without hashing again). Its term of
// the state hash is summed into its bucket's (window.bsum), so expiring a
// tick subtracts one sum instead of reading back every entry's term.
type entry struct {
	key reqKey
	out outcome
	h   uint64 // window.hash(key)
}

// slot is one position of the open-addressing table: the key's keyed hash
// (0: empty) and where its entry lives (bucket tick%size, index in it).
// 16 bytes instead of a whole entry, so the table a purchase probes is a
// third of the size and more of it stays cached; the hash doubles as the
// home position, so deletions never rehash.
type slot struct {
	hash   uint64
	bucket uint32
	at     uint32
}

// window remembers (buyer, request id) → outcome for the last size ticks.
//
// A ring of size per-tick buckets holds the entries, in the order they
// were processed, and says when each expires; an open-addressing table
// (linear probing) of small slots pointing into the buckets finds a
// request in O(1). Neither is ever iterated to decide anything, and there
// is no Go map, so nothing depends on map order. At the start of every
// tick the bucket of the tick leaving the window is emptied, so the
// buckets hold exactly the requests of the last size ticks. Their slots
// are not deleted then (a deletion probed and shifted the table: a fifth
// of a commerce purchase's cost): a slot whose position (bucket, index)
// no longer holds its key is stale, and a lookup passes over it like over
// another key's slot. So every remembered key has exactly one slot that
// leads to its entry, and a key leads nowhere once its entry is gone.
// When live and stale slots fill half the table it is rebuilt from the
// buckets, with room for twice the live entries again: each entry is
// re-placed about once in its life. Memory is bounded by size × the
// intents of the busiest tick, and once the table and buckets reached
// that size a tick allocates nothing. The hash of the remembered set is
// kept as a running wrapping sum (added on insert, subtracted when its
// tick leaves), so StateHash is O(1) and independent of the table's
// layout.
//
// Keys are client-chosen, so the table position is a keyed hash
// (core.SeededHash under the world's hash seed, see hash): without the seed
// nobody can pick keys that pile up in one probe run and make a tick
// quadratic. The layout decides no outcome, so peers need not share seeds.
type window struct {
	size    uint64
	now     uint64
	buckets [][]entry
	bsum    []uint64 // per bucket: the wrapping sum of its entries' slotHash
	table   []slot
	live    int
	used    int // slots in use, live or stale
	sum     uint64
	seed    uint64 // key of hash
	seedKey uint64 // core.SeedKey(seed)
	probes  uint64 // slots examined, for tests of the worst case

	// The last lookup's key, hash and slot: add of the same key (nothing
	// moves the table in between) stores there without probing again.
	lastKey  reqKey
	lastHash uint64
	lastAt   int
	pre      []uint64 // hash of every request of the tick, from prefetch, for lookupAt
	bi       uint32   // bucket of tick now
}

func (win *window) resize(ticks uint64) {
	now := win.now
	*win = window{size: ticks, seed: win.seed, seedKey: core.SeedKey(win.seed)}
	win.setNow(now)
	if ticks > 0 {
		win.buckets = make([][]entry, ticks)
		win.bsum = make([]uint64, ticks)
		win.table = make([]slot, 64)
	}
}

// setNow moves the window's clock to tick now without expiring anything
// (a restore files entries tick by tick).
func (win *window) setNow(now uint64) {
	win.now = now
	if win.size > 0 {
		win.bi = uint32(now % win.size)
	}
}

// hash is the table position of k, never 0 (0 marks an empty slot): the
// one seam to change the table's hashing (it must stay keyed by seed).
func (win *window) hash(k reqKey) uint64 {
	return core.SeededHashKeyed(win.seed, win.seedKey, uint64(k.buyer), k.req) | 1
}

// reseed keys the table with seed, re-placing every entry (after a
// Restore or a test gave the world another seed).
func (win *window) reseed(seed uint64) {
	win.seed, win.seedKey = seed, core.SeedKey(seed)
	if win.live > 0 {
		win.rehash(len(win.table))
	}
}

// find returns the slot of k, or the empty slot where it would go. A slot
// leads to k only if its position still holds k: a stale one (its tick
// left the window; see window) is passed over like another key's.
func (win *window) find(k reqKey, h uint64) int {
	mask := len(win.table) - 1
	i := int(h) & mask
	win.probes++
	for {
		s := &win.table[i]
		if s.hash == 0 {
			return i
		}
		if s.hash == h {
			if b := win.buckets[s.bucket]; int(s.at) < len(b) && b[s.at].key == k {
				return i
			}
		}
		i = (i + 1) & mask
		win.probes++
	}
}

// begin moves the window to tick now: requests of tick now-size leave.
// Their slots stay, stale (see window).
func (win *window) begin(now uint64) {
	win.now = now
	if win.size == 0 {
		return
	}
	bi := uint32(now % win.size)
	win.bi = bi
	b := &win.buckets[bi]
	win.sum -= win.bsum[bi]
	win.bsum[bi] = 0
	win.live -= len(*b)
	*b = (*b)[:0]
	win.lastHash = 0
}

// prefetch hashes every request of the tick (lookupAt reads the hashes)
// and starts loading the home slots of the first ones; lookupAt starts
// each later one slotsAhead requests before it is needed. Loading every
// slot here, as before, let most of them leave the cache again before
// their lookup in a busy tick (1,000 purchases touch more than L2 holds):
// a quarter of a commerce tick's time was these misses. It changes
// nothing.
func (win *window) prefetch(its []components.PurchaseIntent) {
	if win.size == 0 {
		return
	}
	win.pre = win.pre[:0]
	for i := range its {
		win.pre = append(win.pre, win.hash(reqKey{its[i].Buyer, its[i].RequestID}))
	}
	win.prefetchSlots(0)
}

// slotsAhead is how many requests' home slots are prefetched at once, and
// how many requests ahead of the first of them: a purchase takes longer
// than a memory access, so a few suffice, and each is still cached when
// its lookup comes.
const slotsAhead = 8

// prefetchSlots starts loading the home slots of requests from..from+
// slotsAhead-1 of the tick (those that exist), in one call.
func (win *window) prefetchSlots(from int) {
	var ps [slotsAhead]unsafe.Pointer
	mask := uint64(len(win.table) - 1)
	n := 0
	for _, h := range win.pre[min(from, len(win.pre)):min(from+slotsAhead, len(win.pre))] {
		ps[n] = unsafe.Pointer(&win.table[h&mask])
		n++
	}
	prefetch.Each(ps[:n])
}

func (win *window) lookup(buyer components.ID, req uint64) (outcome, bool) {
	if win.size == 0 {
		return outcome{}, false
	}
	return win.lookupHashed(reqKey{buyer, req}, win.hash(reqKey{buyer, req}))
}

// lookupAt is lookup for request i of the slice given to prefetch this
// tick (which hashed it already).
func (win *window) lookupAt(i int, buyer components.ID, req uint64) (outcome, bool) {
	if win.size == 0 {
		return outcome{}, false
	}
	if i%slotsAhead == 0 {
		win.prefetchSlots(i + slotsAhead)
	}
	return win.lookupHashed(reqKey{buyer, req}, win.pre[i])
}

func (win *window) lookupHashed(k reqKey, h uint64) (outcome, bool) {
	at := win.find(k, h)
	win.lastKey, win.lastHash, win.lastAt = k, h, at
	s := &win.table[at]
	if s.hash == 0 {
		return outcome{}, false
	}
	return win.buckets[s.bucket][s.at].out, true
}

// add remembers a request processed at tick now (one not remembered yet).
func (win *window) add(buyer components.ID, req uint64, o outcome) {
	if win.size == 0 {
		return
	}
	if 2*(win.used+1) > len(win.table) {
		win.rebuild()
		win.lastHash = 0
	}
	k := reqKey{buyer, req}
	o.tick = win.now
	var h uint64
	var at int
	if win.lastHash != 0 && win.lastKey == k {
		h, at = win.lastHash, win.lastAt
	} else {
		h = win.hash(k)
		at = win.find(k, h)
	}
	win.lastHash = 0
	bi := win.bi
	b := &win.buckets[bi]
	sh := slotHash(k, o)
	n := len(*b)
	if n < cap(*b) { // in place: append would copy the entry twice
		*b = (*b)[:n+1]
		e := &(*b)[n]
		e.key, e.out, e.h = k, o, h
	} else {
		*b = append(*b, entry{key: k, out: o, h: h})
	}
	win.table[at] = slot{hash: h, bucket: bi, at: uint32(n)}
	win.live++
	win.used++
	win.bsum[bi] += sh
	win.sum += sh
}

// rebuild re-places the live entries, dropping the stale slots, in a table
// with room for at least twice as many new entries as there are live ones
// before the next rebuild: 3 to 6 slots per live entry (at least 64).
func (win *window) rebuild() {
	n := 64
	for n < 3*(win.live+1) {
		n *= 2
	}
	mask := n - 1
	if cap(win.table) >= n {
		win.table = win.table[:n]
		clear(win.table)
	} else {
		win.table = make([]slot, n)
	}
	win.lastHash = 0
	for bi, b := range win.buckets {
		for at := range b {
			i := int(b[at].h) & mask
			for win.table[i].hash != 0 {
				i = (i + 1) & mask
			}
			win.table[i] = slot{hash: b[at].h, bucket: uint32(bi), at: uint32(at)}
		}
	}
	win.used = win.live
}

// rehash re-places every entry in a table of n slots, from the buckets,
// hashing every key anew (a new seed).
func (win *window) rehash(n int) {
	if cap(win.table) >= n {
		win.table = win.table[:n]
		clear(win.table)
	} else {
		win.table = make([]slot, n)
	}
	win.lastHash = 0
	mask := n - 1
	for bi, b := range win.buckets {
		for at := range b {
			h := win.hash(b[at].key)
			b[at].h = h
			i := int(h) & mask
			for win.table[i].hash != 0 {
				i = (i + 1) & mask
			}
			win.table[i] = slot{hash: h, bucket: uint32(bi), at: uint32(at)}
		}
	}
	win.used = win.live
}

// Checksum tag of the PurchaseSystem's own state.
const tagSeen = 0x5eed0001

func slotHash(k reqKey, o outcome) uint64 {
	return ecs.FieldHash(k.buyer, tagSeen, k.req,
		o.tick<<16|uint64(o.kind)<<8|uint64(o.reason), uint64(o.receipt))
}

// SetIdempotencyWindow makes the system remember every processed (buyer,
// request id) for ticks ticks (0: only within one tick, the default). A
// retry inside the window is not applied again: it yields a
// PurchaseDuplicate event carrying the original outcome. Set it before the
// first Step.
func (s *PurchaseSystem) SetIdempotencyWindow(ticks uint64) { s.seen.resize(ticks) }

// StateHash implements ecs.StateHasher: the remembered requests are
// economic state (they decide whether a retry is applied), so a peer that
// forgot one desyncs visibly.
func (s *PurchaseSystem) StateHash() uint64 { return s.seen.sum }
