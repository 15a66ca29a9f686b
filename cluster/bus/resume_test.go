package bus

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// streamEvents reads every message of world's event stream, in order, and
// returns its events by id, with how many ids came more than once.
func streamEvents(t testing.TB, js jetstream.JetStream, world string) (map[EventID]events.Event, int) {
	t.Helper()
	ctx := context.Background()
	s, err := js.Stream(ctx, EventStream(world))
	require.NoError(t, err)
	info, err := s.Info(ctx)
	require.NoError(t, err)
	got := map[EventID]events.Event{}
	dups := 0
	var b Batch
	for seq := info.State.FirstSeq; seq > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := s.GetMsg(ctx, seq)
		require.NoError(t, err)
		require.NoError(t, DecodeMessage(m.Header, m.Data, &b))
		for i, id := range b.IDs {
			if _, ok := got[id]; ok {
				dups++
			}
			got[id] = b.Events[i]
		}
	}
	return got, dups
}

// errStop ends a relay from a test hook, as a crash would.
var errStop = errors.New("test: relay stopped")

// relayUntilPart relays g's log with cfg and stops it just before it
// publishes part stopPart of the first run that has more than stopPart
// parts at or after tick from, once every message before it is stored:
// the stream then ends in a half-stored run.
func relayUntilPart(t *testing.T, js jetstream.JetStream, cfg RelayConfig, from uint64, stopPart int) (first, last uint64) {
	t.Helper()
	r, err := NewRelay(js.Conn(), cfg)
	require.NoError(t, err)
	r.beforePart = func(f, l uint64, part, parts int) error {
		if f >= from && part == stopPart && parts > stopPart+1 {
			first, last = f, l
			return permanent(errStop)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	require.ErrorIs(t, r.Run(ctx), errStop)
	// Run waited for the acks of what it had published.
	require.Zero(t, r.js.PublishAsyncPending())
	require.NotZero(t, last, "a run with enough parts was reached")
	return first, last
}

// A relay restarted with another TicksPerMessage (smaller or larger) or
// MaxEvents after it stored only some parts of a run completes that run
// exactly as stored: the stream holds each of the log's events once.
func TestRelayResumesHalfStoredRunWhateverTheFlags(t *testing.T) {
	g := newGame(t, 21, systems.DefaultConfig, 50)
	g.record(t, 300, 20, 6)
	want := logEvents(t, g.path)
	for _, c := range []struct {
		name   string
		second RelayConfig
		first  Encoding // the stopped relay's
	}{
		{"fewer ticks per message", RelayConfig{TicksPerMessage: 5}, CloudEvents},
		{"one tick per message", RelayConfig{TicksPerMessage: 1}, CloudEvents},
		{"more ticks per message", RelayConfig{TicksPerMessage: 40}, CloudEvents},
		{"other MaxEvents", RelayConfig{MaxEvents: 7}, CloudEvents},
		{"one event per message: single CloudEvents", RelayConfig{MaxEvents: 1}, CloudEvents},
		// The encoding may change between runs: the resume reads either.
		{"binary, then CloudEvents", RelayConfig{}, Binary},
		{"CloudEvents, then binary", RelayConfig{Encoding: Binary, TicksPerMessage: 3}, CloudEvents},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, nc := broker(t)
			js, err := jetstream.New(nc)
			require.NoError(t, err)
			first, last := relayUntilPart(t, js, RelayConfig{World: "h", Log: g.path, TicksPerMessage: 16, MaxEvents: 20, Encoding: c.first}, 100, 3)
			stored, _ := streamEvents(t, js, "h")
			require.Less(t, len(stored), len(want))

			cfg := c.second
			cfg.World, cfg.Log = "h", g.path
			st := runRelay(t, nc, cfg)
			require.Equal(t, uint64(len(want)-len(stored)), st.Events, "this run published the rest, no more")
			got, dups := streamEvents(t, js, "h")
			require.Zero(t, dups, "no event stored twice")
			require.Equal(t, want, got, "every event stored (the half-stored run was ticks %d-%d)", first, last)
		})
	}
}

