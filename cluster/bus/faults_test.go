package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// streamMsgs returns how many messages the world's event stream holds.
func streamMsgs(t testing.TB, js jetstream.JetStream, world string) uint64 {
	t.Helper()
	s, err := js.Stream(context.Background(), EventStream(world))
	require.NoError(t, err)
	info, err := s.Info(context.Background())
	require.NoError(t, err)
	return info.State.Msgs
}

// The relay dies after handing the messages of the run holding tick 150 to the client and
// before it saw their acknowledgements (its "progress"). The next relay
// reads where to go on from the stream: nothing is stored twice, and no
// duplicate reaches a consumer.
func TestRelayKilledBetweenPublishAndProgress(t *testing.T) {
	g := newGame(t, 11, systems.DefaultConfig, 50)
	g.record(t, 400, 20, 6)
	want := logEvents(t, g.path)
	_, nc := broker(t)
	js, err := jetstream.New(nc)
	require.NoError(t, err)

	r1, err := NewRelay(nc, RelayConfig{World: "k", Log: g.path})
	require.NoError(t, err)
	ctx, kill := context.WithCancel(context.Background())
	r1.afterPublish = func(last uint64) {
		if last >= 150 {
			kill()
		}
	}
	require.ErrorIs(t, r1.Run(ctx), context.Canceled)
	require.Less(t, r1.Stats().LastTick, uint64(399))

	// Let the in-flight publishes land: they are in the stream, unknown to
	// any relay. Wait for the server's answer to each (the killed relay's
	// connection still gets them), not for a guessed time: one stored
	// after the next relay read the stream would be sent again.
	select {
	case <-r1.js.PublishAsyncComplete():
	case <-time.After(30 * time.Second):
		t.Fatalf("the killed relay's %d in-flight publishes were never answered", r1.js.PublishAsyncPending())
	}
	require.Positive(t, streamMsgs(t, js, "k"))

	st := runRelay(t, connect(t, nc.ConnectedUrl()), RelayConfig{World: "k", Log: g.path})
	require.Zero(t, st.Duplicates, "resumed after the last stored message, republished nothing")
	require.Equal(t, streamMsgs(t, js, "k"), r1.Stats().Messages+st.Messages,
		"the killed relay counted the messages in flight when it stopped (it waits for their acks); none was sent again")

	got, dups := collect(t, nc, ConsumerConfig{World: "k", Durable: "c"}, len(want), 30*time.Second)
	require.Zero(t, dups)
	require.Len(t, got, len(want))
	require.Equal(t, want, got)
}

// A relay that lost track completely (rewinds to the log's start, as the
// seed's relay that crashed between send and mark, and sets no expected
// sequence) republishes: the stream's dedup window drops every message it
// already holds.
func TestRelayRepublishDroppedByDedupWindow(t *testing.T) {
	g := newGame(t, 12, systems.DefaultConfig, 50)
	g.record(t, 200, 20, 6)
	want := logEvents(t, g.path)
	_, nc := broker(t)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	first := runRelay(t, nc, RelayConfig{World: "d", Log: g.path})
	n := streamMsgs(t, js, "d")
	require.Equal(t, first.Messages, n)

	r2, err := NewRelay(nc, RelayConfig{World: "d", Log: g.path})
	require.NoError(t, err)
	r2.rewind = true
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, r2.Run(ctx))
	require.Equal(t, n, r2.Stats().Duplicates, "every republished message was a duplicate")
	require.Zero(t, r2.Stats().Messages)
	require.Equal(t, n, streamMsgs(t, js, "d"))

	got, dups := collect(t, nc, ConsumerConfig{World: "d", Durable: "c"}, len(want), 30*time.Second)
	require.Zero(t, dups)
	require.Len(t, got, len(want))
}

