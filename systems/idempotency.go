package systems

import (
	"cmp"
	"slices"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// outcome is what became of a request: remembered so a retry gets it back.
type outcome struct {
	kind    events.Kind   // PurchaseCompleted or PurchaseRejected
	reason  events.Reason // rejection reason (None when completed)
	receipt components.ID // receipt of a completed purchase (0 if none)
	tick    uint64        // tick of the outcome
}

type seenEntry struct {
	buyer components.ID
	req   uint64
	out   outcome
}

// bucket holds the requests processed in one tick. Intents are processed in
// ascending (Buyer, RequestID), so appending keeps it sorted for binary
// search; it is never iterated in map order because there is no map.
type bucket struct {
	tick    uint64
	live    bool
	entries []seenEntry
}

// window remembers (buyer, request id) → outcome for the last size ticks:
// a ring of one sorted bucket per tick. Memory is bounded by size × the
// intents of the busiest tick; buckets are reused, so a steady state
// allocates nothing. Lookup is O(size · log n).
type window struct {
	size    uint64
	now     uint64
	buckets []bucket
}

func (win *window) resize(ticks uint64) {
	win.size = ticks
	win.buckets = make([]bucket, ticks)
}

// inWindow reports whether b holds requests still remembered at tick now.
func (win *window) inWindow(b *bucket) bool {
	return b.live && b.tick <= win.now && win.now-b.tick < win.size
}

func (win *window) lookup(buyer components.ID, req uint64) (outcome, bool) {
	for i := range win.buckets {
		b := &win.buckets[i]
		if !win.inWindow(b) {
			continue
		}
		j, ok := slices.BinarySearchFunc(b.entries, seenEntry{buyer: buyer, req: req}, compareSeen)
		if ok {
			return b.entries[j].out, true
		}
	}
	return outcome{}, false
}

func compareSeen(a, b seenEntry) int {
	if c := cmp.Compare(a.buyer, b.buyer); c != 0 {
		return c
	}
	return cmp.Compare(a.req, b.req)
}

// add remembers a request processed at tick now (callers add in ascending
// (buyer, request) order within a tick).
func (win *window) add(buyer components.ID, req uint64, o outcome) {
	if win.size == 0 {
		return
	}
	b := &win.buckets[win.now%win.size]
	if !b.live || b.tick != win.now {
		b.tick, b.live, b.entries = win.now, true, b.entries[:0]
	}
	o.tick = win.now
	b.entries = append(b.entries, seenEntry{buyer: buyer, req: req, out: o})
}

// Checksum tags of the PurchaseSystem's own state.
const tagSeen = 0x5eed0001

// hash is the wrapping sum of one FieldHash per remembered request, so it
// does not depend on the ring's layout.
func (win *window) hash() uint64 {
	var sum uint64
	for i := range win.buckets {
		b := &win.buckets[i]
		if !win.inWindow(b) {
			continue
		}
		for _, e := range b.entries {
			o := e.out
			sum += ecs.FieldHash(e.buyer, tagSeen, e.req,
				o.tick<<16|uint64(o.kind)<<8|uint64(o.reason), uint64(o.receipt))
		}
	}
	return sum
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
func (s *PurchaseSystem) StateHash() uint64 { return s.seen.hash() }
