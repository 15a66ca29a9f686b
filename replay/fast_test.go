package replay_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// A log that agrees everywhere (to its end, or to a torn tail) gets from
// the three-goroutine verification exactly the Result of verifying in
// order, on one thread or several.
func TestFastVerifyAgreesWithInOrder(t *testing.T) {
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.log")
	recordSession(t, clean, 300, 20, 50, nil)
	data, err := os.ReadFile(clean)
	require.NoError(t, err)
	torn := filepath.Join(dir, "torn.log")
	require.NoError(t, os.WriteFile(torn, data[:len(data)-40], 0o600))
	empty := filepath.Join(dir, "empty.log")
	recordSession(t, empty, 0, 0, 0, nil)
	for _, path := range []string{clean, torn, empty} {
		want, err := replay.VerifyInOrder(replay.FileSource(path), coreWorld, replay.Options{})
		require.NoError(t, err)
		require.Nil(t, want.Mismatch)
		for _, procs := range []int{1, 2, 4} {
			old := runtime.GOMAXPROCS(procs)
			got, ok := replay.VerifyFast(replay.FileSource(path), coreWorld, nil)
			runtime.GOMAXPROCS(old)
			require.True(t, ok, "%s, GOMAXPROCS %d", path, procs)
			assert.Equal(t, want, got, "%s, GOMAXPROCS %d", path, procs)
		}
	}
	res, err := replay.Verify(replay.FileSource(torn), coreWorld, replay.Options{})
	require.NoError(t, err)
	require.NotNil(t, res.TornTail)
	assert.Equal(t, int(res.TornTail.LastTick)+1, res.Ticks, "every complete tick verified")
}

// Anything but agreement — events that differ while the checksums agree,
// a state that differs, damage — makes the fast way give up, and Verify
// answers exactly as verifying in order does, on any GOMAXPROCS.
func TestFastVerifyGivesUpOnAnyDifference(t *testing.T) {
	dir := t.TempDir()
	eventsOnly := filepath.Join(dir, "events.log")
	recordSession(t, eventsOnly, 120, 10, 40, func(w *ecs.World) { w.AddSystem(chatter{at: 42}) })
	// A state change without an event (see TestDesyncedBalanceIsPinnedToTickEntityAndField).
	ids, err := session.Content(9, 50).Apply(coreWorld())
	require.NoError(t, err)
	state := filepath.Join(dir, "state.log")
	recordSession(t, state, 120, 10, 40, func(w *ecs.World) {
		w.AddSystem(skim{at: 57, who: ids.MustID("p3"), cur: ids.MustID("gold")})
	})
	clean := filepath.Join(dir, "clean.log")
	recordSession(t, clean, 120, 10, 40, nil)
	data, err := os.ReadFile(clean)
	require.NoError(t, err)
	data[len(data)/2] ^= 0x10
	damaged := filepath.Join(dir, "damaged.log")
	require.NoError(t, os.WriteFile(damaged, data, 0o600))

	for _, path := range []string{eventsOnly, state, damaged} {
		_, ok := replay.VerifyFast(replay.FileSource(path), coreWorld, nil)
		assert.False(t, ok, path)
		want, wantErr := replay.VerifyInOrder(replay.FileSource(path), coreWorld, replay.Options{})
		for _, procs := range []int{1, 2, 4} {
			old := runtime.GOMAXPROCS(procs)
			got, err := replay.Verify(replay.FileSource(path), coreWorld, replay.Options{})
			runtime.GOMAXPROCS(old)
			assert.Equal(t, wantErr, err, "%s, GOMAXPROCS %d", path, procs)
			assert.Equal(t, want, got, "%s, GOMAXPROCS %d", path, procs)
		}
	}
	res, _ := replay.Verify(replay.FileSource(eventsOnly), coreWorld, replay.Options{})
	require.NotNil(t, res.Mismatch)
	assert.Equal(t, uint64(42), res.Mismatch.Tick)
	assert.Equal(t, "events", res.Mismatch.FoundBy)
	res, _ = replay.Verify(replay.FileSource(state), coreWorld, replay.Options{})
	require.NotNil(t, res.Mismatch)
	_, err = replay.Verify(replay.FileSource(damaged), coreWorld, replay.Options{})
	var ce *ticklog.CorruptError
	require.ErrorAs(t, err, &ce)
}
