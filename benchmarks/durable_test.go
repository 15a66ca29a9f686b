package benchmarks_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
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
//	go test ./benchmarks -run '^TestDurableTable$' -durable -v       # the table of docs/benchmarks.md
//	go test ./benchmarks -run '^TestDurableTable$' -durable -replicated -v -timeout 30m
//
// With -replicated the same run also commits each tick's frame on JetStream
// streams of two in-process 3-node clusters (natsbox.StartCluster): a
// lockstep.Host with Failover (lease, fencing) publishes the tick's frame
// and the tick is done once Host.WaitCommitted returns (the frame is
// stored by a quorum, the way Host.Committed counts it): R1 and R3 with
// SyncAlways, R3 with nats-server's default sync.

var (
	durableTable      = flag.Bool("durable", false, "TestDurableTable: measure and print the durable-throughput table (writes and fsyncs logs in a temp dir)")
	durableReplicated = flag.Bool("replicated", false, "TestDurableTable: also commit each tick's frame on R1/R3 JetStream streams of in-process 3-node clusters")
	durableOnly       = flag.String("durable-only", "", "TestDurableTable: measure only the sizes (intents per tick, comma-separated) and ticks given as size:ticks,… (for fsync counts under strace)")
)

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
	commit   time.Duration  // time spent in the last tick's append + fsync, or waiting for its frame's commit
	host     *lockstep.Host // replicated: the world's frames go to a stream
	ctx      context.Context
	name     string
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
	d := &durableWorld{w: w}
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
	d.start(tb, c, ids)
	if d.log != nil {
		require.NoError(tb, d.log.Err())
	}
	return d
}

// newReplicatedWorld builds the world as the host of a replicated world
// on cluster c (a stream of replicas copies, session name): every tick's
// frame is published and the tick is done once it is committed. The host
// stores no snapshots during the run (SnapshotEvery beyond it; the
// host's checksum ring is as long, 1M ticks of 64 bytes), as the
// local log writes none: both measure the per-tick commit alone.
func newReplicatedWorld(tb testing.TB, c *natsbox.Cluster, name string, replicas, players int) *durableWorld {
	tb.Helper()
	content := busyContent(players)
	// The host applies the content to its own world; the same content on
	// a fresh world gets the same ids (determinism).
	scratch := ecs.New()
	systems.Install(scratch)
	ids, err := content.Apply(scratch)
	require.NoError(tb, err)
	nc, err := nats.Connect(c.URLs(), nats.MaxReconnects(-1))
	require.NoError(tb, err)
	tb.Cleanup(nc.Close)
	var h *lockstep.Host
	require.Eventually(tb, func() bool { // the cluster may still be settling
		h, err = lockstep.NewHost(nc, lockstep.Config{Session: name, NewWorld: newCoreWorld, Content: content,
			Replicas: replicas, SnapshotEvery: 1 << 20, Failover: &lockstep.Failover{ID: "h", LeaseTTL: 2 * time.Second}})
		return err == nil
	}, time.Minute, 10*time.Millisecond, "host: %v", err)
	tb.Cleanup(h.Close)
	d := &durableWorld{w: h.World(), host: h, ctx: context.Background(), name: name}
	d.start(tb, content, ids)
	return d
}

func newCoreWorld() *ecs.World {
	w := ecs.New()
	systems.Install(w)
	return w
}

// start runs tick 0 (the content, queued) and keeps the players' and
// listings' ids.
func (d *durableWorld) start(tb testing.TB, c *ecs.Content, ids ecs.IDs) {
	tb.Helper()
	d.rng = rand.New(rand.NewPCG(7, 26))
	for _, p := range c.Players {
		d.players = append(d.players, ids.MustID(p.Key))
	}
	for _, s := range c.Shops {
		for _, l := range s.Listings {
			d.listings = append(d.listings, ids.MustID(l.Key))
		}
	}
	first, err := d.step()
	require.NoError(tb, err)
	for _, ev := range first.Events {
		require.NotEqual(tb, events.CommandRejected, ev.Kind, "content command rejected: %v", ev)
	}
}

