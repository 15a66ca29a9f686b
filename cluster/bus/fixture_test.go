package bus

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// game is a commerce world driven by the seeded session generator, with
// a saga purchase every few ticks, recorded to a replay log.
type game struct {
	w       *ecs.World
	s       *session.Session
	c       *systems.Commerce
	content *ecs.Content
	lw      *ticklog.Writer
	path    string
	players []components.ID
	lists   []components.ID
	sagaReq uint64
}

func newGame(t testing.TB, seed uint64, cfg systems.Config, syncEvery int) *game {
	t.Helper()
	g := &game{w: ecs.New(), content: session.Content(seed, 40)}
	g.c = systems.InstallCommerce(g.w, cfg)
	ids, err := g.content.Apply(g.w)
	require.NoError(t, err)
	for _, p := range g.content.Players {
		g.players = append(g.players, ids.MustID(p.Key))
	}
	for _, sh := range g.content.Shops {
		for _, l := range sh.Listings {
			g.lists = append(g.lists, ids.MustID(l.Key))
		}
	}
	// Attach re-applies nothing: it only reads ids for the generator.
	g.s, err = session.Attach(ecs.New(), seed, g.content)
	require.NoError(t, err)
	g.s.World = g.w
	g.path = filepath.Join(t.TempDir(), "session.log")
	g.lw, err = ticklog.Create(g.path, g.content, ticklog.Options{SyncEvery: syncEvery})
	require.NoError(t, err)
	g.lw.Record(g.w)
	return g
}

// step queues a busy tick (n intents, and a saga purchase every sagaEvery
// ticks if > 0) and runs it.
func (g *game) step(n int, sagaEvery uint64) *ecs.TickRecord {
	if n > 0 {
		g.s.Inputs(n)
	}
	if t := g.w.NextTick(); sagaEvery > 0 && t > 0 && t%sagaEvery == 0 {
		g.sagaReq++
		g.w.Submit(components.PurchaseIntent{Buyer: g.players[int(t)%len(g.players)], Listing: g.lists[int(t)%len(g.lists)],
			Quantity: 1, RequestID: 1<<40 + g.sagaReq, Saga: true})
	}
	return g.w.Step()
}

// record runs ticks busy ticks and closes the log.
func (g *game) record(t testing.TB, ticks, n int, sagaEvery uint64) {
	t.Helper()
	for range ticks {
		g.step(n, sagaEvery)
	}
	require.NoError(t, g.lw.Close())
}

// logEvents reads every event of the log at path, by id.
func logEvents(t testing.TB, path string) map[EventID]events.Event {
	t.Helper()
	_, recs, err := ticklog.ReadAll(path)
	require.NoError(t, err)
	out := map[EventID]events.Event{}
	for _, r := range recs {
		if r.Tick == nil {
			continue
		}
		for i, ev := range r.Tick.Events {
			out[EventID{Tick: r.Tick.Tick, Index: uint32(i)}] = ev
		}
	}
	return out
}

// broker starts an embedded server and a client that reconnects forever.
func broker(t testing.TB) (*natsbox.Box, *nats.Conn) {
	t.Helper()
	b := natsbox.ForTest(t)
	return b, connect(t, b.URL())
}

func connect(t testing.TB, url string) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(20*time.Millisecond),
		nats.ReconnectBufSize(64<<20))
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	return nc
}

// collect runs a consumer until it has seen want events (or fails after
// timeout) and returns every event handled, with duplicates counted.
func collect(t testing.TB, nc *nats.Conn, cfg ConsumerConfig, want int, timeout time.Duration) (map[EventID]events.Event, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c, err := NewConsumer(ctx, nc, cfg)
	require.NoError(t, err)
	got := map[EventID]events.Event{}
	dups := 0
	err = c.Run(ctx, func(_ context.Context, b *Batch) error {
		for i := range b.Events {
			id := b.ID(i)
			if _, ok := got[id]; ok {
				dups++
			}
			got[id] = b.Events[i]
		}
		if len(got) >= want {
			cancel()
		}
		return nil
	})
	require.NoError(t, err)
	return got, dups
}

// runRelay relays the whole log once and returns its stats.
func runRelay(t testing.TB, nc *nats.Conn, cfg RelayConfig) RelayStats {
	t.Helper()
	r, err := NewRelay(nc, cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	require.NoError(t, r.Run(ctx))
	return r.Stats()
}

func kinds(ks ...uint8) []events.Kind {
	out := make([]events.Kind, len(ks))
	for i, k := range ks {
		out[i] = events.Kind(k)
	}
	return out
}
