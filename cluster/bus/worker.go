package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// WorkerConfig configures a Worker.
type WorkerConfig struct {
	// World is the session's world name.
	World string
	// Type is the task type taken (TaskPayment, TaskDelivery).
	Type string
	// Durable names the shared consumer: workers with the same name
	// compete for tasks (default "worker-<type>").
	Durable string
	// AckWait is how long a task may run unacknowledged before the server
	// hands it to another worker: a crashed worker's task comes back after
	// it (default 5 s).
	AckWait time.Duration
	// MaxDeliver bounds the attempts per task; after the last failed one
	// the task is dead-lettered (default 5).
	MaxDeliver int
	// Backoff is the delay before attempt n+1 after attempt n failed
	// (the last entry repeats; default 100 ms doubling).
	Backoff []time.Duration
	// Source is the inbox subject token outcomes are reported on (default
	// the task type).
	Source string
}

// TaskHandler runs a task's side effect and returns its outcome. An error
// means "try again later" (the attempt counts against MaxDeliver); a
// definite refusal is an Outcome with Accepted false, not an error. It
// must be idempotent per Task.ID: a task can run more than once. A panic
// in the handler is recovered and taken as a failed attempt (error
// "task handler panicked: …", counted in WorkerStats.Panics too): the task
// is retried after the backoff and dead-lettered after MaxDeliver, and the
// Worker goes on with the next task.
type TaskHandler func(ctx context.Context, t Task) (Outcome, error)

// WorkerStats counts what a worker did: tasks done, failed attempts
// (Panics of them were handler panics) and tasks dead-lettered.
type WorkerStats struct {
	Done, Failed, Dead, Panics int64
}

// Worker takes tasks of one type from the work queue, runs its handler,
// reports the outcome to the inbox (Nats-Msg-Id "outcome:<world>:<task>",
// so a second report of the same task is dropped) and then acknowledges
// the task, which removes it from the queue. A failure is retried after
// the backoff; after MaxDeliver attempts the task is published to
// tickecon.world.<world>.dead.task with the reason and terminated — the saga
// then compensates when its timeout passes.
type Worker struct {
	cfg  WorkerConfig
	js   jetstream.JetStream
	cons jetstream.Consumer

	done, failed, dead, panics atomic.Int64

	// crashBeforeAck, a test hook, makes Run return after reporting a
	// task's outcome and before acknowledging it, as a crash would.
	crashBeforeAck func(Task) bool
}

// errCrashed is returned by Run when the crashBeforeAck hook fired.
var errCrashed = errors.New("bus: worker crashed (test hook)")