// The broker goes away mid-relay and comes back once the relay has seen
// the outage (a publish it waited out): the relay waits, resynchronises
// from the stream and finishes; no event is lost and none is stored twice.
func TestRelaySurvivesBrokerRestart(t *testing.T) {
	g := newGame(t, 13, systems.DefaultConfig, 50)
	g.record(t, 1500, 20, 6)
	want := logEvents(t, g.path)
	box, nc := broker(t)
	js, err := jetstream.New(nc)
	require.NoError(t, err)

	restarted := make(chan error, 1)
	var down, up sync.Once
	r, err := NewRelay(nc, RelayConfig{World: "b", Log: g.path, AckTimeout: 500 * time.Millisecond, MaxInFlight: 64,
		OnRetry: func(error) { // on Run's goroutine: the relay noticed
			up.Do(func() { go func() { restarted <- box.Restart() }() })
		}})
	require.NoError(t, err)
	r.afterPublish = func(tick uint64) {
		if tick >= 300 {
			down.Do(box.Shutdown)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	require.NoError(t, r.Run(ctx))
	require.NoError(t, <-restarted)
	st := r.Stats()
	require.GreaterOrEqual(t, nc.Stats().Reconnects, uint64(1), "the broker really went away")
	require.Equal(t, uint64(1499), st.LastTick)
	// What the stream holds first: the log's events once, in order, runs
	// neither overlapping nor leaving a gap; then that Stats count it.
	n := requireStreamHoldsLog(t, js, "b", g.path)
	require.Equal(t, uint64(len(want)), st.Events, "every event counted once, however its ack was lost")
	require.Equal(t, n, st.Messages)

	got0, _ := collect(t, nc, ConsumerConfig{World: "b", Durable: "count"}, len(want), 30*time.Second)
	require.Len(t, got0, len(want), "nothing lost")
	got, dups := collect(t, nc, ConsumerConfig{World: "b", Durable: "c"}, len(want), 30*time.Second)
	require.Zero(t, dups)
	require.Len(t, got, len(want))
	require.Equal(t, want, got)
}

// A payment worker crashes after reporting a task's outcome and before
// acknowledging the task: the task comes back after AckWait to another
// worker, which runs it again; the outcome is applied once.
func TestWorkerCrashBeforeAck(t *testing.T) {
	cfg := systems.DefaultConfig
	cfg.SagaTimeout = 1 << 30
	r := newRig(t, cfg)
	r.startRelay()
	r.startTasker()
	r.startInbox(InboxConfig{})
	r.startWorker(WorkerConfig{Type: TaskDelivery}, provider(2_000_000))

	var runs sync.Map // task id → attempts
	count := func(t Task) {
		n, _ := runs.LoadOrStore(t.ID, new(atomic.Int32))
		n.(*atomic.Int32).Add(1)
	}
	var victim atomic.Value
	crashy, err := NewWorker(r.ctx, r.nc, WorkerConfig{World: world, Type: TaskPayment, AckWait: 500 * time.Millisecond})
	require.NoError(t, err)
	crashy.crashBeforeAck = func(t Task) bool {
		victim.Store(t.ID)
		return true
	}
	crashed := make(chan error, 1)
	go func() {
		crashed <- crashy.Run(r.ctx, func(ctx context.Context, t Task) (Outcome, error) {
			count(t)
			return provider(1_000_000)(ctx, t)
		})
	}()
	for range 20 { // one saga at tick 10
		r.tick(5, 10, time.Millisecond)
	}
	var cerr error
	r.idleUntil(func() bool {
		select {
		case cerr = <-crashed:
			return true
		default:
			return false
		}
	}, 10*time.Second, time.Millisecond)
	require.ErrorIs(t, cerr, errCrashed)

	// The replacement shares the durable consumer, so it gets the task back.
	healthy := r.startWorker(WorkerConfig{Type: TaskPayment, AckWait: 500 * time.Millisecond}, func(ctx context.Context, t Task) (Outcome, error) {
		count(t)
		return provider(1_000_000)(ctx, t)
	})
	r.idleUntil(func() bool { return r.started > 0 && r.finished == r.started && healthy.Stats().Done >= 1 }, 20*time.Second, time.Millisecond)
	r.finish()

	id := victim.Load().(string)
	n, _ := runs.Load(id)
	require.EqualValues(t, 2, n.(*atomic.Int32).Load(), "the task ran twice")
	sagas := sagaLog(t, r.g.path)
	require.Len(t, sagas, 1)
	for _, k := range sagas {
		require.Equal(t, 1, k[events.PaymentConfirmed], "applied once")
		require.Equal(t, 1, k[events.SagaCompleted])
	}
	require.EqualValues(t, 2, r.inbox.Stats().Submitted, "the second report was dropped by the inbox stream's dedup")
	r.verifyReplay()
}

// A payment task that fails every time is dead-lettered after MaxDeliver
// attempts; the saga compensates when its timeout passes (goods back to
// stock), the other sagas complete.
func TestPoisonTaskDeadLettered(t *testing.T) {
	cfg := systems.DefaultConfig
	cfg.SagaTimeout = 400 // ample for the healthy sagas on a loaded machine
	r := newRig(t, cfg)
	r.startRelay()
	r.startTasker()
	r.startInbox(InboxConfig{})
	r.startWorker(WorkerConfig{Type: TaskDelivery}, provider(2_000_000))
	var poison atomic.Uint64
	attempts := atomic.Int32{}
	w := r.startWorker(WorkerConfig{Type: TaskPayment, MaxDeliver: 3, Backoff: []time.Duration{20 * time.Millisecond}},
		func(ctx context.Context, t Task) (Outcome, error) {
			poison.CompareAndSwap(0, uint64(t.Record)) // the first saga's payment is poison
			if uint64(t.Record) == poison.Load() {
				attempts.Add(1)
				return Outcome{}, errors.New("provider: card processor on fire")
			}
			return provider(1_000_000)(ctx, t)
		})
	for range 80 {
		r.tick(5, 20, time.Millisecond)
	}
	r.idleUntil(func() bool { return r.started == 3 && r.finished == r.started }, 30*time.Second, 2*time.Millisecond)
	r.finish()

	require.EqualValues(t, 3, attempts.Load(), "MaxDeliver attempts")
	require.EqualValues(t, 1, w.Stats().Dead)
	js, err := jetstream.New(r.nc)
	require.NoError(t, err)
	s, err := js.Stream(context.Background(), DeadStream(world))
	require.NoError(t, err)
	m, err := s.GetLastMsgForSubject(context.Background(), DeadSubject(world, "task"))
	require.NoError(t, err)
	require.Contains(t, m.Header.Get(HeaderReason), "failed 3 times")
	require.Contains(t, m.Header.Get(HeaderReason), "card processor on fire")
	require.Equal(t, TaskSubject(world, TaskPayment), m.Header.Get(HeaderOrigSubject))

	p := components.ID(poison.Load())
	var comp []events.Event
	for _, ev := range logEvents(t, r.g.path) {
		if ev.Subject == p && ev.Kind == events.SagaCompensated {
			comp = append(comp, ev)
		}
	}
	require.Len(t, comp, 1)
	require.Equal(t, events.ReasonTimeout, comp[0].Reason)
	for rec, k := range sagaLog(t, r.g.path) {
		if components.ID(rec) != p {
			require.Equal(t, 1, k[events.SagaCompleted], "record %d", rec)
		}
	}
	r.verifyReplay()
}

// A broker away when the relay starts: each failed attempt (a JetStream
// request timing out, 5 s without a context deadline) is told to OnRetry,
// and the relay publishes everything once the broker is back.
func TestRelayTellsRetriesWhileBrokerAway(t *testing.T) {
	g := newGame(t, 14, systems.DefaultConfig, 50)
	g.record(t, 100, 20, 6)
	want := logEvents(t, g.path)
	box, nc := broker(t)
	box.Shutdown()
	var mu sync.Mutex
	var told []error
	restarted := make(chan error, 1)
	r, err := NewRelay(nc, RelayConfig{World: "away", Log: g.path, OnRetry: func(err error) {
		mu.Lock()
		defer mu.Unlock()
		told = append(told, err)
		if len(told) == 1 {
			go func() { restarted <- box.Restart() }()
		}
	}})
	require.NoError(t, err)
	// No deadline on ctx: JetStream requests then time out on their own.
	ctx, cancel := context.WithCancel(context.Background())
	defer time.AfterFunc(60*time.Second, cancel).Stop()
	defer cancel()
	require.NoError(t, r.Run(ctx))
	require.NoError(t, <-restarted)
	mu.Lock()
	require.NotEmpty(t, told)
	require.Error(t, told[0])
	mu.Unlock()
	require.Equal(t, uint64(len(want)), r.Stats().Events)
}

// A handler that panics on one task: each panic is a failed attempt, the
// task is dead-lettered after MaxDeliver with the panic as its reason, and
// the same worker goes on to run the other tasks.
func TestWorkerHandlerPanicCountsAsAttempt(t *testing.T) {
	_, nc := broker(t)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	require.NoError(t, EnsureStreams(ctx, js, "p", 0, StreamsConfig{}))
	for i, rec := range []uint64{7, 8, 9} {
		data, err := json.Marshal(Task{ID: fmt.Sprintf("%d.payment", rec), Type: TaskPayment, World: "p", Record: components.ID(rec), Amount: int64(100 + i)})
		require.NoError(t, err)
		_, err = js.Publish(ctx, TaskSubject("p", TaskPayment), data)
		require.NoError(t, err)
	}
	w, err := NewWorker(ctx, nc, WorkerConfig{World: "p", Type: TaskPayment, MaxDeliver: 3, Backoff: []time.Duration{time.Millisecond}})
	require.NoError(t, err)
	var boom atomic.Int32
	done := make(chan error, 1)
	go func() {
		done <- w.Run(ctx, func(ctx context.Context, t Task) (Outcome, error) {
			if t.Record == 8 {
				boom.Add(1)
				var m map[string]int
				m["nil map"]++ // a real runtime panic
			}
			return provider(1_000)(ctx, t)
		})
	}()
	require.Eventually(t, func() bool { st := w.Stats(); return st.Dead == 1 && st.Done == 2 }, 30*time.Second, 5*time.Millisecond)
	cancel()
	require.NoError(t, <-done)
	st := w.Stats()
	require.EqualValues(t, 3, boom.Load(), "MaxDeliver attempts")
	require.EqualValues(t, 3, st.Panics)
	require.EqualValues(t, 3, st.Failed)

	s, err := js.Stream(context.Background(), DeadStream("p"))
	require.NoError(t, err)
	m, err := s.GetLastMsgForSubject(context.Background(), DeadSubject("p", "task"))
	require.NoError(t, err)
	require.Contains(t, m.Header.Get(HeaderReason), "failed 3 times, last: task handler panicked: assignment to entry in nil map")
	var dead Task
	require.NoError(t, json.Unmarshal(m.Data, &dead))
	require.EqualValues(t, 8, dead.Record)
}
