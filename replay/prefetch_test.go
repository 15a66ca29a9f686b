package replay_test

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// Verify reads ahead on another goroutine, yet reports progress at the
// Reader's offset after each tick, in log order, exactly as reading the
// log alone gives them.
func TestVerifyProgressFollowsTheLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	recordSession(t, path, 120, 15, 25, nil)
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := ticklog.NewReader(f)
	require.NoError(t, err)
	var want []int64
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if rec.Tick != nil {
			want = append(want, r.Offset())
		}
	}
	var got []int64
	var ticks []uint64
	res, err := replay.Verify(replay.FileSource(path), coreWorld, replay.Options{Progress: func(tick uint64, off int64) {
		ticks = append(ticks, tick)
		got = append(got, off)
	}})
	require.NoError(t, err)
	require.Nil(t, res.Mismatch)
	assert.Equal(t, want, got)
	for i, tk := range ticks {
		require.Equal(t, uint64(i), tk)
	}

	// Read, for a progress bar, sees the same offsets on the fast way.
	var read []int64
	res, err = replay.Verify(replay.FileSource(path), coreWorld, replay.Options{Read: func(off int64) { read = append(read, off) }})
	require.NoError(t, err)
	require.Nil(t, res.Mismatch)
	assert.Equal(t, want, read)
}

// Every way Verify stops early (a desync diffed at the next snapshot, the
// diff horizon, damage in the middle) ends its reading goroutine before
// it returns the log's file.
func TestVerifyStopsReadingWhenItStops(t *testing.T) {
	dir := t.TempDir()
	base := runtime.NumGoroutine()
	settled := func(what string) {
		t.Helper()
		// Polled here: assert.Eventually runs its condition on a goroutine.
		for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > base; {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				require.Failf(t, "a goroutine outlives Verify", "%s: %d goroutines, %d before:\n%s",
					what, runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
			}
			time.Sleep(time.Millisecond)
		}
	}

	desync := filepath.Join(dir, "desync.log")
	recordSession(t, desync, 200, 10, 10, func(w *ecs.World) { w.AddSystem(chatter{at: 42}) })
	res, err := replay.Verify(replay.FileSource(desync), coreWorld, replay.Options{})
	require.NoError(t, err)
	require.NotNil(t, res.Mismatch)
	assert.Equal(t, uint64(50), res.Mismatch.StateTick, "stopped at the next snapshot, 150 ticks before the end")
	settled("after a desync")

	horizon := filepath.Join(dir, "horizon.log")
	recordSession(t, horizon, 200, 10, 0, func(w *ecs.World) { w.AddSystem(chatter{at: 42}) })
	res, err = replay.Verify(replay.FileSource(horizon), coreWorld, replay.Options{DiffHorizon: 3})
	require.NoError(t, err)
	require.NotNil(t, res.Mismatch)
	assert.Contains(t, res.Mismatch.StateMissing, "within 3 ticks")
	settled("after the diff horizon")

	data, err := os.ReadFile(horizon)
	require.NoError(t, err)
	data[len(data)/2] ^= 0xff
	damaged := filepath.Join(dir, "damaged.log")
	require.NoError(t, os.WriteFile(damaged, data, 0o600))
	_, err = replay.Verify(replay.FileSource(damaged), coreWorld, replay.Options{})
	var ce *ticklog.CorruptError
	require.ErrorAs(t, err, &ce)
	settled("after damage")
}
