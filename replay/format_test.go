package replay_test

import (
	"path"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// A log whose snapshots were written in the first snapshot format
// (component types named without their package path) is refused with a
// *ecs.SnapshotError naming the format, not reported as a desync of every
// component.
func TestVerifyRefusesAnOldSnapshotFormat(t *testing.T) {
	p := filepath.Join(t.TempDir(), "old.log")
	c := session.Content(9, 10)
	w := coreWorld()
	s, err := session.Attach(w, 9, c)
	require.NoError(t, err)
	lw, err := ticklog.Create(p, c, ticklog.Options{SnapshotEvery: 5})
	require.NoError(t, err)
	w.Subscribe(ecs.EveryTick, lw.Subscriber(func() (*ecs.Snapshot, error) {
		snap, err := w.TakeSnapshot()
		if err != nil {
			return nil, err
		}
		snap.Format = 1 // as written before format 2
		for i := range snap.Entities {
			for j := range snap.Entities[i].Components {
				c := &snap.Entities[i].Components[j]
				c.Type = path.Base(c.Type) // "components.Wallet"
			}
		}
		return snap, nil
	}))
	for range 12 {
		s.Step(5)
	}
	require.NoError(t, lw.Close())

	_, err = replay.Verify(replay.FileSource(p), coreWorld, replay.Options{})
	var se *ecs.SnapshotError
	require.ErrorAs(t, err, &se)
	assert.ErrorContains(t, err, "format 1")
}
