package natsbox

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every node's client and route ports are distinct across the cluster:
// they come from one allocation, so a port released by one request cannot
// come back from the next.
func TestClusterPortsAreDistinct(t *testing.T) {
	c, err := StartCluster(ClusterOptions{Dir: t.TempDir(), Nodes: 3})
	require.NoError(t, err)
	defer c.Shutdown()
	seen := map[int]bool{} // membership only
	for _, p := range append(append([]int(nil), c.ports...), c.routes...) {
		assert.False(t, seen[p], "port %d twice", p)
		seen[p] = true
	}
	assert.Len(t, seen, 6)
}
