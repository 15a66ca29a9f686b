package lockstep_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// A standby that starts from a snapshot no frame follows yet, and takes
// over before one does, has run no tick: the checksums its first frame
// carries for the tick before come from the snapshot's pointer. (They were
// zero: the exported log then failed `tickecon verify` at that tick, as
// the power-cut test found after a host stored its takeover snapshot and
// was deposed at once.)
func TestStandbyAdoptsASnapshotNoFrameFollows(t *testing.T) {
	box := natsbox.ForTest(t)
	content := session.Content(7, 4)
	cfg := lockstep.Config{Session: "as", NewWorld: newWorld, Content: content, SnapshotEvery: 10,
		Failover: &lockstep.Failover{ID: "a", LeaseTTL: 200 * time.Millisecond}}
	ncA := connect(t, box)
	h, err := lockstep.NewHost(ncA, cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for range 10 { // the last one stores the snapshot of tick 10: no frame after it
		_, err := h.Step(ctx)
		require.NoError(t, err)
	}
	ncA.Close() // the host dies holding the lease

	bc := cfg
	bc.Failover = &lockstep.Failover{ID: "b", LeaseTTL: 200 * time.Millisecond}
	committed := make(chan uint64, 64)
	bc.OnCommit = func(tick uint64) {
		select {
		case committed <- tick:
		default:
		}
	}
	r, err := lockstep.NewReplica(connect(t, box), lockstep.ReplicaConfig{Host: bc, TickEvery: 5 * time.Millisecond})
	require.NoError(t, err)
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(rctx) }()
	for tick := uint64(0); tick < 12; {
		select {
		case tick = <-committed:
		case <-ctx.Done():
			t.Fatal("the standby did not take over")
		}
	}
	stop()
	<-done

	path := filepath.Join(t.TempDir(), "as.log")
	res, err := lockstep.ExportLog(connect(t, box), "as", content, newWorld, path, ticklog.Options{})
	require.NoError(t, err)
	require.Zero(t, res.Disagree)
	vr, err := replay.Verify(replay.FileSource(path), newWorld, replay.Options{})
	require.NoError(t, err)
	require.Nil(t, vr.Mismatch, "%+v", vr.Mismatch)
}
