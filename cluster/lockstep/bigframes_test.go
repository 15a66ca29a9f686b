package lockstep_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// bigTick is the number of intents of the busiest tick: 100k make a frame
// of about 1.39 MB, over nats-server's default 1 MiB max_payload.
const bigTick = 100_000

// bigIntents makes n intents of players on listings, their request ids
// from first on.
func bigIntents(players, listings []components.ID, n int, first uint64) []components.PurchaseIntent {
	out := make([]components.PurchaseIntent, n)
	for i := range out {
		out[i] = components.PurchaseIntent{Buyer: players[i%len(players)], Listing: listings[(i/len(players))%len(listings)],
			Quantity: 1, RequestID: first + uint64(i)}
	}
	return out
}

// frameMessages reads the raw messages of a session's frame stream.
func frameMessages(t *testing.T, nc *nats.Conn, session string) [][]byte {
	t.Helper()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, "TICKECON_S_FRAMES_"+session)
	require.NoError(t, err)
	info, err := st.Info(ctx)
	require.NoError(t, err)
	var out [][]byte
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		require.NoError(t, err)
		out = append(out, m.Data)
	}
	return out
}

// sourceSums reads a session's vouched ticks with a FrameSource (the
// relay's) from tick 0 until it has caught up: tick → checksum.
func sourceSums(t *testing.T, nc *nats.Conn, session string) (map[uint64]uint64, int) {
	t.Helper()
	src, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: session, NewWorld: newWorld})
	require.NoError(t, err)
	defer src.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	require.NoError(t, src.Seek(ctx, 0))
	sums := map[uint64]uint64{}
	for {
		rec, err := src.Next(ctx)
		if errors.Is(err, bus.ErrCaughtUp) {
			return sums, src.Skipped()
		}
		require.NoError(t, err)
		sums[rec.Tick] = rec.Checksum
	}
}

// A tick of 100k intents on an R1 session with the server's default max
// payload: its frame goes out in parts, the session goes on, and every
// reader — the peers, ExportLog, the relay's FrameSource — runs it to the
// host's checksums. Frames that fit stay one message of the old bytes.
func TestBigFrameR1(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	n, cfg := bigSize(lockstep.Config{SnapshotEvery: 1000})
	c := newCluster(t, cfg, 40)
	ids := []string{peerID(0), peerID(1)}
	for i, id := range ids {
		c.own(id, i, 2)
		c.join(id, peerOpts{seed: uint64(i + 1)})
	}
	require.NoError(t, c.host.WaitPeers(ctx, 2))
	host := c.run(ctx, 5, nil)
	for _, in := range bigIntents(c.players, c.listings, n, 1) {
		c.host.World().Submit(in)
	}
	host = append(host, c.run(ctx, 6, nil)...)
	last := uint64(len(host) - 1)
	c.settle(ctx, ids, last)
	for _, id := range ids {
		assert.Equal(t, host, c.peerSums(id), "peer %s's checksums", id)
		assert.Empty(t, c.peers[id].Refusals(), "peer %s refused", id)
	}
	assert.Zero(t, c.host.Stats().Mismatches)

	nc := connect(t, c.box)
	msgs := frameMessages(t, nc, "s1")
	require.Greater(t, len(msgs), len(host), "the big tick's frame is parted")
	parted := 0
	for _, m := range msgs {
		assert.LessOrEqual(t, int64(len(m)), nc.MaxPayload())
		require.Greater(t, len(m), 2)
		if m[1] == 3 {
			parted++
		} else {
			assert.Contains(t, []byte{1, 2}, m[1], "a frame that fits keeps its wire version")
		}
	}
	assert.Equal(t, len(msgs)-len(host)+1, parted, "only the big tick is parted")

	path := filepath.Join(t.TempDir(), "h.log")
	res, err := lockstep.ExportLog(nc, "s1", c.content, newWorld, path, ticklog.Options{Setup: systems.CommerceSetup(commerceCfg)})
	require.NoError(t, err)
	assert.Equal(t, lockstep.ExportResult{Ticks: last}, res)
	vr, err := replay.Verify(replay.FileSource(path), newWorld, replay.Options{})
	require.NoError(t, err)
	require.Nil(t, vr.Mismatch)

	sums, skipped := sourceSums(t, nc, "s1")
	assert.Zero(t, skipped)
	require.Len(t, sums, int(last), "every tick but the last (no frame vouches for it yet)")
	for tick, sum := range sums {
		assert.Equal(t, host[tick], sum, "FrameSource's tick %d", tick)
	}
}

// bigSize is the busiest tick's size for this run: 100k intents at the
// server's default max payload, or with -short (CI's -race run) 5,000
// parted above 16 KiB — the same parts, fewer intents to run.
func bigSize(cfg lockstep.Config) (int, lockstep.Config) {
	if testing.Short() {
		return 5000, lockstep.WithPartLimit(cfg, 16<<10)
	}
	return bigTick, cfg
}

// bigFleet is a replicated world on a 3-node R3 cluster (default max
// payload) whose host, once armed, queues one tick of n intents (request
// ids from 1<<40: no client's) and notes that tick and itself.
type bigFleet struct {
	*fleet
	n       int
	armed   atomic.Bool
	done    atomic.Bool
	at      atomic.Uint64 // the big tick
	victim  atomic.Pointer[replicaProc]
	host    atomic.Pointer[lockstep.Host]
	counted bool // the big tick's intents are submitted inputs (not a torn frame's)
}

