package shop

import "github.com/tickecon/tickecon/components"

// The money chart: how much of the first currency exists and who holds
// it, sampled every HistoryEvery ticks, the last HistoryLen samples kept.
const (
	HistoryEvery = 5
	HistoryLen   = 240 // 1,200 ticks: a minute at 20 ticks/s
)

// Sample is the money supply of the chart's currency after one tick.
type Sample struct {
	Tick     uint64
	Total    int64 // all of it: the world's supply (ecs.World.Supply)
	Shoppers int64 // held by the players
}

// Supply is all the money there is: what the conservation rule counts.
func (s Sample) Supply() int64 { return s.Total }

// Shops is the money not held by the players: the shops' tills.
func (s Sample) Shops() int64 { return s.Total - s.Shoppers }

// history is a fixed ring of samples: no allocation per tick.
type history struct {
	buf  [HistoryLen]Sample
	next int
	n    int
}

// sample records the state after tick every HistoryEvery ticks, in the
// ring the chart plots. The chart's header shows Now instead: the
// header used to show the last plotted sample, up to HistoryEvery-1 ticks
// old (on the web page it kept tick 0's totals after purchases).
func (m *Model) sample(tick uint64) {
	m.nowTick, m.nowStale = tick, true
	if tick%HistoryEvery != 0 {
		return
	}
	s, ok := m.measure(tick)
	if !ok {
		return
	}
	m.now, m.nowStale = s, false
	h := &m.history
	h.buf[h.next] = s
	h.next = (h.next + 1) % HistoryLen
	h.n = min(h.n+1, HistoryLen)
}

// measure is the money supply of the chart's currency now, as after tick
// (ok is false without a currency).
func (m *Model) measure(tick uint64) (Sample, bool) {
	cur := m.w.Currencies()
	if len(cur) == 0 {
		return Sample{}, false
	}
	s := Sample{Tick: tick, Total: m.moneySupply(cur[0])}
	for _, id := range m.shoppers {
		s.Shoppers = components.SatAdd(s.Shoppers, m.balance(id, cur[0]))
	}
	return s, true
}

// Now is the money supply after the last tick: the chart header's
// totals. It is measured when asked, once per tick (a frame asks; a
// headless run of many ticks pays nothing for it).
func (m *Model) Now() Sample {
	if m.nowStale {
		if s, ok := m.measure(m.nowTick); ok {
			m.now = s
		}
		m.nowStale = false
	}
	return m.now
}

// History appends the kept samples, oldest first, to dst and returns it
// (pass the previous frame's slice to draw without allocating).
func (m *Model) History(dst []Sample) []Sample {
	h := &m.history
	dst = dst[:0]
	for i := h.n; i > 0; i-- {
		dst = append(dst, h.buf[(h.next-i+HistoryLen)%HistoryLen])
	}
	return dst
}

// ChartCurrency names the currency the chart shows and its decimals.
func (m *Model) ChartCurrency() (string, uint8) {
	if cur := m.w.Currencies(); len(cur) > 0 {
		return m.currency(cur[0])
	}
	return "", 0
}
