package systems

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
)

// intentSorter must produce exactly the order of compareIntents (the
// documented processing order) for every batch: small and large, buyers
// close together or spread over all 64 bits, many intents per buyer,
// duplicates, negative quantities, runs already in request order.
func TestSortIntentsMatchesCompareIntents(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var s intentSorter
	buyerSpreads := []uint64{1, 3, 300, 5000, 1<<16 + 1, 1<<16 + 2, 70_000, 1 << 40, math.MaxUint64}
	for round := range 200 {
		n := []int{0, 1, 2, radixMin - 1, radixMin, radixMin + 1, 1000, 5000}[round%8]
		spread := buyerSpreads[round%len(buyerSpreads)]
		base := components.ID(rng.Uint64N(1 << 20))
		a := make([]components.PurchaseIntent, n)
		for i := range a {
			a[i] = components.PurchaseIntent{
				Buyer:     base + components.ID(rng.Uint64N(spread)),
				Listing:   components.ID(rng.Uint64N(5)),
				Quantity:  rng.Int64N(5) - 2,
				RequestID: rng.Uint64N(4),
			}
			if round%3 == 0 { // clients numbering their requests: runs arrive in order
				a[i].RequestID = uint64(i)
			}
			if rng.IntN(3) == 0 { // composition fields break the remaining ties
				a[i].Cart = components.ID(rng.Uint64N(2))
				a[i].PayVia = components.ID(rng.Uint64N(2))
				a[i].ShipTo = components.ID(rng.Uint64N(2))
				a[i].Coupon = components.ID(rng.Uint64N(2))
				a[i].Saga = rng.IntN(2) == 0
			}
			if spread == math.MaxUint64 {
				a[i].Buyer = components.ID(rng.Uint64())
			}
			if i > 0 && rng.IntN(10) == 0 {
				a[i] = a[rng.IntN(i)] // exact duplicates
			}
		}
		want := slices.Clone(a)
		slices.SortFunc(want, compareIntents)
		got := s.sort(slices.Clone(a))
		require.Equal(t, want, got, "round %d n %d spread %d", round, n, spread)
	}
}

// A batch that is already in order comes back as it is (a replay submits
// its recorded, sorted intents); one pair out of order anywhere — by
// buyer, by request id, or only by a later key — must still be sorted.
func TestSortNearlyOrderedBatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var s intentSorter
	for _, n := range []int{radixMin, 1000, 4000} {
		for round := range 30 {
			a := make([]components.PurchaseIntent, n)
			for i := range a {
				a[i] = components.PurchaseIntent{Buyer: components.ID(1 + rng.IntN(n/4)),
					RequestID: rng.Uint64N(3), Listing: components.ID(rng.IntN(3)), Quantity: 1}
			}
			slices.SortFunc(a, compareIntents)
			want := slices.Clone(a)
			require.Equal(t, want, s.sort(slices.Clone(a)), "already in order")
			i := rng.IntN(n - 1)
			for compareIntents(a[i], a[i+1]) == 0 { // find a pair that differs
				i = (i + 1) % (n - 1)
			}
			a[i], a[i+1] = a[i+1], a[i]
			require.Equal(t, want, s.sort(a), "n %d round %d: pair %d swapped", n, round, i)
		}
	}
}

// Every field of an intent is in the processing order: two intents with
// one (Buyer, RequestID) — an original and its duplicate — that differ in
// any field are ordered by it, never by their submission order.
func TestCompareIntentsOrdersByEveryField(t *testing.T) {
	tp := reflect.TypeOf(components.PurchaseIntent{})
	for i := range tp.NumField() {
		var a, b components.PurchaseIntent
		f := reflect.ValueOf(&b).Elem().Field(i)
		switch f.Kind() {
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Int64:
			f.SetInt(1)
		default:
			f.SetUint(1)
		}
		assert.NotZero(t, compareIntents(a, b), "%s is not in compareIntents", tp.Field(i).Name)
		assert.Equal(t, -compareIntents(a, b), compareIntents(b, a), tp.Field(i).Name)
	}
}
