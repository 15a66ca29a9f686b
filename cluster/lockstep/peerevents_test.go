package lockstep_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
)

// A peer whose host stops is told the host is gone, then gives up after
// PeerConfig.GiveUp with a clear error, and stops by itself.
func TestPeerLearnsTheHostIsGoneAndGivesUp(t *testing.T) {
	box := natsbox.ForTest(t)
	h, err := lockstep.NewHost(connect(t, box), lockstep.Config{Session: "gone", NewWorld: newWorld})
	require.NoError(t, err)
	defer h.Close()
	evs := make(chan lockstep.PeerEvent, 16)
	p, err := lockstep.Join(connect(t, box), lockstep.PeerConfig{Session: "gone", ID: "p1", NewWorld: newWorld,
		HostSilence: 200 * time.Millisecond, GiveUp: 600 * time.Millisecond,
		OnEvent: func(e lockstep.PeerEvent) { evs <- e }})
	require.NoError(t, err)
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, h.WaitPeers(ctx, 1))
	for range 5 {
		_, err := h.Step(ctx)
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool { return p.Tick() == 5 }, 30*time.Second, time.Millisecond)
	// The host stops stepping: no frame comes.
	var kinds []lockstep.PeerEventKind
	select {
	case <-p.Done():
	case <-ctx.Done():
		t.Fatal("the peer never gave up")
	}
	for len(evs) > 0 {
		kinds = append(kinds, (<-evs).Kind)
	}
	assert.Equal(t, []lockstep.PeerEventKind{lockstep.EventHostGone, lockstep.EventGaveUp}, kinds)
	var gave *lockstep.GaveUpError
	require.True(t, errors.As(p.Err(), &gave), "%v", p.Err())
	assert.ErrorIs(t, p.Err(), lockstep.ErrGaveUp)
	assert.Equal(t, uint64(5), gave.Tick)
	assert.Contains(t, gave.Error(), "no standby took over")
}

// Close returns even when the server is gone (it used to wait for the
// client's 10 s flush timeout).
func TestPeerCloseWithTheServerGone(t *testing.T) {
	box := natsbox.ForTest(t)
	h, err := lockstep.NewHost(connect(t, box), lockstep.Config{Session: "down", NewWorld: newWorld})
	require.NoError(t, err)
	p, err := lockstep.Join(connect(t, box), lockstep.PeerConfig{Session: "down", ID: "p1", NewWorld: newWorld})
	require.NoError(t, err)
	h.Close()
	box.Shutdown()
	done := make(chan struct{})
	go func() { p.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second): // only turns a hang into a failure
		t.Fatal("Close hung with the server gone")
	}
	select {
	case <-p.Done():
	default:
		t.Fatal("Done not closed after Close")
	}
}

func TestPeerEventKindsHaveNames(t *testing.T) {
	for k, want := range map[lockstep.PeerEventKind]string{lockstep.EventDropped: "dropped", lockstep.EventResynced: "resynced",
		lockstep.EventHalted: "halted", lockstep.EventHostGone: "host gone", lockstep.EventHostChanged: "host changed",
		lockstep.EventGaveUp: "gave up"} {
		assert.Equal(t, want, k.String())
	}
	e := lockstep.PeerEvent{Kind: lockstep.EventHostChanged, Tick: 7, Host: "r1", Detail: "x"}
	assert.Equal(t, "tick 7: host changed to r1: x", e.String())
}
