package systems_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// benchWorld has players rich enough and bags big enough to buy forever.
func benchWorld(b *testing.B, commerce bool, players int) (*ecs.World, []components.ID, components.ID) {
	w := ecs.New()
	if commerce {
		systems.InstallCommerce(w, systems.DefaultConfig)
	} else {
		systems.Install(w)
	}
	gold := w.Command(events.DefineCurrency("Gold", 0)).ID
	item := w.Command(events.DefineItem("Pebble", 1<<40)).ID
	shop := w.Command(events.OpenShop("Shop")).ID
	listing := w.Command(events.PostListing(shop, item, gold, 1, 1<<50)).ID
	ps := make([]components.ID, players)
	for i := range ps {
		ps[i] = w.Command(events.OpenPlayer("", 1)).ID
		w.Command(events.Mint(ps[i], gold, 1<<40))
	}
	for _, ev := range w.Step().Events {
		if ev.Kind == events.CommandRejected {
			b.Fatalf("setup command rejected: %v", ev)
		}
	}
	return w, ps, listing
}

// BenchmarkCommerceStep compares a whole tick of plain purchases (Install)
// with the same purchases under InstallCommerce (ports, receipts, a 60-tick
// idempotency window, the saga and settlement systems, the commerce
// checksum), each with and without the per-stage checksums
// (TickRecord.Stages). Run: go test ./systems -run '^$' -bench CommerceStep -benchmem
func BenchmarkCommerceStep(b *testing.B) {
	for _, commerce := range []bool{false, true} {
		for _, stages := range []bool{false, true} {
			b.Run(fmt.Sprintf("commerce=%v/stages=%v", commerce, stages), func(b *testing.B) {
				const players = 1000
				w, ps, listing := benchWorld(b, commerce, players)
				w.SetStageChecksums(stages)
				req, done := uint64(0), 0
				tick := func() {
					req++
					for _, p := range ps {
						w.Submit(components.PurchaseIntent{Buyer: p, Listing: listing, Quantity: 1, RequestID: req})
					}
					done = 0
					k := closer{how: closeBulk} // the client reads and closes its receipts
					evs := w.Step().Events
					for i := range evs {
						k.see(w, &evs[i])
						if evs[i].Kind == events.PurchaseCompleted {
							done++
						}
					}
					k.done(w)
				}
				for range 100 { // warm: the idempotency ring is full
					tick()
				}
				b.ReportAllocs()
				for b.Loop() {
					tick()
				}
				if done != players {
					b.Fatalf("%d of %d purchases completed", done, players)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/players, "ns/purchase")
			})
		}
	}
}

// BenchmarkCommerceRatio is issue 26's "commerce ≤ 2× plain, with every
// receipt closed" measured side by side: a plain world (Install) and a
// commerce world (InstallCommerce: receipts, 60-tick idempotency window,
// sagas, settlement, their checksums) get the same 1,000 purchases every
// tick. The commerce client reads every receipt it is issued and closes
// it, so that receipts do not pile up, and the commerce tick pays for
// that: with close=bulk (the figure to quote) in one CloseReceipts per
// tick, with close=each in one Close per receipt; with close=none the
// receipts are kept. The two worlds step alternately, first one then the
// other, so that load from other processes hits both alike; the metrics
// are the median tick times per purchase and their ratio. Run:
// go test ./systems -run '^$' -bench CommerceRatio -benchtime 2000x
func BenchmarkCommerceRatio(b *testing.B) {
	for _, how := range []closing{closeBulk, closeEach, closeNone} {
		b.Run("close="+how.String(), func(b *testing.B) { commerceRatio(b, how) })
	}
}

// closing is how a benchmark's client closes the receipts it is issued.
type closing int

const (
	closeBulk closing = iota // one CloseReceipts per tick over the tick's receipts
	closeEach                // one Close per receipt
	closeNone                // receipts are kept
)

func (c closing) String() string { return [...]string{"bulk", "each", "none"}[c] }

// closer gathers the receipts of a tick's events and closes them the way
// c says, with commands for the next tick.
type closer struct {
	how         closing
	first, last components.ID
}

// see reads one event of the tick.
func (k *closer) see(w *ecs.World, ev *events.Event) {
	if ev.Kind != events.ReceiptIssued {
		return
	}
	switch k.how {
	case closeEach:
		w.Command(events.Close(ev.Subject))
	case closeBulk:
		if k.first == 0 {
			k.first = ev.Subject
		}
		k.last = ev.Subject // ascending: ids are given out in order
	}
}

