package lockstep_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
)

// BenchmarkSession measures a whole lockstep session in one process: the
// host and 4 peers, each on its own connection to the embedded server,
// 100 intents per tick (25 from each peer, sent after each tick it runs),
// every peer's checksums compared by the host every tick. One op is one
// tick of the host. impl=bare is the same work on one world with no
// session: the difference is the session's added cost per tick (it runs
// five worlds where bare runs one). latency-µs is the mean time from a
// frame's publication to the last peer's checksum for it.
//
//	go test ./cluster/lockstep -run '^$' -bench Session -benchtime 5000x
func BenchmarkSession(b *testing.B) {
	b.Run("impl=bare", func(b *testing.B) {
		c := newCluster(b, lockstep.Config{}, 40)
		w := c.newWorld()
		if _, err := c.content.Apply(w); err != nil {
			b.Fatal(err)
		}
		w.Step()
		rng := rand.New(rand.NewPCG(1, 1))
		req := uint64(0)
		b.ReportAllocs()
		for b.Loop() {
			for range 100 {
				req++
				w.Submit(components.PurchaseIntent{Buyer: c.players[rng.IntN(len(c.players))],
					Listing: c.listings[rng.IntN(len(c.listings))], Quantity: 1 + rng.Int64N(3), RequestID: req})
			}
			w.Step()
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ticks/s")
	})
	for _, lead := range []uint64{2, 8} {
		b.Run(fmt.Sprintf("impl=session/peers=4/lead=%d", lead), func(b *testing.B) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			c := newCluster(b, lockstep.Config{MaxLead: lead}, 40)
			for i := range 4 {
				c.own(peerID(i), i, 4)
				c.join(peerID(i), peerOpts{intents: 25, seed: uint64(i + 1)})
			}
			if err := c.host.WaitPeers(ctx, 4); err != nil {
				b.Fatal(err)
			}
			for range 50 { // warm-up: inputs flowing
				if _, err := c.host.Step(ctx); err != nil {
					b.Fatal(err)
				}
			}
			before := c.host.Stats()
			var intents int
			c.host.World().Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error { intents += len(r.Intents); return nil })
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.host.Step(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			st := c.host.Stats()
			if st.Mismatches != before.Mismatches {
				b.Fatalf("%d desyncs", st.Mismatches-before.Mismatches)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ticks/s")
			b.ReportMetric(float64(st.MeanLatency.Microseconds()), "latency-µs")
			b.ReportMetric(float64(intents)/float64(b.N), "intents/tick")
		})
	}
}

// BenchmarkBigFrameCommit measures what parting a frame costs: one op is
// one tick of 100k intents (a 1.39 MB frame) stepped by the host and
// committed (Host.WaitCommitted), on an R1 and an R3 stream of a 3-node
// cluster, at nats-server's default 1 MiB max payload (the frame goes
// out in two parts) and at 8 MiB (one message, as before parting
// existed).
//
//	go test ./cluster/lockstep -run '^$' -bench BigFrameCommit -benchtime 10x -count 5
func BenchmarkBigFrameCommit(b *testing.B) {
	for _, replicas := range []int{1, 3} {
		for _, mp := range []int32{0, 8 << 20} {
			name := fmt.Sprintf("replicas=%d/max_payload=1MiB", replicas)
			if mp != 0 {
				name = fmt.Sprintf("replicas=%d/max_payload=8MiB", replicas)
			}
			b.Run(name, func(b *testing.B) { benchBigFrame(b, replicas, mp) })
		}
	}
}

func benchBigFrame(b *testing.B, replicas int, maxPayload int32) {
	cl, err := natsbox.StartCluster(natsbox.ClusterOptions{Dir: b.TempDir(), MaxPayload: maxPayload})
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Shutdown()
	nc, err := nats.Connect(cl.URLs())
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	content := session.Content(7, 40)
	probe := ecs.New()
	ids, err := content.Apply(probe)
	if err != nil {
		b.Fatal(err)
	}
	var players, listings []components.ID
	for _, p := range content.Players {
		players = append(players, ids.MustID(p.Key))
	}
	for _, s := range content.Shops {
		for _, l := range s.Listings {
			listings = append(listings, ids.MustID(l.Key))
		}
	}
	h, err := lockstep.NewHost(nc, lockstep.Config{Session: "big", NewWorld: newWorld, Content: content,
		Replicas: replicas, SnapshotEvery: 1000})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	// The tick's time in two: the world's step (which encodes, parts
	// and publishes the frame) and the wait for its ack after it.
	var stepped, waited time.Duration
	step := func(first uint64) {
		for _, in := range bigIntents(players, listings, bigTick, first) {
			h.World().Submit(in)
		}
		t0 := time.Now()
		rec, err := h.Step(ctx)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := h.WaitCommitted(ctx, rec.Tick); err != nil {
			b.Fatal(err)
		}
		stepped, waited = stepped+t1.Sub(t0), waited+time.Since(t1)
	}
	step(1) // content and warm-up
	stepped, waited = 0, 0
	req := uint64(1 + bigTick)
	for b.Loop() {
		step(req)
		req += bigTick
	}
	b.ReportMetric(float64(bigTick*b.N)/b.Elapsed().Seconds(), "intents/s")
	b.ReportMetric(float64(stepped.Microseconds())/1e3/float64(b.N), "step-ms")
	b.ReportMetric(float64(waited.Microseconds())/1e3/float64(b.N), "commit-wait-ms")
}
