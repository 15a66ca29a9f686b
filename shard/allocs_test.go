package shard

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
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

// Steady cross-shard purchases allocate only amortized growth (the id
// table, the hold and sale archetypes, the message index), as local
// purchases do with their receipts: well under one allocation per
// purchase, and no more than local ones plus a little.
func TestCrossShardPurchasesAllocateOnlyGrowth(t *testing.T) {
	c, err := NewCluster(testConfig, []*ecs.Content{shardContent(t, 1, 100, 1<<40), shardContent(t, 2, 100, 1<<40)}, NewLoopback(2))
	require.NoError(t, err)
	require.NoError(t, c.Step())
	a := c.Node(1)
	gold, potion := a.IDs.MustID("gold"), a.IDs.MustID("potion")
	l1, l2, first := a.IDs.MustID("l1"), c.Node(2).IDs.MustID("l2"), a.IDs.MustID("p1-0")
	req := uint64(0)
	per := map[bool]float64{}
	for _, cross := range []bool{false, true} {
		n := allocs.Total(300, func() {
			for i := range 100 {
				req++
				buyer := first + components.ID(i%8) // 8 buyers: their inventories stay small
				if cross {
					a.W.Command(Buy(buyer, AddrOf(2, l2), potion, gold, 1, 25, req))
				} else {
					a.W.Submit(components.PurchaseIntent{Buyer: buyer, Listing: l1, Quantity: 1, RequestID: req})
				}
			}
			if err := c.Step(); err != nil {
				panic(err)
			}
		})
		per[cross] = float64(n) / 30000
	}
	t.Logf("allocations per purchase: local %.3f, cross-shard %.3f", per[false], per[true])
	require.Less(t, per[true], 0.2)
	require.Less(t, per[true], per[false]+0.1)
}
