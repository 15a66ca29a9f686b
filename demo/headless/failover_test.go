package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// -host -cluster 3: one kill, a new host, a summary.
func TestFailoverDemoSurvivesAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a 3-node cluster")
	}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	require.NoError(t, runFailover(ctx, failoverOptions{Nodes: 3, Kills: 1, KillEvery: 500 * time.Millisecond, Seed: 1}, &out))
	assert.Contains(t, out.String(), "killing the host")
	assert.Contains(t, out.String(), "committed its first tick")
	assert.Contains(t, out.String(), "1 kills: failover median")
}