// step runs the next tick with the intents queued; a replicated world's
// returns once its frame is committed.
func (d *durableWorld) step() (*ecs.TickRecord, error) {
	if d.host == nil {
		return d.w.Step(), nil
	}
	if err := d.host.Prepare(d.ctx); err != nil {
		return nil, err
	}
	r := d.w.Step()
	if err := d.host.Err(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	err := d.host.WaitCommitted(d.ctx, r.Tick)
	d.commit = time.Since(t0)
	return r, err
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
func (d *durableWorld) tick() (*ecs.TickRecord, int, error) {
	for _, in := range d.intents {
		d.w.Submit(in)
	}
	r, err := d.step()
	if err != nil {
		return nil, 0, err
	}
	return r, completed(r.Events), nil
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
	st := runWorlds(tb, []*durableWorld{d, m}, intents, ticks)
	require.NoError(tb, d.log.Close())
	fi, err := os.Stat(filepath.Join(dir, "durable.log"))
	require.NoError(tb, err)
	st[0].logBytes = fi.Size()
	return st[0], st[1]
}

// runWorlds runs ticks of every world in turn, tick by tick on the same
// intents (A B C … A B C …), after 5 warm-up ticks, and returns each
// world's figures. Every world must come to the same outcomes.
func runWorlds(tb testing.TB, worlds []*durableWorld, intents, ticks int) []durableStats {
	tb.Helper()
	st := make([]durableStats, len(worlds))
	for i := range st {
		st[i] = durableStats{intents: intents, ticks: ticks}
	}
	lead := worlds[0]
	for i := -5; i < ticks; i++ { // 5 warm-up ticks: buffers grow to their steady size
		lead.draw(intents)
		for k, w := range worlds {
			if w != lead {
				w.intents = append(w.intents[:0], lead.intents...)
			}
			t0 := time.Now()
			r, done, err := w.tick()
			el := time.Since(t0)
			require.NoError(tb, err, "world %d (%s), tick %d, %d intents", k, w.name, i, intents)
			require.Len(tb, r.Events, intents)
			if i < 0 {
				continue
			}
			st[k].completed += done
			st[k].total += el
			st[k].lat = append(st[k].lat, el)
			st[k].commit = append(st[k].commit, w.commit)
		}
	}
	for k := range st {
		require.Equal(tb, st[0].completed, st[k].completed, "the same intents, the same outcomes")
	}
	return st
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
				_, _, err := d.tick()
				require.NoError(b, err)
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
				_, _, err := d.tick()
				el := time.Since(t0)
				if err != nil {
					b.Fatal(err)
				}
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
	if *durableReplicated && *durableOnly != "" {
		t.Log("\n" + replicatedTable(t, dir))
		return
	}
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
	if *durableReplicated {
		t.Log("\n" + replicatedTable(t, dir))
	}
}

// replicatedTable measures, for each size, five worlds on the same
// intents in turn tick by tick: in memory, group-committed to the local
// log, and committed on R1 SyncAlways, R3 SyncAlways and R3 default-sync
// streams (two 3-node clusters, one per policy, both running throughout).
func replicatedTable(t *testing.T, dir string) string {
	sizes := durableSizes
	if *durableOnly != "" {
		sizes = sizes[:0:0]
		for _, f := range strings.Split(*durableOnly, ",") {
			var n, k int
			_, err := fmt.Sscanf(f, "%d:%d", &n, &k)
			require.NoError(t, err, "-durable-only wants size:ticks,…")
			sizes = append(sizes, struct{ intents, ticks int }{n, k})
		}
	}
	clusters := map[natsbox.Sync]*natsbox.Cluster{}
	for _, sy := range []natsbox.Sync{natsbox.SyncAlways, natsbox.SyncDefault} {
		// 8 MiB: a frame of 100k intents is ≈ 1.6 MB, over nats-server's
		// default 1 MiB payload limit (the publish fails with
		// nats.ErrMaxPayload).
		c, err := natsbox.StartCluster(natsbox.ClusterOptions{Dir: filepath.Join(dir, "cluster-"+sy.String()[:6]), Sync: sy,
			MaxPayload: 8 << 20})
		require.NoError(t, err)
		t.Cleanup(c.Shutdown)
		clusters[sy] = c
	}
	var b strings.Builder
	fmt.Fprintf(&b, "replicated durable throughput, %d players: each tick done once its record is fsynced (local log) or its frame is committed (stored by the stream's quorum; Host.WaitCommitted); five worlds in turn on the same intents; %s\n",
		durablePlayers, time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "load before: %s", loadavg())
	fmt.Fprintln(&b, "| intents/tick | ticks | frame bytes | commit | intents/s | tick p50 | tick p99 | commit p50 | commit p99 | / in memory |")
	fmt.Fprintln(&b, "|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|")
	for _, sz := range sizes {
		sub := filepath.Join(dir, fmt.Sprint(sz.intents))
		require.NoError(t, os.Mkdir(sub, 0o755))
		worlds := []*durableWorld{newDurableWorld(t, "", durablePlayers), newDurableWorld(t, sub, durablePlayers),
			newReplicatedWorld(t, clusters[natsbox.SyncAlways], fmt.Sprintf("r1a%d", sz.intents), 1, durablePlayers),
			newReplicatedWorld(t, clusters[natsbox.SyncAlways], fmt.Sprintf("r3a%d", sz.intents), 3, durablePlayers),
			newReplicatedWorld(t, clusters[natsbox.SyncDefault], fmt.Sprintf("r3d%d", sz.intents), 3, durablePlayers)}
		labels := []string{"none (in memory)", "local log, fsync", "R1, SyncAlways", "R3, SyncAlways", "R3, default sync"}
		st := runWorlds(t, worlds, sz.intents, sz.ticks)
		require.NoError(t, worlds[1].log.Close())
		for _, w := range worlds[2:] {
			w.host.Close()
		}
		require.NoError(t, os.RemoveAll(sub))
		// A frame's size: the tick's inputs as the frame encodes them
		// (the wire adds the type, version and session name).
		worlds[0].draw(sz.intents)
		frame := len(ticklog.AppendTick(nil, &ecs.TickRecord{Tick: 1 << 20, Intents: worlds[0].intents}))
		mem := st[0].perSecond(sz.intents * sz.ticks)
		for k, x := range st {
			fmt.Fprintf(&b, "| %d | %d | %d | %s | %.0f | %s | %s | %s | %s | %.2f |\n", sz.intents, sz.ticks, frame, labels[k],
				x.perSecond(sz.intents*sz.ticks), ms(pct(x.lat, 0.5)), ms(pct(x.lat, 0.99)),
				ms(pct(x.commit, 0.5)), ms(pct(x.commit, 0.99)), x.perSecond(sz.intents*sz.ticks)/mem)
		}
	}
	fmt.Fprintf(&b, "load after: %s", loadavg())
	return b.String()
}

// loadavg is /proc/loadavg's line ("" where there is none): the figures
// say how busy the shared machine was.
func loadavg() string {
	l, _ := os.ReadFile("/proc/loadavg")
	return string(l)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// A group-committed tick allocates nothing in steady state either: the
// record is encoded into the Writer's reused buffer and fsynced in place.
func TestDurableTickAllocatesNothing(t *testing.T) {
	d := newDurableWorld(t, t.TempDir(), 1_000)
	for range 100 { // warm-up: buffers reach their steady size
		d.draw(500)
		_, _, err := d.tick()
		require.NoError(t, err)
	}
	n := allocs.Total(50, func() {
		d.draw(500)
		_, _, _ = d.tick()
	})
	require.NoError(t, d.log.Close())
	require.Zero(t, n, "allocations over 50 durable ticks")
}
