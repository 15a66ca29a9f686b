package lockstep_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/ecs"
)

// pumpTo pumps p on the caller's goroutine until its world reached tick.
func pumpTo(t *testing.T, p *lockstep.Peer, tick uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for p.Tick() < tick {
		if p.Pump(0) == 0 {
			require.True(t, time.Now().Before(deadline), "peer stuck at tick %d, want %d", p.Tick(), tick)
			time.Sleep(time.Millisecond)
		}
	}
}

// A Manual peer runs nothing on its own: frames that arrive only queue
// until the caller's game loop pumps them, and then its world runs them
// on that goroutine (OnTick too) and agrees with the host at every tick.
func TestManualPeerStepsOnlyWhenPumped(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := newCluster(t, lockstep.Config{}, 8)
	var got []uint64 // written by OnTick, read here: no lock, so -race sees another goroutine
	p, err := lockstep.Join(connect(t, c.box), lockstep.PeerConfig{Session: "s1", ID: "manual", NewWorld: newWorld,
		Manual: true, OnTick: func(_ *ecs.World, r *ecs.TickRecord) { got = append(got, r.Checksum) }})
	require.NoError(t, err)
	defer p.Close()
	require.NoError(t, c.host.WaitPeers(ctx, 1))

	want := c.run(ctx, 2, nil) // MaxLead 2: the host may run two ticks ahead
	// Wait until both frames arrived: they wait for Pump.
	for p.Queued() < 2 {
		select {
		case <-ctx.Done():
			t.Fatalf("%d frames arrived, want 2", p.Queued())
		case <-time.After(time.Millisecond):
		}
	}
	assert.Zero(t, p.Tick(), "frames arrived but nobody pumped")
	assert.Empty(t, got)
	assert.Equal(t, 1, p.Pump(1), "max bounds the ticks run")
	pumpTo(t, p, 2)
	for range 200 {
		want = append(want, c.run(ctx, 1, nil)...)
		pumpTo(t, p, uint64(len(want)))
	}
	assert.Equal(t, want, got)
	assert.Zero(t, p.Pump(0), "nothing left queued")
	c.waitReports(ctx, nil, []string{"manual"}, uint64(len(want)-1))
	assert.Zero(t, c.host.Stats().Mismatches)
	assert.GreaterOrEqual(t, c.host.Stats().Verified, uint64(200))
}