// done sends the tick's CloseReceipts, if any.
func (k *closer) done(w *ecs.World) {
	if k.first != 0 {
		w.Command(events.CloseReceipts(k.first, k.last))
		k.first, k.last = 0, 0
	}
}

func commerceRatio(b *testing.B, how closing) {
	const players = 1000
	type side struct {
		w       *ecs.World
		ps      []components.ID
		listing components.ID
		durs    []time.Duration
		done    int
	}
	var sides [2]*side // plain, commerce
	for i := range sides {
		w, ps, listing := benchWorld(b, i == 1, players)
		sides[i] = &side{w: w, ps: ps, listing: listing}
	}
	req := uint64(0)
	tick := func(s *side) {
		start := time.Now()
		for _, p := range s.ps {
			s.w.Submit(components.PurchaseIntent{Buyer: p, Listing: s.listing, Quantity: 1, RequestID: req})
		}
		s.done = 0
		k := closer{how: how}
		evs := s.w.Step().Events
		for i := range evs {
			k.see(s.w, &evs[i])
			if evs[i].Kind == events.PurchaseCompleted {
				s.done++
			}
		}
		k.done(s.w)
		s.durs = append(s.durs, time.Since(start))
	}
	both := func() {
		req++
		first := int(req % 2)
		tick(sides[first])
		tick(sides[1-first])
	}
	for range 100 { // warm: the idempotency ring is full
		both()
	}
	for _, s := range sides {
		s.durs = make([]time.Duration, 0, b.N+1)
	}
	b.ReportAllocs()
	for b.Loop() {
		both()
	}
	for _, s := range sides {
		if s.done != players {
			b.Fatalf("%d of %d purchases completed", s.done, players)
		}
	}
	plain, commerce := median(sides[0].durs), median(sides[1].durs)
	b.ReportMetric(float64(plain.Nanoseconds())/players, "plain-ns/purchase")
	b.ReportMetric(float64(commerce.Nanoseconds())/players, "commerce-ns/purchase")
	b.ReportMetric(float64(commerce)/float64(plain), "commerce/plain")
}

// BenchmarkStageChecksumCost measures what the per-stage checksums
// (TickRecord.Stages) add to a busy commerce tick: two identical worlds
// step alternately on the same intents, each with stages on every other
// tick, so that load from other processes and any difference between the
// two worlds hit both settings alike; overhead-% is the difference of the
// median tick times with stages on and off. Run:
// go test ./systems -run '^$' -bench StageChecksumCost -benchtime 2000x
func BenchmarkStageChecksumCost(b *testing.B) {
	const players = 1000
	type side struct {
		w       *ecs.World
		ps      []components.ID
		listing components.ID
	}
	var sides [2]*side
	for i := range sides {
		w, ps, listing := benchWorld(b, true, players)
		sides[i] = &side{w: w, ps: ps, listing: listing}
	}
	var durs [2][]time.Duration // per tick: off, on
	req := uint64(0)
	tick := func(s *side, on bool) {
		for _, p := range s.ps {
			s.w.Submit(components.PurchaseIntent{Buyer: p, Listing: s.listing, Quantity: 1, RequestID: req})
		}
		s.w.SetStageChecksums(on)
		start := time.Now()
		rec := s.w.Step()
		d := time.Since(start)
		if on {
			durs[1] = append(durs[1], d)
		} else {
			durs[0] = append(durs[0], d)
		}
		k := closer{how: closeBulk}
		for i := range rec.Events {
			k.see(s.w, &rec.Events[i])
		}
		k.done(s.w)
	}
	for range 100 {
		req++
		tick(sides[0], false)
		tick(sides[1], true)
	}
	durs = [2][]time.Duration{make([]time.Duration, 0, 2*b.N+2), make([]time.Duration, 0, 2*b.N+2)}
	b.ReportAllocs()
	for b.Loop() {
		req++
		flip := req%2 == 0
		tick(sides[0], flip)
		tick(sides[1], !flip)
	}
	// Medians: a tick preempted by another process is an outlier, not a cost.
	off, on := median(durs[0]), median(durs[1])
	b.ReportMetric(float64(off.Nanoseconds()), "ns/tick-off")
	b.ReportMetric(float64(on.Nanoseconds()), "ns/tick-on")
	b.ReportMetric(100*(float64(on)-float64(off))/float64(off), "overhead-%")
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
