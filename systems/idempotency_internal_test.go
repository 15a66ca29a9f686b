package systems

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
)

// The open-addressing window agrees with a plain map reference through
// growth, expiry and backward-shift deletions in long collision runs, new
// seeds and restores from its marshalled state, and its running hash
// equals the hash of what it remembers.
func TestWindowAgreesWithAMapReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const size = 7
	var win window
	win.resize(size)
	ref := map[reqKey]outcome{}
	for now := uint64(0); now < 3000; now++ {
		switch {
		case now%100 == 50:
			win.reseed(now) // re-places every entry
		case now%211 == 0:
			data, err := (&PurchaseSystem{seen: win}).MarshalBinary()
			require.NoError(t, err)
			var restored PurchaseSystem
			restored.seen.seed = win.seed + 1
			restored.SetIdempotencyWindow(size)
			require.NoError(t, restored.UnmarshalBinary(data))
			win = restored.seen
		}
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

// unkeyed is the window's former, unseeded position hash: an attacker who
// knows it can invert it.
func unkeyed(buyer components.ID, req uint64) uint64 {
	x := uint64(buyer)*0x9e3779b97f4a7c15 ^ req
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// inverse of an odd multiplier mod 2^64 (Newton's iteration).
func mulInverse(c uint64) uint64 {
	inv := c
	for range 6 {
		inv *= 2 - c*inv
	}
	return inv
}

// unXorShift inverts y = x ^ x>>s.
func unXorShift(y uint64, s uint) uint64 {
	x := y
	for i := s; i < 64; i += s {
		x ^= y >> i
	}
	return x
}

// floodKeys returns n request ids of buyer whose unkeyed hashes all have
// their low 16 bits zero: every one lands in the same probe run of any
// table up to 65536 slots.
func floodKeys(t *testing.T, buyer components.ID, n int) []uint64 {
	reqs := make([]uint64, n)
	for i := range reqs {
		h := uint64(i+1) << 16
		x := unXorShift(h, 31)
		x *= mulInverse(0x94d049bb133111eb)
		x = unXorShift(x, 27)
		x *= mulInverse(0xbf58476d1ce4e5b9)
		x = unXorShift(x, 30)
		reqs[i] = x ^ uint64(buyer)*0x9e3779b97f4a7c15
		require.Equal(t, h, unkeyed(buyer, reqs[i]), "the attack inverts the unkeyed hash")
	}
	return reqs
}

// Client-chosen (buyer, request id) pairs built to collide under the
// unkeyed hash do not cluster in the keyed window: one tick of n such
// intents probes O(n) slots, not O(n²).
func TestWindowProbesStayLinearUnderChosenKeys(t *testing.T) {
	w, p, buyer, listing := floodWorld()
	const n = 4096
	for _, req := range floodKeys(t, buyer, n) {
		w.Submit(components.PurchaseIntent{Buyer: buyer, Listing: listing, Quantity: 1, RequestID: req})
	}
	before := p.seen.probes
	rec := w.Step()
	require.Len(t, rec.Events, n, "each intent rejected (no money) and remembered")
	require.Equal(t, n, p.seen.live)
	probes := p.seen.probes - before
	t.Logf("%d intents: %d probes", n, probes)
	require.Less(t, probes, uint64(8*n), "linear: a flooded run would take ~n²/2 = %d", n*n/2)
}

// floodWorld is a world with a 60-tick window, one buyer without money and
// one listing.
func floodWorld() (w *ecs.World, p *PurchaseSystem, buyer, listing components.ID) {
	w = ecs.New()
	p = Install(w)
	p.SetIdempotencyWindow(60)
	gold := w.Command(events.DefineCurrency("gold", 0)).ID
	item := w.Command(events.DefineItem("x", 1)).ID
	shop := w.Command(events.OpenShop("s")).ID
	listing = w.Command(events.PostListing(shop, item, gold, 5, 1)).ID
	buyer = w.Command(events.OpenPlayer("b", 1)).ID
	w.Step()
	return w, p, buyer, listing
}

// The seed places entries only: two worlds with different seeds (one
// changed mid-session, which re-places the table) emit the same events
// and checksums for the same retries and expiries.
func TestHashSeedDecidesNoOutcome(t *testing.T) {
	a, _, buyer, listing := floodWorld()
	b, _, _, _ := floodWorld()
	core.Of(a).HashSeed = 1
	core.Of(b).HashSeed = 2
	reqs := floodKeys(t, buyer, 300)
	for tick := range 100 {
		if tick == 50 {
			core.Of(b).HashSeed = 3
		}
		for i := range 40 {
			in := components.PurchaseIntent{Buyer: buyer, Listing: listing, Quantity: 1, RequestID: reqs[(tick*7+i)%len(reqs)]}
			a.Submit(in)
			b.Submit(in)
		}
		ra := a.Step().Clone()
		rb := b.Step()
		require.Equal(t, ra.Events, rb.Events, "tick %d", ra.Tick)
		require.Equal(t, ra.Checksum, rb.Checksum, "tick %d", ra.Tick)
	}
}

// Every field of a remembered request (its key and its outcome) is in the
// window's state hash, so a peer that remembers a different outcome
// desyncs visibly.
func TestEveryWindowFieldIsInTheStateHash(t *testing.T) {
	k := reqKey{buyer: 3, req: 4}
	o := outcome{kind: events.PurchaseRejected, reason: events.ReasonOutOfStock, receipt: 5, tick: 6}
	base := slotHash(k, o)
	for _, typ := range []reflect.Value{reflect.ValueOf(&k).Elem(), reflect.ValueOf(&o).Elem()} {
		for i := range typ.NumField() {
			f := typ.Field(i)
			f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem() // unexported: settable via its address
			old := f.Uint()
			f.SetUint(old + 1)
			assert.NotEqual(t, base, slotHash(k, o), "%s.%s", typ.Type().Name(), typ.Type().Field(i).Name)
			f.SetUint(old)
		}
	}
	assert.Equal(t, base, slotHash(k, o))
}
