package lockstep_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/internal/session"
)

// WaitCommitted is a world's group commit: it returns once the tick's
// frame is stored, and never reports a tick committed that has no frame.
func TestWaitCommitted(t *testing.T) {
	box := natsbox.ForTest(t)
	nc := connect(t, box)
	h, err := lockstep.NewHost(nc, lockstep.Config{Session: "wait", NewWorld: newWorld})
	require.NoError(t, err)
	defer h.Close()
	s, err := session.Attach(h.World(), 1, session.Content(1, 20))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	for tick := range uint64(5) {
		require.NoError(t, h.Prepare(ctx))
		s.Inputs(50)
		h.World().Step()
		require.NoError(t, h.Err())
		require.NoError(t, h.WaitCommitted(ctx, tick))
		require.Greater(t, h.Committed(), tick)
		require.NoError(t, h.WaitCommitted(ctx, 0), "an earlier tick: at once")
	}
	require.ErrorContains(t, h.WaitCommitted(ctx, 5), "has not run it")

	// A frame over the server's payload limit (1 MiB by default, ~14
	// bytes an intent) goes out in parts and commits like any.
	require.NoError(t, h.Prepare(ctx))
	s.Inputs(120_000)
	h.World().Step()
	require.NoError(t, h.Err())
	require.NoError(t, h.WaitCommitted(ctx, 5))
	require.Equal(t, uint64(6), h.Committed())
}

// A frame the client refuses (a host made to part only above 64 MiB, so
// that a 1.7 MB frame goes out as one message over the server's 1 MiB)
// never commits, and neither does any later tick.
func TestWaitCommittedRefusedFrame(t *testing.T) {
	box := natsbox.ForTest(t)
	nc := connect(t, box)
	h, err := lockstep.NewHost(nc, lockstep.WithPartLimit(lockstep.Config{Session: "wait", NewWorld: newWorld}, 64<<20))
	require.NoError(t, err)
	defer h.Close()
	s, err := session.Attach(h.World(), 1, session.Content(1, 20))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, h.Prepare(ctx))
	s.Inputs(50)
	h.World().Step()
	require.NoError(t, h.Err())
	require.NoError(t, h.WaitCommitted(ctx, 0))

	require.NoError(t, h.Prepare(ctx))
	s.Inputs(120_000)
	h.World().Step()
	require.ErrorIs(t, h.Err(), nats.ErrMaxPayload)
	require.Error(t, h.WaitCommitted(ctx, 1))
	require.NoError(t, h.Prepare(ctx))
	s.Inputs(10)
	h.World().Step()
	require.NoError(t, h.Err())
	require.ErrorContains(t, h.WaitCommitted(ctx, 2), "an earlier frame failed")
	require.Equal(t, uint64(1), h.Committed())
}
