package components

import "math"

// AddInt64 returns a+b and whether it did not overflow.
func AddInt64(a, b int64) (int64, bool) {
	s := a + b
	// Overflow iff both operands have the same sign and the sum's differs.
	return s, (a >= 0) != (b >= 0) || (s >= 0) == (a >= 0)
}

// MulInt64 returns a*b and whether it did not overflow.
func MulInt64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	p := a * b
	if (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) || p/b != a {
		return p, false
	}
	return p, true
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
