package shard_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/shard"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// A newcomer buys before the first round: a ClusterError that says what to
// do, not the world's "entity closed"; after one Step the same call works.
// OpenLogs makes its folder.
func TestBuyBeforeFirstRoundSaysStepFirst(t *testing.T) {
	shared := `"currencies": [{"key": "gold", "name": "Gold"}], "items": [{"key": "potion", "name": "Potion", "max_stack": 10}]`
	one, err := ecs.ParseContent([]byte(`{` + shared + `, "players": [{"key": "ann", "name": "Ann", "capacity": 4,
		"wallet": [{"currency": "gold", "amount": 1000}]}]}`))
	require.NoError(t, err)
	two, err := ecs.ParseContent([]byte(`{` + shared + `, "shops": [{"key": "smithy", "name": "Smithy",
		"listings": [{"key": "potions", "item": "potion", "currency": "gold", "price": 25, "stock": 40}]}]}`))
	require.NoError(t, err)
	c, err := shard.NewCluster(shard.Config{HoldTimeout: shard.DefaultHoldTimeout, Commerce: systems.DefaultConfig},
		[]*ecs.Content{one, two}, shard.NewLoopback(2))
	require.NoError(t, err)
	require.NoError(t, c.OpenLogs(t.TempDir()+"/new/logs", ticklog.Options{SyncEvery: 1}))
	_, err = c.Buy("ann", "potions", 3, 1)
	var ce *shard.ClusterError
	require.ErrorAs(t, err, &ce)
	require.Contains(t, err.Error(), "Step once first")
	require.NoError(t, c.Step())
	_, err = c.Buy("ann", "potions", 3, 1)
	require.NoError(t, err)
	require.NoError(t, c.Close())
}
