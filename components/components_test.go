package components

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAddMulOverflow(t *testing.T) {
	cases := []struct {
		a, b     int64
		addOK    bool
		mulOK    bool
		sum, prd int64
	}{
		{1, 2, true, true, 3, 2},
		{math.MaxInt64, 1, false, true, 0, math.MaxInt64},
		{math.MinInt64, -1, false, false, 0, 0},
		{math.MaxInt64, -1, true, true, math.MaxInt64 - 1, -math.MaxInt64},
		{1 << 32, 1 << 31, true, false, 1<<32 + 1<<31, 0},
		{1 << 32, 1 << 30, true, true, 1<<32 + 1<<30, 1 << 62},
		{1 << 32, 1 << 32, true, false, 1 << 33, 0},
		{0, math.MinInt64, true, true, math.MinInt64, 0},
	}
	for _, c := range cases {
		s, ok := AddInt64(c.a, c.b)
		assert.Equal(t, c.addOK, ok, "add %d %d", c.a, c.b)
		if ok {
			assert.Equal(t, c.sum, s)
		}
		p, ok := MulInt64(c.a, c.b)
		assert.Equal(t, c.mulOK, ok, "mul %d %d", c.a, c.b)
		if ok {
			assert.Equal(t, c.prd, p)
		}
	}
	assert.Equal(t, int64(math.MaxInt64), SatMul(1<<40, 1<<40))
	assert.Equal(t, int64(math.MaxInt64), SatAdd(math.MaxInt64, 1))
}

func TestWalletKeepsOrder(t *testing.T) {
	var w Wallet
	w.Credit(5, 10)
	w.Credit(2, 7)
	w.Credit(9, 1)
	w.Credit(5, 1)
	require.Equal(t, []Balance{{2, 7}, {5, 11}, {9, 1}}, w.Balances)
	w.Debit(5, 11)
	assert.Equal(t, int64(0), w.Balance(5))
	assert.Len(t, w.Balances, 3, "an emptied balance keeps its slot")
	assert.False(t, w.CanCredit(9, math.MaxInt64))
	assert.False(t, w.CanCredit(9, -1))
	assert.True(t, w.CanCredit(1, math.MaxInt64))
}

func TestInventoryRoomAddRemove(t *testing.T) {
	inv := Inventory{Capacity: 3}
	assert.Equal(t, int64(30), inv.Room(1, 10))
	inv.Add(1, 15, 10)
	require.Equal(t, []Stack{{1, 10}, {1, 5}}, inv.Slots)
	assert.Equal(t, int64(15), inv.Room(1, 10))
	assert.Equal(t, int64(4), inv.Room(2, 4), "one free slot for another item")
	inv.Add(2, 1, 4)
	assert.Equal(t, int64(5), inv.Room(1, 10))
	assert.Equal(t, int64(0), inv.Room(3, 10))
	assert.False(t, inv.Remove(1, 16))
	assert.Equal(t, int64(15), inv.Count(1), "failed remove changes nothing")
	require.True(t, inv.Remove(1, 6))
	assert.Equal(t, []Stack{{1, 9}, {2, 1}}, inv.Slots)
	assert.Equal(t, int64(math.MaxInt64), (&Inventory{Capacity: 3}).Room(1, math.MaxInt64))
	assert.Equal(t, int64(0), inv.Room(1, 0), "invalid max stack has no room")
}

// Fits agrees with placing the loads one after another with Room and Add,
// on random inventories and loads of distinct items.
func TestInventoryFitsAgreesWithAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for range 5000 {
		inv := Inventory{Capacity: rng.IntN(6)}
		ms := []int64{1 + rng.Int64N(5), 1 + rng.Int64N(5), 1 + rng.Int64N(5)}
		for range rng.IntN(6) {
			it := rng.IntN(3)
			if q := 1 + rng.Int64N(6); inv.Room(ID(it), ms[it]) >= q {
				inv.Add(ID(it), q, ms[it])
			}
		}
		var loads []Load
		for it := range 3 {
			if rng.IntN(2) == 0 {
				loads = append(loads, Load{Item: ID(it), Qty: rng.Int64N(12), MaxStack: ms[it]})
			}
		}
		sim := Inventory{Capacity: inv.Capacity, Slots: append([]Stack(nil), inv.Slots...)}
		want := true
		for _, l := range loads {
			if sim.Room(l.Item, l.MaxStack) < l.Qty {
				want = false
				break
			}
			sim.Add(l.Item, l.Qty, l.MaxStack)
		}
		require.Equal(t, want, inv.Fits(loads), "inventory %v, loads %v", inv, loads)
	}
}