// NewWorker creates or updates the worker's durable consumer on nc.
func NewWorker(ctx context.Context, nc *nats.Conn, cfg WorkerConfig) (*Worker, error) {
	if err := CheckWorld(cfg.World); err != nil {
		return nil, err
	}
	if cfg.Type != TaskPayment && cfg.Type != TaskDelivery {
		return nil, fmt.Errorf("%w: worker type %q (want %q or %q)", ErrConfig, cfg.Type, TaskPayment, TaskDelivery)
	}
	if cfg.Durable == "" {
		cfg.Durable = "worker-" + cfg.Type
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = 5 * time.Second
	}
	if cfg.MaxDeliver <= 0 {
		cfg.MaxDeliver = 5
	}
	if len(cfg.Backoff) == 0 {
		for i, d := 0, 100*time.Millisecond; i < cfg.MaxDeliver; i, d = i+1, d*2 {
			cfg.Backoff = append(cfg.Backoff, d)
		}
	}
	if cfg.Source == "" {
		cfg.Source = cfg.Type
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, TaskStream(cfg.World), jetstream.ConsumerConfig{
		Durable: cfg.Durable, FilterSubject: TaskSubject(cfg.World, cfg.Type),
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: cfg.AckWait, MaxDeliver: cfg.MaxDeliver,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: worker consumer %s: %w", cfg.Durable, err)
	}
	return &Worker{cfg: cfg, js: js, cons: cons}, nil
}

// Stats returns the worker's counts.
func (w *Worker) Stats() WorkerStats {
	return WorkerStats{Done: w.done.Load(), Failed: w.failed.Load(), Dead: w.dead.Load(), Panics: w.panics.Load()}
}

// Run takes tasks until ctx ends.
func (w *Worker) Run(ctx context.Context, h TaskHandler) error {
	for ctx.Err() == nil {
		batch, err := w.cons.Fetch(1, jetstream.FetchMaxWait(500*time.Millisecond))
		if err != nil {
			if !sleepCtx(ctx, 50*time.Millisecond) {
				return nil
			}
			continue
		}
		for m := range batch.Messages() {
			if err := w.handle(ctx, m, h); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *Worker) handle(ctx context.Context, m jetstream.Msg, h TaskHandler) error {
	md, err := m.Metadata()
	if err != nil {
		return w.deadLetter(ctx, m, "no metadata: "+err.Error())
	}
	var t Task
	if err := json.Unmarshal(m.Data(), &t); err != nil {
		return w.deadLetter(ctx, m, "malformed task: "+err.Error())
	}
	if t.Type != w.cfg.Type {
		return w.deadLetter(ctx, m, fmt.Sprintf("task type %q on the %q queue", t.Type, w.cfg.Type))
	}
	out, herr := w.call(ctx, h, t)
	var cmd []byte
	if herr == nil {
		ev, err := t.Command(out)
		if err == nil {
			cmd, err = json.Marshal(ev)
		}
		if err != nil {
			return w.deadLetter(ctx, m, err.Error())
		}
		herr = w.report(ctx, &t, cmd)
	}
	if herr != nil {
		w.failed.Add(1)
		if md.NumDelivered >= uint64(w.cfg.MaxDeliver) {
			return w.deadLetter(ctx, m, fmt.Sprintf("failed %d times, last: %v", md.NumDelivered, herr))
		}
		i := min(int(md.NumDelivered)-1, len(w.cfg.Backoff)-1)
		_ = m.NakWithDelay(w.cfg.Backoff[max(i, 0)])
		return nil
	}
	if w.crashBeforeAck != nil && w.crashBeforeAck(t) {
		return errCrashed
	}
	w.done.Add(1)
	actx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_ = m.DoubleAck(actx) // if lost: redelivered, reported again, dropped as a duplicate
	return nil
}

// call runs the handler, turning a panic into a failed attempt: one bad
// task must not stop the worker (and every task after it).
func (w *Worker) call(ctx context.Context, h TaskHandler, t Task) (out Outcome, err error) {
	defer func() {
		if p := recover(); p != nil {
			w.panics.Add(1)
			out, err = Outcome{}, fmt.Errorf("%w: %v", ErrHandlerPanic, p)
		}
	}()
	return h(ctx, t)
}

// report publishes the outcome command to the inbox and waits for the
// stream to store it.
func (w *Worker) report(ctx context.Context, t *Task, cmd []byte) error {
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := w.js.Publish(pctx, InboxSubject(w.cfg.World, w.cfg.Source), cmd,
		jetstream.WithMsgID("outcome:"+w.cfg.World+":"+t.ID))
	return err
}

// deadLetter moves a task to the dead-letter subject with its reason and
// terminates it (no more deliveries).
func (w *Worker) deadLetter(ctx context.Context, m jetstream.Msg, reason string) error {
	if err := publishDead(ctx, w.js, DeadSubject(w.cfg.World, "task"), m, reason); err != nil {
		_ = m.Nak() // keep the task rather than lose it; retried later
		return nil
	}
	w.dead.Add(1)
	_ = m.TermWithReason(reason)
	return nil
}

// publishDead stores a copy of m with the reason on a dead-letter subject.
func publishDead(ctx context.Context, js jetstream.JetStream, subject string, m jetstream.Msg, reason string) error {
	d := nats.NewMsg(subject)
	d.Data = m.Data()
	d.Header.Set(HeaderReason, reason)
	d.Header.Set(HeaderOrigSubject, m.Subject())
	id := ""
	if h := m.Headers(); h != nil {
		id = h.Get(jetstream.MsgIDHeader)
	}
	if id != "" {
		d.Header.Set(HeaderOrigMsgID, id)
		d.Header.Set(jetstream.MsgIDHeader, "dead:"+id)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := js.PublishMsg(pctx, d)
	return err
}
