package benchmarks_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/tickecon/tickecon/benchmarks"
	"github.com/tickecon/tickecon/benchmarks/baseline"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
	"github.com/tickecon/tickecon/systems"
)

// world is a built busy scenario, shared by every benchmark over the same
// number of players: building a 1M-player world takes seconds, so it is
// built once per process, on first use (never in init). Benchmarks keep
// mutating it; Busy's unlimited funds, stock and room keep the workload
// stationary however many ticks ran before.
type world struct {
	sc    *benchmarks.Scenario
	w     *ecs.World
	ps    *systems.PurchaseSystem
	rec   *ecs.TickRecord    // the world's own record (Step returns it)
	naive *baseline.Naive    // built on first use
	flat  *baseline.Flat     // built on first use
	full  *baseline.FlatFull // built on first use
}

var worlds = map[int]*world{} // players → world; looked up, never iterated

func busyWorld(b *testing.B, players int) *world {
	b.Helper()
	if bw, ok := worlds[players]; ok {
		return bw
	}
	bw := buildWorld(b, benchmarks.Busy(players))
	worlds[players] = bw
	return bw
}

// commerceWorlds are busy worlds built with InstallCommerce, by players.
var commerceWorlds = map[int]*world{}

func commerceWorld(b *testing.B, players int) *world {
	b.Helper()
	if bw, ok := commerceWorlds[players]; ok {
		return bw
	}
	sc := benchmarks.Busy(players)
	sc.Commerce = true
	bw := buildWorld(b, sc)
	commerceWorlds[players] = bw
	return bw
}

func buildWorld(b *testing.B, sc *benchmarks.Scenario) *world {
	w, ps, err := sc.Build()
	if err != nil {
		b.Fatal(err)
	}
	return &world{sc: sc, w: w, ps: ps, rec: w.Step()}
}

func (bw *world) flatFullDesign() *baseline.FlatFull {
	if bw.full == nil {
		if bw.sc.Commerce {
			bw.full = baseline.NewFlatFullCommerce(bw.sc, systems.DefaultConfig.IdempotencyWindow)
		} else {
			bw.full = baseline.NewFlatFull(bw.sc)
		}
	}
	return bw.full
}

func (bw *world) flatDesign() *baseline.Flat {
	if bw.flat == nil {
		bw.flat = baseline.NewFlat(bw.sc)
	}
	return bw.flat
}

// processingOrder returns intents in the order the PurchaseSystem
// processes them, taken from the tick's record (the system's own sort, not
// a copy of it), so that the floors walk the rows in the same pattern.
func (bw *world) processingOrder(intents []components.PurchaseIntent) []components.PurchaseIntent {
	bw.submit(intents)
	bw.ps.Update(bw.w)
	return append([]components.PurchaseIntent(nil), bw.rec.Intents...)
}

func (bw *world) naiveDesign() *baseline.Naive {
	if bw.naive == nil {
		bw.naive = baseline.NewNaive(bw.sc)
	}
	return bw.naive
}

// submit queues intents and clears the world's record the way Step does
// before its systems run, so that calling the PurchaseSystem directly,
// tick after tick, does not grow the event log.
func (bw *world) submit(intents []components.PurchaseIntent) {
	bw.rec.Events = bw.rec.Events[:0]
	bw.rec.Intents = bw.rec.Intents[:0]
	for _, in := range intents {
		bw.w.Submit(in)
	}
	core.Of(bw.w).BeginSystems(bw.ps) // what Step does before its systems run
}

func completed(evs []events.Event) int {
	n := 0
	for _, ev := range evs {
		if ev.Kind == events.PurchaseCompleted {
			n++
		}
	}
	return n
}

var (
	playerCounts = []int{10_000, 1_000_000}
	intentCounts = []int{1_000, 10_000, 100_000, 1_000_000}
	idleCounts   = []int{10_000, 100_000, 1_000_000}
)

// sizes drops the sizes above 100k in -short mode, so that CI can smoke-run
// every benchmark once in seconds (go test -short -bench=. -benchtime=1x).
func sizes(all []int) []int {
	if !testing.Short() {
		return all
	}
	var out []int
	for _, n := range all {
		if n <= 100_000 {
			out = append(out, n)
		}
	}
	return out
}

func count(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1_000 && n%1_000 == 0:
		return fmt.Sprintf("%dk", n/1_000)
	}
	return fmt.Sprint(n)
}

