package benchmarks_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/allocs"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// Durable throughput: purchases per second when every tick's record is
// written and fsynced before the tick's outcomes are visible (group commit
// per tick: the log's Writer is subscribed to the world with SyncEvery 1,
// so Step returns only once its record is on the disk), and each tick's
// latency from handing in its intents to that return.
//
//	go test ./benchmarks -run '^$' -bench Durable -benchtime 200x   # one figure per size
//	go test ./benchmarks -run '^TestDurableTable$' -durable -v       # the README's table

var durableTable = flag.Bool("durable", false, "TestDurableTable: measure and print the durable-throughput table (writes and fsyncs logs in a temp dir)")

// durablePlayers is the session size of the durable figures.
const durablePlayers = 10_000

// durableSizes are the intents per tick measured, with how many ticks the
// table runs of each (enough for a p99 of at least 100 ticks).
var durableSizes = []struct{ intents, ticks int }{
	{100, 2000}, {1_000, 1000}, {10_000, 300}, {100_000, 100},
}

// busyContent is benchmarks.Busy as content a log's header can hold:
// effectively unlimited funds, stock and room (every item type its own
// never-full slot), so every tick does the same work however many ran.
func busyContent(players int) *ecs.Content {
	c := &ecs.Content{Currencies: []ecs.CurrencySpec{{Key: "gold", Name: "Gold", Decimals: 2}}}
	const items, shops, listings = 16, 64, 16
	for i := range items {
		c.Items = append(c.Items, ecs.ItemSpec{Key: fmt.Sprintf("i%d", i), Name: "item", MaxStack: 1 << 40})
	}
	for s := range shops {
		sh := ecs.ShopSpec{Key: fmt.Sprintf("s%d", s), Name: "shop"}
		for l := range listings {
			n := s*listings + l
			sh.Listings = append(sh.Listings, ecs.ListingSpec{Key: fmt.Sprintf("l%d", n), Item: fmt.Sprintf("i%d", n%items),
				Currency: "gold", Price: 1 + int64(n)%100, Stock: 1 << 50})
		}
		c.Shops = append(c.Shops, sh)
	}
	for p := range players {
		c.Players = append(c.Players, ecs.PlayerSpec{Key: fmt.Sprintf("p%d", p), Name: "player", Capacity: items,
			Wallet: []ecs.MoneySpec{{Currency: "gold", Amount: 1 << 50}}})
	}
	return c
}

// durableWorld is a busy world whose every tick is group-committed to a
// log file in dir before Step returns.
type durableWorld struct {
	w        *ecs.World
	log      *ticklog.Writer
	players  []components.ID
	listings []components.ID
	rng      *rand.Rand
	req      uint64
	intents  []components.PurchaseIntent
	commit   time.Duration // time spent in the last tick's append + fsync
}

// newDurableWorld builds the world; with dir "" it keeps no log (the
// same ticks in memory only: what durability costs is the difference).
func newDurableWorld(tb testing.TB, dir string, players int) *durableWorld {
	tb.Helper()
	c := busyContent(players)
	w := ecs.New()
	systems.Install(w)
	ids, err := c.Apply(w)
	require.NoError(tb, err)
	d := &durableWorld{w: w, rng: rand.New(rand.NewPCG(7, 26))}
	if dir != "" {
		lw, err := ticklog.CreateNew(filepath.Join(dir, "durable.log"), c, ticklog.Options{SyncEvery: 1, Setup: systems.CoreSetup()})
		require.NoError(tb, err)
		d.log = lw
		// The Writer's own subscriber, timed: it appends the record and,
		// with SyncEvery 1, flushes and fsyncs it before Step returns.
		sub := lw.Subscriber(nil)
		w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error {
			t0 := time.Now()
			err := sub(r)
			d.commit = time.Since(t0)
			return err
		})
	}
	for _, p := range c.Players {
		d.players = append(d.players, ids.MustID(p.Key))
	}
	for _, s := range c.Shops {
		for _, l := range s.Listings {
			d.listings = append(d.listings, ids.MustID(l.Key))
		}
	}
	first := w.Step() // tick 0: the content
	for _, ev := range first.Events {
		require.NotEqual(tb, events.CommandRejected, ev.Kind, "content command rejected: %v", ev)
	}
	if d.log != nil {
		require.NoError(tb, d.log.Err())
	}
	return d
}

// draw makes the next tick's n intents (not timed): a uniformly random
// player buys 1..3 units of a random listing, request ids rising, about
// 1% invalid (zero quantity) so refusals are part of every tick.
func (d *durableWorld) draw(n int) {
	d.intents = d.intents[:0]
	for range n {
		d.req++
		in := components.PurchaseIntent{Buyer: d.players[d.rng.IntN(len(d.players))],
			Listing: d.listings[d.rng.IntN(len(d.listings))], Quantity: 1 + d.rng.Int64N(3), RequestID: d.req}
		if d.rng.IntN(100) == 0 {
			in.Quantity = 0
		}
		d.intents = append(d.intents, in)
	}
}

// tick hands in the drawn intents and steps: it returns once the tick's
// record is durable, with the number of completed purchases.
func (d *durableWorld) tick() (*ecs.TickRecord, int) {
	for _, in := range d.intents {
		d.w.Submit(in)
	}
	r := d.w.Step()
	return r, completed(r.Events)
}

