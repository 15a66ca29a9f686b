package lockstep_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/syncbuf"
)

// A peer whose connection drops at tick 1,500 stops holding the session
// back after PeerTimeout; it reconnects at tick 2,000, starts from the
// host's latest snapshot and catches up from the stream. A new peer joins
// at tick 3,000 the same way. Both agree with the host at every tick they
// run, and the host verified every one of those ticks.
func TestLateJoinAndReconnectConverge(t *testing.T) {
	drop, back, late, end := 1500, 2000, 3000, 4000
	every := uint64(500)
	if testing.Short() { // the race detector's CI run
		drop, back, late, end, every = 150, 200, 300, 400, 50
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var console syncbuf.Buffer
	c := newCluster(t, lockstep.Config{PeerTimeout: 300 * time.Millisecond, Console: &console, SnapshotEvery: every}, 32)
	for i := range 4 {
		c.own(peerID(i), i, 4)
	}
	for i := range 3 {
		c.join(peerID(i), peerOpts{intents: 15, jitter: true, seed: uint64(i + 1)})
	}
	require.NoError(t, c.host.WaitPeers(ctx, 3))
	var rejoined, joined *lockstep.Peer
	var rejoinAt, joinAt uint64
	want := c.run(ctx, end, func(tick uint64) {
		switch int(tick + 1) {
		case drop:
			c.mu.Lock()
			nc := c.conns[peerID(2)]
			c.mu.Unlock()
			nc.Close() // no goodbye: the host finds out by the silence
		case back:
			c.peers[peerID(2)].Close()
			rejoined = c.join(peerID(2), peerOpts{intents: 15, jitter: true, seed: 30})
			rejoinAt = rejoined.Started()
		case late:
			joined = c.join(peerID(3), peerOpts{intents: 15, jitter: true, seed: 4})
			joinAt = joined.Started()
		}
	})
	c.settle(ctx, []string{peerID(0), peerID(1), peerID(2), peerID(3)}, uint64(end-1))
	assert.Equal(t, uint64(back), rejoinAt, "started from the snapshot the host stored at tick %d", back)
	assert.Equal(t, uint64(late), joinAt)
	for _, tc := range []struct {
		id   string
		from int
	}{{peerID(0), 0}, {peerID(1), 0}, {peerID(2), back}, {peerID(3), late}} {
		got := c.peerSums(tc.id)
		require.Len(t, got, end, tc.id)
		for tick := tc.from; tick < end; tick++ {
			require.Equal(t, want[tick], got[tick], "%s tick %d", tc.id, tick)
		}
	}
	st := c.host.Stats()
	assert.Zero(t, st.Mismatches)
	// peer2's first life may have reported a few ticks past the drop
	// before its connection closed.
	assert.GreaterOrEqual(t, st.Verified, uint64(2*end+drop-5+(end-back)+(end-late)))
	assert.LessOrEqual(t, st.Verified, uint64(2*end+drop+(end-back)+(end-late)))
	assert.Empty(t, c.host.Refusals())
	assert.Contains(t, console.String(), "peer peer2 silent for 300ms")
	assert.Contains(t, console.String(), fmt.Sprintf("peer peer2 joined at tick %d", back))
	assert.Contains(t, console.String(), fmt.Sprintf("peer peer3 joined at tick %d", late))
}

// A game loop that steps its own world (the demo's model does) hands it to
// the host: the host stores its state at once, the game queues inputs
// straight into the world between Prepare and Step, and the frames come
// from the committed ticks. A peer joining from that snapshot agrees.
func TestHostAdoptsAGameLoopsWorld(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := newCluster(t, lockstep.Config{Session: "warmup"}, 12) // only for the content and the server
	w := newWorld()
	_, err := c.content.Apply(w)
	require.NoError(t, err)
	for range 10 {
		w.Step()
	}
	host, err := lockstep.NewHost(connect(t, c.box), lockstep.Config{Session: "s1", NewWorld: newWorld, World: w})
	require.NoError(t, err)
	defer host.Close()
	c.host = host
	c.own(peerID(0), 0, 1)
	c.join(peerID(0), peerOpts{intents: 10, seed: 5})
	require.NoError(t, host.WaitPeers(ctx, 1))
	var want []uint64
	for range 200 {
		require.NoError(t, host.Prepare(ctx))
		c.adminInputs() // via host.Command: stamped
		w.Command(events.Mint(c.players[0], c.ids.MustID("gold"), 1))
		rec := w.Step()
		require.NoError(t, host.Err())
		want = append(want, rec.Checksum)
	}
	c.settle(ctx, []string{peerID(0)}, 209)
	got := c.peerSums(peerID(0))
	require.Len(t, got, 210)
	assert.Equal(t, want, got[10:], "from the adopted world's tick 10 on")
	assert.Equal(t, uint64(200), host.Stats().Verified)
}

// Inputs queued for the next tick when the host stores a snapshot — the
// game's, queued before the host adopts its world, and a subscriber's,
// queued for the next tick as the host stores its periodic snapshot — are
// carried by the next frame, not by the snapshot: a peer starting from
// either snapshot applies them once and agrees with the host at every
// tick. (With them in the snapshot too, the peer applied them twice: a
// desync at its first tick.)
func TestSnapshotsLeaveQueuedInputsToTheFrames(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := newCluster(t, lockstep.Config{Session: "warmup"}, 12) // only for the content and the server
	w := newWorld()
	_, err := c.content.Apply(w)
	require.NoError(t, err)
	for range 10 {
		w.Step()
	}
	w.Command(events.Mint(c.players[0], c.ids.MustID("gold"), 7))
	w.Submit(components.PurchaseIntent{Buyer: c.players[1], Listing: c.listings[0], Quantity: 1, RequestID: 1})
	w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error { // runs before the host's subscriber
		w.Command(events.Mint(c.players[2], c.ids.MustID("gold"), int64(r.Tick)))
		return nil
	})
	host, err := lockstep.NewHost(connect(t, c.box), lockstep.Config{Session: "s1", NewWorld: newWorld, World: w, SnapshotEvery: 20})
	require.NoError(t, err)
	defer host.Close()
	c.host = host
	c.own(peerID(0), 0, 1)
	c.join(peerID(0), peerOpts{})
	require.NoError(t, host.WaitPeers(ctx, 1))
	want := map[uint64]uint64{} // tick → the host's checksum; read by key
	step := func() {
		require.NoError(t, host.Prepare(ctx))
		rec := w.Step()
		require.NoError(t, host.Err())
		want[rec.Tick] = rec.Checksum
	}
	for w.NextTick() < 30 {
		step()
	}
	require.Empty(t, host.Reports(), "peer0 started from the adopted world's snapshot")
	late := c.join(peerID(1), peerOpts{})
	assert.Equal(t, uint64(20), late.Started(), "started from the snapshot stored after tick 19")
	require.NoError(t, host.WaitPeers(ctx, 2))
	for w.NextTick() < 50 {
		step()
	}
	c.settle(ctx, []string{peerID(0), peerID(1)}, 49)
	for _, tc := range []struct {
		id   string
		from uint64
	}{{peerID(0), 10}, {peerID(1), 20}} {
		got := c.peerSums(tc.id)
		for tick := tc.from; tick < 50; tick++ {
			require.Equal(t, want[tick], got[tick], "%s tick %d", tc.id, tick)
		}
	}
	assert.Zero(t, host.Stats().Mismatches)
	assert.Empty(t, host.Reports())
}