// Two recordings of the same content (same seed, other inputs) under one
// world name: the content hash agrees, the ticks do not. The second is
// refused with ErrOtherRecording whether its log is longer or shorter than
// what the stream holds, and nothing of it is stored.
func TestRelayRefusesAnotherRecordingOfTheSameContent(t *testing.T) {
	a := newGame(t, 22, systems.DefaultConfig, 50)
	a.record(t, 100, 20, 6)
	longer := newGame(t, 22, systems.DefaultConfig, 50)
	longer.record(t, 200, 21, 6)
	shorter := newGame(t, 22, systems.DefaultConfig, 50)
	shorter.record(t, 60, 20, 5)
	_, nc := broker(t)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	runRelay(t, nc, RelayConfig{World: "same", Log: a.path, TicksPerMessage: 7})
	n := streamMsgs(t, js, "same")

	for b, why := range map[*game]string{longer: "tick 99 has checksum", shorter: "the stream holds ticks up to 99, the log ends at tick 59"} {
		r, err := NewRelay(nc, RelayConfig{World: "same", Log: b.path})
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = r.Run(ctx)
		cancel()
		require.ErrorIs(t, err, ErrOtherRecording)
		var other *OtherRecordingError
		require.ErrorAs(t, err, &other)
		require.Equal(t, EventStream("same"), other.Stream)
		require.Contains(t, err.Error(), why)
		require.ErrorIs(t, err, ErrPermanent)
		require.Zero(t, r.Stats().Messages)
		require.Equal(t, n, streamMsgs(t, js, "same"), "nothing stored")
	}

	// The same recording resumes as before: nothing new.
	require.Zero(t, runRelay(t, nc, RelayConfig{World: "same", Log: a.path}).Messages)
}

// A following relay stopped right after publishing its last tick still
// counts every event it stored: it waits for the acknowledgements in
// flight before returning (the CLI's last line printed fewer events than
// the stream held).
func TestRelayStatsCountWhatWasInFlightAtStop(t *testing.T) {
	g := newGame(t, 23, systems.DefaultConfig, 50)
	g.record(t, 200, 20, 6)
	want := logEvents(t, g.path)
	_, nc := broker(t)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	r, err := NewRelay(nc, RelayConfig{World: "fc", Log: g.path, Follow: true, TicksPerMessage: 4})
	require.NoError(t, err)
	ctx, stop := context.WithCancel(context.Background())
	r.afterPublish = func(last uint64) {
		if last == 199 {
			stop()
		}
	}
	require.ErrorIs(t, r.Run(ctx), context.Canceled)
	st := r.Stats()
	require.Equal(t, uint64(len(want)), st.Events)
	require.Equal(t, streamMsgs(t, js, "fc"), st.Messages)
	require.True(t, st.HasTick)
	require.Equal(t, uint64(199), st.LastTick)
}

