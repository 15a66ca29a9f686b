package lockstep_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
)

// commerceCfg is the session's commerce configuration: four stages per
// tick (commands, purchase, saga, settlement).
var commerceCfg = systems.Config{IdempotencyWindow: 30, SettlementEvery: 25, SagaTimeout: 8}

func newWorld() *ecs.World {
	w := ecs.New()
	systems.InstallCommerce(w, commerceCfg)
	return w
}

// cluster is a host and its peers on one embedded server, each on its own
// connection, with a busy random session: the host mints, restocks and
// burns; each peer buys for the players it owns.
type cluster struct {
	t        testing.TB
	box      *natsbox.Box
	host     *lockstep.Host
	content  *ecs.Content
	ids      ecs.IDs
	players  []components.ID
	listings []components.ID
	rng      *rand.Rand
	newWorld func() *ecs.World

	mu    sync.Mutex
	sums  map[string][]uint64 // peer → checksum of every tick it ran, by tick
	peers map[string]*lockstep.Peer
	conns map[string]*nats.Conn
	owned map[string][]components.ID
	req   map[components.ID]uint64
}

func connect(t testing.TB, box *natsbox.Box) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(box.URL(), nats.MaxReconnects(-1), nats.ReconnectWait(20*time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	return nc
}

func newCluster(t testing.TB, cfg lockstep.Config, players int) *cluster {
	t.Helper()
	box := natsbox.ForTest(t)
	c := &cluster{t: t, box: box, content: session.Content(7, players), rng: rand.New(rand.NewPCG(1, 2)),
		sums: map[string][]uint64{}, peers: map[string]*lockstep.Peer{}, conns: map[string]*nats.Conn{}, owned: map[string][]components.ID{},
		req: map[components.ID]uint64{}}
	probe := ecs.New()
	ids, err := c.content.Apply(probe)
	require.NoError(t, err)
	c.ids = ids
	for _, p := range c.content.Players {
		c.players = append(c.players, ids.MustID(p.Key))
	}
	for _, s := range c.content.Shops {
		for _, l := range s.Listings {
			c.listings = append(c.listings, ids.MustID(l.Key))
		}
	}
	if cfg.Session == "" {
		cfg.Session = "s1"
	}
	if cfg.NewWorld == nil {
		cfg.NewWorld = newWorld
	}
	c.newWorld = cfg.NewWorld
	cfg.Content = c.content
	if cfg.PeerTimeout == 0 {
		cfg.PeerTimeout = 5 * time.Second
	}
	c.host, err = lockstep.NewHost(connect(t, box), cfg)
	require.NoError(t, err)
	t.Cleanup(c.host.Close)
	return c
}

// own gives peer number i of n the players with index ≡ i (mod n).
func (c *cluster) own(id string, i, n int) []components.ID {
	var mine []components.ID
	for k := i; k < len(c.players); k += n {
		mine = append(mine, c.players[k])
	}
	c.host.Allow(id, mine...)
	c.mu.Lock()
	c.owned[id] = mine
	c.mu.Unlock()
	return mine
}

// peerOpts tune a peer of the cluster.
type peerOpts struct {
	newWorld func() *ecs.World
	intents  int  // intents it sends per tick it runs (on average with jitter)
	jitter   bool // random delays before frames and between input batches
	audit    uint64
	seed     uint64
}

// join starts a peer that records its checksums and, after each tick it
// runs, sends intents for its own players.
func (c *cluster) join(id string, o peerOpts) *lockstep.Peer {
	c.t.Helper()
	c.mu.Lock()
	mine := c.owned[id]
	c.mu.Unlock()
	rng := rand.New(rand.NewPCG(o.seed, 99))
	req := map[components.ID]uint64{}
	for _, p := range mine {
		req[p] = uint64(o.seed) << 32 // request ids unique across rejoins
	}
	var p *lockstep.Peer
	cfg := lockstep.PeerConfig{Session: "s1", ID: id, NewWorld: c.newWorld, Audit: o.audit,
		OnTick: func(w *ecs.World, r *ecs.TickRecord) {
			c.mu.Lock()
			s := c.sums[id]
			for uint64(len(s)) <= r.Tick {
				s = append(s, 0)
			}
			s[r.Tick] = r.Checksum
			c.sums[id] = s
			c.mu.Unlock()
			if o.intents == 0 || len(mine) == 0 || p == nil {
				return
			}
			n := o.intents
			if o.jitter {
				n = rng.IntN(2*o.intents + 1)
			}
			batch := make([]components.PurchaseIntent, 0, n)
			for range n {
				b := mine[rng.IntN(len(mine))]
				req[b]++
				batch = append(batch, components.PurchaseIntent{Buyer: b, Listing: c.listings[rng.IntN(len(c.listings))],
					Quantity: 1 + rng.Int64N(3), RequestID: req[b], Saga: rng.IntN(15) == 0})
			}
			if o.jitter && rng.IntN(3) == 0 {
				d := time.Duration(rng.IntN(300)) * time.Microsecond
				go func() { // arrives late, out of order with the next batch
					time.Sleep(d)
					p.Send(batch, nil)
				}()
				return
			}
			p.Send(batch, nil)
		}}
	if o.newWorld != nil {
		cfg.NewWorld = o.newWorld
	}
	if o.jitter {
		jr := rand.New(rand.NewPCG(o.seed, 7))
		var jmu sync.Mutex
		cfg = lockstep.WithJitter(cfg, func() time.Duration {
			jmu.Lock()
			defer jmu.Unlock()
			if jr.IntN(20) == 0 {
				return time.Duration(jr.IntN(500)) * time.Microsecond
			}
			return 0
		})
	}
	var err error
	nc := connect(c.t, c.box)
	p, err = lockstep.Join(nc, cfg)
	require.NoError(c.t, err)
	c.mu.Lock()
	c.peers[id] = p
	c.conns[id] = nc
	c.mu.Unlock()
	c.t.Cleanup(p.Close)
	return p
}

// adminInputs queues the host's own inputs for a busy tick: restocks,
// items used up, a payday every 50 ticks, saga outcomes now and then.
func (c *cluster) adminInputs() {
	w, r := c.host.World(), c.rng
	for _, l := range c.listings {
		if r.IntN(3) == 0 {
			if e, st := w.Lookup(l); st == ecs.Alive {
				c.host.Command(events.Grant(l, w.Maps.Listing.Get(e).Item, 1+r.Int64N(8)))
			}
		}
	}
	for range 3 {
		p := c.players[r.IntN(len(c.players))]
		if e, st := w.Lookup(p); st == ecs.Alive {
			if inv := w.Maps.Inventory.Get(e); len(inv.Slots) > 0 {
				c.host.Command(events.BurnItems(p, inv.Slots[0].Item, inv.Slots[0].Qty))
			}
		}
	}
	if w.NextTick()%50 == 49 {
		for _, p := range c.players {
			c.host.Command(events.Mint(p, c.ids.MustID("gold"), 500))
		}
	}
}

// run steps the host n ticks with busy admin inputs and returns the
// host's checksum of every tick run.
func (c *cluster) run(ctx context.Context, n int, each func(tick uint64)) []uint64 {
	c.t.Helper()
	out := make([]uint64, 0, n)
	for range n {
		c.adminInputs()
		rec, err := c.host.Step(ctx)
		require.NoError(c.t, err)
		out = append(out, rec.Checksum)
		if each != nil {
			each(rec.Tick)
		}
	}
	return out
}

// settle waits until every listed peer has run tick last and the host has
// taken its report of that tick (PeerInfo.Agreed past last), polling the
// host: it waits on that condition, never for a fixed time, so a loaded
// machine only makes it slower; ctx bounds it.
func (c *cluster) settle(ctx context.Context, ids []string, last uint64) {
	c.t.Helper()
	c.waitReports(ctx, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, id := range ids {
			if uint64(len(c.sums[id])) <= last {
				return false
			}
		}
		return true
	}, ids, last)
}

// waitReports polls the host until it has taken the listed peers' reports
// of tick last and ran returns true (nil: no further condition).
func (c *cluster) waitReports(ctx context.Context, ran func() bool, ids []string, last uint64) {
	c.t.Helper()
	for {
		c.host.Poll()
		agreed := map[string]uint64{} // looked up by id, never iterated
		for _, p := range c.host.Peers() {
			agreed[p.ID] = p.Agreed
		}
		done := ran == nil || ran()
		for _, id := range ids {
			done = done && agreed[id] > last
		}
		if done {
			return
		}
		select {
		case <-ctx.Done():
			c.t.Fatalf("the host did not take every report of tick %d (%v): %+v", last, ctx.Err(), c.host.Peers())
		case <-time.After(time.Millisecond):
		}
	}
}

func (c *cluster) peerSums(id string) []uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]uint64(nil), c.sums[id]...)
}

func peerID(i int) string { return fmt.Sprintf("peer%d", i) }
