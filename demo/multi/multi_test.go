package multi

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/internal/syncbuf"
)

// The demo's multiplayer mode end to end: a host shares the shop and its
// bots, two peers join with their own wallets, one of them skims a coin at
// tick 60 (-skim): the host prints the desync report naming tick 60, the
// purchase stage and that peer's wallet balance, writes the report file,
// and the peer resyncs and agrees again.
func TestHostAndJoinersWithASkimmingPeer(t *testing.T) {
	box := natsbox.ForTest(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var hostOut, annOut, bobOut syncbuf.Buffer
	hostErr := make(chan error, 1)
	go func() {
		hostErr <- host(ctx, Options{NATS: box.URL(), Ticks: 160, TPS: 200, Seed: 1, ReportDir: dir}, &hostOut)
	}()
	require.Eventually(t, func() bool { return strings.Contains(hostOut.String(), "hosting session") }, 20*time.Second, 10*time.Millisecond)
	var wg sync.WaitGroup
	for _, o := range []Options{{Join: box.URL(), Peer: "ann", Ticks: 150, TPS: 200},
		{Join: box.URL(), Peer: "bob", Ticks: 150, TPS: 200, Skim: 60}} {
		out := &annOut
		if o.Peer == "bob" {
			out = &bobOut
		}
		wg.Go(func() { assert.NoError(t, join(ctx, o, out)) })
	}
	wg.Wait()
	require.NoError(t, <-hostErr)
	h := hostOut.String()
	t.Log("\n" + h)
	assert.Contains(t, h, "peer ann joined")
	assert.Contains(t, h, "DESYNC session demo, peer bob, at tick 60, stage purchase")
	assert.Regexp(t, `entity \d+ components.Wallet Balances\[0\]\.Amount: expected (\d+), actual \d+`, h)
	assert.Contains(t, h, "action: dropped (resyncs from a snapshot)")
	assert.NotContains(t, h, "peer ann, at tick", "ann never desynced")
	assert.Contains(t, bobOut.String(), "skims a coin from its own wallet at tick 60")
	files, err := filepath.Glob(filepath.Join(dir, "desync-demo-bob-t60.txt"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	raw, err := os.ReadFile(files[0])
	require.NoError(t, err)
	assert.Contains(t, string(raw), "stage purchase")
}
