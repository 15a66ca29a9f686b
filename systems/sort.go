package systems

import (
	"slices"

	"github.com/tickecon/tickecon/components"
)

// radixMin is the batch size from which sortIntents radix-sorts: below it a
// comparison sort is as fast and needs no scratch buffer.
const radixMin = 256

// sortIntents sorts a into ascending (Buyer, RequestID, Listing, Quantity),
// exactly the order of compareIntents. Large batches are first put in Buyer
// order by a stable least-significant-byte radix sort (only over the bytes
// in which the batch's buyers differ: two or three passes for a million
// players), then every run of one buyer's intents, usually a handful, is
// comparison-sorted. That replaces n·log n calls of compareIntents with a
// few linear passes. scratch is reused from tick to tick, so a steady
// state allocates nothing.
func sortIntents(a []components.PurchaseIntent, scratch *[]components.PurchaseIntent) {
	if len(a) < radixMin {
		slices.SortFunc(a, compareIntents)
		return
	}
	var diff components.ID // bits in which some buyer differs from the first
	for i := range a {
		diff |= a[i].Buyer ^ a[0].Buyer
	}
	if cap(*scratch) < len(a) {
		*scratch = make([]components.PurchaseIntent, len(a))
	}
	src, dst := a, (*scratch)[:len(a)]
	for shift := uint(0); shift < 64 && diff>>shift != 0; shift += 8 {
		if (diff>>shift)&0xff == 0 {
			continue // every buyer has the same byte here: the pass would not move anything
		}
		var pos [256]int
		for i := range src {
			pos[(src[i].Buyer>>shift)&0xff]++
		}
		sum := 0
		for b, c := range pos {
			pos[b] = sum
			sum += c
		}
		for i := range src {
			b := (src[i].Buyer >> shift) & 0xff
			dst[pos[b]] = src[i]
			pos[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &a[0] {
		copy(a, src)
	}
	for lo := 0; lo < len(a); {
		hi := lo + 1
		for hi < len(a) && a[hi].Buyer == a[lo].Buyer {
			hi++
		}
		if hi-lo > 1 {
			slices.SortFunc(a[lo:hi], compareIntents)
		}
		lo = hi
	}
}
