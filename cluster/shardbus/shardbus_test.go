package shardbus

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/shard"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// twice sends every message twice: the stream keeps one (Nats-Msg-Id).
type twice struct{ *Transport }

func (t twice) Send(m shard.Message) error {
	if err := t.Transport.Send(m); err != nil {
		return err
	}
	return t.Transport.Send(m)
}

func contents(t *testing.T) []*ecs.Content {
	var cs []*ecs.Content
	for n := 1; n <= 2; n++ {
		c, err := ecs.ParseContent([]byte(fmt.Sprintf(`{"currencies": [{"key": "gold", "name": "Gold"}],
		"items": [{"key": "potion", "name": "Potion", "max_stack": 10}],
		"shops": [{"key": "s%d", "name": "S", "listings": [{"key": "l%d", "item": "potion", "currency": "gold", "price": 25, "stock": 9}]}],
		"players": [{"key": "p%d", "name": "P", "capacity": 4, "wallet": [{"currency": "gold", "amount": 1000}]}]}`, n, n, n)))
		require.NoError(t, err)
		cs = append(cs, c)
	}
	return cs
}

// A purchase across two shards over an embedded JetStream server, every
// message published twice, the seller restarted from its log in the
// middle: it completes once, the inbox stream keeps one copy of each
// message, and the logs verify and balance.
func TestPurchaseOverJetStream(t *testing.T) {
	box := natsbox.ForTest(t)
	nc, err := nats.Connect(box.URL())
	require.NoError(t, err)
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // bounds a hang, not the speed
	defer cancel()
	tr, err := New(ctx, nc, "econ", 2, bus.StreamsConfig{})
	require.NoError(t, err)
	defer tr.Close()
	tr.AckWait = time.Second // the restarted shard gets the request its dead inbox fetched
	c, err := shard.NewCluster(shard.Config{HoldTimeout: 1 << 20, Commerce: systems.DefaultConfig}, contents(t), twice{tr})
	require.NoError(t, err)
	require.NoError(t, c.OpenLogs(t.TempDir(), ticklog.Options{SyncEvery: 1}))
	c.RetryEvery = 50
	require.NoError(t, c.Step())
	p, err := c.Buy("p1", "l2", 3, 1)
	require.NoError(t, err)
	require.NoError(t, c.Step()) // the hold; its request is published

	// Shard 2 dies once the request is in its inbox stream, and comes back.
	js := tr.js
	for ctx.Err() == nil {
		s, err := js.Stream(ctx, bus.InboxStream(World("econ", 2)))
		require.NoError(t, err)
		if s.CachedInfo().State.Msgs > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, c.Kill(2))
	require.NoError(t, c.Restart(2))

	a := c.Node(1)
	for ctx.Err() == nil {
		require.NoError(t, c.Step())
		if h, _ := a.Sys.Hold(a.W, p.Hold); !h.Pending() {
			break
		}
		time.Sleep(5 * time.Millisecond) // pace the rounds; the condition decides
	}
	h, _ := a.Sys.Hold(a.W, p.Hold)
	require.True(t, h.Posted(), "hold %+v (still pending: the deadline passed)", h)
	for n := uint16(1); n <= 2; n++ {
		s, err := js.Stream(ctx, bus.InboxStream(World("econ", n)))
		require.NoError(t, err)
		require.Equal(t, uint64(1), s.CachedInfo().State.Msgs, "shard %d's inbox: one copy of one message", n)
	}
	require.NoError(t, c.Close())
	var paths []string
	for _, nd := range c.Nodes() {
		res, err := replay.Verify(replay.FileSource(nd.Path), nil, replay.Options{})
		require.NoError(t, err)
		require.Nil(t, res.Mismatch)
		paths = append(paths, nd.Path)
	}
	rep, err := shard.Audit(paths)
	require.NoError(t, err)
	require.Equal(t, 1, rep.Completed)
}

// The whole process stops in the middle of a move over JetStream: a new
// process reopens the logs (shard.OpenCluster) over a new transport on the
// same streams, finds the player on the shard it moved to, and finishes
// the move with the messages the inboxes redeliver and the resends; the
// logs verify and balance.
func TestMoveSurvivesProcessRestartOverJetStream(t *testing.T) {
	box := natsbox.ForTest(t)
	nc, err := nats.Connect(box.URL())
	require.NoError(t, err)
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // bounds a hang, not the speed
	defer cancel()
	tr, err := New(ctx, nc, "econ", 2, bus.StreamsConfig{})
	require.NoError(t, err)
	tr.AckWait = time.Second
	c, err := shard.NewCluster(shard.Config{HoldTimeout: 1 << 20, Commerce: systems.DefaultConfig}, contents(t), tr)
	require.NoError(t, err)
	dir := t.TempDir()
	opts := ticklog.Options{SyncEvery: 1}
	require.NoError(t, c.OpenLogs(dir, opts))
	require.NoError(t, c.Step())
	m, err := c.Move("p1", 2)
	require.NoError(t, err)
	require.NoError(t, c.Step()) // the new player and its handover; the request is published
	tr.Close()                   // the process dies
	require.NoError(t, c.Close())

	tr, err = New(ctx, nc, "econ", 2, bus.StreamsConfig{})
	require.NoError(t, err)
	defer tr.Close()
	tr.AckWait = time.Second
	c, err = shard.OpenCluster(dir, opts, tr)
	require.NoError(t, err)
	c.RetryEvery = 50
	e, _ := c.Dir.Lookup("p1")
	require.Equal(t, m.To, e.Addr)
	require.Len(t, c.Moves(), 1)
	rm := c.Moves()[0]
	for ctx.Err() == nil && !(rm.Done && c.Pending() == 0) {
		require.NoError(t, c.Step())
		time.Sleep(5 * time.Millisecond) // pace the rounds; the condition decides
	}
	require.True(t, rm.Done)
	require.NoError(t, rm.Err)
	b := c.Node(2)
	bal, err := b.W.Balance(m.To.ID(), b.IDs.MustID("gold"))
	require.NoError(t, err)
	require.Equal(t, int64(1000), bal)
	require.NoError(t, c.Close())
	var paths []string
	for _, nd := range c.Nodes() {
		res, err := replay.Verify(replay.FileSource(nd.Path), nil, replay.Options{})
		require.NoError(t, err)
		require.Nil(t, res.Mismatch)
		paths = append(paths, nd.Path)
	}
	rep, err := shard.Audit(paths)
	require.NoError(t, err)
	require.Empty(t, rep.InFlight)
}
