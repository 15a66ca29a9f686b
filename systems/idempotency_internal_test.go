package systems

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// The open-addressing window agrees with a plain map reference through
// growth, expiry and backward-shift deletions in long collision runs, and
// its running hash equals the hash of what it remembers.
func TestWindowAgreesWithAMapReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const size = 7
	var win window
	win.resize(size)
	ref := map[reqKey]outcome{}
	for now := uint64(0); now < 3000; now++ {
		win.begin(now)
		for k, o := range ref { // the reference forgets what left the window
			if now-o.tick >= size {
				delete(ref, k)
			}
		}
		n := rng.IntN(60)
		if now > 2000 {
			n = rng.IntN(3) // shrink again: deletions dominate
		}
		for range n {
			k := reqKey{components.ID(1 + rng.IntN(40)), uint64(rng.IntN(40))}
			got, ok := win.lookup(k.buyer, k.req)
			want, wok := ref[k]
			require.Equal(t, wok, ok, "tick %d key %v", now, k)
			require.Equal(t, want, got)
			if !ok {
				o := outcome{kind: events.PurchaseRejected, reason: events.Reason(rng.IntN(5)), receipt: components.ID(rng.IntN(9))}
				win.add(k.buyer, k.req, o)
				o.tick = now
				ref[k] = o
			}
		}
		require.Equal(t, len(ref), win.live)
		var sum uint64
		for k, o := range ref {
			sum += slotHash(k, o)
		}
		require.Equal(t, sum, win.sum, "tick %d", now)
	}
}
