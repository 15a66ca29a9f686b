package lockstep

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// bigFrame is the encoding of a frame of n intents and a command.
func bigFrame(tick uint64, n int) []byte {
	r := &ecs.TickRecord{Tick: tick, Checksum: 0xfeed, Stages: []uint64{1, 2, 3, 4}}
	r.Commands = append(r.Commands, events.Mint(7, 8, 9))
	for i := range n {
		r.Intents = append(r.Intents, components.PurchaseIntent{Buyer: components.ID(1 + i%13), Listing: 99, Quantity: 1, RequestID: uint64(i + 1)})
	}
	return encodeFrame(nil, "s", r, nil)
}

// parts splits frame into its part messages.
func parts(epoch, tick uint64, frame []byte, limit int) [][]byte {
	buf, ends := splitFrame(nil, nil, "s", epoch, tick, frame, limit)
	var out [][]byte
	start := 0
	for _, e := range ends {
		out = append(out, buf[start:e])
		start = e
	}
	return out
}

func TestPartsRoundTrip(t *testing.T) {
	frame := bigFrame(5, 3000)
	limit := 4096
	ps := parts(7, 5, frame, limit)
	require.Greater(t, len(ps), 2)
	a := frameParts{session: "s"}
	for i, p := range ps {
		assert.LessOrEqual(t, len(p), limit, "part %d", i)
		whole, torn, err := a.add(p)
		require.NoError(t, err)
		require.Nil(t, torn)
		if i < len(ps)-1 {
			require.Nil(t, whole, "part %d", i)
			continue
		}
		require.Equal(t, frame, whole, "the parts make the frame's own bytes")
		f, err := decodeFrame("s", whole)
		require.NoError(t, err)
		assert.Len(t, f.Intents, 3000)
	}
	// A frame of one message passes through as it is, bytes and all.
	small := bigFrame(6, 3)
	whole, torn, err := a.add(small)
	require.NoError(t, err)
	require.Nil(t, torn)
	assert.Equal(t, small, whole)
}

// A host that died after some parts leaves a torn frame: the next
// message — its successor's frame for the same tick, parted or not —
// drops it, and it is never handed out.
func TestPartsTornFrameIsDropped(t *testing.T) {
	dead := parts(3, 9, bigFrame(9, 3000), 4096)
	next, single := bigFrame(9, 2000), bigFrame(9, 10)
	for k, succ := range [][][]byte{parts(4, 9, next, 4096), {single}} {
		a := frameParts{session: "s"}
		for _, p := range dead[:2] {
			whole, torn, err := a.add(p)
			require.NoError(t, err)
			require.Nil(t, torn)
			require.Nil(t, whole)
		}
		var got []byte
		for i, p := range succ {
			whole, torn, err := a.add(p)
			require.NoError(t, err)
			if i == 0 {
				require.NotNil(t, torn, "the dead host's parts are reported")
				assert.Equal(t, uint64(2), torn.got)
				assert.Equal(t, uint64(3), torn.head.epoch)
				assert.Contains(t, torn.Error(), "torn frame")
			} else {
				require.Nil(t, torn)
			}
			if whole != nil {
				got = whole
			}
		}
		want := next
		if k == 1 {
			want = single
		}
		require.Equal(t, want, got, "the successor's frame is the one handed out")
	}
}

// Parts out of order, of another frame, orphaned or over-long are refused
// (and end the frame they broke into); nothing panics on any prefix or
// byte flip of a part.
func TestPartsBadInput(t *testing.T) {
	ps := parts(1, 4, bigFrame(4, 3000), 4096)
	require.Greater(t, len(ps), 2)
	a := frameParts{session: "s"}

	_, torn, err := a.add(ps[1]) // no part 0 before it
	require.ErrorIs(t, err, errMalformed)
	require.Nil(t, torn)

	_, _, err = a.add(ps[0])
	require.NoError(t, err)
	_, torn, err = a.add(ps[2]) // part 1 skipped
	require.ErrorIs(t, err, errMalformed)
	require.NotNil(t, torn)

	other := parts(1, 5, bigFrame(5, 3000), 4096)
	_, _, err = a.add(ps[0])
	require.NoError(t, err)
	_, torn, err = a.add(other[1]) // another tick's part 1
	require.ErrorIs(t, err, errMalformed)
	require.NotNil(t, torn)

	wrong := frameParts{session: "t"}
	_, _, err = wrong.add(ps[0])
	var ws *wrongSession
	require.ErrorAs(t, err, &ws)

	rng := rand.New(rand.NewPCG(1, 2))
	for _, p := range ps[:2] {
		for n := range len(p) {
			b := frameParts{session: "s"}
			_, _, _ = b.add(p[:n])
		}
		for range 2000 {
			q := append([]byte(nil), p...)
			q[rng.IntN(min(len(q), 64))] ^= byte(1 + rng.IntN(255))
			b := frameParts{session: "s"}
			_, _, _ = b.add(q)
			_, _, _ = b.add(ps[1])
		}
	}
}

