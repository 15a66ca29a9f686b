package lockstep

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// A replicated world's host deposed between running a tick and reading
// its frame's refusal: its peer ran the successor's frame of that tick and
// reported its checksum. The deposed host must not take that for the
// peer's desync. (It did: TestFailoverKillAFollowerNode once failed with
// "a peer's checksum differed from its host's", Mismatches 3, while every
// follower agreed with the history — a lease renewal stalled by the node
// loss, a standby took over, and the old host compared the three
// followers' reports of the new host's first tick with its own tick.) The
// rival frame here is published by hand at the host's expected sequence,
// which is what a successor's first frame is.
func TestDeposedHostTakesNoDesyncFromTheSuccessorsTick(t *testing.T) {
	conn := oneNode(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	host, err := NewHost(conn(), Config{Session: "s1", NewWorld: coreWorld,
		Failover: &Failover{ID: "a", LeaseTTL: time.Minute}})
	require.NoError(t, err)
	defer host.Close()
	w := host.World() // a replicated world's host builds its own
	p, err := Join(conn(), PeerConfig{Session: "s1", ID: "p", NewWorld: coreWorld})
	require.NoError(t, err)
	defer p.Close()
	sums := make(chan *nats.Msg, 64)
	spy := conn()
	_, err = spy.ChanSubscribe(subjSum("s1", "p"), sums)
	require.NoError(t, err)
	require.NoError(t, spy.Flush())
	step := func() {
		require.NoError(t, host.Prepare(ctx))
		w.Step()
		require.NoError(t, host.Err())
	}
	// sumOf waits for the peer's report of tick and for the host to have
	// taken it: the spy saw it, so the server had queued it for the host
	// before; the host's flush reads its connection up to there.
	sumOf := func(tick uint64) {
		for {
			select {
			case m := <-sums:
				r, err := decode(msgSum, "s1", m.Data)
				require.NoError(t, err)
				if r.Tick < tick {
					continue
				}
				require.NoError(t, host.nc.Flush())
				host.Poll()
				return
			case <-ctx.Done():
				t.Fatalf("no report of tick %d (peer at %d, refusals %v, err %v)", tick, p.Tick(), p.Refusals(), p.Err())
			}
		}
	}
	require.Eventually(t, func() bool { host.Poll(); return len(host.live()) == 1 }, 30*time.Second, time.Millisecond)
	for range 5 {
		step()
	}
	sumOf(w.NextTick() - 1)
	require.Eventually(t, func() bool { host.Poll(); return host.Committed() == w.NextTick() }, 30*time.Second, time.Millisecond)
	require.Equal(t, uint64(5), host.Stats().Verified)

	// The successor's frame of the next tick: an empty tick, stored right
	// after the host's last frame.
	next := w.NextTick()
	js, err := jetstream.New(conn())
	require.NoError(t, err)
	prev := host.ring[(next-1)%uint64(len(host.ring))]
	_, err = js.Publish(ctx, subjFrames("s1"), encode(msgFrame, "s1", &ecs.TickRecord{Tick: next, Checksum: prev.checksum, Stages: prev.stages}),
		jetstream.WithExpectLastSequence(host.lastSeq), jetstream.WithMsgID("s1/rival"))
	require.NoError(t, err)
	// The host runs the same tick otherwise (an item defined): its frame
	// is refused, its checksum differs from the successor's.
	require.NoError(t, host.Prepare(ctx))
	w.Command(events.DefineItem("sword", 1))
	w.Step()
	sumOf(next)
	var fenced error
	require.Eventually(t, func() bool {
		host.Poll()
		fenced = host.Err()
		return fenced != nil
	}, 30*time.Second, time.Millisecond, "the host learns its frame was refused")
	assert.ErrorIs(t, fenced, ErrFenced)
	assert.Zero(t, host.Stats().Mismatches, "the successor's tick taken for the peer's desync: %+v", host.Reports())
	assert.Zero(t, p.Resyncs())
}
