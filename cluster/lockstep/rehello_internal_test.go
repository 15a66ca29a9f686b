package lockstep

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
)

// A host that has not heard a peer's hello refuses its input as "not
// joined"; Peer.Commit then says hello again itself. It used to wait for
// the lease watch to report a new host, and a watch stalled by a node's
// power cut left three clients refused for 15 s (TestFailoverPowerCutOneNode,
// once 60 s: a failure). Here the host forgets the peer outright.
func TestCommitSaysHelloAgainWhenTheHostDoesNotKnowIt(t *testing.T) {
	conn := oneNode(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	host, err := NewHost(conn(), Config{Session: "s1", NewWorld: coreWorld,
		Failover: &Failover{ID: "a", LeaseTTL: time.Minute}})
	require.NoError(t, err)
	defer host.Close()
	buyer := components.ID(1000)
	host.Allow("p", buyer)
	p, err := Join(conn(), PeerConfig{Session: "s1", ID: "p", NewWorld: coreWorld})
	require.NoError(t, err)
	defer p.Close()
	require.Eventually(t, func() bool { host.Poll(); return len(host.live()) == 1 }, 20*time.Second, time.Millisecond)
	delete(host.peers, "p") // as a new host that never got the hello
	host.order = nil

	type result struct {
		tick uint64
		err  error
	}
	done := make(chan result, 1)
	go func() {
		tick, err := p.Commit(ctx, []components.PurchaseIntent{{Buyer: buyer, Listing: 2000, Quantity: 1, RequestID: 1}})
		done <- result{tick, err}
	}()
	for {
		select {
		case r := <-done:
			require.NoError(t, r.err)
			require.Less(t, r.tick, host.Committed())
			return
		case <-ctx.Done():
			t.Fatal("the peer's Commit was never answered: it did not say hello again")
		default:
		}
		require.NoError(t, host.Prepare(ctx))
		host.World().Step()
		require.NoError(t, host.Err())
		time.Sleep(5 * time.Millisecond) // the host's tick period, not a result
	}
}
