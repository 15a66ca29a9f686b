package lockstep

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/systems"
)

func coreWorld() *ecs.World {
	w := ecs.New()
	systems.Install(w)
	return w
}

// A game loop steps the host's world (Config.World) between the host
// taking a snapshot and looking up the stream sequence its frames start
// at: the snapshot still starts at its own tick's frame. (Stored with the
// sequence after the last frame published, the peer starting from it
// skipped that frame and refused every later one as from the future.)
// testHookSnapshotTaken forces the interleaving on every run.
func TestSnapshotStartsAtItsOwnTicksFrame(t *testing.T) {
	conn := oneNode(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := coreWorld()
	host, err := NewHost(conn(), Config{Session: "s1", NewWorld: coreWorld, World: w})
	require.NoError(t, err)
	defer host.Close()
	step := func() {
		require.NoError(t, host.Prepare(ctx))
		w.Step()
		require.NoError(t, host.Err())
	}
	for range 5 {
		step()
	}
	testHookSnapshotTaken = func() {
		testHookSnapshotTaken = nil
		step() // frame 5 goes out after the snapshot of the state before tick 5
	}
	t.Cleanup(func() { testHookSnapshotTaken = nil })
	require.NoError(t, host.storeSnapshot(nil))
	for range 5 {
		step()
	}
	p, err := Join(conn(), PeerConfig{Session: "s1", ID: "p", NewWorld: coreWorld})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return p.Tick() == w.NextTick() || len(p.Refusals()) > 0 },
		30*time.Second, time.Millisecond, "the peer reaches the host's tick or refuses a frame")
	p.Close()
	assert.Empty(t, p.Refusals())
	assert.Equal(t, w.NextTick(), p.World().NextTick())
	assert.Equal(t, w.Checksum(), p.World().Checksum())
}
