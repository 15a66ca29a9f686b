package lockstep_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

func coreWorld() *ecs.World {
	w := ecs.New()
	systems.Install(w)
	return w
}

// The session's input history exports as a replay log that verifies bit
// for bit on the core systems — what `tickecon verify` runs — with the
// host's own checksums; a forged frame in the stream is skipped.
func TestSessionExportsAsAVerifiableReplayLog(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	c := newCluster(t, lockstep.Config{NewWorld: coreWorld}, 16)
	c.own(peerID(0), 0, 1)
	p := c.join(peerID(0), peerOpts{intents: 20, seed: 1})
	require.NoError(t, c.host.WaitPeers(ctx, 1))
	c.run(ctx, 150, nil)
	nc := connect(t, c.box)
	require.NoError(t, nc.Publish("tickecon.session.s1.frames", []byte("forged")))
	require.NoError(t, nc.Flush())
	c.run(ctx, 150, nil)
	c.settle(ctx, []string{peerID(0)}, 299)
	c.host.Close() // frames stored
	p.Close()

	path := filepath.Join(dir, "session.log")
	res, err := lockstep.ExportLog(nc, "s1", c.content, coreWorld, path, ticklog.Options{SnapshotEvery: 100, Setup: systems.CoreSetup()})
	require.NoError(t, err)
	assert.Equal(t, uint64(299), res.Ticks, "every tick but the last, which no later frame vouches for")
	assert.Zero(t, res.Disagree)
	assert.Equal(t, 1, res.Skipped, "the forged frame")
	vr, err := replay.Verify(replay.FileSource(path), coreWorld, replay.Options{})
	require.NoError(t, err)
	assert.Nil(t, vr.Mismatch)
	assert.Equal(t, 299, vr.Ticks)
	assert.Equal(t, 2, vr.Snapshots)
	assert.Positive(t, vr.Events)
	if out := os.Getenv("LOCKSTEP_EXPORT"); out != "" { // keep it for a look with the tool
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(out, raw, 0o644))
	}
}
