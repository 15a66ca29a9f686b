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

// dummyFuture stands for a publish whose ack never came.
type dummyFuture struct{ jetstream.PubAckFuture }
