package lockstep_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
)

// A dropped peer whose first read of the host's snapshot times out (as
// on a loaded broker) reads it again and resyncs; it used to end with
// "bad snapshot …: nats: timeout" (CI, TestPeerPermissionsHoldAndTheSessionGoesOn).
func TestResyncReadsTheSnapshotAgainAfterATimeout(t *testing.T) {
	const T = 40
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := newCluster(t, lockstep.Config{}, 8)
	victim, gold := c.players[5], c.ids.MustID("gold")
	for i := range 2 {
		c.own(peerID(i), i, 2)
	}
	c.join(peerID(0), peerOpts{intents: 4, seed: 1})
	bad := c.join(peerID(1), peerOpts{intents: 4, seed: 2, audit: 1, newWorld: skimmingWorld(T, victim, gold)})
	require.NoError(t, c.host.WaitPeers(ctx, 2))

	var failed atomic.Int32
	lockstep.SetSnapshotReadHook(func(string) error {
		if bad.Tick() > T && failed.CompareAndSwap(0, 1) { // the resync's first read
			return nats.ErrTimeout
		}
		return nil
	})
	defer lockstep.SetSnapshotReadHook(nil)

	c.run(ctx, 120, nil)
	c.settle(ctx, []string{peerID(0), peerID(1)}, 119)
	require.NoError(t, bad.Err())
	assert.EqualValues(t, 1, failed.Load(), "a read failed")
	assert.Equal(t, 1, bad.Resyncs())
	good, badSums := c.peerSums(peerID(0)), c.peerSums(peerID(1))
	for tick := T + 3; tick < 120; tick++ {
		require.Equal(t, good[tick], badSums[tick], "tick %d after the resync", tick)
	}
}
