package systems

import (
	"testing"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// BenchmarkWindowTick is the idempotency window alone, as a busy commerce
// tick uses it: a 60-tick window, 1,000 buyers with one new request each
// per tick, processed in sorted order (expire the tick leaving the window,
// look every request up, remember it). Run:
// go test ./systems -run '^$' -bench WindowTick
func BenchmarkWindowTick(b *testing.B) {
	const buyers = 1000
	var win window
	win.seed = 12345
	win.resize(60)
	now := uint64(0)
	its := make([]components.PurchaseIntent, buyers)
	tick := func() {
		win.begin(now)
		for i := range its {
			its[i] = components.PurchaseIntent{Buyer: components.ID(5 + 2*i), RequestID: now}
		}
		win.prefetch(its)
		for i := range buyers {
			buyer := components.ID(5 + 2*i)
			if _, dup := win.lookup(buyer, now); dup {
				b.Fatal("duplicate")
			}
			win.add(buyer, now, outcome{kind: events.PurchaseCompleted, receipt: components.ID(1e6 + now*buyers + uint64(i))})
		}
		now++
	}
	for range 200 {
		tick()
	}
	b.ReportAllocs()
	for b.Loop() {
		tick()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/buyers, "ns/request")
}
