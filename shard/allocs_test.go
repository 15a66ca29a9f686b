package shard

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/allocs"
)

// A steady round with nothing crossing shards allocates nothing: the
// shard system's Update, the message scan of each frame and the loopback
// transport reuse their buffers. (Cross-shard purchases spawn a hold and
// a sale entity each: amortized, as receipts are.)
func TestIdleRoundAllocatesNothing(t *testing.T) {
	c, err := NewCluster(testConfig, []*ecs.Content{shardContent(t, 1, 2, 40), shardContent(t, 2, 2, 40)}, NewLoopback(2))
	require.NoError(t, err)
	for range 3 {
		require.NoError(t, c.Step())
	}
	n := allocs.Total(200, func() {
		if err := c.Step(); err != nil {
			panic(err)
		}
	})
	require.Zero(t, n)
}
