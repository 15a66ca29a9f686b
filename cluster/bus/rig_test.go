package bus

import (
	"context"
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// rig is a whole chain on one embedded broker: a recorded commerce game
// (driven on the test goroutine, the world's only user), the relay
// following its log, the tasker, workers and the inbox.
type rig struct {
	t      *testing.T
	g      *game
	cfg    systems.Config
	box    *natsbox.Box
	nc     *nats.Conn
	h      *Horizon
	relay  *Relay
	inbox  *Inbox
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex // for test state shared with background handlers
	errs   chan error

	started, finished int // sagas, counted by a subscriber on the game loop
	records           []components.ID
}

const world = "rig"

func newRig(t *testing.T, cfg systems.Config) *rig {
	return newRigStreams(t, cfg, StreamsConfig{})
}

func newRigStreams(t *testing.T, cfg systems.Config, sc StreamsConfig) *rig {
	r := &rig{t: t, cfg: cfg, errs: make(chan error, 16)}
	r.g = newGame(t, 7, cfg, 5)
	r.h = AttachHorizon(r.g.w, r.g.lw)
	r.g.w.Subscribe(ecs.Kinds(events.SagaStarted, events.SagaCompleted, events.SagaCompensated), func(rec *ecs.TickRecord) error {
		for i := range rec.Events {
			switch rec.Events[i].Kind {
			case events.SagaStarted:
				r.started++
				r.records = append(r.records, rec.Events[i].Subject)
			case events.SagaCompleted, events.SagaCompensated:
				r.finished++
			}
		}
		return nil
	})
	r.box, r.nc = broker(t)
	r.ctx, r.cancel = context.WithCancel(context.Background())
	t.Cleanup(r.stop)
	js, err := jetstream.New(r.nc)
	require.NoError(t, err)
	// The log's content hash, as the relay will give it: its own
	// EnsureStreams then finds the streams as wanted and changes nothing
	// while the other parts create their consumers.
	require.NoError(t, EnsureStreams(r.ctx, js, world, logContentHash(t, r.g), sc))
	return r
}

// logContentHash is the content hash in g's log header.
func logContentHash(t *testing.T, g *game) uint64 {
	require.NoError(t, g.lw.Sync())
	f, err := os.Open(g.path)
	require.NoError(t, err)
	defer f.Close()
	rd, err := ticklog.NewReader(f)
	require.NoError(t, err)
	return rd.Header().ContentHash
}

// goRun runs fn in the background until the rig stops.
func (r *rig) goRun(fn func(ctx context.Context) error) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		if err := fn(r.ctx); err != nil && r.ctx.Err() == nil {
			r.errs <- err
		}
	}()
}

func (r *rig) stop() {
	r.cancel()
	r.wg.Wait()
}

func (r *rig) startRelay() {
	var err error
	r.relay, err = NewRelay(r.nc, RelayConfig{World: world, Log: r.g.path, Horizon: r.h, Follow: true, Poll: 5 * time.Millisecond})
	require.NoError(r.t, err)
	r.goRun(r.relay.Run)
}

func (r *rig) startTasker() {
	tk, err := NewTasker(r.ctx, r.nc, world)
	require.NoError(r.t, err)
	r.goRun(tk.Run)
}

func (r *rig) startWorker(cfg WorkerConfig, h TaskHandler) *Worker {
	cfg.World = world
	w, err := NewWorker(r.ctx, r.nc, cfg)
	require.NoError(r.t, err)
	r.goRun(func(ctx context.Context) error { return w.Run(ctx, h) })
	return w
}

func (r *rig) startInbox(cfg InboxConfig) {
	cfg.World, cfg.Horizon = world, r.h
	var err error
	r.inbox, err = NewInbox(r.ctx, r.nc, cfg)
	require.NoError(r.t, err)
	r.goRun(r.inbox.Run)
}

// tick runs one game-loop iteration: inbox commands at the boundary, then
// the tick, then a short pause so the outside world can keep up.
func (r *rig) tick(intents int, sagaEvery uint64, pace time.Duration) {
	if r.inbox != nil {
		r.inbox.Drain(r.g.w)
	}
	r.g.step(intents, sagaEvery)
	if pace > 0 {
		time.Sleep(pace)
	}
	select {
	case err := <-r.errs:
		r.t.Fatalf("background: %v", err)
	default:
	}
}

// idleUntil keeps ticking without new inputs until cond holds.
func (r *rig) idleUntil(cond func() bool, timeout time.Duration, pace time.Duration) {
	deadline := time.Now().Add(timeout)
	for !cond() {
		require.True(r.t, time.Now().Before(deadline), "condition not reached in %s", timeout)
		r.tick(0, 0, pace)
	}
}

// finish closes the log (all of it durable) and waits for the relay to
// have every tick in the stream.
func (r *rig) finish() uint64 {
	last := r.g.w.NextTick() - 1
	require.NoError(r.t, r.g.lw.Close())
	d, ok := r.g.lw.Durable()
	require.True(r.t, ok)
	require.Equal(r.t, last, d)
	r.h.Set(d)
	if r.relay == nil {
		return last
	}
	require.Eventually(r.t, func() bool {
		st := r.relay.Stats()
		return st.HasTick && st.LastTick >= last
	}, 30*time.Second, 10*time.Millisecond)
	return last
}

// verifyReplay re-simulates the log on a fresh commerce world: the inbox's
// commands are in it, and it replays bit for bit.
func (r *rig) verifyReplay() {
	res, err := replay.Verify(replay.FileSource(r.g.path), func() *ecs.World {
		w := ecs.New()
		systems.InstallCommerce(w, r.cfg)
		return w
	}, replay.Options{})
	require.NoError(r.t, err)
	require.Nil(r.t, res.Mismatch)
	require.Nil(r.t, res.TornTail)
}

// provider is an example payment provider (or carrier): it accepts every
// task, with a reference derived from the task so a retry gets the same.
func provider(base uint64) TaskHandler {
	return func(_ context.Context, t Task) (Outcome, error) {
		return Outcome{Accepted: true, Ref: base + uint64(t.Record)}, nil
	}
}

// sagaLog sums up the saga events of a log: per record, how many of each.
func sagaLog(t testing.TB, path string) map[uint64]map[events.Kind]int {
	out := map[uint64]map[events.Kind]int{}
	for _, ev := range logEvents(t, path) {
		switch ev.Kind {
		case events.SagaStarted, events.PaymentConfirmed, events.PaymentDeclined, events.DeliveryAccepted,
			events.DeliveryRefused, events.SagaCompleted, events.SagaCompensated:
			m := out[uint64(ev.Subject)]
			if m == nil {
				m = map[events.Kind]int{}
				out[uint64(ev.Subject)] = m
			}
			m[ev.Kind]++
		}
	}
	return out
}

// logCommands reads every command of the log (the inputs), by tick.
func publishInbox(t testing.TB, nc *nats.Conn, id string, v any) *jetstream.PubAck {
	t.Helper()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	data, ok := v.([]byte)
	if !ok {
		data, err = json.Marshal(v)
		require.NoError(t, err)
	}
	m := nats.NewMsg(InboxSubject(world, "test"))
	m.Data = data
	if id != "" {
		m.Header.Set(jetstream.MsgIDHeader, id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ack, err := js.PublishMsg(ctx, m)
	require.NoError(t, err)
	return ack
}
