package components

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Total agrees with math/big on random sums and differences, including
// amounts near the int64 limits.
func TestTotalAgreesWithBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	hostile := []int64{0, 1, -1, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1}
	for range 200 {
		var tot Total
		ref := new(big.Int)
		for range 50 {
			v := int64(rng.Uint64())
			if rng.IntN(3) == 0 {
				v = hostile[rng.IntN(len(hostile))]
			}
			if rng.IntN(2) == 0 {
				tot, ref = tot.Add(v), ref.Add(ref, big.NewInt(v))
			} else {
				tot, ref = tot.Sub(v), ref.Sub(ref, big.NewInt(v))
			}
			require.Equal(t, ref.String(), tot.String())
			require.Equal(t, ref.Sign(), tot.Sign())
			v64, ok := tot.Int64()
			require.Equal(t, ref.IsInt64(), ok)
			if ok {
				require.Equal(t, ref.Int64(), v64)
			}
		}
	}
	two := TotalOf(math.MaxInt64).Add(math.MaxInt64)
	assert.Equal(t, "18446744073709551614", two.String())
	assert.Equal(t, 1, two.Cmp(MaxInt64Total))
	assert.Equal(t, -1, TotalOf(-5).Cmp(TotalOf(3)))
	assert.Equal(t, 0, two.Sub(math.MaxInt64).Cmp(MaxInt64Total))
	assert.Equal(t, MaxInt64Total, two.Sub(math.MaxInt64), "== works")
}
