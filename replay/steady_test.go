package replay_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/internal/allocs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// A replay step and its comparison allocate nothing per tick once the
// world's buffers have grown: feeding the recorded inputs, stepping and
// comparing the lists (counted exactly over 200 ticks of a busy session,
// with a payday's commands every 50).
func TestReplayStepAllocatesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "steady.log")
	recordSession(t, path, 400, 40, 0, nil)
	_, recs, err := ticklog.ReadAll(path)
	require.NoError(t, err)
	require.Len(t, recs, 400)
	w := coreWorld()
	names := w.StageNames()
	i, parted := 0, 0
	step := func() {
		if i == len(recs) { // allocs.Total's second and third rounds, after a failing first
			return
		}
		got, err := replay.StepRecorded(w, recs[i].Tick)
		if err != nil || replay.CompareTick(names, recs[i].Tick, got) != nil {
			parted++
		}
		i++
	}
	for range 199 { // warm-up: tick 0's content, buffers grow
		step()
	}
	require.Zero(t, allocs.Total(200, step), "allocations over 200 replayed ticks")
	require.Equal(t, 400, i)
	require.Zero(t, parted, "ticks that did not replay as recorded")
}
