package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/events"
)

// Position is a message's place in the event stream's order: the first
// tick of its run, then its part within the run. A consumer's Position is the last batch
// it handled; persist it with the projection to skip what it already has.
type Position struct {
	Tick  uint64 // first tick of the message's run
	Last  uint64 // last tick of the run
	Part  int
	Valid bool // false: before the first message
}

// Before reports whether p comes before q.
func (p Position) Before(q Position) bool {
	if !p.Valid {
		return q.Valid
	}
	return q.Valid && (p.Tick < q.Tick || p.Tick == q.Tick && p.Part < q.Part)
}

// ConsumerConfig configures a Consumer.
type ConsumerConfig struct {
	// World is the session's world name.
	World string
	// Durable names the consumer on the server, where its acknowledged
	// position is kept across restarts. Consumers with different names
	// each see every event.
	Durable string
	// Kinds filters the event kinds delivered (empty: all).
	Kinds []events.Kind
	// After skips every batch at or before it: the position a projection
	// persisted with its state (zero: nothing skipped beyond the server's
	// acknowledgements).
	After Position
	// AckWait is how long a delivered batch may stay unacknowledged before
	// the server redelivers it (default 30 s).
	AckWait time.Duration
	// Fetch is how many messages are requested at once (default 256).
	Fetch int
	// Retry is the pause after a handler error before the batch is
	// retried (default 100 ms).
	Retry time.Duration
	// InactiveThreshold makes the server delete the consumer once no
	// client has fetched from it for this long (0: it stays until deleted).
	// For a consumer that lives as long as one process, such as a
	// dashboard's: a process killed before it could delete its consumer
	// leaves none behind. Run fetches at least every second, so a running
	// Consumer stays well within any threshold of a few seconds or more.
	InactiveThreshold time.Duration
}

// Handler handles one batch (valid only during the call). Returning an
// error retries the batch after ConsumerConfig.Retry, and nothing after
// it is handled before it succeeds: order is kept. Handlers should be
// idempotent per EventID anyway (Batch.ID): delivery is at least once.
type Handler func(ctx context.Context, b *Batch) error

// Consumer reads a world's events from a durable pull consumer, in stream
// order, one Batch per message. It acknowledges a batch after its handler
// returns nil and skips any batch at or before the last one handled (a
// redelivery whose acknowledgement was lost, or a republish after the
// dedup window), so a handler sees each batch once per process and in
// order.
type Consumer struct {
	cfg  ConsumerConfig
	cons jetstream.Consumer
	pos  Position
	b    Batch
	js   jetstream.JetStream
	cc   jetstream.ConsumerConfig
	seq  uint64 // stream sequence of the last message handled or skipped
}

// NewConsumer creates or updates the durable consumer on nc.
func NewConsumer(ctx context.Context, nc *nats.Conn, cfg ConsumerConfig) (*Consumer, error) {
	if err := CheckWorld(cfg.World); err != nil {
		return nil, err
	}
	if cfg.Durable == "" {
		return nil, fmt.Errorf("%w: ConsumerConfig.Durable is required", ErrConfig)
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = 30 * time.Second
	}
	if cfg.Fetch <= 0 {
		cfg.Fetch = 256
	}
	if cfg.Retry <= 0 {
		cfg.Retry = 100 * time.Millisecond
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	cc := jetstream.ConsumerConfig{Durable: cfg.Durable, AckPolicy: jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy, AckWait: cfg.AckWait, MaxAckPending: 4 * cfg.Fetch,
		MaxDeliver: -1, InactiveThreshold: cfg.InactiveThreshold}
	for _, k := range cfg.Kinds {
		cc.FilterSubjects = append(cc.FilterSubjects, EventSubject(cfg.World, k))
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, EventStream(cfg.World), cc)
	if err != nil {
		return nil, fmt.Errorf("bus: consumer %s: %w", cfg.Durable, err)
	}
	return &Consumer{cfg: cfg, cons: cons, pos: cfg.After, js: js, cc: cc}, nil
}

// revive recreates a consumer with an InactiveThreshold that the server
// deleted while this one could not fetch (cut off from the server for
// longer than the threshold), from the message after the last one
// handled: without it Run would fetch from nothing forever. It reports
// whether the consumer is there now.
func (c *Consumer) revive(ctx context.Context) bool {
	if c.cfg.InactiveThreshold <= 0 {
		return false
	}
	ictx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := c.cons.Info(ictx); !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return false // there, or the server cannot say: fetch on
	}
	cc := c.cc
	if c.seq > 0 {
		cc.DeliverPolicy, cc.OptStartSeq = jetstream.DeliverByStartSequencePolicy, c.seq+1
	}
	cons, err := c.js.CreateOrUpdateConsumer(ictx, EventStream(c.cfg.World), cc)
	if err != nil {
		return false
	}
	c.cons = cons
	return true
}

// Position returns the last batch handled.
func (c *Consumer) Position() Position { return c.pos }

// Run handles batches until ctx ends (returning nil) or a message cannot
// be decoded (a payload of another format: returned, never skipped).
func (c *Consumer) Run(ctx context.Context, h Handler) error {
	for ctx.Err() == nil {
		batch, err := c.cons.Fetch(c.cfg.Fetch, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			if c.revive(ctx) {
				continue
			}
			if !sleepCtx(ctx, c.cfg.Retry) {
				return nil
			}
			continue
		}
		failed, got := false, 0
		for m := range batch.Messages() {
			got++
			if failed {
				_ = m.Nak() // after a failure: redelivered in order, behind it
				continue
			}
			retry, err := c.handle(ctx, m, h)
			if err != nil {
				_ = m.Nak()
				return err
			}
			if retry {
				failed = true
				_ = m.Nak()
			}
		}
		if failed && !sleepCtx(ctx, c.cfg.Retry) {
			return nil
		}
		if got == 0 || batch.Error() != nil {
			// A pull on a consumer the server deleted gets nothing,
			// not an error: ask whether it is still there.
			c.revive(ctx)
		}
	}
	return nil
}

// passed notes m's stream sequence, where revive starts again.
func (c *Consumer) passed(m jetstream.Msg) {
	if md, err := m.Metadata(); err == nil {
		c.seq = md.Sequence.Stream
	}
}

// handle decodes and handles one message; retry says the handler failed.
func (c *Consumer) handle(ctx context.Context, m jetstream.Msg, h Handler) (retry bool, err error) {
	tick, last, part, _, err := partOf(m.Headers())
	if err != nil {
		return false, fmt.Errorf("bus: event message on %s: %w", m.Subject(), err)
	}
	p := Position{Tick: tick, Last: last, Part: part, Valid: true}
	if !c.pos.Before(p) {
		c.passed(m)
		return false, m.Ack() // already handled: a redelivery or a late republish
	}
	if err := DecodeMessage(m.Headers(), m.Data(), &c.b); err != nil {
		return false, fmt.Errorf("bus: event message on %s: %w", m.Subject(), err)
	}
	if h(ctx, &c.b) != nil {
		return true, nil
	}
	c.pos = p
	c.passed(m)
	_ = m.Ack() // a lost ack means a redelivery, which the position skips
	return false, nil
}
