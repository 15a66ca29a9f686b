package lockstep

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// A frame without keyed commands is a version 1 frame, byte for byte; one
// with keys is version 2 and decodes to the same tick and the keys in
// order. Inputs and sums never carry keys; a bad key count is refused.
func TestFrameKeysWire(t *testing.T) {
	r := &ecs.TickRecord{Tick: 7, Checksum: 42, Commands: []events.Event{events.Mint(3, 1, 5)},
		Intents: []components.PurchaseIntent{{Buyer: 3, Listing: 4, Quantity: 1, RequestID: 9}}}
	v1 := encodeInto(nil, msgFrame, "s", r)
	require.Equal(t, v1, encodeFrame(nil, "s", r, nil))
	require.Equal(t, wireVersion, v1[1])

	a, b := commandKey("m1"), commandKey("m2")
	keys := append(a[:], b[:]...)
	v2 := encodeFrame(nil, "s", r, keys)
	require.Equal(t, wireKeyed, v2[1])
	f, err := decodeFrame("s", v2)
	require.NoError(t, err)
	assert.Equal(t, keys, f.keys)
	assert.Equal(t, r.Tick, f.Tick)
	assert.Equal(t, r.Commands[0].Amount, f.Commands[0].Amount)
	assert.Equal(t, r.Intents, f.Intents)
	f1, err := decodeFrame("s", v1)
	require.NoError(t, err)
	assert.Empty(t, f1.keys)
	assert.Equal(t, f.TickRecord, f1.TickRecord)

	_, err = decode(msgInput, "s", append([]byte{msgInput}, v2[1:]...))
	require.ErrorIs(t, err, errMalformed, "an input is never version 2")
	head := 2 + 1 + len("s") // type, version, session
	for name, count := range map[string]uint64{"zero": 0, "too many": 3, "huge": 1 << 62} {
		bad := append([]byte(nil), v2[:head]...)
		bad = binary.AppendUvarint(bad, count)
		bad = append(bad, v2[head+1:]...)
		_, err := decodeFrame("s", bad)
		require.ErrorIs(t, err, errMalformed, name)
	}
	_, err = decodeFrame("s", v2[:head+1+cmdKeyLen])
	require.ErrorIs(t, err, errMalformed, "truncated")
	_, err = decodeFrame("s", append([]byte{msgFrame, 3}, v1[2:]...))
	require.ErrorIs(t, err, errMalformed, "a version this build does not speak")
}

// Host.CommandOnce applies a command once per key: the key rides in its
// tick's frame, and a key ring filled from the stream's frames (a
// standby's, or the takeover's scan) knows it with that tick.
func TestCommandOnceKeysTravelInFrames(t *testing.T) {
	box, err := natsbox.Start(natsbox.Options{StoreDir: filepath.Join(t.TempDir(), "js")})
	require.NoError(t, err)
	t.Cleanup(box.Shutdown)
	nc, err := nats.Connect(box.URL())
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	content := &ecs.Content{Currencies: []ecs.CurrencySpec{{Key: "gold", Name: "Gold"}},
		Players: []ecs.PlayerSpec{{Key: "p", Name: "P", Capacity: 1}}}
	probe := coreWorld()
	ids, err := content.Apply(probe)
	require.NoError(t, err)
	gold, p := ids.MustID("gold"), ids.MustID("p")
	h, err := NewHost(nc, Config{Session: "once", NewWorld: coreWorld, Content: content})
	require.NoError(t, err)
	defer h.Close()
	_, err = h.Step(ctx)
	require.NoError(t, err)

	_, t1, fresh := h.CommandOnce("msg-1", events.Mint(p, gold, 5))
	require.True(t, fresh)
	require.Equal(t, uint64(1), t1)
	_, again, fresh := h.CommandOnce("msg-1", events.Mint(p, gold, 5))
	require.False(t, fresh, "the same key in the same tick")
	require.Equal(t, t1, again)
	_, _, fresh = h.CommandOnce("", events.Mint(p, gold, 1))
	require.True(t, fresh, "no key: applied")
	rec, err := h.Step(ctx)
	require.NoError(t, err)
	require.Len(t, rec.Commands, 2)
	_, again, fresh = h.CommandOnce("msg-1", events.Mint(p, gold, 5))
	require.False(t, fresh, "a later tick")
	require.Equal(t, t1, again)
	_, err = h.Step(ctx) // tick 2: no keys, a version 1 frame
	require.NoError(t, err)
	select {
	case <-h.js.PublishAsyncComplete():
	case <-ctx.Done():
		t.Fatal("frames not stored")
	}
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ring := newKeyRing(8)
	require.NoError(t, keysBefore(ctx, js, "once", 4, ring))
	k := commandKey("msg-1")
	tick, ok := ring.get(keyOfCommand(k[:]))
	require.True(t, ok, "the frames carry the key")
	require.Equal(t, t1, tick)
	n := 0
	ring.each(func(idemKey, uint64) { n++ })
	require.Equal(t, 1, n, "one keyed command in three frames")
}

// The key ring forgets the oldest key first, and each walks the
// remembered keys oldest first.
func TestKeyRingWindow(t *testing.T) {
	ring := newKeyRing(2)
	k := func(s string) idemKey { c := commandKey(s); return keyOfCommand(c[:]) }
	ring.add(k("a"), 1)
	ring.add(k("b"), 2)
	ring.add(k("a"), 9) // known: kept with its first tick
	tick, _ := ring.get(k("a"))
	require.Equal(t, uint64(1), tick)
	ring.add(k("c"), 3)
	_, ok := ring.get(k("a"))
	require.False(t, ok, "past the window")
	var order []uint64
	ring.each(func(_ idemKey, t uint64) { order = append(order, t) })
	require.Equal(t, []uint64{2, 3}, order)
}
