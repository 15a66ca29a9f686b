package systems_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// A PurchaseSystem restored from a marshalled window gives the same
// StateHash and the same answers to retries as the original.
func TestPurchaseSystemStateRoundTrip(t *testing.T) {
	cfg := systems.Config{IdempotencyWindow: 4}
	a, b := newShop(t, cfg), newShop(t, cfg)
	for req := uint64(1); req <= 6; req++ { // ticks 1..6
		for _, s := range []*shop{a, b} {
			s.w.Submit(s.intent("alice", "pebbles", 1, req))
			s.w.Submit(s.intent("bob", "nothing", 1, req))
			s.step()
		}
	}
	data, err := a.c.Purchase.MarshalBinary()
	require.NoError(t, err)
	again, _ := a.c.Purchase.MarshalBinary()
	assert.Equal(t, data, again, "deterministic encoding")

	// b forgets everything, then is restored from a's bytes.
	empty := systems.NewPurchaseSystem()
	empty.SetIdempotencyWindow(4)
	blank, _ := empty.MarshalBinary()
	require.NoError(t, b.c.Purchase.UnmarshalBinary(blank))
	assert.NotEqual(t, a.c.Purchase.StateHash(), b.c.Purchase.StateHash())
	require.NoError(t, b.c.Purchase.UnmarshalBinary(data))
	assert.Equal(t, a.c.Purchase.StateHash(), b.c.Purchase.StateHash())
	out, _ := b.c.Purchase.MarshalBinary()
	assert.Equal(t, data, out)

	// Tick 7 remembers ticks 4..7: requests 2 and 3 are new, 4 and 6 retries.
	var got [2][]events.Kind
	for i, s := range []*shop{a, b} {
		for _, req := range []uint64{2, 3, 4, 6} {
			s.w.Submit(s.intent("alice", "pebbles", 1, req))
		}
		rec := s.step()
		for _, ev := range rec.Events {
			if ev.Kind != events.ReceiptIssued {
				got[i] = append(got[i], ev.Kind)
			}
		}
	}
	assert.Equal(t, []events.Kind{events.PurchaseCompleted, events.PurchaseCompleted,
		events.PurchaseDuplicate, events.PurchaseDuplicate}, got[0])
	assert.Equal(t, got[0], got[1])
	assert.Equal(t, a.last, b.last, "same checksum after the restored tick")

	restored := b.c.Purchase
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"magic":     append([]byte("XXXX"), data[4:]...),
		"truncated": data[:len(data)-1],
		"size":      func() []byte { b := append([]byte(nil), data...); b[4]++; return b }(),
		"tick":      func() []byte { b := append([]byte(nil), data...); b[len(b)-1] = 0xff; return b }(),
		"kind":      func() []byte { b := append([]byte(nil), data...); b[28+16] = 0xee; return b }(),
	} {
		before := restored.StateHash()
		assert.ErrorIs(t, restored.UnmarshalBinary(bad), systems.ErrBadState, name)
		assert.Equal(t, before, restored.StateHash(), "%s: nothing changed", name)
	}
}

// Corrupt state bytes give ErrBadState or a state that marshals back to
// the same bytes; never a panic.
func FuzzPurchaseSystemState(f *testing.F) {
	c, err := ecs.ParseContent([]byte(fixtureJSON))
	require.NoError(f, err)
	w := ecs.New()
	com := systems.InstallCommerce(w, systems.Config{IdempotencyWindow: 3})
	ids, _ := c.Apply(w)
	w.Step()
	for req := uint64(1); req <= 4; req++ {
		w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("pebbles"), Quantity: 1, RequestID: req})
		w.Submit(components.PurchaseIntent{Buyer: ids.MustID("bob"), Listing: math.MaxUint64, Quantity: 1, RequestID: req})
		w.Step()
	}
	good, _ := com.Purchase.MarshalBinary()
	require.Greater(f, len(good), 28+3*26)
	f.Add(good)
	f.Add(good[:30])
	f.Add([]byte("TIW1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := systems.NewPurchaseSystem()
		p.SetIdempotencyWindow(3)
		if err := p.UnmarshalBinary(data); err != nil {
			require.ErrorIs(t, err, systems.ErrBadState)
			return
		}
		out, err := p.MarshalBinary()
		require.NoError(t, err)
		q := systems.NewPurchaseSystem()
		q.SetIdempotencyWindow(3)
		require.NoError(t, q.UnmarshalBinary(out))
		require.Equal(t, p.StateHash(), q.StateHash())
	})
}
