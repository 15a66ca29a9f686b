package report

import (
	"math/big"
	"slices"

	"github.com/tickecon/tickecon/components"
)

// Percentiles the wealth tables show (nearest rank).
var Percentiles = []int{10, 25, 50, 75, 90, 99}

// Wealth is the distribution of one currency over the players' wallets at
// one tick. Amounts are exact minor units; Gini is exact, as a fraction.
type Wealth struct {
	Tick        uint64
	Currency    components.ID
	Players     int              // live players counted (zero balances included)
	Total       components.Total // what they hold together
	Min, Max    int64
	Percentiles []int64 // at Percentiles, nearest rank
	// GiniNum/GiniDen is the Gini coefficient, Σ(2i−n−1)·xᵢ / (n·Σx) over
	// the balances sorted ascending (i from 1): 0 when all hold the same,
	// towards 1 when one holds everything. GiniDen is 0 when nobody holds
	// anything (the coefficient is then undefined).
	GiniNum, GiniDen *big.Int
	// Lorenz[k] is the share of Total held by the poorest k% of players,
	// k = 0…100 (for the chart: display only).
	Lorenz []float64
}

// Gini returns the coefficient rounded to digits decimals, for display
// ("–" when undefined). The rounding is of the exact fraction.
func (w Wealth) Gini(digits int) string {
	if w.GiniDen == nil || w.GiniDen.Sign() == 0 {
		return "–"
	}
	return new(big.Rat).SetFrac(w.GiniNum, w.GiniDen).FloatString(digits)
}

// wealthOf computes the distribution of balances (they are sorted in
// place).
func wealthOf(tick uint64, cur components.ID, bal []int64) Wealth {
	slices.Sort(bal)
	n := len(bal)
	out := Wealth{Tick: tick, Currency: cur, Players: n, GiniNum: new(big.Int), GiniDen: new(big.Int),
		Percentiles: make([]int64, len(Percentiles)), Lorenz: make([]float64, 101)}
	if n == 0 {
		return out
	}
	out.Min, out.Max = bal[0], bal[n-1]
	for i, p := range Percentiles {
		// Nearest rank: the smallest balance with at least p% at or below it.
		r := (p*n + 99) / 100
		out.Percentiles[i] = bal[max(r, 1)-1]
	}
	// Σ(2i−n−1)·xᵢ in 128-bit Totals would do for most worlds; big.Int
	// never overflows, and this runs a few times per report.
	num, term := new(big.Int), new(big.Int)
	cum := make([]components.Total, n+1)
	for i, x := range bal {
		cum[i+1] = cum[i].Add(x)
		term.SetInt64(int64(2*(i+1) - n - 1))
		term.Mul(term, big.NewInt(x))
		num.Add(num, term)
	}
	out.Total = cum[n]
	total := totalBig(out.Total)
	out.GiniNum = num
	out.GiniDen = new(big.Int).Mul(big.NewInt(int64(n)), total)
	if total.Sign() != 0 {
		for k := 0; k <= 100; k++ {
			share := new(big.Rat).SetFrac(totalBig(cum[k*n/100]), total)
			out.Lorenz[k], _ = share.Float64()
		}
	}
	return out
}

// totalBig returns t as a big.Int.
func totalBig(t components.Total) *big.Int {
	if v, ok := t.Int64(); ok {
		return big.NewInt(v)
	}
	b, _ := new(big.Int).SetString(t.String(), 10)
	return b
}

// totalFloat returns t as a float64, for charts.
func totalFloat(t components.Total) float64 {
	if v, ok := t.Int64(); ok {
		return float64(v)
	}
	f, _ := new(big.Float).SetInt(totalBig(t)).Float64()
	return f
}
