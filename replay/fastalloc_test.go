package replay_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/internal/allocs"
	"github.com/tickecon/tickecon/replay"
)

// Verifying allocates nothing per tick, either way: 400 more ticks of the
// same session add no allocation per tick (one per tick would add 400),
// only a few where a busier tick grows a buffer. (Each way counted over
// whole verifications, so the setup — content, first buffers, goroutines
// — is in both counts and cancels out.)
func TestVerifyAllocatesNothingPerTick(t *testing.T) {
	dir := t.TempDir()
	count := func(ticks int) (fast, inOrder uint64) {
		path := filepath.Join(dir, "a.log")
		recordSession(t, path, ticks, 40, 0, nil)
		ok := true
		fast = allocs.Total(1, func() {
			_, done := replay.VerifyFast(replay.FileSource(path), coreWorld, nil)
			ok = ok && done
		})
		var err error
		inOrder = allocs.Total(1, func() {
			_, e := replay.VerifyInOrder(replay.FileSource(path), coreWorld, replay.Options{})
			err = e
		})
		require.True(t, ok)
		require.NoError(t, err)
		return fast, inOrder
	}
	fast400, inOrder400 := count(400)
	fast800, inOrder800 := count(800)
	assert.Less(t, int64(fast800)-int64(fast400), int64(10), "fast: %d allocations for 400 ticks, %d for 800", fast400, fast800)
	assert.Less(t, int64(inOrder800)-int64(inOrder400), int64(10), "in order: %d allocations for 400 ticks, %d for 800", inOrder400, inOrder800)
}