func report(b *testing.B, intents, done int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(intents), "ns/purchase")
	b.ReportMetric(float64(done)/float64(intents), "completed/intent")
}

// benchSystem times the PurchaseSystem's Update alone over n intents drawn
// from seed, tick after tick (submitting them is not timed).
func benchSystem(b *testing.B, bw *world, n int, seed uint64) {
	intents := bw.sc.Intents(n, seed)
	bw.submit(intents) // warm-up: buffers reach their steady size
	bw.ps.Update(bw.w)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		bw.submit(intents)
		b.StartTimer()
		bw.ps.Update(bw.w)
	}
	if len(bw.rec.Events) != n {
		b.Fatalf("%d events for %d intents", len(bw.rec.Events), n)
	}
	report(b, n, completed(bw.rec.Events))
}

// BenchmarkPurchase measures one tick's purchase processing for each
// design on the same world and the same intents. tickecon is the
// PurchaseSystem's Update alone (collect the intents, sort, validate,
// apply, emit); submitting the intents is not timed (see BenchmarkStep for
// the whole tick). floor (arche) and flat (plain Go arrays) get the intents
// already in the PurchaseSystem's processing order and only do the writes;
// flat-full (plain Go arrays) and naive sort them themselves and apply the
// same rules.
func BenchmarkPurchase(b *testing.B) {
	for _, players := range sizes(playerCounts) {
		for _, n := range sizes(intentCounts) {
			prefix := fmt.Sprintf("players=%s/intents=%s", count(players), count(n))
			b.Run(prefix+"/impl=tickecon", func(b *testing.B) {
				benchSystem(b, busyWorld(b, players), n, 1)
			})
			b.Run(prefix+"/impl=floor", func(b *testing.B) {
				bw := busyWorld(b, players)
				intents := bw.processingOrder(bw.sc.Intents(n, 1))
				baseline.Floor(bw.w, intents) // warm-up, as for tickecon
				b.ReportAllocs()
				done := 0
				for b.Loop() {
					done = baseline.Floor(bw.w, intents)
				}
				report(b, n, done)
			})
			b.Run(prefix+"/impl=flat", func(b *testing.B) {
				bw := busyWorld(b, players)
				f := bw.flatDesign()
				intents := bw.processingOrder(bw.sc.Intents(n, 1))
				f.Purchase(intents) // warm-up, as for tickecon
				b.ReportAllocs()
				done := 0
				for b.Loop() {
					done = f.Purchase(intents)
				}
				report(b, n, done)
			})
			b.Run(prefix+"/impl=flat-full", func(b *testing.B) {
				bw := busyWorld(b, players)
				f := bw.flatFullDesign()
				intents := bw.sc.Intents(n, 1)
				tick := bw.w.NextTick()
				f.Tick(intents, tick) // warm-up, as for tickecon
				b.ReportAllocs()
				var evs []events.Event
				for b.Loop() {
					evs = f.Tick(intents, tick)
				}
				report(b, n, completed(evs))
			})
			b.Run(prefix+"/impl=naive", func(b *testing.B) {
				bw := busyWorld(b, players)
				nv := bw.naiveDesign()
				intents := bw.sc.Intents(n, 1)
				nv.Tick(intents) // warm-up, as for tickecon
				b.ReportAllocs()
				var evs []events.Event
				for b.Loop() {
					evs = nv.Tick(intents)
				}
				report(b, n, completed(evs))
			})
		}
	}
}

// BenchmarkIdle measures a tick with no intents. impl=system is the
// PurchaseSystem alone: it must cost the same whatever the world's size.
// impl=step is the whole Step, which also computes the state checksum.
func BenchmarkIdle(b *testing.B) {
	for _, players := range sizes(idleCounts) {
		b.Run(fmt.Sprintf("players=%s/impl=system", count(players)), func(b *testing.B) {
			bw := busyWorld(b, players)
			bw.submit(nil)
			b.ReportAllocs()
			for b.Loop() {
				bw.ps.Update(bw.w)
			}
		})
		b.Run(fmt.Sprintf("players=%s/impl=step", count(players)), func(b *testing.B) {
			bw := busyWorld(b, players)
			b.ReportAllocs()
			for b.Loop() {
				bw.w.Step()
			}
		})
	}
}