// A Horizon made by NewHorizon and driven by hand (a log another process
// writes, whose synced end it reports): the relay publishes nothing before
// the first Set, then exactly up to each Set.
func TestRelayWithHandDrivenHorizon(t *testing.T) {
	g := newGame(t, 24, systems.DefaultConfig, 50)
	g.record(t, 100, 20, 6)
	all := logEvents(t, g.path)
	_, nc := broker(t)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	h := NewHorizon()
	_, ok := h.Durable()
	require.False(t, ok, "nothing durable before the first Set")
	r, err := NewRelay(nc, RelayConfig{World: "hand", Log: g.path, Horizon: h, Follow: true, TicksPerMessage: 8})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()

	// Before any Set the relay reads the log and waits (what it may have
	// published early would show in the exact counts below).
	require.Eventually(t, func() bool { return r.Stats().Resyncs == 0 && streamExists(js, "hand") }, 30*time.Second, 5*time.Millisecond)
	for _, upTo := range []uint64{49, 99} {
		h.Set(upTo)
		require.Eventually(t, func() bool { st := r.Stats(); return st.HasTick && st.LastTick == upTo }, 30*time.Second, 5*time.Millisecond)
		got, dups := streamEvents(t, js, "hand")
		require.Zero(t, dups)
		require.Equal(t, int(eventsBefore(all, upTo+1)), len(got), "exactly the ticks up to %d", upTo)
	}
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

func streamExists(js jetstream.JetStream, world string) bool {
	_, err := js.Stream(context.Background(), EventStream(world))
	return err == nil
}

// AttachHorizon called before lw.Record (the order only a comment used to
// forbid): from the second tick on, the horizon equals the writer's
// durable tick after every tick, as with the other order (it lagged a
// whole sync period behind before).
func TestAttachHorizonInEitherOrder(t *testing.T) {
	for _, before := range []bool{true, false} {
		w := ecs.New()
		systems.InstallCommerce(w, systems.DefaultConfig)
		content := session.Content(31, 10)
		_, err := content.Apply(w)
		require.NoError(t, err)
		lw, err := ticklog.Create(filepath.Join(t.TempDir(), "h.log"), content, ticklog.Options{SyncEvery: 3})
		require.NoError(t, err)
		var h *Horizon
		if before {
			h = AttachHorizon(w, lw)
		}
		lw.Record(w)
		if !before {
			h = AttachHorizon(w, lw)
		}
		for range 12 {
			tick := w.Step().Tick
			want, wok := lw.Durable()
			got, ok := h.Durable()
			if before && tick == 0 {
				// The first tick's read may come before the writer's
				// append: behind by that tick, never ahead.
				require.True(t, !ok || wok && got <= want)
				continue
			}
			require.Equal(t, wok, ok, "attached before Record: %v, after tick %d", before, tick)
			if ok {
				require.Equal(t, want, got, "attached before Record: %v, after tick %d", before, tick)
			}
		}
		require.NoError(t, w.Err())
		require.NoError(t, lw.Close())
	}
}

// Constructors refuse configs they cannot work with before touching the
// connection, with errors a caller can test (errors.Is ErrConfig).
func TestConfigErrorsAreTyped(t *testing.T) {
	ctx := context.Background()
	_, err := NewRelay(nil, RelayConfig{World: "w"})
	require.ErrorIs(t, err, ErrConfig)
	require.ErrorContains(t, err, "RelayConfig.Log is required")
	_, err = NewRelay(nil, RelayConfig{World: "w", Log: "x.log", Source: &tickSourceStub{}})
	require.ErrorIs(t, err, ErrConfig)
	require.ErrorContains(t, err, "not both")
	_, err = NewInbox(ctx, nil, InboxConfig{World: "w"})
	require.ErrorIs(t, err, ErrConfig)
	require.ErrorContains(t, err, "InboxConfig.Horizon is required")
	_, err = NewWorker(ctx, nil, WorkerConfig{World: "w", Type: "refund"})
	require.ErrorIs(t, err, ErrConfig)
	require.ErrorContains(t, err, `worker type "refund"`)
	_, err = NewConsumer(ctx, nil, ConsumerConfig{World: "w"})
	require.ErrorIs(t, err, ErrConfig)
	require.ErrorContains(t, err, "ConsumerConfig.Durable is required")
}

// tickSourceStub is a TickSource for config checks: it is never read.
type tickSourceStub struct{}

func (*tickSourceStub) Name() string                                  { return "stub" }
func (*tickSourceStub) ContentHash() uint64                           { return 0 }
func (*tickSourceStub) Seek(context.Context, uint64) error            { return nil }
func (*tickSourceStub) Next(context.Context) (*ecs.TickRecord, error) { return nil, ErrCaughtUp }
func (*tickSourceStub) Ready() <-chan struct{}                        { return nil }
