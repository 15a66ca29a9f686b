package bus

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/systems"
)

func TestRelayPublishesEveryEventOnce(t *testing.T) {
	g := newGame(t, 1, systems.DefaultConfig, 50)
	g.record(t, 500, 20, 7)
	want := logEvents(t, g.path)
	_, nc := broker(t)

	st := runRelay(t, nc, RelayConfig{World: "w1", Log: g.path})
	require.Equal(t, uint64(len(want)), st.Events)
	require.Equal(t, uint64(499), st.LastTick)
	require.Zero(t, st.Duplicates)

	got, dups := collect(t, nc, ConsumerConfig{World: "w1", Durable: "all"}, len(want), 30*time.Second)
	require.Zero(t, dups)
	require.Len(t, got, len(want))
	require.Equal(t, want, got)

	// A second run finds everything in the stream and publishes nothing.
	st2 := runRelay(t, nc, RelayConfig{World: "w1", Log: g.path})
	require.Zero(t, st2.Messages)
	require.Zero(t, st2.Duplicates)
}

func TestRelayRefusesStreamOfAnotherSession(t *testing.T) {
	a := newGame(t, 1, systems.DefaultConfig, 50)
	a.record(t, 20, 5, 0)
	b := newGame(t, 2, systems.DefaultConfig, 50)
	b.record(t, 20, 5, 0)
	_, nc := broker(t)
	runRelay(t, nc, RelayConfig{World: "w", Log: a.path})
	r, err := NewRelay(nc, RelayConfig{World: "w", Log: b.path})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.ErrorContains(t, r.Run(ctx), "holds a session of content")
}

func TestConsumerKindFilter(t *testing.T) {
	g := newGame(t, 3, systems.DefaultConfig, 50)
	g.record(t, 200, 20, 5)
	all := logEvents(t, g.path)
	want := 0
	for _, ev := range all {
		if ev.Kind == 11 || ev.Kind == 32 { // PurchaseCompleted, SagaStarted
			want++
		}
	}
	_, nc := broker(t)
	runRelay(t, nc, RelayConfig{World: "f", Log: g.path})
	got, _ := collect(t, nc, ConsumerConfig{World: "f", Durable: "sales", Kinds: kinds(11, 32)}, want, 30*time.Second)
	require.Len(t, got, want)
	for id, ev := range got {
		require.Equal(t, all[id], ev)
	}
	_ = jetstream.MsgIDHeader
}