// BenchmarkChecksum measures the state checksum of one tick: impl=full
// recomputes every entity's hash (what FullChecksum and audits cost),
// impl=touched-1k is what Step pays when a tick changed 1,000 entities
// (the cached hashes of the others are reused). Every player entity
// carries a wallet balance, an inventory capacity and its filled slots.
func BenchmarkChecksum(b *testing.B) {
	for _, players := range sizes(playerCounts) {
		bw := busyWorld(b, players)
		bw.submit(bw.sc.Intents(players, 2)) // fill some inventory slots
		bw.w.Step()
		b.Run("players="+count(players)+"/impl=full", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bw.w.FullChecksum()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(players), "ns/player")
		})
		b.Run("players="+count(players)+"/impl=touched-1k", func(b *testing.B) {
			const touched = 1_000
			b.ReportAllocs()
			for b.Loop() {
				for i := range touched {
					bw.w.Touch(bw.sc.Player(i * 7919 % players))
				}
				bw.w.Checksum()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/touched, "ns/touched")
		})
	}
}

// BenchmarkStep measures the whole tick a game pays for next to the
// PurchaseSystem alone, on the same world and intents, in turn every
// iteration (which one goes first alternates), so both see the same load
// and their ratio is trustworthy on a shared machine. step-ns is Submit of
// every intent, then Step (commands, intent entities created in one batch,
// purchases, events, checksum); system-ns is only the PurchaseSystem's
// Update (the Submit and the intents' flush before it are not timed).
// step/system is what the rest of the tick adds per purchase (issue 14's
// target: ≤ 1.3).
func BenchmarkStep(b *testing.B) {
	for _, players := range sizes(playerCounts) {
		const n = 100_000
		b.Run(fmt.Sprintf("players=%s/intents=%s", count(players), count(n)), func(b *testing.B) {
			bw := busyWorld(b, players)
			intents := bw.sc.Intents(n, 3)
			system := func() time.Duration {
				b.StopTimer()
				bw.submit(intents)
				b.StartTimer()
				t0 := time.Now()
				bw.ps.Update(bw.w)
				d := time.Since(t0)
				// Fold the touched entities into the checksum, untimed: the
				// next Step would otherwise rehash them in its first stage.
				b.StopTimer()
				bw.w.Checksum()
				b.StartTimer()
				return d
			}
			var rec *ecs.TickRecord
			step := func() time.Duration {
				t0 := time.Now()
				for _, in := range intents {
					bw.w.Submit(in)
				}
				rec = bw.w.Step()
				return time.Since(t0)
			}
			system() // warm-up: buffers reach their steady size
			step()
			b.ReportAllocs()
			var d [2]time.Duration // system, step
			odd := false
			for b.Loop() {
				if odd {
					d[1] += step()
					d[0] += system()
				} else {
					d[0] += system()
					d[1] += step()
				}
				odd = !odd
			}
			if len(rec.Events) != n {
				b.Fatalf("%d events for %d intents", len(rec.Events), n)
			}
			per := func(x time.Duration) float64 { return float64(x.Nanoseconds()) / float64(b.N) / n }
			b.ReportMetric(per(d[0]), "system-ns")
			b.ReportMetric(per(d[1]), "step-ns")
			b.ReportMetric(per(d[1])/per(d[0]), "step/system")
			b.ReportMetric(float64(completed(rec.Events))/n, "completed/intent")
		})
	}
}

