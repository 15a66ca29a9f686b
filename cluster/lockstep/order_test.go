package lockstep_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/ecs"
)

// The host handles a peer's messages in the order the peer sent them,
// across subjects. A peer that resyncs sends the checksums of the world it
// leaves, then its hello, then the checksums of the restored world: taken
// out of order, a stale checksum after the hello is compared (a second,
// false desync), or a new one before it is dropped and every later one
// refused as out of sequence. Here a peer (a raw connection) says hello
// and reports the host's ticks again and again in one burst: every
// checksum must be verified, none refused.
func TestHostKeepsAPeersMessageOrder(t *testing.T) {
	const rounds, ticks = 50, 40
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := newCluster(t, lockstep.Config{}, 4)
	var sums [][]byte
	for range ticks {
		rec, err := c.host.Step(ctx) // no peers: nothing holds the host back
		require.NoError(t, err)
		sums = append(sums, wire('S', "s1", &ecs.TickRecord{Tick: rec.Tick, Checksum: rec.Checksum, Stages: rec.Stages}))
	}
	nc := connect(t, c.box)
	for range rounds {
		require.NoError(t, nc.Publish("tickecon.session.s1.hello.raw", []byte("hello raw 0")))
		for _, s := range sums {
			require.NoError(t, nc.Publish("tickecon.session.s1.sum.raw", s))
		}
	}
	require.NoError(t, nc.Flush())
	// Every checksum is either verified or refused once handled.
	deadline := time.Now().Add(30 * time.Second)
	for st := c.host.Stats(); st.Verified+uint64(st.Refused) < rounds*ticks; st = c.host.Stats() {
		require.True(t, time.Now().Before(deadline), "host handled %d of %d checksums", st.Verified+uint64(st.Refused), rounds*ticks)
		c.host.Poll()
		time.Sleep(time.Millisecond)
	}
	st := c.host.Stats()
	if r := c.host.Refusals(); !assert.Empty(t, r) {
		t.Logf("%d refused, the first: %s", len(r), r[0])
	}
	assert.Equal(t, uint64(rounds*ticks), st.Verified)
	assert.Zero(t, st.Mismatches)
}
