package lockstep

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// lateFrameHost starts a replicated world's host (cfg tweaks its config)
// and then lands a frame of another term (tick 0, empty) in its stream at
// exactly the sequence the host's first frame expects: what a deposed
// host's frame does when it sat in its reconnect buffer (or the broker's
// queue) and arrives after the new host read the stream's last sequence.
func lateFrameHost(t *testing.T, session string, cfg func(*Config)) (*Host, func() *nats.Conn) {
	t.Helper()
	conn := oneNode(t)
	c := Config{Session: session, NewWorld: coreWorld, Failover: &Failover{ID: "b", LeaseTTL: time.Minute}}
	if cfg != nil {
		cfg(&c)
	}
	host, err := NewHost(conn(), c)
	require.NoError(t, err)
	t.Cleanup(host.Close)
	js, err := jetstream.New(conn())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = js.Publish(ctx, subjFrames(session), encode(msgFrame, session, &ecs.TickRecord{Tick: 0}),
		jetstream.WithExpectLastSequence(host.lastSeq), jetstream.WithMsgID(session+"/0/999999"))
	require.NoError(t, err)
	return host, conn
}

// requireOnlyTheLateFrame requires the session's stream to hold the late
// frame alone — nothing the host published behind its refused first frame
// — and its readers to get that one frame and nothing to refuse.
func requireOnlyTheLateFrame(t *testing.T, conn func() *nats.Conn, session string) {
	t.Helper()
	requireFrames(t, conn, session, []string{"1:" + session + "/0/999999"}, []uint64{0})
}

// requireFrames requires the session's stream to hold the messages ids
// ("sequence:msg id"), and its readers to get the frames of ticks from
// them, refusing nothing.
func requireFrames(t *testing.T, conn func() *nats.Conn, session string, want []string, wantTicks []uint64) {
	t.Helper()
	js, err := jetstream.New(conn())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, streamName(session))
	require.NoError(t, err)
	info, err := st.Info(ctx)
	require.NoError(t, err)
	var ids []string
	for seq := info.State.FirstSeq; seq > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		require.NoError(t, err)
		ids = append(ids, fmt.Sprintf("%d:%s", seq, m.Header.Get(jetstream.MsgIDHeader)))
	}
	require.Equal(t, want, ids,
		"the stream holds the late frame and nothing of the host that came after it")
	// What every reader (peer, standby, ExportLog, FrameSource) gets
	// from the stream: the frames, whole, in order.
	var ticks []uint64
	var bad []error
	require.NoError(t, eachFrame(ctx, js, session, info.State.LastSeq, func(f frameIn, err error) error {
		if err != nil {
			bad = append(bad, err)
		} else {
			ticks = append(ticks, f.Tick)
		}
		return nil
	}))
	require.Equal(t, wantTicks, ticks, "readers run the late frame's tick and no tick of the host on top of it")
	require.Empty(t, bad, "readers refuse nothing")
}

// A frame of a deposed host lands after the new host read the stream's
// last sequence. The new host's first frame expects that sequence and is
// refused; its second frame, published before the refusal was read (the
// world ran its next tick back to back: Prepare reads only the acks that
// came), expected exactly the late frame's sequence and was stored after
// it: readers ran the deposed host's tick 0 and then the new host's tick
// 1, computed on its own tick 0 (a sword defined there that the history
// never had). A host now sends its first frame alone and publishes
// nothing more until the stream answered it; refused, it is fenced and
// publishes nothing.
func TestHostPublishesNothingBehindARefusedFirstFrame(t *testing.T) {
	host, conn := lateFrameHost(t, "lf1", nil)
	w := host.World()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(t, host.Prepare(ctx))
	w.Command(events.DefineItem("sword", 1))
	w.Step()
	w.Command(events.DefineItem("shield", 1))
	w.Step()
	var err error
	require.Eventually(t, func() bool {
		host.Poll()
		err = host.Err()
		return err != nil
	}, 30*time.Second, time.Millisecond, "the host learns its first frame was refused")
	require.ErrorIs(t, err, ErrFenced)
	require.ErrorIs(t, host.Prepare(ctx), ErrFenced)
	require.True(t, WaitPublished(host, 30*time.Second))
	requireOnlyTheLateFrame(t, conn, "lf1")
}