// BenchmarkInterleaved runs one tick of each design in turn, every
// iteration, on the same world and intents (naive first, then a GC that
// is not timed, so its garbage is charged to no one; then tickecon,
// floor, flat and flat-full), and reports each design's ns
// per purchase and their ratios from the same stretch of time. On a shared
// or throttled machine, where consecutive benchmarks see different loads,
// these ratios are the figures to trust (BenchmarkPurchase's absolute
// times are not).
func BenchmarkInterleaved(b *testing.B) {
	for _, players := range sizes(playerCounts) {
		const n = 100_000
		b.Run(fmt.Sprintf("players=%s/intents=%s", count(players), count(n)), func(b *testing.B) {
			bw := busyWorld(b, players)
			intents := bw.sc.Intents(n, 1)
			sorted := bw.processingOrder(intents)
			f, nv, full := bw.flatDesign(), bw.naiveDesign(), bw.flatFullDesign()
			tick := bw.w.NextTick()
			baseline.Floor(bw.w, sorted)
			f.Purchase(sorted)
			full.Tick(intents, tick)
			nv.Tick(intents)
			var d [5]time.Duration
			var cpu [2]time.Duration // tickecon, flat-full: CPU time of this thread
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			for b.Loop() {
				t0 := time.Now()
				nv.Tick(intents)
				d[3] += time.Since(t0)
				// Collect naive's garbage now, untimed: a GC running in the
				// background would otherwise be charged to the next design.
				b.StopTimer()
				runtime.GC()
				bw.submit(intents)
				b.StartTimer()
				c0, _ := threadCPU()
				t0 = time.Now()
				bw.ps.Update(bw.w)
				t1 := time.Now()
				c1, _ := threadCPU()
				baseline.Floor(bw.w, sorted)
				t2 := time.Now()
				f.Purchase(sorted)
				c2, _ := threadCPU()
				t3 := time.Now()
				full.Tick(intents, tick)
				t4 := time.Now()
				c3, _ := threadCPU()
				cpu[0], cpu[1] = cpu[0]+c1-c0, cpu[1]+c3-c2
				d[0], d[1], d[2], d[4] = d[0]+t1.Sub(t0), d[1]+t2.Sub(t1), d[2]+t3.Sub(t2), d[4]+t4.Sub(t3)
			}
			per := func(x time.Duration) float64 { return float64(x.Nanoseconds()) / float64(b.N) / n }
			b.ReportMetric(per(d[0]), "tickecon-ns")
			b.ReportMetric(per(d[1]), "floor-ns")
			b.ReportMetric(per(d[2]), "flat-ns")
			b.ReportMetric(per(d[3]), "naive-ns")
			b.ReportMetric(per(d[4]), "flat-full-ns")
			b.ReportMetric(per(d[0])/per(d[2]), "tickecon/flat")
			b.ReportMetric(per(d[0])/per(d[4]), "tickecon/flat-full")
			b.ReportMetric(per(d[3])/per(d[0]), "naive/tickecon")
			if _, ok := threadCPU(); ok {
				b.ReportMetric(float64(cpu[0])/float64(cpu[1]), "cpu-tickecon/flat-full")
			}
		})
	}
}

// BenchmarkInterleavedCommerce is BenchmarkInterleaved for commerce: a
// world built with InstallCommerce (a receipt per purchase, the 60-tick
// idempotency window) against the flat-full design with its receipt ring
// and window rows, one tick of each in turn every iteration, on the same
// 10k intents (fresh request ids every iteration: a repeated one would be
// answered from the window; 10k, not 100k, so that the 62 warm-up ticks
// that fill every window bucket take seconds). tickecon is the PurchaseSystem's Update
// alone, as in BenchmarkPurchase. Untimed, between iterations, each
// design closes the receipts it issued (tickecon through Close commands
// and a Step, which also ends the tick; Close, not one CloseReceipts: the
// untimed close decides what stays cached for the timed ticks, and with
// the lighter CloseReceipts more of the flat-full design's rows did, which
// moved the ratio by 0.1 with no change to either timed tick), so neither world grows. That
// Step runs the PurchaseSystem again on the same tick, which purges the
// window bucket the timed Update filled; the flat-full window is purged
// alike (Forget), so both probe a table of one tick's requests.
func BenchmarkInterleavedCommerce(b *testing.B) {
	for _, players := range sizes(playerCounts) {
		const n = 10_000
		b.Run(fmt.Sprintf("players=%s/intents=%s", count(players), count(n)), func(b *testing.B) {
			bw := commerceWorld(b, players)
			full := bw.flatFullDesign()
			base := bw.sc.Intents(n, 1)
			intents := make([]components.PurchaseIntent, n)
			req := uint64(0)
			var d, cpu [2]time.Duration
			var evs []events.Event
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			iter := func(timed bool) {
				b.StopTimer()
				req++
				for i := range base {
					intents[i] = base[i]
					intents[i].RequestID += req * n
				}
				tick := bw.w.NextTick()
				bw.submit(intents)
				b.StartTimer()
				c0, _ := threadCPU()
				t0 := time.Now()
				bw.ps.Update(bw.w)
				t1 := time.Now()
				c1, _ := threadCPU()
				evs = full.Tick(intents, tick)
				t2 := time.Now()
				c2, _ := threadCPU()
				b.StopTimer()
				if timed {
					d[0], d[1] = d[0]+t1.Sub(t0), d[1]+t2.Sub(t1)
					cpu[0], cpu[1] = cpu[0]+c1-c0, cpu[1]+c2-c1
				}
				for _, ev := range bw.rec.Events {
					if ev.Kind == events.ReceiptIssued {
						bw.w.Command(events.Close(ev.Subject))
					}
				}
				for _, ev := range evs {
					if ev.Kind == events.ReceiptIssued && !full.Close(ev.Subject) {
						b.Fatalf("flat-full: receipt %d not open", ev.Subject)
					}
				}
				bw.w.Step()
				full.Forget(tick)
				b.StartTimer()
			}
			// Warm-up: every bucket of both windows (a tick's requests each)
			// and every buffer reach their steady size.
			for range systems.DefaultConfig.IdempotencyWindow + 2 {
				iter(false)
			}
			b.ReportAllocs()
			for b.Loop() {
				iter(true)
			}
			if completed(evs) < n*98/100 {
				b.Fatalf("%d of %d completed", completed(evs), n)
			}
			per := func(x time.Duration) float64 { return float64(x.Nanoseconds()) / float64(b.N) / n }
			b.ReportMetric(per(d[0]), "tickecon-ns")
			b.ReportMetric(per(d[1]), "flat-full-ns")
			b.ReportMetric(per(d[0])/per(d[1]), "tickecon/flat-full")
			if _, ok := threadCPU(); ok {
				b.ReportMetric(float64(cpu[0])/float64(cpu[1]), "cpu-tickecon/flat-full")
			}
		})
	}
}

