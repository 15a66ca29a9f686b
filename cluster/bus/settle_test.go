package bus

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
)

// Two failed passes each left a publish of ticks 10-… part 0 unsettled,
// cut at different ticks (runs are cut by time), and a third of the same
// message id as the stored one but meant for another sequence. The stream
// holds one of them: only that one is counted, once. Counting by the
// run's first tick and part counted both (a relay over-counted one
// message's events after a broker restart, 1 run in 12).
func TestSettleStoredCountsOnlyWhatTheStreamHolds(t *testing.T) {
	_, nc := broker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := NewRelay(nc, RelayConfig{World: "st", Log: "unused.log"})
	require.NoError(t, err)
	require.NoError(t, EnsureStreams(ctx, r.js, "st", 0, StreamsConfig{}))
	publish := func(id string) uint64 {
		m := &nats.Msg{Subject: EventSubject("st", events.Minted), Data: []byte("x"), Header: nats.Header{}}
		m.Header.Set(jetstream.MsgIDHeader, id)
		a, err := r.js.PublishMsg(ctx, m)
		require.NoError(t, err)
		return a.Sequence
	}
	publish("st:0-9:0")
	at := publish("st:10-14:0") // seq 2: what the second pass stored

	r.unsettled = []inflight{
		{fut: dummyFuture{}, id: "st:10-19:0", seq: at, tick: 10, last: 19, events: 44},            // first pass: lost
		{fut: dummyFuture{}, id: "st:10-14:0", seq: at, tick: 10, last: 14, events: 40},            // second pass: stored
		{fut: dummyFuture{}, id: "st:10-14:0", seq: at + 5, tick: 10, last: 14, events: 40},        // could only land at at+5
		{fut: dummyFuture{}, id: "st:15-19:0", seq: at + 1, tick: 15, last: 19, events: 7},         // beyond the stream: may still land
		{fut: dummyFuture{}, id: "st:20-29:0", seq: 0, tick: 20, last: 29, events: 9, final: true}, // no expected sequence: undecidable here
	}
	require.NoError(t, r.settleStored(ctx, position{tick: 15, seq: at}))
	st := r.Stats()
	require.Equal(t, uint64(1), st.Messages)
	require.Equal(t, uint64(40), st.Events)
	require.Len(t, r.unsettled, 3, "the one meant for at+5 and the two undecided stay")
	require.Equal(t, "st:10-14:0", r.unsettled[0].id)
	require.Equal(t, "st:15-19:0", r.unsettled[1].id)
}

// A message of a first pass (its ack timed out) landed after the second
// pass read the stream's last sequence; the second pass published the
// same message (same cut: same id, same expected sequence) and the server
// refused it (the expected sequence is checked before the dedup window).
// Both are unsettled and name the message at that sequence: it is counted
// once. Counting each over-counted the restart test by a message's or a
// run's events (44, 423), 1 CI run in 4.
func TestSettleStoredCountsASequenceOnce(t *testing.T) {
	_, nc := broker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := NewRelay(nc, RelayConfig{World: "once", Log: "unused.log"})
	require.NoError(t, err)
	require.NoError(t, EnsureStreams(ctx, r.js, "once", 0, StreamsConfig{}))
	var at uint64
	for _, id := range []string{"once:0-15:0", "once:16-31:0", "once:16-31:1"} {
		m := &nats.Msg{Subject: EventSubject("once", events.Minted), Data: []byte("x"), Header: nats.Header{}}
		m.Header.Set(jetstream.MsgIDHeader, id)
		a, err := r.js.PublishMsg(ctx, m)
		require.NoError(t, err)
		at = a.Sequence
	}
	r.unsettled = []inflight{
		{fut: dummyFuture{}, id: "once:16-31:0", seq: at - 1, tick: 16, last: 31, events: 44},                    // first pass, landed late
		{fut: dummyFuture{}, id: "once:16-31:1", seq: at, tick: 16, last: 31, part: 1, events: 379, final: true}, // first pass, landed late
		{fut: dummyFuture{}, id: "once:16-31:0", seq: at - 1, tick: 16, last: 31, events: 44},                    // second pass, refused
		{fut: dummyFuture{}, id: "once:16-31:1", seq: at, tick: 16, last: 31, part: 1, events: 379, final: true}, // second pass, refused
		{fut: dummyFuture{}, id: "once:32-47:0", seq: at + 1, tick: 32, last: 47, events: 5},                     // beyond the stream
	}
	require.NoError(t, r.settleStored(ctx, position{tick: 32, seq: at}))
	st := r.Stats()
	require.Equal(t, uint64(2), st.Messages)
	require.Equal(t, uint64(44+379), st.Events)
	require.Len(t, r.unsettled, 1)
	require.Equal(t, "once:32-47:0", r.unsettled[0].id)
}

// dummyFuture stands for a publish whose ack never came.
type dummyFuture struct{ jetstream.PubAckFuture }
