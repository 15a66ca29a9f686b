package shard

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

const shared = `"currencies": [{"key": "gold", "name": "Gold", "decimals": 2}],
  "items": [{"key": "potion", "name": "Potion", "max_stack": 10}]`

// shardContent is shard n's content: players p<n>-0… with 1000 gold and
// 8 slots, and a shop s<n> with a listing l<n> of stock potions at 25.
func shardContent(t testing.TB, n, players int, stock int64) *ecs.Content {
	var ps []string
	for i := range players {
		ps = append(ps, fmt.Sprintf(`{"key": "p%d-%d", "name": "P", "capacity": 8, "wallet": [{"currency": "gold", "amount": 1000}]}`, n, i))
	}
	src := fmt.Sprintf(`{%s, "shops": [{"key": "s%d", "name": "S", "listings": [
	  {"key": "l%d", "item": "potion", "currency": "gold", "price": 25, "stock": %d}]}],
	  "players": [%s]}`, shared, n, n, stock, strings.Join(ps, ","))
	c, err := ecs.ParseContent([]byte(src))
	require.NoError(t, err)
	return c
}

var testConfig = Config{HoldTimeout: 20, Commerce: systems.DefaultConfig}

// newCluster builds n shards with logs in a temp dir over t.
func newCluster(t testing.TB, n, players int, stock int64, tr Transport) *Cluster {
	var cs []*ecs.Content
	for i := 1; i <= n; i++ {
		cs = append(cs, shardContent(t, i, players, stock))
	}
	c, err := NewCluster(testConfig, cs, tr)
	require.NoError(t, err)
	require.NoError(t, c.OpenLogs(t.TempDir(), ticklog.Options{SyncEvery: 1, SnapshotEvery: 50}))
	return c
}

// run steps the cluster until no hold is pending and no message waits
// (bounded: a hang fails).
func run(t testing.TB, c *Cluster, lb *Loopback, max int) int {
	for i := 0; i < max; i++ {
		require.NoError(t, c.Step())
		if c.Pending() == 0 && queued(c, lb) == 0 {
			return i + 1
		}
	}
	require.FailNow(t, "cluster did not settle", "%d holds pending after %d rounds", c.Pending(), max)
	return 0
}

func queued(c *Cluster, lb *Loopback) int {
	if lb == nil {
		return 0
	}
	n := 0
	for _, nd := range c.Nodes() {
		n += lb.Len(nd.N)
	}
	return n
}

// verifyAll closes the logs and verifies each one alone, bit for bit, on
// the world its header names.
func verifyAll(t testing.TB, c *Cluster) []string {
	require.NoError(t, c.Close())
	var paths []string
	for _, nd := range c.Nodes() {
		res, err := replay.Verify(replay.FileSource(nd.Path), nil, replay.Options{})
		require.NoError(t, err)
		require.Nil(t, res.Mismatch, "shard %d: %v", nd.N, res.Mismatch)
		paths = append(paths, nd.Path)
	}
	return paths
}