func newBigFleet(t *testing.T, counted bool) *bigFleet {
	cl := natsbox.ClusterForTest(t)
	b := &bigFleet{fleet: newFleet(t, cl, 12), counted: counted}
	// A tick of 100k intents takes a while to run, on the host and on
	// each standby: a lease of 300 ms would lapse meanwhile and take the
	// tick from its host, which is no failure but not this test's.
	b.ttl = 2 * time.Second
	b.n, _ = bigSize(lockstep.Config{})
	b.tweak = func(c *lockstep.Config) { _, *c = bigSize(*c) }
	b.beforeStep = func(p *replicaProc, h *lockstep.Host) {
		if !b.armed.Load() || !b.done.CompareAndSwap(false, true) {
			return
		}
		ins := bigIntents(b.players, b.listings, b.n, 1<<40)
		if b.counted {
			b.mu.Lock()
			for _, in := range ins {
				b.submitted[[2]uint64{uint64(in.Buyer), in.RequestID}] = true
			}
			b.mu.Unlock()
		}
		b.victim.Store(p)
		b.host.Store(h)
		b.at.Store(h.World().NextTick())
		for _, in := range ins {
			h.World().Submit(in)
		}
	}
	for i := range 3 {
		b.startReplica(fmt.Sprintf("r%d", i), "")
	}
	b.fleet.host(60 * time.Second)
	b.startClients()
	b.waitAcked(5, 60*time.Second)
	return b
}

// waitBig waits until the followers ran past the big tick.
func (b *bigFleet) waitBig() uint64 {
	// at is stored after done is taken: 0 until the big tick is queued
	// (the host runs ticks before it is armed).
	require.Eventually(b.t, func() bool { at := b.at.Load(); return at != 0 && b.followedTo() > at+3 }, 120*time.Second, time.Millisecond,
		"the followers did not run past the big tick")
	return b.at.Load()
}

// A 100k-intent tick on a 3-node R3 cluster at the default max payload:
// committed in parts, and the clients, the standbys, the history and the
// relay's FrameSource all ran it.
func TestBigFrameR3(t *testing.T) {
	b := newBigFleet(t, true)
	b.armed.Store(true)
	at := b.waitBig()
	b.waitAcked(5, 60*time.Second)
	res := b.check()
	assert.Zero(t, res.Skipped)
	b.mu.Lock()
	assert.GreaterOrEqual(t, b.intents[at], b.n, "the followers ran the big tick %d whole (and any client's intent stamped for it); host terms %d; intents by tick %v",
		at, len(b.hosts), b.intents)
	sums := b.sums
	b.mu.Unlock()

	nc := b.connect(b.cl.URLs())
	src, skipped := sourceSums(t, nc, b.session)
	assert.Zero(t, skipped)
	require.Contains(t, src, at)
	for tick, sum := range src {
		if s, ok := sums[tick]; ok {
			assert.Equal(t, s, sum, "FrameSource's tick %d", tick)
		}
	}
}

// The host dies between the parts of a big tick's frame (its first part
// stored, its connection closed before the next): a standby takes over
// and hosts that tick anew, and no one — client, standby, successor,
// history, FrameSource — ever applies the torn frame (its intents' ids
// are no client's: the checker refuses any in the history).
func TestBigFrameHostDiesBetweenParts(t *testing.T) {
	b := newBigFleet(t, false)
	killed := make(chan *replicaProc, 1)
	var acked atomic.Bool
	lockstep.SetPartSentHook(func(h *lockstep.Host, tick uint64, part, parts int) {
		if h != b.host.Load() || tick != b.at.Load() || part != 0 {
			return
		}
		acked.Store(lockstep.WaitPublished(h, 30*time.Second)) // the first part is stored
		p := b.victim.Load()
		p.nc.Close()
		killed <- p
	})
	t.Cleanup(func() { lockstep.SetPartSentHook(nil) })
	b.armed.Store(true)
	var p *replicaProc
	select {
	case p = <-killed:
	case <-time.After(120 * time.Second):
		t.Fatal("the host never published a part of the big tick")
	}
	require.True(t, acked.Load(), "the torn frame's first part was not stored")
	b.kill(p)
	next := b.fleet.host(60 * time.Second)
	require.NotEqual(t, p.id, next.id)
	b.startReplica(p.id, "")
	at := b.waitBig()
	b.waitAcked(5, 60*time.Second)
	b.orphansOK = true // the torn part, counted below
	res := b.check()
	assert.Equal(t, 1, res.Skipped, "the torn frame's one stored part")
	b.mu.Lock()
	assert.Less(t, b.intents[at], b.n, "the torn tick as its successor hosted it")
	sums := b.sums
	b.mu.Unlock()
	torn := 0
	for _, c := range b.clients {
		for _, r := range c.Refusals() {
			if strings.Contains(r.Reason, "torn frame") {
				torn++
			}
		}
	}
	assert.Positive(t, torn, "the clients saw the torn frame and dropped it")

	nc := b.connect(b.cl.URLs())
	src, skipped := sourceSums(t, nc, b.session)
	assert.Equal(t, 1, skipped)
	require.Contains(t, src, at)
	for tick, sum := range src {
		if s, ok := sums[tick]; ok {
			assert.Equal(t, s, sum, "FrameSource's tick %d", tick)
		}
	}
}
