package components

import (
	"math"
	"math/big"
	"math/bits"
)

// Total is an exact sum of int64 amounts, kept in 128 bits: the total of a
// currency over every wallet can exceed what one balance holds (two
// wallets of math.MaxInt64 each), so a supply or a ledger of minted −
// burned is never wrapped or saturated. The zero value is 0; Totals
// compare with ==.
type Total struct {
	hi int64  // high 64 bits, two's complement
	lo uint64 // low 64 bits
}

// TotalOf returns v as a Total.
func TotalOf(v int64) Total { return Total{hi: v >> 63, lo: uint64(v)} }

// Add returns t + v.
func (t Total) Add(v int64) Total {
	lo, carry := bits.Add64(t.lo, uint64(v), 0)
	return Total{hi: t.hi + v>>63 + int64(carry), lo: lo}
}

// Sub returns t − v.
func (t Total) Sub(v int64) Total {
	lo, borrow := bits.Sub64(t.lo, uint64(v), 0)
	return Total{hi: t.hi - v>>63 - int64(borrow), lo: lo}
}

// Int64 returns t as an int64, and whether it fits one.
func (t Total) Int64() (int64, bool) {
	v := int64(t.lo)
	return v, t.hi == v>>63
}

// Sign returns -1, 0 or +1.
func (t Total) Sign() int {
	switch {
	case t.hi < 0:
		return -1
	case t.hi == 0 && t.lo == 0:
		return 0
	}
	return 1
}

// Cmp returns -1, 0 or +1 as t is less than, equal to or greater than u.
func (t Total) Cmp(u Total) int {
	switch {
	case t.hi < u.hi, t.hi == u.hi && t.lo < u.lo:
		return -1
	case t == u:
		return 0
	}
	return 1
}

// String returns t in decimal.
func (t Total) String() string {
	if v, ok := t.Int64(); ok {
		return big.NewInt(v).String()
	}
	b := new(big.Int).SetInt64(t.hi)
	b.Lsh(b, 64)
	return b.Add(b, new(big.Int).SetUint64(t.lo)).String()
}

// MaxInt64Total is math.MaxInt64 as a Total (what one balance can hold).
var MaxInt64Total = TotalOf(math.MaxInt64)