// durableStats is one size's run.
type durableStats struct {
	intents, ticks, completed int
	total                     time.Duration // sum of tick latencies
	lat, commit               []time.Duration
	logBytes                  int64
}

func (s *durableStats) perSecond(n int) float64 { return float64(n) / s.total.Seconds() }

func pct(d []time.Duration, p float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// runDurable runs ticks of a group-committed world (log in dir) and of
// the same world without a log, in turn tick by tick on the same intents
// (A B A B …: a busy machine's drift hits both alike), and returns both.
func runDurable(tb testing.TB, dir string, intents, ticks int) (logged, mem durableStats) {
	tb.Helper()
	d, m := newDurableWorld(tb, dir, durablePlayers), newDurableWorld(tb, "", durablePlayers)
	logged = durableStats{intents: intents, ticks: ticks}
	mem = logged
	for i := -5; i < ticks; i++ { // 5 warm-up ticks: buffers grow to their steady size
		d.draw(intents)
		m.intents = append(m.intents[:0], d.intents...)
		for _, x := range []struct {
			w  *durableWorld
			st *durableStats
		}{{d, &logged}, {m, &mem}} {
			t0 := time.Now()
			r, done := x.w.tick()
			el := time.Since(t0)
			require.Len(tb, r.Events, intents)
			if i < 0 {
				continue
			}
			x.st.completed += done
			x.st.total += el
			x.st.lat = append(x.st.lat, el)
			x.st.commit = append(x.st.commit, x.w.commit)
		}
	}
	require.Equal(tb, logged.completed, mem.completed, "the same intents, the same outcomes")
	require.NoError(tb, d.log.Close())
	fi, err := os.Stat(filepath.Join(dir, "durable.log"))
	require.NoError(tb, err)
	logged.logBytes = fi.Size()
	return logged, mem
}

// BenchmarkDurable times one group-committed tick (Submit, Step, append,
// fsync) at 10k players and 100 to 100k intents per tick, on a log in a
// temp dir on the machine's disk (TMPDIR decides which).
func BenchmarkDurable(b *testing.B) {
	for _, sz := range durableSizes {
		if testing.Short() && sz.intents > 10_000 {
			continue
		}
		b.Run(fmt.Sprintf("players=10k/intents=%s", count(sz.intents)), func(b *testing.B) {
			d := newDurableWorld(b, b.TempDir(), durablePlayers)
			defer func() { require.NoError(b, d.log.Close()) }()
			for range 5 {
				d.draw(sz.intents)
				d.tick()
			}
			var lat []time.Duration
			var busy time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				d.draw(sz.intents)
				b.StartTimer()
				t0 := time.Now()
				d.tick()
				el := time.Since(t0)
				busy += el
				lat = append(lat, el)
			}
			b.ReportMetric(float64(b.N*sz.intents)/busy.Seconds(), "purchases/s")
			b.ReportMetric(float64(pct(lat, 0.99).Microseconds()), "p99-µs/tick")
		})
	}
}

// TestDurableTable prints the durable-throughput table (only with
// -durable: it writes up to 400 MB of logs, one size at a time, and takes
// a minute or more), the durable world beside the same world without a
// log, tick for tick.
func TestDurableTable(t *testing.T) {
	if !*durableTable {
		t.Skip("measures only with -durable")
	}
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "durable throughput, %d players, group commit per tick (append + fsync before Step returns); log dir %s on %s; %s\n",
		durablePlayers, dir, fsName(dir), time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintln(&b, "| intents/tick | ticks | durable intents/s | completed/s | tick p50 | tick p99 | commit p50 | commit p99 | log bytes/intent | no log: intents/s | tick p99 | durable/no log |")
	fmt.Fprintln(&b, "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, sz := range durableSizes {
		sub := filepath.Join(dir, fmt.Sprint(sz.intents))
		require.NoError(t, os.Mkdir(sub, 0o755))
		st, mem := runDurable(t, sub, sz.intents, sz.ticks)
		require.NoError(t, os.RemoveAll(sub)) // the next size's log has the disk to itself
		fmt.Fprintf(&b, "| %d | %d | %.0f | %.0f | %s | %s | %s | %s | %.1f | %.0f | %s | %.2f |\n", sz.intents, sz.ticks,
			st.perSecond(sz.intents*sz.ticks), st.perSecond(st.completed),
			ms(pct(st.lat, 0.5)), ms(pct(st.lat, 0.99)), ms(pct(st.commit, 0.5)), ms(pct(st.commit, 0.99)),
			float64(st.logBytes)/float64(sz.intents*(sz.ticks+5)), mem.perSecond(sz.intents*sz.ticks), ms(pct(mem.lat, 0.99)),
			st.perSecond(sz.intents*sz.ticks)/mem.perSecond(sz.intents*sz.ticks))
	}
	t.Log("\n" + b.String())
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// A group-committed tick allocates nothing in steady state either: the
// record is encoded into the Writer's reused buffer and fsynced in place.
func TestDurableTickAllocatesNothing(t *testing.T) {
	d := newDurableWorld(t, t.TempDir(), 1_000)
	for range 100 { // warm-up: buffers reach their steady size
		d.draw(500)
		d.tick()
	}
	n := allocs.Total(50, func() {
		d.draw(500)
		d.tick()
	})
	require.NoError(t, d.log.Close())
	require.Zero(t, n, "allocations over 50 durable ticks")
}