// FitsOne is Room(item, maxStack) >= qty, answered early; random
// inventories, quantities and max stacks near the int64 limits must give the
// same answer both ways.
func TestFitsOneAgreesWithRoom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	pick := func() int64 {
		switch rng.IntN(5) {
		case 0:
			return math.MaxInt64 - rng.Int64N(3)
		case 1:
			return int64(rng.IntN(3)) - 1
		case 2:
			return 1 << (40 + rng.IntN(22))
		}
		return rng.Int64N(12)
	}
	disagree := 0
	for range 20000 {
		inv := Inventory{Capacity: rng.IntN(5)}
		for range rng.IntN(inv.Capacity + 1) {
			inv.Slots = append(inv.Slots, Stack{Item: ID(1 + rng.IntN(3)), Qty: 1 + rng.Int64N(12)})
		}
		item, qty, ms := ID(1+rng.IntN(3)), pick(), pick()
		if inv.FitsOne(item, qty, ms) != (inv.Room(item, ms) >= qty) {
			disagree++
			t.Logf("inventory %+v item %d qty %d maxStack %d: FitsOne %v, Room %d", inv, item, qty, ms, inv.FitsOne(item, qty, ms), inv.Room(item, ms))
		}
	}
	require.Zero(t, disagree)
}

// MulInt64 and AddInt64 agree with exact big-integer arithmetic on random
// operands, most of them near the int64 limits where overflow lives.
func TestMulAddMatchBigArithmetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	pick := func() int64 {
		switch rng.IntN(6) {
		case 0:
			return math.MaxInt64 - rng.Int64N(4)
		case 1:
			return math.MinInt64 + rng.Int64N(4)
		case 2:
			return int64(rng.IntN(5)) - 2
		case 3:
			return int64(1) << rng.IntN(63) * (1 - 2*int64(rng.IntN(2)))
		case 4:
			return int64(rng.Uint64())
		}
		return rng.Int64N(1<<32) - 1<<31
	}
	lo, hi := big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	fits := func(x *big.Int) bool { return x.Cmp(lo) >= 0 && x.Cmp(hi) <= 0 }
	for range 200000 {
		a, b := pick(), pick()
		p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
		got, ok := MulInt64(a, b)
		require.Equal(t, fits(p), ok, "%d*%d", a, b)
		if ok {
			require.Equal(t, p.Int64(), got, "%d*%d", a, b)
		}
		s := new(big.Int).Add(big.NewInt(a), big.NewInt(b))
		sum, ok := AddInt64(a, b)
		require.Equal(t, fits(s), ok, "%d+%d", a, b)
		if ok {
			require.Equal(t, s.Int64(), sum, "%d+%d", a, b)
		}
	}
}

// TryAdd is FitsOne followed, when it fits, by Add: on random inventories
// both ways must agree on the answer and leave the same slots.
func TestTryAddIsFitsOneThenAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 1))
	for range 20000 {
		inv := Inventory{Capacity: rng.IntN(5)}
		for range rng.IntN(inv.Capacity + 1) {
			inv.Slots = append(inv.Slots, Stack{Item: ID(1 + rng.IntN(3)), Qty: 1 + rng.Int64N(12)})
		}
		item, qty, ms := ID(1+rng.IntN(3)), rng.Int64N(30)-1, 1+rng.Int64N(12)
		if rng.IntN(10) == 0 {
			ms = math.MaxInt64 - rng.Int64N(2)
		}
		want := Inventory{Capacity: inv.Capacity, Slots: append([]Stack(nil), inv.Slots...)}
		fits := qty >= 0 && want.FitsOne(item, qty, ms)
		if fits {
			want.Add(item, qty, ms)
		}
		got := Inventory{Capacity: inv.Capacity, Slots: append([]Stack(nil), inv.Slots...)}
		slot, ok := got.TryAdd(item, qty, ms)
		require.Equal(t, fits, ok, "%+v item %d qty %d max %d", inv, item, qty, ms)
		require.Equal(t, want, got, "%+v item %d qty %d max %d", inv, item, qty, ms)
		if slot >= 0 { // exactly one existing stack changed, by qty
			require.Less(t, slot, len(inv.Slots))
			for i := range inv.Slots {
				d := int64(0)
				if i == slot {
					d = qty
				}
				require.Equal(t, inv.Slots[i].Qty+d, got.Slots[i].Qty)
			}
			require.Len(t, got.Slots, len(inv.Slots))
		}
	}
}