// BenchmarkPurchaseCommerce is BenchmarkPurchase for commerce, one design
// per sub-benchmark (for profiles and instruction counts; the ratio to
// quote is BenchmarkInterleavedCommerce's): the PurchaseSystem's Update in
// a world built with InstallCommerce, and the flat-full design with its
// receipts and window, over the same 10k intents per tick with fresh
// request ids; between ticks, untimed, the issued receipts are closed
// (tickecon: Close commands and a Step) and the tick's window bucket is
// purged as BenchmarkInterleavedCommerce describes.
func BenchmarkPurchaseCommerce(b *testing.B) {
	for _, players := range sizes(playerCounts) {
		const n = 10_000
		prefix := fmt.Sprintf("players=%s/intents=%s", count(players), count(n))
		b.Run(prefix+"/impl=tickecon", func(b *testing.B) {
			bw := commerceWorld(b, players)
			commerceTicks(b, bw, n, true, func(intents []components.PurchaseIntent, tick uint64) []events.Event {
				bw.ps.Update(bw.w)
				return bw.rec.Events
			}, func(evs []events.Event, tick uint64) {
				for _, ev := range evs {
					if ev.Kind == events.ReceiptIssued {
						bw.w.Command(events.Close(ev.Subject))
					}
				}
				bw.w.Step()
			})
		})
		b.Run(prefix+"/impl=flat-full", func(b *testing.B) {
			bw := commerceWorld(b, players)
			full := bw.flatFullDesign()
			commerceTicks(b, bw, n, false, full.Tick, func(evs []events.Event, tick uint64) {
				for _, ev := range evs {
					if ev.Kind == events.ReceiptIssued && !full.Close(ev.Subject) {
						b.Fatalf("flat-full: receipt %d not open", ev.Subject)
					}
				}
				full.Forget(tick)
			})
		})
	}
}

// commerceTicks times run over n fresh-request intents per tick, with end
// called untimed after each; the intents are submitted to the world only
// for tickecon, and the tick numbers go on as the world's would.
func commerceTicks(b *testing.B, bw *world, n int, submit bool,
	run func([]components.PurchaseIntent, uint64) []events.Event, end func([]events.Event, uint64)) {
	base := bw.sc.Intents(n, 1)
	intents := make([]components.PurchaseIntent, n)
	done := 0
	req := uint64(1 << 40) // apart from BenchmarkInterleavedCommerce's ids
	tick := bw.w.NextTick()
	iter := func() {
		b.StopTimer()
		req++
		for i := range base {
			intents[i] = base[i]
			intents[i].RequestID += req * uint64(n)
		}
		if submit {
			tick = bw.w.NextTick()
			bw.submit(intents)
		} else {
			tick++
		}
		b.StartTimer()
		evs := run(intents, tick)
		b.StopTimer()
		done = completed(evs) // before end: a Step reuses tickecon's record
		end(evs, tick)
		b.StartTimer()
	}
	for range systems.DefaultConfig.IdempotencyWindow + 2 { // warm-up, as in BenchmarkInterleavedCommerce
		iter()
	}
	b.ReportAllocs()
	for b.Loop() {
		iter()
	}
	if done < n*98/100 {
		b.Fatalf("%d of %d completed", done, n)
	}
	report(b, n, done)
}
