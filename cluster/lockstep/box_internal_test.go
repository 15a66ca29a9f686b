package lockstep

import (
	"path/filepath"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/natsbox"
)

// oneNode starts a one-node JetStream server for an internal test and
// returns a function that opens a connection to it; both end with the test.
func oneNode(t *testing.T) func() *nats.Conn {
	t.Helper()
	box, err := natsbox.Start(natsbox.Options{StoreDir: filepath.Join(t.TempDir(), "js")})
	require.NoError(t, err)
	t.Cleanup(box.Shutdown)
	return func() *nats.Conn {
		nc, err := nats.Connect(box.URL())
		require.NoError(t, err)
		t.Cleanup(nc.Close)
		return nc
	}
}
