//go:build unix

package shard

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchCluster: n shards, each with players rich enough for any run and a
// listing of price 1 with endless stock; no logs (the figure is the
// protocol's, not the disk's).
func benchCluster(b *testing.B, n, players int) *Cluster {
	var cs []*ecs.Content
	for s := 1; s <= n; s++ {
		var ps []string
		for i := range players {
			ps = append(ps, fmt.Sprintf(`{"key": "p%d-%d", "name": "P", "capacity": 2, "wallet": [{"currency": "gold", "amount": 1000000000000}]}`, s, i))
		}
		c, err := ecs.ParseContent([]byte(fmt.Sprintf(`{"currencies": [{"key": "gold", "name": "Gold"}],
		"items": [{"key": "potion", "name": "Potion", "max_stack": 1000000000000}],
		"shops": [{"key": "s%d", "name": "S", "listings": [{"key": "l%d", "item": "potion", "currency": "gold", "price": 1, "stock": 1000000000000}]}],
		"players": [%s]}`, s, s, strings.Join(ps, ","))))
		require.NoError(b, err)
		cs = append(cs, c)
	}
	c, err := NewCluster(Config{HoldTimeout: DefaultHoldTimeout, Commerce: systems.DefaultConfig}, cs, NewLoopback(uint16(n)))
	require.NoError(b, err)
	c.Parallel = n > 1
	require.NoError(b, c.Step())
	return c
}

// BenchmarkShardPurchases: a fixed load of perRound purchases a round,
// spread over 1, 2 or 4 shards, a share of them cross-shard. Each b.N is
// one round; reported: purchases/s (wall), CPU µs per purchase (getrusage,
// all goroutines) and the worst cross-shard latency in rounds (hold to
// post). Run interleaved: go test ./shard -run '^$' -bench ShardPurchases -count 5
func BenchmarkShardPurchases(b *testing.B) {
	const perRound, players = 400, 400
	for _, n := range []int{1, 2, 4} {
		for _, cross := range []int{0, 10, 50} {
			if n == 1 && cross > 0 {
				continue
			}
			b.Run(fmt.Sprintf("shards=%d/cross=%d%%", n, cross), func(b *testing.B) {
				c := benchCluster(b, n, players/n)
				rng := rand.New(rand.NewPCG(1, 2))
				gold, potion := c.Node(1).IDs.MustID("gold"), c.Node(1).IDs.MustID("potion")
				listing := make([]components.ID, n+1)
				for s := 1; s <= n; s++ {
					listing[s] = c.Node(uint16(s)).IDs.MustID(fmt.Sprintf("l%d", s))
				}
				first := c.Node(1).IDs.MustID("p1-0") // players' ids are alike on every shard
				started := make([][]uint64, n+1)      // per shard, by hold id: the round it was queued
				worst, posted := uint64(0), 0
				req := uint64(0)
				cpu0, t0 := cpuNow(), time.Now()
				b.ResetTimer()
				for range b.N {
					for s := 1; s <= n; s++ {
						nd := c.Node(uint16(s))
						for range perRound / n {
							req++
							buyer := first + components.ID(rng.IntN(players/n))
							if n > 1 && rng.IntN(100) < cross {
								to := 1 + (s+rng.IntN(n-1))%n
								t := nd.W.Command(Buy(buyer, AddrOf(uint16(to), listing[to]), potion, gold, 1, 1, req))
								for int(t.ID) >= len(started[s]) {
									started[s] = append(started[s], 0)
								}
								started[s][t.ID] = c.Round()
							} else {
								nd.W.Submit(components.PurchaseIntent{Buyer: buyer, Listing: listing[s], Quantity: 1, RequestID: req})
							}
						}
					}
					require.NoError(b, c.Step())
					for _, nd := range c.Nodes() {
						for _, ev := range nd.rec.Events {
							if ev.Kind == events.XHoldPosted {
								worst = max(worst, c.Round()-started[nd.N][ev.Subject])
								posted++
							}
						}
					}
				}
				b.StopTimer()
				wall, cpu := time.Since(t0), cpuNow()-cpu0
				total := float64(b.N * (perRound / n) * n)
				b.ReportMetric(total/wall.Seconds(), "purchases/s")
				b.ReportMetric(float64(cpu.Microseconds())/total, "cpu-µs/purchase")
				b.ReportMetric(float64(worst), "max-latency-rounds")
				b.ReportMetric(0, "ns/op")
				_ = posted
			})
		}
	}
}

// BenchmarkRebuildDirectory: what a reopen spends deriving the directory
// once the worlds are resumed (RebuildDirectory walks every hold of every
// shard for handovers): 3 shards, 300 players of which 30 moved, and
// 1,000 to 100,000 holds of ended purchases. Reported per hold.
// go test ./shard -run '^$' -bench RebuildDirectory -count 5
func BenchmarkRebuildDirectory(b *testing.B) {
	for _, holds := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(holds), func(b *testing.B) {
			const players = 100
			c := benchCluster(b, 3, players)
			for i := range 30 {
				m, err := c.Move(fmt.Sprintf("p1-%d", i), 2+uint16(i%2))
				require.NoError(b, err)
				for !m.Done {
					require.NoError(b, c.Step())
				}
			}
			for placed := 0; placed < holds; {
				for s := 1; s <= 3 && placed < holds; s++ {
					for p := 30; p < players && placed < holds; p++ {
						_, err := c.Buy(fmt.Sprintf("p%d-%d", s, p), fmt.Sprintf("l%d", s%3+1), 1, 0)
						require.NoError(b, err)
						placed++
					}
				}
				require.NoError(b, c.Step())
			}
			for c.Pending() > 0 {
				require.NoError(b, c.Step())
			}
			b.ResetTimer()
			for range b.N {
				if _, err := c.RebuildDirectory(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(holds), "ns/hold")
		})
	}
}
