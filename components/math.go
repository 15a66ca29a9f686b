package components

import (
	"math"
	"math/bits"
)

// AddInt64 returns a+b and whether it did not overflow.
func AddInt64(a, b int64) (int64, bool) {
	s := a + b
	// Overflow iff both operands have the same sign and the sum's differs.
	return s, (a >= 0) != (b >= 0) || (s >= 0) == (a >= 0)
}

// MulInt64 returns a*b and whether it did not overflow. It multiplies the
// magnitudes into 128 bits instead of checking with a division: a division
// costs ~40 cycles, and every purchase multiplies price by quantity.
func MulInt64(a, b int64) (int64, bool) {
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = -ua // MinInt64's magnitude, 1<<63, is exact in uint64
	}
	if b < 0 {
		ub = -ub
	}
	hi, lo := bits.Mul64(ua, ub)
	if (a < 0) != (b < 0) {
		return a * b, hi == 0 && lo <= 1<<63 // down to MinInt64
	}
	return a * b, hi == 0 && lo <= math.MaxInt64
}

// SatAdd adds two non-negative numbers, saturating at MaxInt64.
func SatAdd(a, b int64) int64 {
	if s, ok := AddInt64(a, b); ok {
		return s
	}
	return math.MaxInt64
}

// SatMul multiplies two non-negative numbers, saturating at MaxInt64.
func SatMul(a, b int64) int64 {
	if p, ok := MulInt64(a, b); ok {
		return p
	}
	return math.MaxInt64
}