// A header's claims (a huge count of parts, a frame of a gigabyte)
// allocate nothing: memory grows with the bytes read.
func TestPartsClaimsDoNotAllocate(t *testing.T) {
	chunk := []byte("0123456789")
	huge := appendPart(nil, "s", 1, 1, 0, 1<<29, maxPartedFrame, chunk)
	a := frameParts{session: "s"}
	whole, torn, err := a.add(huge)
	require.NoError(t, err)
	require.Nil(t, torn)
	require.Nil(t, whole)
	assert.LessOrEqual(t, cap(a.buf), 64, "buffer grown by the claim, not the bytes")

	for _, bad := range [][]byte{
		appendPart(nil, "s", 1, 1, 0, 1, 10, chunk),                 // one part is not parted
		appendPart(nil, "s", 1, 1, 2, 2, 10, chunk),                 // part past the count
		appendPart(nil, "s", 1, 1, 0, 2, maxPartedFrame+1, chunk),   // too large a frame
		appendPart(nil, "s", 1, 1, 0, 20, 10, chunk),                // more parts than bytes
		appendPart(nil, "s", 1, 1, 0, 2, 4, chunk),                  // a part longer than its frame
		appendPart(nil, "s", 1, 1, 0, 2, 20, nil),                   // an empty part
		appendPart(nil, "s", 1, 1, 0, 2, 20, chunk)[:6],             // cut in the header
		appendPart(nil, "s", 1, 1, 0, 1<<62, maxPartedFrame, chunk), // more parts than bytes, hugely
	} {
		_, _, err := decodePart("s", bad)
		require.ErrorIs(t, err, errMalformed, "%x", bad)
	}
	// The parts' bytes must add up to the frame's.
	b := frameParts{session: "s"}
	_, _, err = b.add(appendPart(nil, "s", 1, 1, 0, 2, 30, chunk))
	require.NoError(t, err)
	_, _, err = b.add(appendPart(nil, "s", 1, 1, 1, 2, 30, chunk))
	require.ErrorIs(t, err, errMalformed)
}

// A frame that fits is published as it always was: one message, its
// bytes encodeFrame's. Only a larger one is parted, each part within the
// limit and fenced.
func TestSplitOnlyWhatDoesNotFit(t *testing.T) {
	frame := bigFrame(1, 100)
	buf, ends := splitFrame(nil, nil, "s", 1, 1, frame, len(frame)-1)
	require.Len(t, ends, 2)
	assert.Equal(t, len(buf), ends[1])
	assert.Equal(t, wireParted, buf[1])
}

// The takeover's key scan (keysBefore) reads the keys of a parted frame
// and never a torn one's: a retried purchase committed in a big tick is
// known to the next host, one in a frame that was never whole is not.
func TestKeyScanReadsPartedFramesNotTorn(t *testing.T) {
	nc := oneNode(t)()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	h, err := NewHost(nc, Config{Session: "keys", NewWorld: coreWorld, partLimit: 2048})
	require.NoError(t, err)
	defer h.Close()
	intent := func(buyer, req uint64) components.PurchaseIntent {
		return components.PurchaseIntent{Buyer: components.ID(buyer), Listing: 1, Quantity: 1, RequestID: req}
	}
	for i := range 1000 { // tick 0: a parted frame
		h.World().Submit(intent(7, uint64(i+1)))
	}
	_, err = h.Step(ctx)
	require.NoError(t, err)
	_, err = h.Step(ctx) // tick 1: one message
	require.NoError(t, err)
	require.NoError(t, h.WaitCommitted(ctx, 1))

	// A host that died after the first part of tick 2, and its
	// successor's frame of tick 2.
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	torn := &ecs.TickRecord{Tick: 2}
	for i := range 1000 {
		torn.Intents = append(torn.Intents, intent(8, uint64(i+1)))
	}
	b, ends := splitFrame(nil, nil, "keys", 9, 2, encodeFrame(nil, "keys", torn, nil), 2048)
	require.Greater(t, len(ends), 1)
	_, err = js.Publish(ctx, subjFrames("keys"), b[:ends[0]])
	require.NoError(t, err)
	succ := &ecs.TickRecord{Tick: 2, Intents: []components.PurchaseIntent{intent(9, 1)}}
	ack, err := js.Publish(ctx, subjFrames("keys"), encodeFrame(nil, "keys", succ, nil))
	require.NoError(t, err)

	ring := newKeyRing(4096)
	require.NoError(t, keysBefore(ctx, js, "keys", ack.Sequence+1, ring))
	for i := range 1000 {
		tick, ok := ring.get(idemKey{keyIntent, 7, uint64(i + 1)})
		require.True(t, ok, "the parted frame's key %d", i+1)
		require.Equal(t, uint64(0), tick)
		_, ok = ring.get(idemKey{keyIntent, 8, uint64(i + 1)})
		require.False(t, ok, "a torn frame's key %d", i+1)
	}
	tick, ok := ring.get(idemKey{keyIntent, 9, 1})
	require.True(t, ok, "the successor's frame's key")
	require.Equal(t, uint64(2), tick)
}

// FuzzFrameParts feeds a message (three times in a row, then a valid
// part) to a reassembler: it never panics, and it never holds more than
// the bytes it was given.
func FuzzFrameParts(f *testing.F) {
	for _, p := range parts(1, 4, bigFrame(4, 300), 1024) {
		f.Add(p)
	}
	f.Add(bigFrame(1, 2))
	f.Add(appendPart(nil, "s", 1, 1, 0, 1<<29, maxPartedFrame, []byte("x")))
	valid := parts(2, 5, bigFrame(5, 300), 1024)
	f.Fuzz(func(t *testing.T, data []byte) {
		a := frameParts{session: "s"}
		fed := 0
		for _, m := range [][]byte{data, data, data, valid[0], valid[1]} {
			fed += len(m)
			whole, _, err := a.add(m)
			if err == nil && whole != nil {
				_, _ = decodeFrame("s", whole)
			}
			if len(a.buf) > fed {
				t.Fatalf("holds %d bytes after reading %d", len(a.buf), fed)
			}
		}
	})
}
