package systems

import (
	"cmp"
	"slices"

	"github.com/tickecon/tickecon/components"
)

// radixMin is the batch size from which intentSorter radix-sorts: below it
// a comparison sort is as fast and needs no buffers.
const radixMin = 256

// buyerKey is what the radix passes move: the buyer and the position of
// its intent, 16 bytes instead of a whole 72-byte intent.
type buyerKey struct {
	buyer components.ID
	at    int
}

// intentSorter sorts a tick's intents into ascending (Buyer, RequestID,
// Listing, Quantity, then the composition fields), exactly the order of
// compareIntents. Its buffers are reused from tick to tick, so a steady
// state allocates nothing.
type intentSorter struct {
	keys, tmp []buyerKey
	counts    []uint32 // count's per-buyer positions
	spare     []components.PurchaseIntent
}

// sort returns a's intents in order: a itself if it is in order already
// or, sorted in place, for small batches; otherwise a sorted copy in the
// sorter's spare buffer (a becomes the spare). Large batches are first
// put in Buyer order, stably — by counting when the buyers span a narrow
// range of ids, by radix otherwise — and then every run of one buyer's
// intents, usually a handful, is comparison-sorted. That replaces n·log n calls of compareIntents with a
// few linear passes.
func (s *intentSorter) sort(a []components.PurchaseIntent) []components.PurchaseIntent {
	if len(a) < radixMin {
		slices.SortFunc(a, compareIntents)
		return a
	}
	n := len(a)
	first := a[0].Buyer
	lo, hi := first, first
	var diff components.ID // bits in which some buyer differs from the first
	ordered := true        // a is in order already (a replay, a sorted client)
	for i := 1; i < n; i++ {
		b := a[i].Buyer
		lo, hi, diff = min(lo, b), max(hi, b), diff|(b^first)
		if p := &a[i-1]; ordered && (p.Buyer > b || p.Buyer == b && p.RequestID >= a[i].RequestID) {
			ordered = compareIntents(*p, a[i]) <= 0
		}
	}
	if ordered {
		return a
	}
	if cap(s.spare) < n {
		s.spare = make([]components.PurchaseIntent, n)
	}
	out := s.spare[:n]
	if span := uint64(hi - lo); span < countSpan(n) {
		s.count(a, out, lo, int(span)+1)
	} else {
		s.radix(a, out, diff)
	}
	s.spare = a
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && out[hi].Buyer == out[lo].Buyer {
			hi++
		}
		if hi-lo > 1 && !requestsAscend(out[lo:hi]) {
			slices.SortFunc(out[lo:hi], compareIntents)
		}
		lo = hi
	}
	return out
}

// countSpan bounds the buyer range (hi − lo) that count sorts: one counter
// per id in the range, at most two per intent (a range of 64k ids always
// qualifies) and never more than 256k of them (1 MiB, the size of L2).
func countSpan(n int) uint64 {
	return min(max(2*uint64(n), 1<<16), 1<<18)
}

// count puts a's intents in out in Buyer order, stably, by counting: one
// sequential pass to count each buyer's intents, one to write every intent
// straight to its place. It is the sort for the usual tick, whose buyers
// are a dense range of player ids: two passes over the intents and no
// random reads (the radix path gathers every intent from a random place).
func (s *intentSorter) count(a, out []components.PurchaseIntent, lo components.ID, span int) {
	if cap(s.counts) < span {
		s.counts = make([]uint32, span)
	}
	pos := s.counts[:span]
	clear(pos)
	for i := range a {
		pos[a[i].Buyer-lo]++
	}
	var sum uint32
	for b, c := range pos {
		pos[b] = sum
		sum += c
	}
	for i := range a {
		b := a[i].Buyer - lo
		out[pos[b]] = a[i]
		pos[b]++
	}
}

// radix puts a's intents in out in Buyer order, stably, for buyers spread
// too widely to count: a least-significant-byte radix sort of (buyer,
// position) keys over the bytes in which the batch's buyers differ — two
// or three passes for a million players; diff has a bit set where some
// buyer differs from the first — then a gather.
func (s *intentSorter) radix(a, out []components.PurchaseIntent, diff components.ID) {
	n := len(a)
	if cap(s.keys) < n {
		s.keys = make([]buyerKey, n)
		s.tmp = make([]buyerKey, n)
	}
	src, dst := s.keys[:n], s.tmp[:n]
	for i := range a {
		src[i] = buyerKey{a[i].Buyer, i}
	}
	for shift := uint(0); shift < 64 && diff>>shift != 0; shift += 8 {
		if (diff>>shift)&0xff == 0 {
			continue // every buyer has the same byte here: the pass would not move anything
		}
		var pos [256]int
		for i := range src {
			pos[(src[i].buyer>>shift)&0xff]++
		}
		sum := 0
		for b, c := range pos {
			pos[b] = sum
			sum += c
		}
		for i := range src {
			b := (src[i].buyer >> shift) & 0xff
			dst[pos[b]] = src[i]
			pos[b]++
		}
		src, dst = dst, src
	}
	for i, k := range src {
		out[i] = a[k.at]
	}
}

// requestsAscend reports whether one buyer's run is already in order
// because its request ids strictly increase (the usual case: a client
// numbers its requests). RequestID is the key after Buyer, so the later
// keys cannot reorder such a run.
func requestsAscend(run []components.PurchaseIntent) bool {
	for i := 1; i < len(run); i++ {
		if run[i-1].RequestID >= run[i].RequestID {
			return false
		}
	}
	return true
}

// compareIntents is the processing order of intents (see PurchaseSystem).
func compareIntents(a, b components.PurchaseIntent) int {
	if c := cmp.Compare(a.Buyer, b.Buyer); c != 0 {
		return c
	}
	if c := cmp.Compare(a.RequestID, b.RequestID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Listing, b.Listing); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Quantity, b.Quantity); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Cart, b.Cart); c != 0 {
		return c
	}
	if c := cmp.Compare(a.PayVia, b.PayVia); c != 0 {
		return c
	}
	if c := cmp.Compare(a.ShipTo, b.ShipTo); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Coupon, b.Coupon); c != 0 {
		return c
	}
	if a.Saga != b.Saga {
		if b.Saga {
			return -1
		}
		return 1
	}
	// The preconditions too: of two intents with one (Buyer, RequestID)
	// the first is processed and the second is its duplicate, so which is
	// first must not depend on the submission order.
	if c := cmp.Compare(a.MaxTotal, b.MaxTotal); c != 0 {
		return c
	}
	return cmp.Compare(a.ListingVersion, b.ListingVersion)
}