// The same with a first frame in parts: its part 0 was refused, and
// parts 1 … n-1, published back to back behind it, each expected the
// sequence before it and were stored after the late frame (orphan parts
// every reader refuses). Now part 0 goes alone; refused, no other part
// is sent.
func TestHostPublishesNoPartBehindARefusedFirstPart(t *testing.T) {
	host, conn := lateFrameHost(t, "lf2", func(c *Config) { c.partLimit = 600 })
	w := host.World()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(t, host.Prepare(ctx))
	for i := range 100 {
		w.Command(events.DefineItem(fmt.Sprintf("item-%03d", i), 1))
	}
	w.Step()
	require.Greater(t, len(host.partEnds), 2, "the first frame is parted")
	var err error
	require.Eventually(t, func() bool {
		host.Poll()
		if err == nil {
			err = host.Err()
		}
		return err != nil && WaitPublished(host, time.Millisecond)
	}, 30*time.Second, time.Millisecond, "the host learns its first frame was refused")
	require.ErrorIs(t, err, ErrFenced)
	requireOnlyTheLateFrame(t, conn, "lf2")
}

// The deposed side: a host past its first frame pipelines. A successor's
// first frame lands at the sequence this host's next frame expects (the
// lease lapsed while this host stalled): that frame is refused, but the
// one the world ran right behind it expected the successor's sequence
// and is stored after it — readers run the successor's tick k and then
// the deposed host's tick k+1, computed on its own tick k. Waiting for
// the first answer does not close this: the deposed host was answered
// long before. Expected last sequences cannot tell whose message is
// last; a chain of expected last msg ids (each message names the one
// before it) does, and made this test pass, but nats-server checks that
// header on each replica against the msg id of the last message it
// applied, which a replica that caught up from its peers (no apply) may
// not have: with the chain TestFailoverPowerCutOneNode stopped committing
// once the quorum needed the node that lost power (3 runs of 3; 2 of 2
// passed without it). Unfixed until that is understood.
func TestDeposedHostPublishesNothingOnTopOfItsSuccessor(t *testing.T) {
	t.Skip("known hole, not fixed: a deposed host's pipelined frame is stored on top of its successor's first frame (see above)")
	conn := oneNode(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	host, err := NewHost(conn(), Config{Session: "lf3", NewWorld: coreWorld,
		Failover: &Failover{ID: "a", LeaseTTL: time.Minute}})
	require.NoError(t, err)
	defer host.Close()
	w := host.World()
	for range 3 {
		require.NoError(t, host.Prepare(ctx))
		w.Step()
		require.NoError(t, host.Err())
	}
	require.True(t, WaitPublished(host, 30*time.Second))
	host.Poll()
	require.Equal(t, uint64(3), host.Committed())
	js, err := jetstream.New(conn())
	require.NoError(t, err)
	_, err = js.Publish(ctx, subjFrames("lf3"), encode(msgFrame, "lf3", &ecs.TickRecord{Tick: 3}),
		jetstream.WithExpectLastSequence(host.lastSeq), jetstream.WithMsgID("lf3/3/999999"))
	require.NoError(t, err)
	require.NoError(t, host.Prepare(ctx))
	w.Command(events.DefineItem("sword", 1))
	w.Step()
	w.Command(events.DefineItem("shield", 1))
	w.Step()
	require.Eventually(t, func() bool {
		host.Poll()
		err = host.Err()
		return err != nil
	}, 30*time.Second, time.Millisecond, "the host learns its frame was refused")
	require.ErrorIs(t, err, ErrFenced)
	require.True(t, WaitPublished(host, 30*time.Second))
	requireFrames(t, conn, "lf3", []string{"1:lf3/0/1", "2:lf3/1/1", "3:lf3/2/1", "4:lf3/3/999999"}, []uint64{0, 1, 2, 3})
}
