package multi

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/demo/shop"
	"github.com/tickecon/tickecon/ecs"
)

// The window's models without a window: a host model and two joined
// models (Manual peers, pumped by their own game loop's StepOnce) run the
// same session. The joiners agree with the host at every tick they ran;
// ann buys with her own wallet through her peer and sees the outcome; bob
// skims a coin at tick 40: the host model's status names the desync, bob
// resyncs from the snapshot and agrees again after it.
func TestWindowModelsAgreeAndShowADesync(t *testing.T) {
	box := natsbox.ForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	hm, closeHost, err := Open(ctx, Options{Host: true, NATS: box.URL(), ReportDir: t.TempDir()}, 1, io.Discard)
	require.NoError(t, err)
	defer closeHost()
	sums := map[string]map[uint64]uint64{"ann": {}, "bob": {}} // peer → tick → checksum; read by key only
	var joined [2]*shop.Model
	for i, id := range []string{"ann", "bob"} {
		o := Options{Join: box.URL(), Peer: id, onTick: func(_ *ecs.World, r *ecs.TickRecord) { sums[id][r.Tick] = r.Checksum }}
		if id == "bob" {
			o.Skim = 40
		}
		m, closeJoin, err := Open(ctx, o, 0, io.Discard)
		require.NoError(t, err)
		defer closeJoin()
		joined[i] = m
	}
	ann, bob := joined[0], joined[1]
	ann.Update(shop.Input{Select: -1, TogglePause: true})
	assert.False(t, ann.Paused(), "a joiner cannot pause the host's session")
	// Both peers take part from the start: the host's game loop must not
	// run the session before their hellos reached it (under load it ran
	// all 150 ticks first once, with nobody to compare).
	require.NoError(t, hm.Net().(*hostNet).h.WaitPeers(ctx, 2))
	const end = 150
	hostSums := make([]uint64, end+1)
	done := make(chan struct{})
	go func() { // the host's game loop
		defer close(done)
		for hm.LastTick() < end && hm.NetErr() == nil {
			hm.StepOnce()
			hostSums[hm.LastTick()] = hm.Checksum()
		}
	}()
	bought := false
	for ann.LastTick() < end || bob.LastTick() < end { // the joiners' game loops, here
		require.NoError(t, ctx.Err(), "ann at %d, bob at %d", ann.LastTick(), bob.LastTick())
		ann.StepOnce()
		bob.StepOnce()
		if !bought && ann.Player() != 0 {
			_, err := ann.Buy()
			require.NoError(t, err)
			bought = true
		}
	}
	<-done
	require.NoError(t, hm.NetErr())
	require.NoError(t, ann.NetErr())
	require.NoError(t, bob.NetErr())

	assert.Contains(t, hm.Status(), "DESYNC: peer bob at tick 40 (purchase)")
	assert.Contains(t, hm.Net().Header(), "HOST · 2 peers · agreed to tick")
	assert.Contains(t, bob.Net().Header(), "PEER bob · applied tick 150 · 1 resyncs")
	assert.Equal(t, "PEER ann · applied tick 150", ann.Net().Header())
	assert.Contains(t, bob.Status(), "Resynced")
	assert.Contains(t, ann.Status(), "Bought", "ann's own purchase, through her peer")
	assert.NotZero(t, ann.Player())
	assert.NotEmpty(t, hm.Listings())
	assert.Equal(t, hm.Listings(), bob.Listings(), "bob's new world shows the shop again")
	assert.Equal(t, hm.Listings(), ann.Listings())

	from := map[string]uint64{"ann": end, "bob": end}
	for _, id := range []string{"ann", "bob"} {
		for tick := uint64(1); tick <= end; tick++ {
			got, ok := sums[id][tick]
			if !ok {
				continue // before the peer joined, or before its resync
			}
			from[id] = min(from[id], tick)
			if id == "bob" && tick == 40 {
				assert.NotEqual(t, hostSums[tick], got, "bob's skim")
				continue
			}
			if id == "bob" && tick < 40 {
				assert.Equal(t, hostSums[tick], got, "%s tick %d", id, tick)
				continue
			}
			if id == "bob" && tick < 45 { // between the skim and the resync bob's world is off
				continue
			}
			assert.Equal(t, hostSums[tick], got, "%s tick %d", id, tick)
		}
	}
	assert.Less(t, from["ann"], uint64(10), "ann ran the session from its start")
	assert.Equal(t, hm.Checksum(), ann.Checksum())
	assert.Equal(t, hm.Checksum(), bob.Checksum())
}
