package baseline

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
)

// FlatFull's sort gives tickecon's processing order by counting (buyers in
// a narrow id range) and by radix (buyers spread wide), with runs of one
// buyer that repeat request ids and differ in later keys.
func TestFlatFullSortsInProcessingOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, span := range []uint64{50, 1 << 12, 1 << 24, 1 << 40} {
		for _, n := range []int{1, 300, 5000} {
			in := make([]components.PurchaseIntent, n)
			for i := range in {
				in[i] = components.PurchaseIntent{Buyer: components.ID(7 + rng.Uint64N(span)),
					RequestID: rng.Uint64N(3), Listing: components.ID(rng.IntN(3)), Quantity: rng.Int64N(3),
					MaxTotal: rng.Int64N(2), ListingVersion: rng.Uint64N(2)}
			}
			want := slices.Clone(in)
			slices.SortFunc(want, compareFull)
			f := &FlatFull{}
			orig := slices.Clone(in)
			require.Equal(t, want, f.sort(in), "span %d, %d intents", span, n)
			require.Equal(t, orig, in, "the input is not changed")
		}
	}
}
