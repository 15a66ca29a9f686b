package bus

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/systems"
)

// A consumer with an InactiveThreshold is deleted by the server once
// nobody fetches from it (a process killed before its cleanup leaves
// nothing behind); one deleted while its Consumer runs (cut off from the
// server for longer than the threshold) is recreated from the message
// after the last one handled, and every event arrives exactly once.
func TestConsumerInactiveThreshold(t *testing.T) {
	g := newGame(t, 4, systems.DefaultConfig, 50)
	g.record(t, 120, 10, 0)
	want := logEvents(t, g.path)
	_, nc := broker(t)
	runRelay(t, nc, RelayConfig{World: "brief", Log: g.path})
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // bounds a hang only
	defer cancel()
	stream := EventStream("brief")

	_, err = NewConsumer(ctx, nc, ConsumerConfig{World: "brief", Durable: "idle", InactiveThreshold: 200 * time.Millisecond})
	require.NoError(t, err)
	for {
		_, err := js.Consumer(ctx, stream, "idle")
		if err != nil {
			require.ErrorIs(t, err, jetstream.ErrConsumerNotFound)
			break
		}
		require.NoError(t, ctx.Err(), "the idle consumer is still on the server")
		time.Sleep(20 * time.Millisecond)
	}

	c, err := NewConsumer(ctx, nc, ConsumerConfig{World: "brief", Durable: "cut", InactiveThreshold: time.Minute, Fetch: 8})
	require.NoError(t, err)
	got := map[EventID]bool{}
	dups, batches := 0, 0
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	var delErr error
	err = c.Run(rctx, func(_ context.Context, b *Batch) error {
		if batches++; batches == 3 {
			delErr = js.DeleteConsumer(ctx, stream, "cut") // as the server does past the threshold
		}
		for i := range b.Events {
			if got[b.ID(i)] {
				dups++
			}
			got[b.ID(i)] = true
		}
		if len(got) == len(want) {
			stop()
		}
		return nil
	})
	require.NoError(t, err)
	require.NoError(t, delErr)
	require.NoError(t, ctx.Err(), "the consumer stopped receiving once deleted")
	require.Len(t, got, len(want))
	require.Zero(t, dups)
	require.Greater(t, batches, 3*8, "messages were left to fetch after the deletion")
	info, err := js.Consumer(ctx, stream, "cut")
	require.NoError(t, err, "recreated")
	require.Equal(t, time.Minute, info.CachedInfo().Config.InactiveThreshold)
	require.Equal(t, jetstream.DeliverByStartSequencePolicy, info.CachedInfo().Config.DeliverPolicy)
}
