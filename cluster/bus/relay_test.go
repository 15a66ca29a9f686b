package bus

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
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
	err = r.Run(ctx)
	require.ErrorIs(t, err, ErrOtherRecording)
	require.ErrorContains(t, err, "content hash")
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

// A relay following a log written elsewhere (no Horizon: it fsyncs the
// file itself before publishing) publishes ticks as they are appended,
// including a torn record in progress only once it is complete.
func TestRelayFollowsGrowingLogWithoutHorizon(t *testing.T) {
	g := newGame(t, 5, systems.DefaultConfig, 0) // no Horizon: the relay fsyncs what it read
	_, nc := broker(t)
	r, err := NewRelay(nc, RelayConfig{World: "tail", Log: g.path, Follow: true, Poll: 2 * time.Millisecond})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	for range 300 {
		g.step(10, 4)
		if g.w.NextTick()%50 == 0 {
			require.NoError(t, g.lw.Sync()) // the writer flushes now and then (its 64 KiB buffer fills too, mid-record)
		}
	}
	require.NoError(t, g.lw.Close())
	require.Eventually(t, func() bool { st := r.Stats(); return st.HasTick && st.LastTick == 299 }, 30*time.Second, 5*time.Millisecond)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	want := logEvents(t, g.path)
	got, dups := collect(t, nc, ConsumerConfig{World: "tail", Durable: "c"}, len(want), 30*time.Second)
	require.Zero(t, dups)
	require.Equal(t, want, got)
	require.Equal(t, uint64(len(want)), r.Stats().Events)
}

// tickOffsets returns the file offset of each tick record and the end of
// the log.
func tickOffsets(t *testing.T, path string) (map[uint64]int64, int64) {
	t.Helper()
	_, recs, err := ticklog.ReadAll(path)
	require.NoError(t, err)
	offs := map[uint64]int64{}
	for _, r := range recs {
		if r.Tick != nil {
			offs[r.Tick.Tick] = r.Offset
		}
	}
	st, err := os.Stat(path)
	require.NoError(t, err)
	return offs, st.Size()
}

// eventsBefore counts the events of ticks before tick.
func eventsBefore(all map[EventID]events.Event, tick uint64) uint64 {
	var n uint64
	for id := range all {
		if id.Tick < tick {
			n++
		}
	}
	return n
}

// A log damaged mid-file: the intact ticks before the damage are stored,
// then Run returns the damage with its file offset.
func TestRelayStoresTicksBeforeDamage(t *testing.T) {
	g := newGame(t, 4, systems.DefaultConfig, 50)
	g.record(t, 300, 20, 7)
	all := logEvents(t, g.path)
	offs, _ := tickOffsets(t, g.path)
	at := (offs[200] + offs[201]) / 2 // inside tick 200's record
	b, err := os.ReadFile(g.path)
	require.NoError(t, err)
	b[at] ^= 0xFF
	require.NoError(t, os.WriteFile(g.path, b, 0o644))
	_, nc := broker(t)

	r, err := NewRelay(nc, RelayConfig{World: "dmg", Log: g.path})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err = r.Run(ctx)
	var bad *ticklog.CorruptError
	require.ErrorAs(t, err, &bad)
	require.Equal(t, offs[200], bad.Offset)
	st := r.Stats()
	require.True(t, st.HasTick)
	require.Equal(t, uint64(199), st.LastTick)
	want := eventsBefore(all, 200)
	require.Equal(t, want, st.Events)
	got, _ := collect(t, nc, ConsumerConfig{World: "dmg", Durable: "all"}, int(want), 30*time.Second)
	require.Len(t, got, int(want))
	for id := range got {
		require.Less(t, id.Tick, uint64(200))
	}
}

// A torn tail, not following: every complete tick is stored, then Run
// says the file ends torn.
func TestRelayReportsTornTail(t *testing.T) {
	g := newGame(t, 5, systems.DefaultConfig, 50)
	g.record(t, 120, 20, 7)
	all := logEvents(t, g.path)
	offs, _ := tickOffsets(t, g.path)
	require.NoError(t, os.Truncate(g.path, offs[100]+5))
	_, nc := broker(t)

	r, err := NewRelay(nc, RelayConfig{World: "torn", Log: g.path, TicksPerMessage: 7})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err = r.Run(ctx)
	var torn *ticklog.TornTailError
	require.ErrorAs(t, err, &torn)
	require.Equal(t, offs[100], torn.Offset)
	require.Equal(t, uint64(99), torn.LastTick)
	st := r.Stats()
	require.Equal(t, uint64(99), st.LastTick)
	require.Equal(t, eventsBefore(all, 100), st.Events)
}
