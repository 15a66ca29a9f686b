package systems

import (
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
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

type slot struct {
	key  reqKey
	out  outcome
	used bool
}

// window remembers (buyer, request id) → outcome for the last size ticks.
//
// A ring of size per-tick key lists says when each request expires; an
// open-addressing table (linear probing, backward-shift deletion) finds a
// request in O(1). Neither is ever iterated to decide anything, and there
// is no Go map, so nothing depends on map order. At the start of every
// tick the bucket of the tick leaving the window is purged, so the table
// holds exactly the requests of the last size ticks: memory is bounded by
// size × the intents of the busiest tick, and once the table and buckets
// reached that size a tick allocates nothing. The hash of the remembered
// set is kept as a running wrapping sum (added on insert, subtracted on
// purge), so StateHash is O(1) and independent of the table's layout.
//
// Keys are client-chosen, so the table position is a keyed hash
// (ecs.SeededHash under the world's HashSeed, see hash): without the seed
// nobody can pick keys that pile up in one probe run and make a tick
// quadratic. The layout decides no outcome, so peers need not share seeds.
type window struct {
	size    uint64
	now     uint64
	buckets [][]reqKey
	table   []slot
	live    int
	sum     uint64
	seed    uint64 // key of hash
	probes  uint64 // slots examined by find, for tests of the worst case
}

func (win *window) resize(ticks uint64) {
	*win = window{size: ticks, now: win.now, seed: win.seed}
	if ticks > 0 {
		win.buckets = make([][]reqKey, ticks)
		win.table = make([]slot, 64)
	}
}

// hash is the table position of k: the one seam to change the table's
// hashing (it must stay keyed by seed).
func (win *window) hash(k reqKey) uint64 { return ecs.SeededHash(win.seed, uint64(k.buyer), k.req) }

// reseed keys the table with seed, re-placing every entry (after a
// Restore or SetHashSeed gave the world another seed).
func (win *window) reseed(seed uint64) {
	win.seed = seed
	if win.live > 0 {
		win.rehash(len(win.table))
	}
}

// find returns the slot of k, or the empty slot where it would go.
func (win *window) find(k reqKey) int {
	mask := len(win.table) - 1
	i := int(win.hash(k)) & mask
	win.probes++
	for win.table[i].used && win.table[i].key != k {
		i = (i + 1) & mask
		win.probes++
	}
	return i
}

// begin moves the window to tick now: requests of tick now-size leave.
func (win *window) begin(now uint64) {
	win.now = now
	if win.size == 0 {
		return
	}
	b := &win.buckets[now%win.size]
	for _, k := range *b {
		win.remove(k)
	}
	*b = (*b)[:0]
}

func (win *window) lookup(buyer components.ID, req uint64) (outcome, bool) {
	s := &win.table[win.find(reqKey{buyer, req})]
	return s.out, s.used
}

// add remembers a request processed at tick now (one not remembered yet).
func (win *window) add(buyer components.ID, req uint64, o outcome) {
	if win.size == 0 {
		return
	}
	if 2*(win.live+1) > len(win.table) {
		win.grow()
	}
	k := reqKey{buyer, req}
	o.tick = win.now
	win.table[win.find(k)] = slot{key: k, out: o, used: true}
	win.live++
	win.sum += slotHash(k, o)
	b := &win.buckets[win.now%win.size]
	*b = append(*b, k)
}

func (win *window) grow() { win.rehash(2 * len(win.table)) }

// rehash re-places every entry in a table of n slots.
func (win *window) rehash(n int) {
	old := win.table
	win.table = make([]slot, n)
	for _, s := range old {
		if s.used {
			win.table[win.find(s.key)] = s
		}
	}
}

// remove deletes k, shifting later entries of its probe run back so that
// lookups never need tombstones.
func (win *window) remove(k reqKey) {
	i := win.find(k)
	if !win.table[i].used {
		return
	}
	win.sum -= slotHash(k, win.table[i].out)
	win.live--
	mask := len(win.table) - 1
	for j := (i + 1) & mask; win.table[j].used; j = (j + 1) & mask {
		home := int(win.hash(win.table[j].key)) & mask
		// The entry at j may move to i unless its home lies cyclically in (i, j].
		if i <= j && i < home && home <= j || i > j && (i < home || home <= j) {
			continue
		}
		win.table[i] = win.table[j]
		i = j
	}
	win.table[i] = slot{}
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
