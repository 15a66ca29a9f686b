package shop

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/allocs"
)

// TestHistoryTracksMoneySupply: the chart's samples are taken every
// HistoryEvery ticks, keep the last HistoryLen, and their supply moves
// exactly by the logged mints and burns of the chart's currency.
func TestHistoryTracksMoneySupply(t *testing.T) {
	var net []int64 // per tick: minted − burned of the first currency
	m, err := New(nil, 4, func(w *ecs.World) {
		w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error {
			var d int64
			gold := w.Currencies()[0:min(1, len(w.Currencies()))]
			for _, ev := range r.Events {
				if v, ok := ev.AsMinted(); ok && len(gold) == 1 && v.Currency == gold[0] {
					d += v.Amount
				}
				if v, ok := ev.AsBurned(); ok && len(gold) == 1 && v.Currency == gold[0] {
					d -= v.Amount
				}
			}
			net = append(net, d)
			return nil
		})
	})
	require.NoError(t, err)
	m.Run(HistoryEvery * (HistoryLen + 10))
	h := m.History(nil)
	require.Len(t, h, HistoryLen, "the ring keeps the last HistoryLen samples")
	assert.EqualValues(t, HistoryEvery*(HistoryLen+10), h[len(h)-1].Tick)
	var supply int64
	for tick := uint64(0); tick <= h[0].Tick; tick++ {
		supply += net[tick]
	}
	for i, s := range h {
		if i > 0 {
			require.Equal(t, h[i-1].Tick+HistoryEvery, s.Tick)
			for tick := h[i-1].Tick + 1; tick <= s.Tick; tick++ {
				supply += net[tick]
			}
		}
		require.Equal(t, supply, s.Supply(), "tick %d: supply = mints − burns", s.Tick)
	}
	assert.NotEqual(t, h[0].Shoppers, h[len(h)-1].Shoppers, "money moves between shoppers and tills")
	name, dec := m.ChartCurrency()
	assert.Equal(t, "Gold", name)
	assert.EqualValues(t, 2, dec)

	// Drawing reuses the caller's slice: no allocation per frame.
	buf := make([]Sample, 0, HistoryLen)
	assert.Zero(t, allocs.Total(1000, func() { buf = m.History(buf) }), "allocations in 1000 draws")
}

// TestChartHeaderIsCurrent: the chart's header totals (Now) follow every
// tick, while the plot samples every HistoryEvery ticks (issue 22: the
// web page's header showed tick 0's totals after purchases).
func TestChartHeaderIsCurrent(t *testing.T) {
	m := solo(t)
	require.EqualValues(t, 0, m.LastTick())
	start := m.Now()
	assert.EqualValues(t, 0, start.Tick)
	m.SetQty(3)
	_, err := m.Buy()
	require.NoError(t, err)
	m.StepOnce() // tick 1: not a sampled tick
	require.NotZero(t, 1%HistoryEvery)
	now := m.Now()
	assert.EqualValues(t, 1, now.Tick)
	assert.Equal(t, start.Supply(), now.Supply(), "a purchase moves money, it does not make any")
	assert.Less(t, now.Shoppers, start.Shoppers, "the player paid: the shoppers hold less")
	assert.Equal(t, now.Shoppers, sumOfShoppers(m), "the header's shoppers are this tick's")
	h := m.History(nil)
	assert.EqualValues(t, 0, h[len(h)-1].Tick, "the plot still ends at its last sample")
}

// sumOfShoppers is the chart currency every shopper holds now.
func sumOfShoppers(m *Model) int64 {
	var sum int64
	for _, id := range m.Shoppers() {
		if w := m.Wallet(id); len(w) > 0 {
			sum += w[0].Amount
		}
	}
	return sum
}
